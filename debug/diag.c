/* Fault diagnosis for every exception in blob code (and in core code a blob
 * called): where (blob, member, symbol+offset), the faulting instruction,
 * registers, what lies at the fault address, a backtrace (.eh_frame CFI,
 * else frame pointers), the last imports called, and a one-line diagnosis
 * when a known cause matches.  Runs as a fault hook after the blob
 * runtime's own line, then resumes at the recovery point of the blob call:
 * the blob is marked failed there and the shell keeps going. */
#include <core/console.h>
#include <core/cpu.h>
#include <core/dbgsh.h>
#include <core/context.h>
#include <core/export.h>
#include <core/fault.h>
#include <core/init.h>
#include <core/ksyms.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/recover.h>
#include <core/string.h>
#include <core/time.h>
#include <debug/debug.h>
#include "cfi.h"
#include "diag.h"
#include <loader/introspect.h>
#include <usb/usb.h>

/* On the blob call stack, above its guard page (8 bytes, aligned)? */
static bool
on_blob_stack(u64 a)
{
	u64 lo, hi;

	blob_stack_range(&lo, &hi);
	return a >= lo + PAGE_SIZE && a + 8 <= hi && !(a & 7);
}

/* The object (name) and section of a blob that hold a. */
static const char *
obj_of(u64 a, struct blob **bp, const char **secname)
{
	struct blob_section s;
	const char *o;

	if (blob_section_at(a, bp, &s)) {
		*secname = s.name;
		return s.obj;
	}
	for (struct blob *b = blob_first(); b; b = blob_next(b))
		if ((o = blob_mapping_at(b, a))) {
			*bp = b;
			*secname = "(between sections)";
			return o;
		}
	return NULL;
}

static bool
in_got(const struct blob *b, u64 a)
{
	struct blob_tables t;

	blob_tables(b, &t);
	return t.ngot && a >= t.got && a < t.got + 8ULL * t.ngot;
}

static const char *
export_name_at(u64 a)
{
	for (size_t i = 0; i < export_count(); i++)
		if ((u64)export_at(i)->addr == a)
			return export_at(i)->name;
	return NULL;
}

/* What lies at address a, in words. */
const char *
diag_where(u64 a, char *buf, size_t size)
{
	struct blob *b = NULL;
	struct blob_tables t;
	const char *o, *sec, *name;
	char sym[128];
	u64 tcb = blob_tcb_address(), stack_lo, stack_hi;

	if (a < 0x10000) {
		snprintf(buf, size, "the NULL page (NULL + %#llx)", (unsigned long long)a);
		return buf;
	}
	blob_stack_range(&stack_lo, &stack_hi);
	for (b = blob_first(); b; b = blob_next(b)) {
		blob_tables(b, &t);
		if (in_got(b, a)) {
			u64 slot = *(u64 *)(a & ~7ULL);	/* inside the GOT: readable */

			snprintf(buf, size, "GOT slot %llu of blob %s (holds %#llx%s%s)",
				 (unsigned long long)((a - t.got) / 8), blob_name(b),
				 (unsigned long long)slot, dbg_symbolize(slot, sym, sizeof(sym), false) ? ": " : "",
				 dbg_symbolize(slot, sym, sizeof(sym), false) ? sym : "");
			return buf;
		}
		if (t.nplt && a >= t.plt && a < t.plt + (u64)t.plt_stub * t.nplt) {
			snprintf(buf, size, "PLT stub %llu of blob %s",
				 (unsigned long long)((a - t.plt) / t.plt_stub), blob_name(b));
			return buf;
		}
	}
	if ((o = obj_of(a, &b, &sec))) {
		snprintf(buf, size, "blob %s, %s section %s (%s)", blob_name(b), o, sec,
			 dbg_symbolize(a, sym, sizeof(sym), false) ? sym : "no symbol");
		return buf;
	}
	if (a >= stack_lo && a < stack_lo + PAGE_SIZE) {
		snprintf(buf, size, "the guard page below the blob stack (stack overflow)");
		return buf;
	}
	if (stack_hi && a >= stack_hi && a < stack_hi + PAGE_SIZE) {
		snprintf(buf, size, "the guard page above the blob stack's top");
		return buf;
	}
	if (a >= stack_lo && a < stack_hi) {
		snprintf(buf, size, "the blob call stack");
		return buf;
	}
	if (tcb && a >= tcb - PAGE_SIZE && a < tcb + PAGE_SIZE) {
		snprintf(buf, size, "the blob TCB (%%fs:%#llx)", (unsigned long long)(a - tcb));
		return buf;
	}
	if ((name = export_name_at(a))) {
		snprintf(buf, size, "core export `%s'", name);
		return buf;
	}
	if (ksym_lookup(a, &(u64){0})) {
		snprintf(buf, size, "core text (%s)", ksym_format(a, sym, sizeof(sym)));
		return buf;
	}
	if (pages_owns((const void *)a)) {
		snprintf(buf, size, "the core's heap/page region, outside every blob section");
		return buf;
	}
	snprintf(buf, size, "not in any blob, the core's text or its page region "
		 "(core data, or nothing mapped)");
	return buf;
}

/* --- backtrace ------------------------------------------------------------ */

static void
frame_from_regs(struct cfi_frame *f, const struct cpu_regs *r)
{
	const u64 v[CFI_NREGS] = { r->rax, r->rdx, r->rcx, r->rbx, r->rsi, r->rdi, r->rbp, r->rsp,
				   r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15,
				   r->rip };

	for (unsigned i = 0; i < CFI_NREGS; i++) {
		f->r[i] = v[i];
		f->valid[i] = true;
	}
}

static bool
in_any_blob(u64 a)
{
	struct blob *b;
	const char *s;

	return obj_of(a, &b, &s) != NULL;
}

void
diag_backtrace(const struct cpu_regs *r, struct diag_bt *bt)
{
	struct cfi_frame f;
	char sym[160];

	frame_from_regs(&f, r);
	bt->last_import[0] = 0;
	bt->blob_caller = 0;
	for (int depth = 0; depth < 24; depth++) {
		u64 pc = f.r[CFI_RA], fp = f.r[CFI_RBP], off;
		bool blob = in_any_blob(pc);
		int rc = 0;
		const char *how;

		if (blob_call_entry_at(pc, &off)) {
			kprintf("    #%-2d %016llx exec_switch_call+%#llx (entry of the blob call)\n", depth,
				(unsigned long long)pc, (unsigned long long)off);
			break;
		}
		if (depth == 0 && !in_any_blob(pc) && !ksym_lookup(pc, &(u64){0}) &&
		    on_blob_stack(f.r[CFI_RSP])) {
			/* a call to nowhere: the return address is still on top */
			kprintf("    #0  %016llx (not code: a call through a bad pointer)\n",
				(unsigned long long)pc);
			f.r[CFI_RA] = *(u64 *)f.r[CFI_RSP];
			f.r[CFI_RSP] += 8;
			depth++;
			pc = f.r[CFI_RA];
			blob = in_any_blob(pc);
		}
		if (!pc)
			break;
		if (blob) {
			if (!bt->blob_caller)
				bt->blob_caller = depth ? pc - 1 : pc;
			rc = cfi_step(&f, depth == 0, on_blob_stack);
			how = rc > 0 ? "cfi" : "fp";
		} else {
			how = "fp";
		}
		kprintf("    #%-2d %016llx %s [%s]\n", depth, (unsigned long long)pc,
			dbg_symbolize(pc, sym, sizeof(sym), true) ? sym : "?", how);
		if (rc > 0)
			continue;
		if (rc < 0 && blob)
			kprintf("        (CFI could not be followed; trying frame pointers)\n");
		/* frame pointers: core code always has them, blobs may */
		if (!on_blob_stack(fp) || !on_blob_stack(fp + 8))
			break;
		if (!blob && !bt->last_import[0]) {
			const char *n = ksym_lookup(pc, &off);

			if (n && in_any_blob(((u64 *)fp)[1]))
				snprintf(bt->last_import, sizeof(bt->last_import), "%s", n);
		}
		f.r[CFI_RA] = ((u64 *)fp)[1];
		f.r[CFI_RSP] = fp + 16;
		f.r[CFI_RBP] = ((u64 *)fp)[0];
	}
}

/* --- known causes ----------------------------------------------------------- */

/* Structures reachable from exports, for naming a NULL struct walk. */
struct field {
	const char *name;
	u32 off;
	int to;			/* index of the pointed-to struct, -1 */
};
struct known_struct {
	const char *name;
	const struct field *f;
};
/* libusb-0.1's layouts: include/usb/usb.h, which tests/e2e/usb_abi.sh
 * checks against Debian's /usr/include/usb.h field by field. */
#define FIELD(s, f, to)	{ #f, offsetof(struct s, f), to }
static const struct field usb_bus_fields[] = {
	FIELD(usb_bus, next, 0), FIELD(usb_bus, prev, 0), FIELD(usb_bus, dirname, -1),
	FIELD(usb_bus, devices, 1), FIELD(usb_bus, location, -1), FIELD(usb_bus, root_dev, 1),
	{ 0, 0, 0 } };
static const struct field usb_device_fields[] = {
	FIELD(usb_device, next, 1), FIELD(usb_device, prev, 1), FIELD(usb_device, filename, -1),
	FIELD(usb_device, bus, 0), FIELD(usb_device, descriptor, -1), FIELD(usb_device, config, -1),
	FIELD(usb_device, dev, -1), FIELD(usb_device, devnum, -1), FIELD(usb_device, num_children, -1),
	FIELD(usb_device, children, -1), { 0, 0, 0 } };
#undef FIELD
static const struct known_struct structs[] = {
	{ "struct usb_bus", usb_bus_fields },
	{ "struct usb_device", usb_device_fields },
};
static const struct {
	const char *export;
	int type;		/* the export holds a pointer to this struct */
} known_exports[] = { { "usb_busses", 0 } };

/* What a register holds, as far as a straight-line walk can tell. */
struct origin {
	char expr[96];
	int kind;		/* 0 unknown, 1 address of an export, 2 pointer to struct `type' */
	int type;
};

static const struct field *
field_at(int type, s64 off)
{
	for (const struct field *f = structs[type].f; f->name; f++)
		if (f->off == off)
			return f;
	return NULL;
}

/* Walk the function from its start to the faulting instruction, tracking
 * loads from known exports; name the expression in base register `reg'. */
static bool
name_base(u64 fn, u64 rip, int reg, s64 disp, char *out, size_t size)
{
	struct origin o[16];
	struct dis_insn d;
	u64 pc = fn;

	memset(o, 0, sizeof(o));
	for (int n = 0; pc < rip && n < 512; n++, pc += d.len) {
		struct origin nw = { .kind = 0 };

		if (dis_decode(pc, &d))
			return false;
		if (d.dst < 0)
			continue;
		if (d.is_mov && d.riprel) {
			for (unsigned k = 0; k < ARRAY_SIZE(known_exports); k++) {
				const struct export *e = export_lookup(known_exports[k].export);

				if (!e)
					continue;
				if (d.mem == (u64)e->addr) {
					nw.kind = 2;
					nw.type = known_exports[k].type;
					snprintf(nw.expr, sizeof(nw.expr), "%s", e->name);
				} else if (dbg_readable(d.mem) && *(u64 *)d.mem == (u64)e->addr) {
					nw.kind = 1;	/* via its GOT slot */
					nw.type = known_exports[k].type;
					snprintf(nw.expr, sizeof(nw.expr), "%s", e->name);
				}
			}
		} else if (d.is_mov && d.mem_base >= 0 && o[d.mem_base].kind == 1 && !d.mem_disp) {
			nw = o[d.mem_base];
			nw.kind = 2;
		} else if (d.is_mov && d.mem_base >= 0 && o[d.mem_base].kind == 2) {
			const struct field *f = field_at(o[d.mem_base].type, d.mem_disp);

			if (f && f->to >= 0) {
				nw.kind = 2;
				nw.type = f->to;
				snprintf(nw.expr, sizeof(nw.expr), "%s->%s", o[d.mem_base].expr, f->name);
			}
		}
		o[d.dst] = nw;
	}
	if (reg < 0 || o[reg].kind != 2)
		return false;
	{
		const struct field *f = field_at(o[reg].type, disp);

		if (!f)
			return false;
		snprintf(out, size, "%s->%s (%s is NULL: %s at offset %lld)", o[reg].expr, f->name,
			 o[reg].expr, structs[o[reg].type].name, (long long)disp);
	}
	return true;
}

/* The call instruction that pushed return address ret, decoded into *d. */
static bool
call_before(u64 ret, struct dis_insn *d)
{
	static const unsigned lens[] = { 5, 6, 2, 3, 7 };

	for (unsigned i = 0; i < ARRAY_SIZE(lens); i++)
		if (!dis_decode(ret - lens[i], d) && d->call && d->len == lens[i])
			return true;
	return false;
}

static u64 reg_value(const struct cpu_regs *r, int i);

/* The call before ret is the one that jumped to r->rip: its target (or the
 * pointer it went through) is r->rip. */
static bool
called_here(const struct cpu_regs *r, u64 ret, struct dis_insn *c)
{
	u64 slot;

	if (!call_before(ret, c))
		return false;
	if (c->relative)
		return c->target == r->rip;
	if (c->riprel)
		return dbg_readable(c->mem) && *(u64 *)c->mem == r->rip;
	if (c->mem_base >= 0) {
		slot = reg_value(r, c->mem_base) + c->mem_disp;
		return dbg_readable(slot) && *(u64 *)slot == r->rip;
	}
	if (c->dst >= 0)
		return reg_value(r, c->dst) == r->rip;	/* call *%reg */
	return true;	/* an operand we cannot evaluate: trust the call */
}

/* Instructions that fault in user mode (#GP) but not in ring 0. */
static bool
privileged(const char *text)
{
	static const char *const names[] = {
		"hlt", "cli", "sti", "in", "out", "insb", "insw", "insl", "insd", "outsb", "outsw",
		"outsl", "outsd", "lgdt", "lidt", "lldt", "ltr", "wrmsr", "rdmsr", "invd",
		"wbinvd", "invlpg", "clts", "lmsw", "swapgs", "sysret", "sysretq", "iret",
		"iretq", "rdpmc",
	};
	size_t n = strcspn(text, " ");

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == n && !strncmp(text, names[i], n))
			return true;
	return !strncmp(text, "mov", 3) && (strstr(text, "%cr") || strstr(text, "%dr"));
}

static const char *
syscall_name(u64 nr)
{
	static const struct { u16 nr; const char *name; } names[] = {
		{ 0, "read" }, { 1, "write" }, { 2, "open" }, { 3, "close" }, { 9, "mmap" },
		{ 10, "mprotect" }, { 11, "munmap" }, { 13, "rt_sigaction" },
		{ 14, "rt_sigprocmask" }, { 37, "alarm" }, { 38, "setitimer" },
		{ 39, "getpid" }, { 56, "clone" }, { 57, "fork" }, { 59, "execve" },
		{ 60, "exit" }, { 62, "kill" }, { 158, "arch_prctl" }, { 200, "tkill" },
		{ 231, "exit_group" }, { 234, "tgkill" }, { 257, "openat" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].nr == nr)
			return names[i].name;
	return "?";
}

static const char *
signal_name(u64 sig)
{
	static const char *const names[] = {
		[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
		[6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
		[11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM",
		[15] = "SIGTERM",
	};

	return sig < ARRAY_SIZE(names) && names[sig] ? names[sig] : "?";
}

static u64
function_start_core(u64 pc)
{
	u64 off;

	return ksym_lookup(pc, &off) ? pc - off : 0;
}

/* Start of the blob function holding pc, 0 if unknown. */
static u64
function_start(u64 pc)
{
	char sym[128];
	char *plus;
	u64 fn = 0;

	if (!in_any_blob(pc) || !dbg_symbolize(pc, sym, sizeof(sym), false))
		return 0;
	if ((plus = strchr(sym, '+')))
		*plus = 0;
	return dbg_parse_addr(sym, &fn) ? fn : 0;
}

/* Walking fn up to rip: was register reg last loaded from a GOT slot of b? */
static long
got_origin(struct blob *b, u64 fn, u64 rip, int reg)
{
	long from[16];
	struct dis_insn d;
	struct blob_tables t;

	blob_tables(b, &t);
	for (int i = 0; i < 16; i++)
		from[i] = -1;
	for (u64 pc = fn; pc < rip; pc += d.len) {
		if (dis_decode(pc, &d))
			return -1;
		if (d.dst < 0)
			continue;
		from[d.dst] = d.is_mov && d.riprel && in_got(b, d.mem) ? (long)((d.mem - t.got) / 8) : -1;
	}
	return reg >= 0 && reg < 16 ? from[reg] : -1;
}

static u64
reg_value(const struct cpu_regs *r, int i)
{
	const u64 v[16] = { r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp, r->rsp,
			    r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15 };

	return i >= 0 && i < 16 ? v[i] : 0;
}

/* Without tracing: the most recent import call's return address usually
 * survives just below %rsp (signals and the watchdog interrupt use stacks
 * of their own).  Find the nearest word that returns into blob code right
 * after a call to a core export. */
static bool
dead_stack_import(const struct cpu_regs *r, char *out, size_t size)
{
	for (u64 a = (r->rsp & ~7ULL) - 8; a >= r->rsp - 512 && on_blob_stack(a); a -= 8) {
		u64 ret = *(u64 *)a;
		struct dis_insn c;
		char imp[96], site[128];
		u64 target;

		if (!in_any_blob(ret) || !call_before(ret, &c))
			continue;
		target = c.relative ? c.target : c.riprel && dbg_readable(c.mem) ? *(u64 *)c.mem : 0;
		if (!target || in_any_blob(target) || !export_name_at(target))
			continue;
		snprintf(out, size, "%s at %s (inferred from a return address below %%rsp)",
			 dbg_symbolize(target, imp, sizeof(imp), false) ? imp : "?",
			 dbg_symbolize(c.addr, site, sizeof(site), true) ? site : "?");
		return true;
	}
	return false;
}

static void
diagnose(const struct cpu_regs *r, struct blob *cur, const struct dis_insn *d, bool decoded,
	 const struct diag_bt *bt)
{
	char buf[192];
	const char *txt = decoded ? d->text : "?";
	u64 fn = function_start(r->rip), stack_lo, stack_hi;
	struct blob_tables t;

	blob_stack_range(&stack_lo, &stack_hi);
	blob_tables(cur, &t);
	if (r->vector == VEC_WATCHDOG) {
		char dead[160];
		const char *li = bt->last_import[0] ? bt->last_import : trace_last_import();

		if (!li)
			li = dead_stack_import(r, dead, sizeof(dead)) ? dead :
			     "(not recorded: `trace on' records imports)";
		kprintf("diagnosis: the call did not return within %llu ms: spinning at %s (%s); "
			"last import called: %s\n",
			(unsigned long long)(blob_get_watchdog() / NSEC_PER_MSEC),
			dbg_symbolize(r->rip, buf, sizeof(buf), true) ? buf : "?", txt, li);
		return;
	}
	if (r->vector == VEC_SIGNAL) {
		kprintf("diagnosis: signal %llu (%s) was sent to blobvisor by a process (kill, "
			"tgkill, raise); no instruction at %s faulted\n",
			(unsigned long long)r->error_code, signal_name(r->error_code),
			dbg_symbolize(r->rip, buf, sizeof(buf), true) ? buf : "?");
		return;
	}
	if (r->vector == VEC_SYSCALL) {
		kprintf("diagnosis: raw system call %llu (%s) from blob code at %s: not made; "
			"blobs reach the host only through the core's exports\n",
			(unsigned long long)r->error_code, syscall_name(r->error_code),
			dbg_symbolize(r->rip - 2, buf, sizeof(buf), true) ? buf : "?");
		return;
	}
	if (r->vector != VEC_PF && r->vector != VEC_GP)
		return;
	if (r->vector == VEC_GP && decoded && !strcmp(d->text, "int $0x80")) {
		kprintf("diagnosis: `int $0x80' (a 32-bit system call) in blob code: not made; "
			"blobs reach the host only through the core's exports\n");
		return;
	}
	if (r->vector == VEC_GP && decoded && privileged(d->text)) {
		kprintf("diagnosis: privileged instruction `%s' in blob code: it runs only in "
			"ring 0, and blobs run in user mode here\n", d->text);
		return;
	}
	if (r->rip < 0x10000 && dbg_readable(r->rsp)) {
		struct dis_insn c;
		u64 ret = *(u64 *)r->rsp;

		if (called_here(r, ret, &c)) {
			kprintf("diagnosis: jump to NULL + %#llx: a call through a NULL function "
				"pointer at %s\n", (unsigned long long)r->rip,
				dbg_symbolize(c.addr, buf, sizeof(buf), true) ? buf : "?");
		} else if (dbg_readable(r->rsp - 8) && *(u64 *)(r->rsp - 8) == r->rip) {
			kprintf("diagnosis: return to %#llx: a ret popped a small number as its "
				"return address (return address overwritten, or pushes and pops "
				"unbalanced)\n", (unsigned long long)r->rip);
		} else {
			kprintf("diagnosis: jump to %#llx: a jump through a NULL or small pointer\n",
				(unsigned long long)r->rip);
		}
		return;
	}
	if (decoded && strstr(d->text, "%fs:") && !r->fs_base) {
		kprintf("diagnosis: %%fs-relative access (%s) with FS base 0: blob %s runs without a "
			"TCB (the stack-protector canary lives at %%fs:0x28); load it without --no-tcb\n",
			txt, blob_name(cur));
		return;
	}
	if (decoded && d->riprel) {
		struct blob *b;
		const char *sec;
		bool placed = obj_of(d->mem, &b, &sec) || export_name_at(d->mem) ||
			      in_got(cur, d->mem) ||
			      ksym_lookup(d->mem, &(u64){0});

		if (!placed) {
			kprintf("diagnosis: %%rip-relative access to %#llx lands outside every placed "
				"section (%s): a section or GOT the loader never placed\n",
				(unsigned long long)d->mem, diag_where(d->mem, buf, sizeof(buf)));
			return;
		}
	}
	if (r->fault_addr_valid && r->fault_addr < 0x10000 && !in_any_blob(r->rip) && bt->blob_caller) {
		char who[128], imp[96], fnname[96];
		struct dis_insn c;
		u64 site = bt->blob_caller + 1;

		snprintf(imp, sizeof(imp), "?");
		if (call_before(bt->blob_caller + 1, &c)) {
			site = c.addr;
			if (c.relative && dbg_symbolize(c.target, imp, sizeof(imp), false))
				;
			else if (c.riprel && dbg_readable(c.mem))
				dbg_symbolize(*(u64 *)c.mem, imp, sizeof(imp), false);
		}
		kprintf("diagnosis: NULL + %#llx inside the core's %s, reached from import %s called "
			"at %s: a NULL argument?\n", (unsigned long long)r->fault_addr,
			dbg_symbolize(function_start_core(r->rip), fnname, sizeof(fnname), false) ?
			fnname : "code",
			imp, dbg_symbolize(site, who, sizeof(who), true) ? who : "?");
		return;
	}
	if (decoded && d->mem_base >= 0 && t.ngot && fn) {
		/* the base register was loaded from a GOT slot holding (nearly) nothing */
		long slot = got_origin(cur, fn, r->rip, d->mem_base);

		if (slot >= 0 && ((u64 *)t.got)[slot] < 0x10000) {
			const char *nm = blob_got_slot_symbol(cur, (unsigned)slot);

			kprintf("diagnosis: access through GOT slot %ld of %s (`%s'), which holds "
				"%#llx: an unresolved weak import or a slot never filled\n", slot,
				blob_name(cur), nm ? nm : "?", (unsigned long long)((u64 *)t.got)[slot]);
			return;
		}
	}
	if (r->fault_addr_valid && r->fault_addr < 0x10000) {
		char field[160];

		if (decoded && fn && reg_value(r, d->mem_base) == 0 &&
		    name_base(fn, r->rip, d->mem_base, d->mem_disp, field, sizeof(field)))
			kprintf("diagnosis: NULL + %#llx: struct walk through %s\n",
				(unsigned long long)r->fault_addr, field);
		else
			kprintf("diagnosis: NULL + %#llx: an access through a NULL struct pointer "
				"(%s)\n", (unsigned long long)r->fault_addr, txt);
		return;
	}
	if (r->fault_addr_valid && r->fault_addr >= stack_lo && r->fault_addr < stack_lo + PAGE_SIZE) {
		kprintf("diagnosis: stack overflow: the blob stack hit its guard page\n");
		return;
	}
	if (r->fault_addr_valid && r->fault_addr >= stack_hi && r->fault_addr < stack_hi + PAGE_SIZE) {
		kprintf("diagnosis: access above the top of the blob stack (its upper guard page): "
			"a buffer in the first blob frame overran upwards, or %%rsp is off\n");
		return;
	}
	if (r->fault_addr_valid && decoded && r->vector == VEC_PF && (r->error_code & 2)) {
		struct blob *b;
		const char *sec;

		if (obj_of(r->fault_addr, &b, &sec) && !strncmp(sec, ".text", 5)) {
			kprintf("diagnosis: write to read-only code (%s)\n", sec);
			return;
		}
	}
}

static bool
diag_hook(struct cpu_regs *r)
{
	struct blob *cur = blob_current();
	struct dis_insn d;
	struct diag_bt bt;
	bool decoded;
	char buf[192];

	if (!cur)
		return false;
	kprintf("fault in blob %s: %s at %s\n", blob_name(cur), cpu_vector_name(r->vector),
		dbg_symbolize(r->rip, buf, sizeof(buf), true) ? buf : ksym_format(r->rip, buf, sizeof(buf)));
	decoded = dbg_readable(r->rip) && dbg_readable(r->rip + 8) && !dis_decode(r->rip, &d);
	if (!decoded)
		memset(&d, 0, sizeof(d));
	kprintf("  instruction: %s\n", decoded ? d.text : "(could not be decoded)");
	if (r->fault_addr_valid)
		kprintf("  fault address %#llx: %s\n", (unsigned long long)r->fault_addr,
			diag_where(r->fault_addr, buf, sizeof(buf)));
	cpu_regs_dump(r);
	kprintf("  backtrace:\n");
	diag_backtrace(r, &bt);
	trace_print_last(8);
	trace_unwound();
	diagnose(r, cur, &d, decoded, &bt);
	if (!recover_current())
		return false;
	recover_redirect(r);
	return true;
}
static struct fault_hook hook = { .order = 20, .fn = diag_hook };

/* __stack_chk_fail and friends arrive through ctx_abort */
static void
diag_abort(const char *why, const void *caller)
{
	struct blob *cur = blob_current();
	char buf[192];

	if (!cur)
		return;
	if (strstr(why, "stack smashing")) {
		const char *s = dbg_symbolize((u64)caller, buf, sizeof(buf), true);

		kprintf("diagnosis: stack smashing: the function that called __stack_chk_fail "
			"(return address %s) overran a local buffer into its canary\n", s ? s : "?");
	}
	trace_print_last(8);
	trace_unwound();
}

static struct ctx_abort_hook abort_hook = { .order = 20, .fn = diag_abort };

static void
diag_init(void)
{
	fault_hook_register(&hook);
	ctx_abort_hook_register(&abort_hook);
}
INITFUNC("40debug", diag_init);

static int
cmd_watchdog(int argc, char **argv)
{
	u64 sec;

	if (argc == 1) {
		kprintf("watchdog: blob calls end after %llu ms\n",
			(unsigned long long)(blob_get_watchdog() / NSEC_PER_MSEC));
		return 0;
	}
	if (argc == 2 && str_ends_with(argv[1], "ms")) {	/* tests want short limits */
		char num[24];
		size_t n = strlen(argv[1]) - 2;

		if (n && n < sizeof(num)) {
			memcpy(num, argv[1], n);
			num[n] = 0;
			if (dbgsh_parse_u64(num, &sec) && sec <= 3600000) {
				blob_set_watchdog(sec * NSEC_PER_MSEC);
				return 0;
			}
		}
	} else if (argc == 2 && dbgsh_parse_u64(argv[1], &sec) && sec <= 3600) {
		blob_set_watchdog(sec * NSEC_PER_SEC);
		return 0;
	}
	kprintf("usage: watchdog [SEC | MSms] (0 = off, at most an hour)\n");
	return 1;
}
DBGSH_COMMAND("watchdog", cmd_watchdog, "time limit of a blob call: watchdog [SEC | MSms] (default 5 s)");
