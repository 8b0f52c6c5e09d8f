/* Synthetic blob for the debugger's tests (tests/e2e/debug.sh), built -O2
 * with and without frame pointers.  Each function misbehaves in one way on
 * purpose; the names say how. */
#include <string.h>
#include <usb.h>

volatile int dbg_counter;

__attribute__((noinline)) int
dbg_leaf_store(int *p, int v)
{
	p[4] = v;			/* NULL + 0x10 when p is NULL */
	return v + 1;
}

__attribute__((noinline)) int
dbg_mid(int *p, int v)
{
	int r = dbg_leaf_store(p, v * 3);

	return r * 2 + v;
}

__attribute__((noinline)) int
dbg_top(int *p)
{
	return dbg_mid(p, 7) + 1;
}

/* three frames deep, then a store through NULL */
int
dbg_crash_chain(long ok)
{
	static int cell[8];

	return dbg_top(ok ? cell : (int *)0) + 1;
}

/* never returns: strlen on every round, as the seed's looping strcpy */
long
dbg_spin(const char *s)
{
	long n = 0;

	for (;;) {
		n += strlen(s);
		if (n == -1)
			return n;
	}
}

/* libusb-0.1 without usb_find_busses: usb_busses is NULL, the walk faults
 * at NULL + offsetof(struct usb_bus, devices) */
int
dbg_usb_walk(void)
{
	struct usb_bus *bus = usb_busses;

	return bus->devices->descriptor.idVendor;
}

__attribute__((noinline)) void
dbg_bump(void)
{
	dbg_counter++;
}

/* 1 normally; 0 with the call to dbg_bump nopped out */
int
dbg_calls(void)
{
	dbg_counter = 0;
	dbg_bump();
	return dbg_counter;
}

__attribute__((noinline)) long
dbg_add(long a, long b)
{
	long r = a * 3 + b;

	return r ^ (a >> 3);
}

/* calls dbg_add n times: a hooked function's entry counts */
long
dbg_add_loop(long n)
{
	long s = 0;

	for (long i = 0; i < n; i++)
		s += dbg_add(i, s & 0xff);
	return s;
}

/* copies through the core's strcpy and memcpy: trace shows typed arguments */
long
dbg_copy(const char *src)
{
	char buf[64];

	strcpy(buf, src);
	memcpy(buf + 32, buf, 8);
	return (long)strlen(buf);
}

/* a weak import nobody defines: its GOT slot holds 0 */
extern int dbg_weak_missing __attribute__((weak));

int
dbg_read_weak(void)
{
	return dbg_weak_missing;
}

/* calls f: with f NULL the CPU jumps to address 0 */
int
dbg_call_ptr(int (*f)(void))
{
	return f() + 1;
}
