/* Imports an IFUNC from a blob loaded before (ifunc.o or libsoifunc.so). */
int ifunc_variant(void);
int ifunc_user(void) { return ifunc_variant() + 100; }
