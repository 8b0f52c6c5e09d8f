int dup_sym(void) { return 1; }
int dup_weak(void) __attribute__((weak));
int dup_weak(void) { return 10; }
