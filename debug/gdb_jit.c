/* gdb's JIT interface: for every object of a loaded blob an in-memory ELF
 * file (gdb_elf.c) is linked into __jit_debug_descriptor and announced by calling
 * __jit_debug_register_code, on which gdb keeps a breakpoint; gdb then reads
 * the file out of our memory and knows the blob's functions by name, can
 * break in them and unwinds through them with their .eh_frame.  Unloading
 * takes the entry out the same way.  The names and the layout (version 1)
 * are the ones gdb's manual documents ("JIT Compilation Interface"); a gdb
 * attached through QEMU's stub reads them on bare metal too.
 *
 * Building the files costs ~10 us a load (the libz.a closure's whole
 * load+link is ~60 us), so hosted they are built only while a debugger
 * follows the interface: gdb keeps a software breakpoint on
 * __jit_debug_register_code whenever the process runs, and a ptrace
 * debugger's breakpoint is an int3 written into our text.  A debugger that
 * attaches later (gdb -p) reads the list as it is then; the blobs loaded
 * before it are added at the next load or unload, or by `blob gdb'.  Where
 * a debugger leaves no trace in memory (bare metal: QEMU's stub), every
 * load registers (plat_breakpoints_in_memory). */
#include <core/console.h>
#include <core/heap.h>
#include <core/init.h>
#include <core/platform.h>
#include <loader/blob.h>
#include <loader/introspect.h>
#include "gdb_elf.h"
#include "gdb_jit.h"

enum { JIT_NOACTION = 0, JIT_REGISTER_FN = 1, JIT_UNREGISTER_FN = 2 };

struct jit_code_entry {
	struct jit_code_entry *next_entry;
	struct jit_code_entry *prev_entry;
	const char *symfile_addr;
	u64 symfile_size;
};

struct jit_descriptor {
	u32 version;
	u32 action_flag;		/* JIT_* */
	struct jit_code_entry *relevant_entry;
	struct jit_code_entry *first_entry;
};

_Static_assert(sizeof(struct jit_code_entry) == 32, "gdb's jit_code_entry layout");
_Static_assert(__builtin_offsetof(struct jit_descriptor, relevant_entry) == 8 &&
	       __builtin_offsetof(struct jit_descriptor, first_entry) == 16,
	       "gdb's jit_descriptor layout");

/* gdb finds both by these names in the image's symbol table. */
void __jit_debug_register_code(void);
extern struct jit_descriptor __jit_debug_descriptor;
struct jit_descriptor __jit_debug_descriptor = { .version = 1 };

void __attribute__((noinline, used))
__jit_debug_register_code(void)
{
	__asm__ volatile("" ::: "memory");	/* gdb's breakpoint lands here */
}

/* Our record of one registered object of a blob. */
struct jit_obj {
	struct jit_code_entry entry;	/* first: the entry gdb sees */
	const struct blob *b;
	struct jit_obj *next;
};
static struct jit_obj *registered;

static void
announce(struct jit_code_entry *e, u32 action)
{
	__jit_debug_descriptor.relevant_entry = e;
	__jit_debug_descriptor.action_flag = action;
	__jit_debug_register_code();
	__jit_debug_descriptor.action_flag = JIT_NOACTION;
}

/* gdb's breakpoint on __jit_debug_register_code, or no way to see it */
static bool
debugger_follows(void)
{
	const volatile u8 *fn = (const volatile u8 *)(u64)__jit_debug_register_code;

	return !plat_breakpoints_in_memory() || *fn == 0xcc;
}

static bool
registered_blob(const struct blob *b)
{
	for (struct jit_obj *j = registered; j; j = j->next)
		if (j->b == b)
			return true;
	return false;
}

static void
register_objects(struct blob *b)
{
	struct blob_object o;

	for (unsigned i = 0; blob_object_at(b, i, &o); i++) {
		struct jit_obj *j = heap_zalloc(sizeof(*j));
		size_t len = 0;
		void *elf = j ? gdb_elf_build(b, i, &len) : NULL;

		if (!elf) {
			kprintf("gdb: %s: out of memory for its symbol file; gdb will not see it\n",
				o.name);
			heap_free(j);
			continue;
		}
		j->b = b;
		j->entry.symfile_addr = elf;
		j->entry.symfile_size = len;
		j->entry.next_entry = __jit_debug_descriptor.first_entry;
		if (j->entry.next_entry)
			j->entry.next_entry->prev_entry = &j->entry;
		__jit_debug_descriptor.first_entry = &j->entry;
		j->next = registered;
		registered = j;
		announce(&j->entry, JIT_REGISTER_FN);
	}
}

/* Every loaded blob the debugger does not know yet (all of them once one
 * attached), except `skip' (being unloaded).  Blobs linked into the image
 * are the image's own symbols. */
static void
catch_up(const struct blob *skip)
{
	for (struct blob *b = blob_first(); b; b = blob_next(b))
		if (b != skip && !(blob_flags(b) & BLOB_STATIC) && !registered_blob(b))
			register_objects(b);
}

void
gdb_jit_sync(void)
{
	if (debugger_follows())
		catch_up(NULL);
}

static void
jit_register(struct blob *b)
{
	if (debugger_follows())
		catch_up(NULL);	/* b is listed already */
	(void)b;
}

static void
jit_unregister(struct blob *b)
{
	if (debugger_follows())
		catch_up(b);
	for (struct jit_obj **pp = &registered; *pp;) {
		struct jit_obj *j = *pp;
		struct jit_code_entry *e = &j->entry;

		if (j->b != b) {
			pp = &j->next;
			continue;
		}
		if (e->prev_entry)
			e->prev_entry->next_entry = e->next_entry;
		else
			__jit_debug_descriptor.first_entry = e->next_entry;
		if (e->next_entry)
			e->next_entry->prev_entry = e->prev_entry;
		announce(e, JIT_UNREGISTER_FN);
		*pp = j->next;
		heap_free((void *)e->symfile_addr);
		heap_free(j);
	}
}

/* Unloading: gdb forgets the blob first (order 5), before the debugger
 * drops its records into it. */
static struct blob_load_hook load_hook = { .order = 10, .fn = jit_register };
static struct blob_unload_hook unload_hook = { .order = 5, .fn = jit_unregister };

static void
gdb_jit_init(void)
{
	blob_load_hook_register(&load_hook);
	blob_unload_hook_register(&unload_hook);
}
INITFUNC("40gdb-jit", gdb_jit_init);
