/* Function-entry hooks and int3 breakpoints.
 *
 * hook SYM: the first >= 5 bytes of the function are replaced by a jmp to
 * a trampoline that saves the argument registers, calls hook_hit() (count,
 * dump registers and stack words), restores them, runs the relocated
 * original instructions (%rip-relative displacements and rel32 branches
 * fixed up) and jumps back behind the overwritten bytes.  Refused, with the
 * reason, when the function is shorter than the jump or when a branch in it
 * targets the overwritten bytes (kprobes'/optprobes' checks); then an int3
 * breakpoint does the same job.
 *
 * bp ADDR: int3; on the hit the fault hook reports and resumes in an
 * out-of-line copy of the original instruction followed by a jmp back. */
#include <core/console.h>
#include <core/cpu.h>
#include <core/dbgsh.h>
#include <core/fault.h>
#include <core/init.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <debug/debug.h>
#include "diag.h"
#include "patch.h"
#include <loader/elf.h>
#include <loader/introspect.h>

#define SLOT 128		/* bytes of trampoline per hook or breakpoint */
#define NSLOTS (PAGE_SIZE / SLOT)
#define NHOOKS 32

struct probe {
	u64 addr;
	char name[64];
	bool used, is_bp, jump;
	u64 hits, report;	/* hits so far; report the first `report' */
	unsigned words;		/* stack words to dump */
	u8 *code;		/* trampoline or out-of-line slot */
	struct patch *patch;
};

static struct probe probes[NHOOKS];
static u8 *tramp_page;

static u8 *
slot_of(unsigned i)
{
	if (!tramp_page) {
		tramp_page = pages_alloc(NHOOKS * SLOT / PAGE_SIZE);
		if (!tramp_page)
			return NULL;
	}
	return tramp_page + i * SLOT;
}

static int
tramp_protect(int prot)
{
	return plat_protect(tramp_page, NHOOKS * SLOT, prot);
}

static bool
fits32(s64 v)
{
	return v >= -0x80000000LL && v <= 0x7fffffffLL;
}

/* Why a jump hook or int3 was refused, written by the function that
 * refuses (the caller owns the storage). */
struct refusal {
	char msg[128];
};

static void __printf(2, 3)
refuse(struct refusal *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why->msg, sizeof(why->msg), fmt, ap);
	va_end(ap);
}

/* Copy the instructions in [src, src+n) to dst, fixing %rip-relative
 * displacements and rel32 branch targets.  false with *why on refusal. */
static bool
relocate(u64 src, unsigned n, u8 *dst, struct refusal *why)
{
	for (unsigned off = 0; off < n; ) {
		struct dis_insn d;
		u64 at = (u64)dst + off;

		if (dis_decode(src + off, &d)) {
			refuse(why, "an instruction in the overwritten bytes cannot be decoded");
			return false;
		}
		memcpy(dst + off, (const void *)(src + off), d.len);
		if (d.relative) {
			s64 nv = (s64)(d.target - (at + d.len));

			if (d.imm_size != 4 || !fits32(nv)) {
				refuse(why, "a short relative branch in the overwritten bytes");
				return false;
			}
			memcpy(dst + off + d.imm_off, &(s32){ (s32)nv }, 4);
		}
		if (d.riprel) {
			s64 nv = (s64)(d.mem - (at + d.len));

			if (d.disp_size != 4 || !fits32(nv)) {
				refuse(why, "a %%rip-relative operand out of reach of the trampoline");
				return false;
			}
			memcpy(dst + off + d.disp_off, &(s32){ (s32)nv }, 4);
		}
		off += d.len;
	}
	return true;
}

static void
emit(u8 **p, const void *b, size_t n)
{
	memcpy(*p, b, n);
	*p += n;
}

static void
emit_jmp(u8 **p, u64 to)
{
	s32 rel = (s32)(s64)(to - ((u64)*p + 5));

	emit(p, "\xe9", 1);
	emit(p, &rel, 4);
}

/* "  stack: w0 w1 ...", stopping at the guard page above the first frame */
static void
print_stack(const u64 *stack, unsigned n)
{
	kprintf("  stack:");
	for (unsigned i = 0; i < n; i++) {
		if (!dbg_readable((u64)&stack[i])) {
			kprintf(" (top of stack)");
			break;
		}
		kprintf(" %016llx", (unsigned long long)stack[i]);
	}
}

/* saved: rdi rsi rdx rcx r8 r9 rax r10 r11 (pushed in that order), then
 * the return address and the caller's stack */
static void
probe_report(struct probe *pr, const u64 *args, u64 ret, const u64 *stack)
{
	char sym[128];

	pr->hits++;
	if (pr->hits > pr->report)
		return;
	kprintf("hook %s: call %llu from %s\n", pr->name, (unsigned long long)pr->hits,
		dbg_symbolize(ret, sym, sizeof(sym), true) ? sym : "?");
	kprintf("  rdi %016llx rsi %016llx rdx %016llx\n  rcx %016llx r8  %016llx r9  %016llx\n",
		(unsigned long long)args[0], (unsigned long long)args[1],
		(unsigned long long)args[2], (unsigned long long)args[3],
		(unsigned long long)args[4], (unsigned long long)args[5]);
	print_stack(stack, pr->words);
	kprintf("\n");
}

/* Called from a trampoline; saved points at r11 (the last push). */
static void
hook_hit(struct probe *pr, u64 *saved)
{
	u64 args[6] = { saved[8], saved[7], saved[6], saved[5], saved[4], saved[3] };

	probe_report(pr, args, saved[9], saved + 9);
}

/* The kprobes/optprobes checks; *n gets the bytes to relocate. */
static bool
jump_possible(u64 fn, u64 size, unsigned *n, struct refusal *why)
{
	struct dis_insn d;
	unsigned cov = 0;

	while (cov < 5) {
		if (cov >= size) {
			refuse(why, "the function is shorter than the 5-byte jump");
			return false;
		}
		if (dis_decode(fn + cov, &d)) {
			refuse(why, "undecodable instruction at the entry");
			return false;
		}
		if ((d.ret || d.jump) && cov + d.len < 5) {
			refuse(why, "the function ends (ret/jmp) inside the first 5 bytes");
			return false;
		}
		cov += d.len;
	}
	if (cov > size) {
		refuse(why, "the function is shorter than the 5-byte jump");
		return false;
	}
	/* no branch anywhere in the function may land in (fn, fn+cov) */
	for (u64 pc = fn; pc < fn + size; pc += d.len) {
		if (dis_decode(pc, &d))
			break;
		if (d.jump && !d.relative && !d.riprel) {
			/* a jump table could lead anywhere, the overwritten bytes too
			 * (a %rip-relative one is a tail call through the GOT) */
			refuse(why, "the indirect jump at +%#llx could land inside the "
			       "overwritten bytes", (unsigned long long)(pc - fn));
			return false;
		}
		if (d.relative && d.target > fn && d.target < fn + cov) {
			refuse(why, "the branch at +%#llx targets +%#llx, inside the "
			       "overwritten bytes", (unsigned long long)(pc - fn),
			       (unsigned long long)(d.target - fn));
			return false;
		}
	}
	*n = cov;
	return true;
}

static bool
build_jump_hook(struct probe *pr, unsigned n, struct refusal *why)
{
	u8 *p = pr->code, jmp[PATCH_BYTES];
	static const u8 save[] = { 0x57, 0x56, 0x52, 0x51, 0x41, 0x50, 0x41, 0x51, 0x50,
				   0x41, 0x52, 0x41, 0x53 };
	static const u8 restore[] = { 0x41, 0x5b, 0x41, 0x5a, 0x58, 0x41, 0x59, 0x41, 0x58,
				      0x59, 0x5a, 0x5e, 0x5f };
	u64 pr_addr = (u64)pr, fn = (u64)hook_hit;
	s32 rel;

	tramp_protect(PROT_R | PROT_W);
	emit(&p, save, sizeof(save));		/* rsp is now 16-aligned */
	emit(&p, "\x48\x89\xe6", 3);		/* mov %rsp, %rsi */
	emit(&p, "\x48\xbf", 2);		/* movabs $pr, %rdi */
	emit(&p, &pr_addr, 8);
	emit(&p, "\x48\xb8", 2);		/* movabs $hook_hit, %rax */
	emit(&p, &fn, 8);
	emit(&p, "\xff\xd0", 2);		/* call *%rax */
	emit(&p, restore, sizeof(restore));
	if (!relocate(pr->addr, n, p, why)) {
		tramp_protect(PROT_R | PROT_X);
		return false;
	}
	p += n;
	emit_jmp(&p, pr->addr + n);
	tramp_protect(PROT_R | PROT_X);
	rel = (s32)(s64)((u64)pr->code - (pr->addr + 5));
	jmp[0] = 0xe9;
	memcpy(jmp + 1, &rel, 4);
	memset(jmp + 5, 0xcc, n - 5);		/* never executed: nothing branches there */
	pr->patch = patch_add(pr->addr, jmp, n, "hook");
	if (!pr->patch) {
		refuse(why, "the entry could not be patched");
		return false;
	}
	pr->jump = true;
	return true;
}

/* int3 at addr; the out-of-line copy of its instruction then a jmp back */
static bool
build_int3(struct probe *pr, struct refusal *why)
{
	struct dis_insn d;
	u8 *p = pr->code;

	if (dis_decode(pr->addr, &d)) {
		refuse(why, "undecodable instruction");
		return false;
	}
	tramp_protect(PROT_R | PROT_W);
	if (!relocate(pr->addr, d.len, p, why)) {
		tramp_protect(PROT_R | PROT_X);
		return false;
	}
	p += d.len;
	emit_jmp(&p, pr->addr + d.len);
	tramp_protect(PROT_R | PROT_X);
	pr->patch = patch_add(pr->addr, (const u8 *)"\xcc", 1, pr->is_bp ? "bp" : "hook");
	if (!pr->patch) {
		refuse(why, "the instruction could not be patched");
		return false;
	}
	return true;
}

static struct probe *
probe_new(void)
{
	for (unsigned i = 0; i < NHOOKS; i++)
		if (!probes[i].used) {
			memset(&probes[i], 0, sizeof(probes[i]));
			probes[i].code = slot_of(i);
			if (!probes[i].code)
				return NULL;
			return &probes[i];
		}
	return NULL;
}

void
hook_forget(const struct blob *b)
{
	for (unsigned i = 0; i < NHOOKS; i++)
		if (probes[i].used && dbg_addr_in_blob(b, probes[i].addr))
			probes[i].used = false;
}

static bool
bp_hook(struct cpu_regs *r)
{
	if (r->vector != VEC_BP)
		return false;
	for (unsigned i = 0; i < NHOOKS; i++) {
		struct probe *pr = &probes[i];

		if (!pr->used || pr->jump || r->rip - 1 != pr->addr)
			continue;
		if (pr->is_bp) {
			pr->hits++;
			if (pr->hits <= pr->report) {
				char sym[128];

				kprintf("breakpoint %s hit %llu (%s)\n", pr->name,
					(unsigned long long)pr->hits,
					dbg_symbolize(pr->addr, sym, sizeof(sym), true) ? sym : "?");
				r->rip = pr->addr;
				cpu_regs_dump(r);
				print_stack((const u64 *)r->rsp, 8);
				kprintf("\n  backtrace:\n");
				diag_backtrace(r, &(struct diag_bt){ .blob_caller = 0 });
				dis_print(pr->addr, 4, pr->addr);
			}
		} else {
			u64 args[6] = { r->rdi, r->rsi, r->rdx, r->rcx, r->r8, r->r9 };

			probe_report(pr, args, *(u64 *)r->rsp, (u64 *)r->rsp);
		}
		r->rip = (u64)pr->code;		/* the original instruction, out of line */
		return true;
	}
	return false;
}
static struct fault_hook bphook = { .order = 5, .fn = bp_hook };

static void
hook_init(void)
{
	fault_hook_register(&bphook);
}
INITFUNC("41debug-hook", hook_init);

static struct probe *
probe_at(u64 addr)
{
	for (unsigned i = 0; i < NHOOKS; i++)
		if (probes[i].used && probes[i].addr == addr)
			return &probes[i];
	return NULL;
}

static u64
function_size(const char *name, u64 addr)
{
	struct blob_symbol s;

	for (struct blob *b = blob_first(); b; b = blob_next(b))
		if (blob_symbol_lookup(b, name, &s) && s.addr == addr && s.type == STT_FUNC)
			return s.size;
	return 0;
}

static int
cmd_hook(int argc, char **argv)
{
	u64 addr, size, report = 3, words = 4;
	struct probe *pr;
	struct refusal why = { "" };
	const char *text_why;
	unsigned n;

	if (argc < 2 || argc > 4 || (argc > 2 && !dbgsh_parse_u64(argv[2], &report)) ||
	    (argc > 3 && (!dbgsh_parse_u64(argv[3], &words) || words > 32))) {
		kprintf("usage: hook SYM [K (calls to dump, default 3)] [N (stack words, default 4)]\n");
		return 1;
	}
	if (!dbg_parse_addr(argv[1], &addr) || dis_init())
		return 1;
	if (dbg_domain_of(addr)) {
		kprintf("hook: %s: code of the protection domain %s (ring 3): hooks there are not "
			"supported yet (docs/domains.md)\n", argv[1], dbg_domain_of(addr));
		return 1;
	}
	if (probe_at(addr)) {
		kprintf("hook: %s: already hooked or a breakpoint\n", argv[1]);
		return 1;
	}
	if (!(size = function_size(argv[1], addr))) {
		kprintf("hook: %s: not a function symbol of a loaded blob\n", argv[1]);
		return 1;
	}
	if ((text_why = dbg_text_refusal(addr, 1))) {
		kprintf("hook: %s: %s\n", argv[1], text_why);
		return 1;
	}
	if (!(pr = probe_new())) {
		kprintf("hook: no free hook slots\n");
		return 1;
	}
	pr->addr = addr;
	pr->report = report;
	pr->words = (unsigned)words;
	snprintf(pr->name, sizeof(pr->name), "%s", argv[1]);
	if (jump_possible(addr, size, &n, &why) && build_jump_hook(pr, n, &why)) {
		pr->used = true;
		kprintf("hook %s: jump to trampoline at %p (%u bytes relocated)\n", argv[1],
			pr->code, n);
		return 0;
	}
	kprintf("hook %s: jump refused: %s; using int3\n", argv[1], why.msg);
	if (!build_int3(pr, &why)) {
		kprintf("hook %s: int3 refused too: %s\n", argv[1], why.msg);
		return 1;
	}
	pr->used = true;
	kprintf("hook %s: int3 at %#llx\n", argv[1], (unsigned long long)addr);
	return 0;
}
DBGSH_COMMAND("hook", cmd_hook, "count and dump calls of a blob function: hook SYM [K] [N]");

static int
cmd_hook_list(int argc, char **argv)
{
	for (unsigned i = 0; i < NHOOKS; i++)
		if (probes[i].used)
			kprintf("%-24s %016llx %-5s %s %llu hits\n", probes[i].name,
				(unsigned long long)probes[i].addr, probes[i].is_bp ? "bp" : "hook",
				probes[i].jump ? "jump" : "int3", (unsigned long long)probes[i].hits);
	return 0;
}
DBGSH_COMMAND("hook list", cmd_hook_list, "hooks and breakpoints with their hit counts");

static int
probe_del(struct probe *pr)
{
	if (patch_remove(pr->patch))
		return -1;
	pr->used = false;
	return 0;
}

static int
cmd_unhook(int argc, char **argv)
{
	u64 addr;
	struct probe *pr;

	if (argc != 2) {
		kprintf("usage: unhook SYM\n");
		return 1;
	}
	if (!dbg_parse_addr(argv[1], &addr))
		return 1;
	if (!(pr = probe_at(addr)) || pr->is_bp) {
		kprintf("unhook: %s: not hooked\n", argv[1]);
		return 1;
	}
	kprintf("unhook %s: %llu calls\n", argv[1], (unsigned long long)pr->hits);
	return probe_del(pr) ? 1 : 0;
}
DBGSH_COMMAND("unhook", cmd_unhook, "remove a hook, restoring the original bytes: unhook SYM");

static int
cmd_bp(int argc, char **argv)
{
	u64 addr, count = ~0ULL;
	struct probe *pr;
	struct refusal why = { "" };
	const char *text_why;

	if (argc < 2 || argc > 3 || (argc == 3 && !dbgsh_parse_u64(argv[2], &count))) {
		kprintf("usage: bp SYM+OFF|ADDR [COUNT]   bp list   bp del ADDR|all\n");
		return 1;
	}
	if (!dbg_parse_addr(argv[1], &addr) || dis_init())
		return 1;
	if ((text_why = dbg_text_refusal(addr, 1))) {
		kprintf("bp: %s: %s\n", argv[1], text_why);
		return 1;
	}
	if (dbg_domain_of(addr)) {
		kprintf("bp: %s: code of the protection domain %s (ring 3): breakpoints there are "
			"not supported yet (docs/domains.md)\n", argv[1], dbg_domain_of(addr));
		return 1;
	}
	if (probe_at(addr)) {
		kprintf("bp: %s: already a breakpoint or hook\n", argv[1]);
		return 1;
	}
	if (!(pr = probe_new())) {
		kprintf("bp: no free slots\n");
		return 1;
	}
	pr->addr = addr;
	pr->is_bp = true;
	pr->report = count;
	snprintf(pr->name, sizeof(pr->name), "%s", argv[1]);
	if (!build_int3(pr, &why)) {
		kprintf("bp: %s: %s\n", argv[1], why.msg);
		return 1;
	}
	pr->used = true;
	kprintf("breakpoint at %#llx (%s)\n", (unsigned long long)addr, argv[1]);
	return 0;
}
DBGSH_COMMAND("bp", cmd_bp, "int3 breakpoint: bp SYM+OFF|ADDR [COUNT (hits to report)]");

static int
cmd_bp_list(int argc, char **argv)
{
	char sym[128];

	for (unsigned i = 0; i < NHOOKS; i++)
		if (probes[i].used && probes[i].is_bp)
			kprintf("%016llx %-24s %llu hits\n", (unsigned long long)probes[i].addr,
				dbg_symbolize(probes[i].addr, sym, sizeof(sym), false) ? sym : "?",
				(unsigned long long)probes[i].hits);
	return 0;
}
DBGSH_COMMAND("bp list", cmd_bp_list, "list breakpoints");

static int
cmd_bp_del(int argc, char **argv)
{
	u64 addr;
	struct probe *pr;

	if (argc != 2) {
		kprintf("usage: bp del ADDR|SYM+OFF|all\n");
		return 1;
	}
	if (!strcmp(argv[1], "all")) {
		for (unsigned i = 0; i < NHOOKS; i++)
			if (probes[i].used && probes[i].is_bp && probe_del(&probes[i]))
				return 1;
		return 0;
	}
	if (!dbg_parse_addr(argv[1], &addr))
		return 1;
	if (!(pr = probe_at(addr)) || !pr->is_bp) {
		kprintf("bp del: %s: no breakpoint there\n", argv[1]);
		return 1;
	}
	return probe_del(pr) ? 1 : 0;
}
DBGSH_COMMAND("bp del", cmd_bp_del, "delete a breakpoint: bp del ADDR|SYM+OFF|all");
