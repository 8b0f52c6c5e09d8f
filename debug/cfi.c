/* A small call-frame-information interpreter over a blob's .eh_frame: finds
 * the FDE for a pc, runs the CIE's and FDE's DW_CFA programs up to it and
 * recovers the caller's CFA, return address and callee-saved registers.
 * Written from the DWARF 4 specification and the x86-64 psABI (register
 * numbers 0-16: rax rdx rcx rbx rsi rdi rbp rsp r8-r15, 16 = return address).
 * Every read goes through a bounds check: .eh_frame bytes against their
 * section, stack words against the blob stack. */
#include <core/platform.h>
#include <core/string.h>
#include <loader/introspect.h>
#include "cfi.h"

enum { R_UNDEF, R_SAME, R_OFFSET, R_VALOFF, R_REG };

struct rule {
	u8 kind;
	s64 val;
};

struct cfa_state {
	u64 cfa_reg;
	s64 cfa_off;
	bool cfa_expr;
	struct rule r[CFI_NREGS];
};

struct cursor {
	const u8 *p, *end;
	bool bad;
};

static u64
uleb(struct cursor *c)
{
	u64 v = 0;
	unsigned shift = 0;

	while (c->p < c->end) {
		u8 b = *c->p++;

		if (shift < 64)
			v |= (u64)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

static s64
sleb(struct cursor *c)
{
	s64 v = 0;
	unsigned shift = 0;
	u8 b = 0;

	while (c->p < c->end) {
		b = *c->p++;
		if (shift < 64)
			v |= (s64)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				v |= -((s64)1 << shift);
			return v;
		}
	}
	c->bad = true;
	return 0;
}

static u64
fixed(struct cursor *c, unsigned n)
{
	u64 v = 0;

	if ((size_t)(c->end - c->p) < n) {
		c->bad = true;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v |= (u64)c->p[i] << (8 * i);
	c->p += n;
	return v;
}

/* DW_EH_PE_* pointer encodings */
static u64
encoded(struct cursor *c, u8 enc)
{
	u64 at = (u64)c->p, v;

	if (enc == 0xff)
		return 0;
	switch (enc & 0x0f) {
	case 0x00: v = fixed(c, 8); break;
	case 0x01: v = uleb(c); break;
	case 0x02: v = fixed(c, 2); break;
	case 0x03: v = fixed(c, 4); break;
	case 0x04: v = fixed(c, 8); break;
	case 0x09: v = (u64)sleb(c); break;
	case 0x0a: v = (u64)(s64)(s16)fixed(c, 2); break;
	case 0x0b: v = (u64)(s64)(s32)fixed(c, 4); break;
	case 0x0c: v = fixed(c, 8); break;
	default: c->bad = true; return 0;
	}
	if ((enc & 0x70) == 0x10)
		v += at;
	else if (enc & 0x70)
		c->bad = true;	/* textrel/datarel/funcrel: not produced for x86-64 */
	return v;
}

struct cie {
	u64 caf;
	s64 daf;
	u64 ra;
	u8 fde_enc;
	bool aug_z;
	const u8 *insns, *insns_end;
};

static bool
parse_cie(const u8 *p, const u8 *end, struct cie *ci)
{
	struct cursor c = { p, end, false };
	u32 len = (u32)fixed(&c, 4);
	const u8 *aug;
	u8 version;

	if (len == 0xffffffff || len > (size_t)(end - c.p))
		return false;
	c.end = c.p + len;
	if (fixed(&c, 4) != 0)
		return false;
	version = (u8)fixed(&c, 1);
	aug = c.p;
	while (c.p < c.end && *c.p)
		c.p++;
	if (c.p >= c.end)
		return false;
	c.p++;
	ci->caf = uleb(&c);
	ci->daf = sleb(&c);
	ci->ra = version == 1 ? fixed(&c, 1) : uleb(&c);
	ci->fde_enc = 0;
	ci->aug_z = aug[0] == 'z';
	if (ci->aug_z) {
		u64 alen = uleb(&c);
		const u8 *after = c.p + alen;

		for (const u8 *a = aug + 1; *a && !c.bad; a++) {
			if (*a == 'R')
				ci->fde_enc = (u8)fixed(&c, 1);
			else if (*a == 'P')
				encoded(&c, (u8)fixed(&c, 1));
			else if (*a == 'L')
				fixed(&c, 1);
			else if (*a != 'S')
				break;
		}
		if (after > c.end)
			return false;
		c.p = after;
	}
	ci->insns = c.p;
	ci->insns_end = c.end;
	return !c.bad && ci->ra < CFI_NREGS;
}

/* Run a CFA program until loc passes pc.  false on an op we do not know. */
static bool
run(struct cursor *c, const struct cie *ci, struct cfa_state *st, const struct cfa_state *init,
    u64 loc, u64 pc)
{
	struct cfa_state stack[4];
	int depth = 0;

	while (c->p < c->end && !c->bad) {
		u8 op = *c->p++;
		u64 reg, delta = 0;

		switch (op >> 6) {
		case 1:
			delta = (op & 0x3f) * ci->caf;
			goto advance;
		case 2:
			reg = op & 0x3f;
			if (reg < CFI_NREGS) {
				st->r[reg].kind = R_OFFSET;
				st->r[reg].val = (s64)uleb(c) * ci->daf;
			} else {
				uleb(c);
			}
			continue;
		case 3:
			reg = op & 0x3f;
			if (reg < CFI_NREGS)
				st->r[reg] = init->r[reg];
			continue;
		}
		switch (op) {
		case 0x00:		/* nop */
			break;
		case 0x01:		/* set_loc */
			loc = encoded(c, ci->fde_enc);
			if (loc > pc)
				return true;
			break;
		case 0x02: delta = fixed(c, 1) * ci->caf; goto advance;
		case 0x03: delta = fixed(c, 2) * ci->caf; goto advance;
		case 0x04: delta = fixed(c, 4) * ci->caf; goto advance;
		case 0x05:		/* offset_extended */
		case 0x11:		/* offset_extended_sf */
			reg = uleb(c);
			{
				s64 off = op == 0x05 ? (s64)uleb(c) * ci->daf : sleb(c) * ci->daf;

				if (reg < CFI_NREGS) {
					st->r[reg].kind = R_OFFSET;
					st->r[reg].val = off;
				}
			}
			break;
		case 0x06:		/* restore_extended */
			reg = uleb(c);
			if (reg < CFI_NREGS)
				st->r[reg] = init->r[reg];
			break;
		case 0x07:		/* undefined */
		case 0x08:		/* same_value */
			reg = uleb(c);
			if (reg < CFI_NREGS)
				st->r[reg].kind = op == 0x07 ? R_UNDEF : R_SAME;
			break;
		case 0x09:		/* register */
			reg = uleb(c);
			{
				u64 r2 = uleb(c);

				if (reg < CFI_NREGS) {
					st->r[reg].kind = R_REG;
					st->r[reg].val = (s64)r2;
				}
			}
			break;
		case 0x0a:		/* remember_state */
			if (depth == 4)
				return false;
			stack[depth++] = *st;
			break;
		case 0x0b:		/* restore_state */
			if (!depth)
				return false;
			*st = stack[--depth];
			break;
		case 0x0c:		/* def_cfa */
			st->cfa_reg = uleb(c);
			st->cfa_off = (s64)uleb(c);
			st->cfa_expr = false;
			break;
		case 0x0d:		/* def_cfa_register */
			st->cfa_reg = uleb(c);
			break;
		case 0x0e:		/* def_cfa_offset */
			st->cfa_off = (s64)uleb(c);
			break;
		case 0x0f:		/* def_cfa_expression: PLT-style, not evaluated */
			c->p += uleb(c);
			st->cfa_expr = true;
			break;
		case 0x10:		/* expression */
			uleb(c);
			c->p += uleb(c);
			break;
		case 0x12:		/* def_cfa_sf */
			st->cfa_reg = uleb(c);
			st->cfa_off = sleb(c) * ci->daf;
			st->cfa_expr = false;
			break;
		case 0x13:		/* def_cfa_offset_sf */
			st->cfa_off = sleb(c) * ci->daf;
			break;
		case 0x14:		/* val_offset */
			reg = uleb(c);
			{
				s64 off = (s64)uleb(c) * ci->daf;

				if (reg < CFI_NREGS) {
					st->r[reg].kind = R_VALOFF;
					st->r[reg].val = off;
				}
			}
			break;
		case 0x2e:		/* GNU_args_size */
			uleb(c);
			break;
		default:
			return false;
		}
		continue;
advance:
		loc += delta;
		if (loc > pc)
			return true;
	}
	return !c->bad;
}

/* The .eh_frame of the object that holds pc: [start, end). */
static bool
eh_frame_for(u64 pc, const u8 **start, const u8 **end)
{
	struct blob_section_iter it;
	struct blob_section s;

	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		u64 eh = 0, ehsz = 0;
		bool inside = false;
		unsigned obj = 0;

		/* sections come object by object: decide at each object's end */
		for (blob_sections_begin(&it, b);;) {
			bool more = blob_sections_next(&it, &s);

			if (!more || s.obj_index != obj) {
				if (inside) {
					*start = (const u8 *)eh;
					*end = (const u8 *)(eh + ehsz);
					return eh != 0;
				}
				if (!more)
					break;
				obj = s.obj_index;
				eh = ehsz = 0;
			}
			if ((s.prot & PROT_X) && pc >= s.addr && pc < s.addr + s.size)
				inside = true;
			if (!strcmp(s.name, ".eh_frame")) {
				eh = s.addr;
				ehsz = s.size;
			}
		}
	}
	return false;
}

bool
cfi_find(u64 pc, u64 *fde_start)
{
	const u8 *p, *end;

	if (!eh_frame_for(pc, &p, &end))
		return false;
	while (end - p >= 8) {
		u32 len = *(const u32 *)p, id;
		const u8 *next = p + 4 + len;

		if (!len || len == 0xffffffff || len > (size_t)(end - p - 4))
			return false;
		id = *(const u32 *)(p + 4);
		if (id) {
			struct cie ci;
			const u8 *ciep = p + 4 - id;
			struct cursor c = { p + 8, next, false };
			u64 begin, range;

			if (ciep < (const u8 *)0 + 0 || ciep >= end || !parse_cie(ciep, end, &ci))
				return false;
			begin = encoded(&c, ci.fde_enc);
			range = encoded(&c, ci.fde_enc & 0x0f);
			if (!c.bad && pc >= begin && pc < begin + range) {
				*fde_start = (u64)p;
				return true;
			}
		}
		p = next;
	}
	return false;
}

int
cfi_step(struct cfi_frame *fr, bool top, bool (*readable)(u64 addr))
{
	u64 pc = top ? fr->r[CFI_RA] : fr->r[CFI_RA] - 1, fdeaddr, begin, cfa;
	const u8 *p, *next;
	struct cie ci;
	struct cursor c;
	struct cfa_state init, st;
	struct cfi_frame out;

	if (!cfi_find(pc, &fdeaddr))
		return 0;
	p = (const u8 *)fdeaddr;
	next = p + 4 + *(const u32 *)p;
	if (!parse_cie(p + 4 - *(const u32 *)(p + 4), next + (1 << 20), &ci))
		return -1;
	c = (struct cursor){ p + 8, next, false };
	begin = encoded(&c, ci.fde_enc);
	encoded(&c, ci.fde_enc & 0x0f);
	if (ci.aug_z)
		c.p += uleb(&c);
	memset(&init, 0, sizeof(init));
	{
		struct cursor ic = { ci.insns, ci.insns_end, false };

		if (!run(&ic, &ci, &init, &init, begin, ~0ULL))
			return -1;
	}
	st = init;
	if (!run(&c, &ci, &st, &init, begin, pc) || st.cfa_expr || st.cfa_reg >= CFI_NREGS ||
	    !fr->valid[st.cfa_reg])
		return -1;
	cfa = fr->r[st.cfa_reg] + (u64)st.cfa_off;
	out = *fr;
	for (unsigned i = 0; i < CFI_NREGS; i++) {
		switch (st.r[i].kind) {
		case R_UNDEF:
			if (i == CFI_RA)
				out.valid[i] = false;
			break;
		case R_OFFSET:
			if (!readable(cfa + (u64)st.r[i].val))
				return -1;
			out.r[i] = *(const u64 *)(cfa + (u64)st.r[i].val);
			out.valid[i] = true;
			break;
		case R_VALOFF:
			out.r[i] = cfa + (u64)st.r[i].val;
			break;
		case R_REG:
			if (st.r[i].val < CFI_NREGS)
				out.r[i] = fr->r[st.r[i].val];
			break;
		}
	}
	out.r[CFI_RSP] = cfa;
	out.valid[CFI_RSP] = true;
	*fr = out;
	return out.valid[CFI_RA] ? 1 : -1;
}
