/* Disassembly with Zydis — Debian's libZydis.so.4.0 loaded into the core by
 * blobvisor's own loader on first use (on bare metal the .so arrives as a
 * multiboot module and plat_file_read finds it the same way).  Its headers
 * are compiled here with ZYAN_NO_LIBC through a directory that holds only
 * Zydis/ and Zycore/ (see debug/module.mk), so no glibc header gets in.
 *
 * The core calls Zydis directly through blob_lookup'd pointers rather than
 * through blob_call: the fault diagnosis disassembles from inside a fault
 * hook, where starting another recovered blob call is not possible, and
 * ZydisFormatterFormatInstruction takes eight arguments.  Zydis needs no
 * TCB beyond the stack-protector canary at %fs:0x28, so each call runs with
 * FS base pointed at the blob runtime's TCB and restored afterwards.  It
 * allocates nothing and keeps no state outside the decoder and formatter
 * structures below. */
#include <Zydis/Zydis.h>
#include <core/console.h>
#include <core/platform.h>
#include <core/string.h>
#include <debug/debug.h>
#include <loader/blob.h>
#include <loader/introspect.h>

const char *dis_zydis_path = "/usr/lib/x86_64-linux-gnu/libZydis.so.4.0";

static struct {
	bool tried, ok;
	struct blob *blob;
	ZydisDecoder dec;
	ZydisFormatter fmt;
	typeof(ZydisDecoderInit) *decoder_init;
	typeof(ZydisFormatterInit) *formatter_init;
	typeof(ZydisFormatterSetProperty) *set_property;
	typeof(ZydisDecoderDecodeFull) *decode;
	typeof(ZydisFormatterFormatInstruction) *format;
	typeof(ZydisCalcAbsoluteAddress) *absolute;
} zy;

/* Core code runs with FS base at the thread's TCB already (loader/exec.c);
 * a fault diagnosis in a --no-tcb or domain call does not. */
static u64
zy_enter(void)
{
	u64 prev = plat_get_fs_base(), tcb = blob_tcb_address();

	if (tcb && prev != tcb)
		plat_set_fs_base(tcb);
	return prev;
}

static void
zy_leave(u64 prev)
{
	u64 tcb = blob_tcb_address();

	if (tcb && prev != tcb)
		plat_set_fs_base(prev);
}

static bool
need(const char *name, void *slot)
{
	bool found = false;
	u64 a = blob_lookup(zy.blob, name, &found);

	if (!found) {
		kprintf("dis: %s: no symbol `%s'\n", dis_zydis_path, name);
		return false;
	}
	*(u64 *)slot = a;
	return true;
}

void
dis_forget(const struct blob *b)
{
	if (b == zy.blob)
		memset(&zy, 0, sizeof(zy));	/* loaded again on next use */
}

bool
dis_is_zydis(const struct blob *b)
{
	return b && b == zy.blob;
}

int
dis_init(void)
{
	const char *paths[1] = { dis_zydis_path };
	const char *base = strrchr(dis_zydis_path, '/');
	u64 fs;
	ZyanStatus s1, s2, s3, s4;

	if (zy.tried)
		return zy.ok ? 0 : -1;
	zy.tried = true;
	base = base ? base + 1 : dis_zydis_path;
	zy.blob = blob_find(base);
	if (!zy.blob)
		zy.blob = blob_load_files(paths, 1, BLOB_QUIET);
	if (!zy.blob) {
		kprintf("dis: could not load Zydis from %s\n", dis_zydis_path);
		return -1;
	}
	if (!need("ZydisDecoderInit", &zy.decoder_init) ||
	    !need("ZydisFormatterInit", &zy.formatter_init) ||
	    !need("ZydisFormatterSetProperty", &zy.set_property) ||
	    !need("ZydisDecoderDecodeFull", &zy.decode) ||
	    !need("ZydisFormatterFormatInstruction", &zy.format) ||
	    !need("ZydisCalcAbsoluteAddress", &zy.absolute))
		return -1;
	fs = zy_enter();
	s1 = zy.decoder_init(&zy.dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
	s2 = zy.formatter_init(&zy.fmt, ZYDIS_FORMATTER_STYLE_ATT);
	s3 = zy.set_property(&zy.fmt, ZYDIS_FORMATTER_PROP_HEX_UPPERCASE, ZYAN_FALSE);
	s4 = zy.set_property(&zy.fmt, ZYDIS_FORMATTER_PROP_FORCE_RELATIVE_RIPREL, ZYAN_FALSE);
	/* objdump-like: no zero padding, so targets can be found and named */
	if (ZYAN_SUCCESS(s4))
		s4 = zy.set_property(&zy.fmt, ZYDIS_FORMATTER_PROP_ADDR_PADDING_ABSOLUTE,
				     ZYDIS_PADDING_DISABLED);
	if (ZYAN_SUCCESS(s4))
		s4 = zy.set_property(&zy.fmt, ZYDIS_FORMATTER_PROP_DISP_PADDING, ZYDIS_PADDING_DISABLED);
	if (ZYAN_SUCCESS(s4))
		s4 = zy.set_property(&zy.fmt, ZYDIS_FORMATTER_PROP_IMM_PADDING, ZYDIS_PADDING_DISABLED);
	zy_leave(fs);
	if (!ZYAN_SUCCESS(s1) || !ZYAN_SUCCESS(s2) || !ZYAN_SUCCESS(s3) || !ZYAN_SUCCESS(s4)) {
		kprintf("dis: Zydis initialisation failed (%#x %#x %#x %#x)\n", s1, s2, s3, s4);
		return -1;
	}
	zy.ok = true;
	return 0;
}

/* Replace the first "0x<hex of addr>" in text by its symbol. */
static void
replace_hex(char *text, size_t size, u64 addr, const char *sym)
{
	char hex[24], tmp[sizeof(((struct dis_insn *)0)->text)];
	char *p;
	size_t hl;

	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)addr);
	p = strstr(text, hex);
	hl = strlen(hex);
	if (!p || (p[hl] >= '0' && p[hl] <= '9') || (p[hl] >= 'a' && p[hl] <= 'f'))
		return;
	snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int)(p - text), text, sym, p + hl);
	snprintf(text, size, "%s", tmp);
}

static int nesting;

/* A call into a PLT: the loader's stubs (movabs $S, %r11; jmp *%r11) or a
 * shared object's own (jmp *slot(%rip)) -> "name@plt". */
static bool
plt_name(u64 target, char *buf, size_t size)
{
	char sym[112];
	struct dis_insn j;
	u64 dest = 0;

	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		struct blob_tables t;

		blob_tables(b, &t);
		if (t.nplt && target >= t.plt && target < t.plt + (u64)t.plt_stub * t.nplt &&
		    !((target - t.plt) % t.plt_stub))
			dest = *(const u64 *)(target + 2);
	}
	if (!dest && !nesting && dbg_readable(target)) {
		nesting++;
		if (!dis_decode(target, &j) && j.jump && j.riprel && dbg_readable(j.mem))
			dest = *(const u64 *)j.mem;
		nesting--;
	}
	if (!dest || !dbg_symbolize(dest, sym, sizeof(sym), false))
		return false;
	snprintf(buf, size, "%s@plt", sym);
	return true;
}

static void
annotate(struct dis_insn *d)
{
	char sym[128], slot[128];
	size_t n = strlen(d->text);

	if (d->relative && (d->call || d->jump) && plt_name(d->target, sym, sizeof(sym))) {
		replace_hex(d->text, sizeof(d->text), d->target, sym);
		return;
	}
	if (d->relative && dbg_symbolize(d->target, sym, sizeof(sym), false)) {
		replace_hex(d->text, sizeof(d->text), d->target, sym);
		return;
	}
	if (!d->riprel)
		return;
	/* an indirect call/jmp through a GOT slot: name what the slot holds */
	if ((d->call || d->jump) && dbg_readable(d->mem) &&
	    dbg_symbolize(*(u64 *)d->mem, slot, sizeof(slot), false)) {
		snprintf(d->text + n, sizeof(d->text) - n, "  # GOT -> %s", slot);
		return;
	}
	if (dbg_symbolize(d->mem, sym, sizeof(sym), false))
		snprintf(d->text + n, sizeof(d->text) - n, "  # %s", sym);
}

/* Zydis register -> struct cpu_regs index (any width), -1 if not a GPR */
static int
reg_index(ZydisRegister r)
{
	/* encoding order rax rcx rdx rbx rsp rbp rsi rdi -> cpu_regs order */
	static const s8 map[16] = { 0, 2, 3, 1, 7, 6, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15 };

	if (r >= ZYDIS_REGISTER_RAX && r <= ZYDIS_REGISTER_R15)
		return map[r - ZYDIS_REGISTER_RAX];
	if (r >= ZYDIS_REGISTER_EAX && r <= ZYDIS_REGISTER_R15D)
		return map[r - ZYDIS_REGISTER_EAX];
	return -1;
}

int
dis_decode(u64 addr, struct dis_insn *d)
{
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	ZyanStatus st;
	u64 fs;
	u8 bytes[15];
	const char *kind;

	memset(d, 0, sizeof(*d));
	d->addr = addr;
	d->dst = d->mem_base = -1;
	if (dis_init())
		return -1;
	memcpy(bytes, (const void *)addr, sizeof(bytes));
	kind = patch_show_original(addr, bytes, sizeof(bytes));
	fs = zy_enter();
	st = zy.decode(&zy.dec, bytes, sizeof(bytes), &in, ops);
	if (ZYAN_SUCCESS(st))
		st = zy.format(&zy.fmt, &in, ops, in.operand_count_visible, d->text,
			       sizeof(d->text), addr, NULL);
	if (ZYAN_SUCCESS(st)) {
		d->len = in.length;
		d->call = in.meta.category == ZYDIS_CATEGORY_CALL;
		d->jump = in.meta.category == ZYDIS_CATEGORY_UNCOND_BR;
		d->cond = in.meta.category == ZYDIS_CATEGORY_COND_BR;
		d->ret = in.meta.category == ZYDIS_CATEGORY_RET;
		for (unsigned i = 0; i < in.operand_count_visible; i++) {
			u64 abs;

			if (ops[i].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && ops[i].imm.is_relative &&
			    ZYAN_SUCCESS(zy.absolute(&in, &ops[i], addr, &abs))) {
				d->relative = true;
				d->target = abs;
			}
			if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY &&
			    ops[i].mem.base == ZYDIS_REGISTER_RIP &&
			    ZYAN_SUCCESS(zy.absolute(&in, &ops[i], addr, &abs))) {
				d->riprel = true;
				d->mem = abs;
			}
		}
		d->is_mov = in.mnemonic == ZYDIS_MNEMONIC_MOV || in.mnemonic == ZYDIS_MNEMONIC_MOVZX ||
			    in.mnemonic == ZYDIS_MNEMONIC_MOVSX || in.mnemonic == ZYDIS_MNEMONIC_MOVSXD;
		if (in.operand_count_visible && ops[0].type == ZYDIS_OPERAND_TYPE_REGISTER)
			d->dst = reg_index(ops[0].reg.value);
		for (unsigned i = 0; i < in.operand_count_visible; i++)
			if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY) {
				d->mem_base = reg_index(ops[i].mem.base);
				d->mem_disp = ops[i].mem.disp.value;
			}
		d->disp_off = in.raw.disp.offset;
		d->disp_size = in.raw.disp.size / 8;
		for (unsigned i = 0; i < 2; i++)
			if (in.raw.imm[i].is_relative) {
				d->imm_off = in.raw.imm[i].offset;
				d->imm_size = in.raw.imm[i].size / 8;
			}
	}
	zy_leave(fs);
	if (!ZYAN_SUCCESS(st)) {
		snprintf(d->text, sizeof(d->text), "(bad)");
		d->len = 1;
		return -1;
	}
	annotate(d);
	if (kind) {
		size_t n = strlen(d->text);

		snprintf(d->text + n, sizeof(d->text) - n, "   [%s]", kind);
	}
	return 0;
}

void
dis_print(u64 addr, unsigned n, u64 mark)
{
	char sym[128];
	struct dis_insn d;

	for (unsigned i = 0; i < n; i++) {
		const char *s = dbg_symbolize(addr, sym, sizeof(sym), false);
		int rc = dis_decode(addr, &d);

		if (rc && !zy.ok)
			return;
		kprintf("%s%016llx <%s>: ", addr == mark ? "=> " : "   ", (unsigned long long)addr,
			s ? s : "?");
		u8 b[8];

		memcpy(b, (const void *)addr, sizeof(b));
		patch_show_original(addr, b, sizeof(b));
		for (unsigned k = 0; k < 8; k++)
			if (k < d.len)
				kprintf("%02x ", b[k]);
			else
				kprintf("   ");
		kprintf(" %s\n", d.text);
		addr += d.len;
	}
}
