int dup_weak(void) { return 30; }
int dup_c_only(void) { return dup_weak(); }
