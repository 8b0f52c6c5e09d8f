/* IFUNC resolvers that fail (tests/e2e/loader_ifunc.sh): one faults, one
 * returns no function; -DFAULT picks the first.  The load must fail with a
 * line naming the symbol. */
static int never(void) { return 1; }
#ifdef FAULT
static void *pick(void) { return (void *)(long)*(volatile int *)16 + (long)never; }
#else
static void *pick(void) { return (void *)((long)never * 0); }
#endif
int bad_ifunc(void) __attribute__((ifunc("pick")));
int call_bad(void) { return bad_ifunc(); }
