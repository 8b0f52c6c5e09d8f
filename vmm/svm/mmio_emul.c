/* Completing a guest's access to a concealed page (see conceal.c) as if no
 * device answered.  Without decode assists the VMM reads the instruction
 * at RIP itself; the forms a driver's readb/w/l/q and writeb/w/l/q compile
 * to are enough: MOV to and from memory (88, 89, 8A, 8B, C6 /0, C7 /0) and
 * MOVZX from memory (0F B6, 0F B7), with operand-size, segment and REX
 * prefixes.  A load gets all ones (zero-extended for MOVZX and 32-bit
 * destinations), a store is dropped; anything else is refused and the
 * guest stopped (string moves, read-modify-write instructions). */
#include <core/string.h>
#include "svm.h"

/* Index into struct svm_gprs for each register number; RAX and RSP live
 * in the (packed) VMCB. */
static const u8 gpr_index[16] = { 0xff, 1, 2, 0, 0xff, 5, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13 };

static u64
get_reg(const struct svm_vcpu *v, unsigned r)
{
	return r == 0 ? v->vmcb->s.rax : r == 4 ? v->vmcb->s.rsp : ((const u64 *)&v->g)[gpr_index[r]];
}

static void
set_reg(struct svm_vcpu *v, unsigned r, u64 val)
{
	if (r == 0)
		v->vmcb->s.rax = val;
	else if (r == 4)
		v->vmcb->s.rsp = val;
	else
		((u64 *)&v->g)[gpr_index[r]] = val;
}

static void
write_reg(struct svm_vcpu *v, unsigned r, unsigned size, bool rex, u64 val)
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
fetch(const struct svm_vcpu *v, u8 *b)
{
	u64 rip = v->vmcb->s.rip;
	size_t first = MIN((size_t)15, PAGE_SIZE - (rip & (PAGE_SIZE - 1)));

	if (guest_copy(v, rip, b, first, false))
		return 0;
	if (first < 15 && !guest_copy(v, rip + first, b + first, 15 - first, false))
		return 15;
	return first;
}

bool
mmio_emulate_absent(struct svm_vcpu *v)
{
	u8 b[15], op, modrm, rex = 0;
	size_t n = fetch(v, b), i = 0;
	bool osz16 = false;
	unsigned size, r, mod;

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
	op = b[i++];
	if (op == 0x0f) {
		op = b[i++];
		if (op != 0xb6 && op != 0xb7)
			return false;
		op = op == 0xb6 ? 0x01 : 0x02;	/* MOVZX from m8 / m16 */
	}
	if (i >= n)
		return false;
	modrm = b[i++];
	mod = modrm >> 6;
	r = (modrm >> 3 & 7) | (rex & 4 ? 8 : 0);
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
	switch (op) {
	case 0x88: case 0x89:		/* store: dropped */
		break;
	case 0x8a:
		write_reg(v, r, 1, rex, ~0ULL);
		break;
	case 0x8b:
		write_reg(v, r, size, rex, ~0ULL);
		break;
	case 0x01:
		write_reg(v, r, size, rex, 0xff);
		break;
	case 0x02:
		write_reg(v, r, size, rex, 0xffff);
		break;
	case 0xc6: case 0xc7:		/* store of an immediate: dropped */
		if ((modrm >> 3 & 7) != 0)
			return false;
		i += op == 0xc6 ? 1 : osz16 ? 2 : 4;
		break;
	default:
		return false;
	}
	if (i > n)
		return false;
	v->vmcb->s.rip += i;
	return true;
}
