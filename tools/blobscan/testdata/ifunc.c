static int add_plain(int a, int b) { return a + b; }
static int (*resolve_add(void))(int, int) { return add_plain; }
int add(int a, int b) __attribute__((ifunc("resolve_add")));
