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
 * out-of-line copy of the original instruction followed by a jmp back.
 *
 * In a protection domain's code (ring 3) both live on the domain's
 * debugger page (domain_debug_page: ring 3 cannot run a supervisor page);
 * int3 reaches the VMM through the #BP gate, whose DPL is 3, and a hook's
 * trampoline reports with the system call BV_SYS_DEBUG_HOOK instead of
 * calling hook_hit (docs/domains.md). */
#include <core/console.h>
#include <core/cpu.h>
#include <core/dbgsh.h>
#include <core/errno.h>
#include <core/fault.h>
#include <core/init.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <debug/debug.h>
#include <domain/abi.h>
#include <domain/domain.h>
#include <loader/blob.h>
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
	struct domain *dom;	/* the domain whose code it is, else NULL */
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

/* A probe's code, built in buf: into the VMM's trampoline page, or a
 * domain's debugger page (a user page: SMAP's window for the copy). */
static int
slot_write(struct probe *pr, const u8 *buf, size_t len)
{
	void *page = (void *)((u64)pr->code & ~(u64)(PAGE_SIZE - 1));

	if (plat_protect(page, PAGE_SIZE, PROT_R | PROT_W))
		return -1;
	if (pr->dom)
		domain_window(true);
	memcpy(pr->code, buf, len);
	if (pr->dom)
		domain_window(false);
	return plat_protect(page, PAGE_SIZE, PROT_R | PROT_X);
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

/* Copy the instructions in [src, src+n) to dst, which will run at run,
 * fixing %rip-relative displacements and rel32 branch targets.  false with
 * *why on refusal. */
static bool
relocate(u64 src, unsigned n, u8 *dst, u64 run, struct refusal *why)
{
	for (unsigned off = 0; off < n; ) {
		struct dis_insn d;
		u64 at = run + off;

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

/* a jmp at *p, which runs at `at' */
static void
emit_jmp(u8 **p, u64 at, u64 to)
{
	s32 rel = (s32)(s64)(to - (at + 5));

	emit(p, "\xe9", 1);
	emit(p, &rel, 4);
}

/* "  stack: w0 w1 ...", stopping at the guard page above the first frame
 * (or after the avail words a domain's hook copied) */
static void
print_stack(const u64 *stack, unsigned n, unsigned avail)
{
	kprintf("  stack:");
	for (unsigned i = 0; i < n; i++) {
		if (avail != ~0u ? i == avail : !dbg_readable((u64)&stack[i])) {
			kprintf(" (top of stack)");
			break;
		}
		kprintf(" %016llx", (unsigned long long)stack[i]);
	}
}

/* saved: rdi rsi rdx rcx r8 r9 rax r10 r11 (pushed in that order), then
 * the return address and the caller's stack */
static void
probe_report(struct probe *pr, const u64 *args, u64 ret, const u64 *stack, unsigned avail)
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
	print_stack(stack, pr->words, avail);
	kprintf("\n");
}

/* Called from a trampoline; saved points at r11 (the last push). */
static void
hook_hit(struct probe *pr, u64 *saved)
{
	u64 args[6] = { saved[8], saved[7], saved[6], saved[5], saved[4], saved[3] };

	probe_report(pr, args, saved[9], saved + 9, ~0u);
}

/* A domain's trampoline, through BV_SYS_DEBUG_HOOK: the same words, copied
 * out of the domain by the dispatcher.  A domain can only report hits of
 * its own hooks. */
static s64
domain_hit(struct domain *d, u64 slot, const u64 *w, unsigned n)
{
	struct probe *pr = slot < NHOOKS ? &probes[slot] : NULL;

	if (!pr || !pr->used || !pr->jump || pr->dom != d || n < 10)
		return -EINVAL;
	probe_report(pr, (const u64[6]){ w[8], w[7], w[6], w[5], w[4], w[3] }, w[9], w + 9, n - 9);
	return 0;
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
	u8 buf[SLOT], *p = buf, jmp[PATCH_BYTES];
	static const u8 save[] = { 0x57, 0x56, 0x52, 0x51, 0x41, 0x50, 0x41, 0x51, 0x50,
				   0x41, 0x52, 0x41, 0x53 };
	static const u8 restore[] = { 0x41, 0x5b, 0x41, 0x5a, 0x58, 0x41, 0x59, 0x41, 0x58,
				      0x59, 0x5a, 0x5e, 0x5f };
	u64 pr_addr = (u64)pr, fn = (u64)hook_hit, run = (u64)pr->code;
	u32 slot = (u32)(pr - probes), nr = BV_SYS_DEBUG_HOOK;
	s32 rel;

	if (!fits32((s64)(run - (pr->addr + 5)))) {
		refuse(why, "the trampoline page is out of reach of a 5-byte jump");
		return false;
	}
	emit(&p, save, sizeof(save));		/* rsp is now 16-aligned */
	emit(&p, "\x48\x89\xe6", 3);		/* mov %rsp, %rsi */
	if (pr->dom) {				/* ring 3: a system call reports */
		emit(&p, "\xbf", 1);		/* mov $slot, %edi */
		emit(&p, &slot, 4);
		emit(&p, "\xb8", 1);		/* mov $BV_SYS_DEBUG_HOOK, %eax */
		emit(&p, &nr, 4);
		emit(&p, "\x0f\x05", 2);	/* syscall (rcx, r11 are saved) */
	} else {
		emit(&p, "\x48\xbf", 2);	/* movabs $pr, %rdi */
		emit(&p, &pr_addr, 8);
		emit(&p, "\x48\xb8", 2);	/* movabs $hook_hit, %rax */
		emit(&p, &fn, 8);
		emit(&p, "\xff\xd0", 2);	/* call *%rax */
	}
	emit(&p, restore, sizeof(restore));
	if (pr->dom)
		domain_window(true);	/* the domain's text is a user page */
	if (!relocate(pr->addr, n, p, run + (u64)(p - buf), why)) {
		if (pr->dom)
			domain_window(false);
		return false;
	}
	if (pr->dom)
		domain_window(false);
	p += n;
	emit_jmp(&p, run + (u64)(p - buf), pr->addr + n);
	if (slot_write(pr, buf, (size_t)(p - buf))) {
		refuse(why, "the trampoline could not be written");
		return false;
	}
	rel = (s32)(s64)(run - (pr->addr + 5));
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
	u8 buf[SLOT], *p = buf;
	u64 run = (u64)pr->code;
	bool ok;

	if (pr->dom)
		domain_window(true);	/* the domain's text is a user page */
	ok = !dis_decode(pr->addr, &d);
	if (!ok)
		refuse(why, "undecodable instruction");
	else
		ok = relocate(pr->addr, d.len, p, run, why);
	if (pr->dom)
		domain_window(false);
	if (!ok)
		return false;
	p += d.len;
	emit_jmp(&p, run + d.len, pr->addr + d.len);
	if (slot_write(pr, buf, (size_t)(p - buf))) {
		refuse(why, "the out-of-line copy could not be written");
		return false;
	}
	pr->patch = patch_add(pr->addr, (const u8 *)"\xcc", 1, pr->is_bp ? "bp" : "hook");
	if (!pr->patch) {
		refuse(why, "the instruction could not be patched");
		return false;
	}
	return true;
}

/* A free probe whose code slot is in the VMM's page, or in the debugger
 * page of the domain that holds addr (NULL with one line on why). */
static struct probe *
probe_new(u64 addr, const char *who)
{
	struct domain *d = domain_at(addr);
	u8 *page = NULL;

	if (d && !(page = domain_debug_page(d, who)))
		return NULL;
	for (unsigned i = 0; i < NHOOKS; i++)
		if (!probes[i].used) {
			memset(&probes[i], 0, sizeof(probes[i]));
			probes[i].dom = d;
			probes[i].code = d ? page + i * SLOT : slot_of(i);
			if (!probes[i].code)
				break;
			return &probes[i];
		}
	kprintf("%s: no free slots\n", who);
	return NULL;
}

void
hook_forget(const struct blob *b)
{
	for (unsigned i = 0; i < NHOOKS; i++)
		if (probes[i].used && dbg_addr_in_blob(b, probes[i].addr))
			probes[i].used = false;
}

/* How many of the n words at sp are the domain's memory (its stack ends at
 * a guard page the VMM could read as any supervisor page). */
static unsigned
domain_words(struct domain *d, u64 sp, unsigned n)
{
	unsigned i = 0;

	while (i < n && domain_at(sp + 8 * i) == d && domain_at(sp + 8 * i + 7) == d)
		i++;
	return i;
}

/* A domain's int3 arrives from ring 3: only its own probes count, and its
 * stack is read inside SMAP's window. */
static bool
bp_hook(struct cpu_regs *r)
{
	struct blob *cur = blob_current();
	struct domain *from = (r->cs & 3) && cur ? blob_domain(cur) : NULL;

	if (r->vector != VEC_BP || ((r->cs & 3) && !from))
		return false;
	for (unsigned i = 0; i < NHOOKS; i++) {
		struct probe *pr = &probes[i];

		if (!pr->used || pr->jump || r->rip - 1 != pr->addr || pr->dom != from)
			continue;
		if (from)
			domain_window(true);
		if (pr->is_bp) {
			pr->hits++;
			if (pr->hits <= pr->report) {
				char sym[128];

				kprintf("breakpoint %s hit %llu (%s)\n", pr->name,
					(unsigned long long)pr->hits,
					dbg_symbolize(pr->addr, sym, sizeof(sym), true) ? sym : "?");
				r->rip = pr->addr;
				cpu_regs_dump(r);
				print_stack((const u64 *)r->rsp, 8,
					    from ? domain_words(from, r->rsp, 8) : ~0u);
				kprintf("\n  backtrace:\n");
				diag_backtrace(r, &(struct diag_bt){ .blob_caller = 0 });
				dis_print(pr->addr, 4, pr->addr);
			}
		} else {
			u64 args[6] = { r->rdi, r->rsi, r->rdx, r->rcx, r->r8, r->r9 };
			unsigned avail = from ? domain_words(from, r->rsp, pr->words + 1) : ~0u;

			probe_report(pr, args, avail ? *(u64 *)r->rsp : 0, (u64 *)r->rsp, avail);
		}
		if (from)
			domain_window(false);
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
	domain_hook_hit = domain_hit;
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
	bool possible;

	if (argc < 2 || argc > 4 || (argc > 2 && !dbgsh_parse_u64(argv[2], &report)) ||
	    (argc > 3 && (!dbgsh_parse_u64(argv[3], &words) || words > 32))) {
		kprintf("usage: hook SYM [K (calls to dump, default 3)] [N (stack words, default 4)]\n");
		return 1;
	}
	if (!dbg_parse_addr(argv[1], &addr) || dis_init())
		return 1;
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
	if (!(pr = probe_new(addr, "hook")))
		return 1;
	pr->addr = addr;
	pr->report = report;
	pr->words = (unsigned)words;
	snprintf(pr->name, sizeof(pr->name), "%s", argv[1]);
	if (pr->dom)
		domain_window(true);	/* decoding reads the domain's text */
	possible = jump_possible(addr, size, &n, &why);
	if (pr->dom)
		domain_window(false);
	if (possible && build_jump_hook(pr, n, &why)) {
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
	if (probe_at(addr)) {
		kprintf("bp: %s: already a breakpoint or hook\n", argv[1]);
		return 1;
	}
	if (!(pr = probe_new(addr, "bp")))
		return 1;
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
