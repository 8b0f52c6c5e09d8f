/* `crash KIND': provoke a CPU exception inside a shell command on purpose,
 * to show (and test) that the fault is reported and the shell survives. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/string.h>

static volatile long sink;
/* An address the compiler cannot prove anything about. */
static volatile long *volatile bad_ptr = (long *)16;

static int
cmd_crash(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "";

	if (!strcmp(kind, "read"))
		sink = *bad_ptr;
	else if (!strcmp(kind, "write"))
		*bad_ptr = 1;
	else if (!strcmp(kind, "ud"))
		__asm__ volatile("ud2");
	else if (!strcmp(kind, "int3"))
		__asm__ volatile("int3");
	else if (!strcmp(kind, "div")) {
		long q = 1, zero = 0;
		__asm__ volatile("cqto; idivq %1" : "+a"(q) : "r"(zero) : "rdx");
		sink = q;
	} else if (!strcmp(kind, "stack")) {
		/* recursion without end: the guard page ends it */
		volatile char big[4096];
		big[0] = 1;
		sink = big[0] + cmd_crash(argc, argv);
	} else {
		kprintf("crash: KIND must be read, write, ud, int3, div or stack\n");
		return 1;
	}
	kprintf("crash: %s did not fault\n", kind);
	return 1;
}
DBGSH_COMMAND("crash", cmd_crash, "provoke a fault in the VMM on purpose: crash read|write|ud|int3|div|stack");
