/* Decoding and completing a guest's access to a page the VMM emulates: a
 * concealed page (see conceal.c), where no device answers, and the local
 * APIC's page (lapic.c), where the VMM passes the access on.  Without decode assists (SVM under QEMU) or an
 * instruction-information field that covers MOV (VMX), the VMM reads the
 * instruction at RIP itself; the forms a driver's readb/w/l/q and writeb/w/l/q compile
 * to are enough: MOV to and from memory (88, 89, 8A, 8B, C6 /0, C7 /0) and
 * MOVZX from memory (0F B6, 0F B7), with operand-size, segment and REX
 * prefixes.  A load gets all ones (zero-extended for MOVZX and 32-bit
 * destinations), a store is dropped; anything else is refused and the
 * guest stopped (string moves, read-modify-write instructions). */
#include <core/string.h>
#include "vmm.h"

static u64
get_reg(const struct vcpu *v, unsigned r)
{
	return v->gpr[r];
}

static void
set_reg(struct vcpu *v, unsigned r, u64 val)
{
	v->gpr[r] = val;
}

static void
write_reg(struct vcpu *v, unsigned r, unsigned size, bool rex, u64 val)
{
	u64 old;

	if (size == 1 && !rex && r >= 4 && r < 8) {	/* AH, CH, DH, BH */
		old = get_reg(v, r - 4);
		set_reg(v, r - 4, (old & ~0xff00ULL) | (val & 0xff) << 8);
		return;
	}
	old = get_reg(v, r);
	switch (size) {
	case 1:
		set_reg(v, r, (old & ~0xffULL) | (val & 0xff));
		break;
	case 2:
		set_reg(v, r, (old & ~0xffffULL) | (val & 0xffff));
		break;
	case 4:
		set_reg(v, r, (u32)val);	/* a 32-bit write clears the upper half */
		break;
	default:
		set_reg(v, r, val);
	}
}

/* The instruction's bytes; fewer if the page after RIP is not mapped. */
static size_t
fetch(const struct vcpu *v, u8 *b)
{
	u64 rip = v->s.rip;
	size_t first = MIN((size_t)15, PAGE_SIZE - (rip & (PAGE_SIZE - 1)));

	if (guest_copy(v, rip, b, first, false))
		return 0;
	if (first < 15 && !guest_copy(v, rip + first, b + first, 15 - first, false))
		return 15;
	return first;
}

/* Why mmio_decode refused the instruction at RIP, for the stop line: its
 * bytes, or that they could not be read and the paging state walked (a
 * guest page table the VMM would not read once made Linux's EOI write
 * look like an instruction the VMM does not emulate). */
void
mmio_explain(const struct vcpu *v, char *buf, size_t len)
{
	u8 b[15];
	size_t n = fetch(v, b), at;

	if (!n) {
		snprintf(buf, len, "its bytes at rip %#llx cannot be read through the guest's page "
			 "tables (cr3 %#llx, cr0 %#llx, efer %#llx, cs %#x)", (unsigned long long)v->s.rip,
			 (unsigned long long)v->s.cr3, (unsigned long long)v->s.cr0,
			 (unsigned long long)v->s.efer, v->s.cs.selector);
		return;
	}
	at = (size_t)snprintf(buf, len, "bytes");
	for (size_t i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, " %02x", b[i]);
}

/* Decode the MOV at RIP into *op; false if it is not one of the forms
 * above. */
bool
mmio_decode(const struct vcpu *v, struct mmio_op *op)
{
	u8 b[15], opc, modrm, rex = 0;
	size_t n = fetch(v, b), i = 0;
	bool osz16 = false;
	unsigned size, mod;

	memset(op, 0, sizeof(*op));
	for (; i < n; i++) {
		if (b[i] == 0x66)
			osz16 = true;
		else if (b[i] != 0x67 && b[i] != 0x2e && b[i] != 0x36 && b[i] != 0x3e &&
			 b[i] != 0x26 && b[i] != 0x64 && b[i] != 0x65)
			break;
	}
	if (i < n && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (i + 2 > n)
		return false;
	opc = b[i++];
	if (opc == 0x0f) {
		opc = b[i++];
		if (opc != 0xb6 && opc != 0xb7)
			return false;
		opc = opc == 0xb6 ? 0x01 : 0x02;	/* MOVZX from m8 / m16 */
	}
	if (i >= n)
		return false;
	modrm = b[i++];
	mod = modrm >> 6;
	op->reg = (modrm >> 3 & 7) | (rex & 4 ? 8 : 0);
	op->rex = rex;
	if (mod == 3)
		return false;
	if ((modrm & 7) == 4) {
		if (i >= n)
			return false;
		if (mod == 0 && (b[i] & 7) == 5)
			i += 4;		/* SIB without base: disp32 */
		i++;
	} else if ((modrm & 7) == 5 && mod == 0)
		i += 4;			/* RIP-relative */
	i += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	size = rex & 8 ? 8 : osz16 ? 2 : 4;
	switch (opc) {
	case 0x88:			/* store r8 */
		op->write = true;
		op->size = 1;
		op->value = get_reg(v, op->reg);
		if (!rex && op->reg >= 4 && op->reg < 8)
			op->value = get_reg(v, op->reg - 4) >> 8;	/* AH..BH */
		op->value &= 0xff;
		break;
	case 0x89:			/* store r16/32/64 */
		op->write = true;
		op->size = size;
		op->value = get_reg(v, op->reg);
		break;
	case 0x8a:
		op->size = op->dest_size = 1;
		break;
	case 0x8b:
		op->size = op->dest_size = size;
		break;
	case 0x01:
		op->size = 1;
		op->dest_size = size;
		break;
	case 0x02:
		op->size = 2;
		op->dest_size = size;
		break;
	case 0xc6: case 0xc7:		/* store of an immediate */
		if ((modrm >> 3 & 7) != 0)
			return false;
		op->write = true;
		op->size = opc == 0xc6 ? 1 : size;
		{
			unsigned isz = opc == 0xc6 ? 1 : osz16 ? 2 : 4;
			u64 imm = 0;

			if (i + isz > n)
				return false;
			for (unsigned k = 0; k < isz; k++)
				imm |= (u64)b[i + k] << (8 * k);
			if (isz == 4 && size == 8)
				imm = (u64)(s64)(s32)imm;	/* sign-extended to 64 */
			op->value = imm;
			i += isz;
		}
		break;
	default:
		return false;
	}
	if (i > n)
		return false;
	if (op->write && op->size < 8)
		op->value &= (1ULL << (op->size * 8)) - 1;
	op->len = (unsigned)i;
	return true;
}

/* The load's value into its register (zero-extended as MOV/MOVZX do), RIP
 * past the instruction; a store only moves RIP. */
void
mmio_complete(struct vcpu *v, const struct mmio_op *op, u64 loaded)
{
	if (!op->write) {
		if (op->size < 8)
			loaded &= (1ULL << (op->size * 8)) - 1;
		write_reg(v, op->reg, op->dest_size, op->rex, loaded);
	}
	v->s.rip += op->len;
}

bool
mmio_emulate_absent(struct vcpu *v)
{
	struct mmio_op op;

	if (!mmio_decode(v, &op))
		return false;
	mmio_complete(v, &op, ~0ULL);	/* a load gets all ones, a store is dropped */
	return true;
}
