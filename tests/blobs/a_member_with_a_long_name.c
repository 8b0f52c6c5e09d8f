/* Its name needs the archive's "//" long-name table. */
int long_named_fn(void) { return 4242; }
