/* The user-algorithm VM (docs/dongle-protocol.md section 7): every
 * instruction is checked before it runs, the step count is bounded, and
 * memory is a fixed array indexed only after a bound check. */
#include <core/string.h>
#include <dongle/dongle.h>

enum operand_form { F_NONE, F_A, F_AB, F_ABC, F_A_IMM16, F_AB_SIMM8, F_MEM, F_SIMM16 };

static enum operand_form
op_form(u8 op, bool *known)
{
	*known = true;
	switch (op) {
	case DOP_HALT:
		return F_NONE;
	case DOP_LDI:
	case DOP_LUI:
	case DOP_JZ:
	case DOP_JNZ:
		return F_A_IMM16;
	case DOP_MOV:
		return F_AB;
	case DOP_ADD: case DOP_SUB: case DOP_MUL: case DOP_DIVU: case DOP_MODU:
	case DOP_AND: case DOP_OR: case DOP_XOR: case DOP_SHL: case DOP_SHR:
	case DOP_ROL: case DOP_SLTU: case DOP_SEQ:
		return F_ABC;
	case DOP_ADDI:
		return F_AB_SIMM8;
	case DOP_LD:
	case DOP_ST:
		return F_MEM;
	case DOP_JMP:
		return F_SIMM16;
	default:
		*known = false;
		return F_NONE;
	}
}

/* Operand bytes that must be registers (< 8) or zero, per form. */
static bool
operands_valid(enum operand_form f, const u8 *i)
{
	switch (f) {
	case F_NONE:
		return i[1] == 0 && i[2] == 0 && i[3] == 0;
	case F_A:
		return i[1] < DONGLE_VM_REGS && i[2] == 0 && i[3] == 0;
	case F_AB:
		return i[1] < DONGLE_VM_REGS && i[2] < DONGLE_VM_REGS && i[3] == 0;
	case F_ABC:
		return i[1] < DONGLE_VM_REGS && i[2] < DONGLE_VM_REGS && i[3] < DONGLE_VM_REGS;
	case F_A_IMM16:
		return i[1] < DONGLE_VM_REGS;
	case F_AB_SIMM8:
	case F_MEM:
		return i[1] < DONGLE_VM_REGS && i[2] < DONGLE_VM_REGS;
	case F_SIMM16:
		return i[1] == 0;
	}
	return false;
}

static u32
rol32(u32 x, u32 n)
{
	n &= 31;
	return n ? (x << n) | (x >> (32 - n)) : x;
}

int
dongle_vm_run(const u8 *code, size_t len, u32 r[DONGLE_VM_REGS],
	      u32 *pc_out, u32 *steps_out)
{
	u32 mem[DONGLE_VM_MEM] = { 0 };
	u32 ninsn = (u32)(len / 4), pc = 0, steps = 0;
	int st = DST_OK;

	for (;;) {
		const u8 *i;
		enum operand_form f;
		bool known;
		u32 next, idx;
		s32 target;

		if (pc >= ninsn || len % 4) {
			st = DST_E_VM_PC;	/* fell off the end, or a torn instruction */
			break;
		}
		i = code + 4 * pc;
		if (i[0] == DOP_HALT && operands_valid(F_NONE, i))
			break;
		if (steps >= DONGLE_VM_STEPS - 1) {
			st = DST_E_VM_STEPS;
			break;
		}
		f = op_form(i[0], &known);
		if (!known || !operands_valid(f, i)) {
			st = DST_E_VM_INSN;
			break;
		}
		next = pc + 1;
		u8 a = i[1], b = i[2], c = i[3];
		u32 imm16 = (u32)b | (u32)c << 8;

		switch (i[0]) {
		case DOP_LDI:	r[a] = imm16; break;
		case DOP_LUI:	r[a] = (r[a] & 0xFFFF) | imm16 << 16; break;
		case DOP_MOV:	r[a] = r[b]; break;
		case DOP_ADD:	r[a] = r[b] + r[c]; break;
		case DOP_SUB:	r[a] = r[b] - r[c]; break;
		case DOP_MUL:	r[a] = r[b] * r[c]; break;
		case DOP_DIVU:
		case DOP_MODU:
			if (r[c] == 0) {
				st = DST_E_VM_DIV;
				goto out;
			}
			r[a] = i[0] == DOP_DIVU ? r[b] / r[c] : r[b] % r[c];
			break;
		case DOP_AND:	r[a] = r[b] & r[c]; break;
		case DOP_OR:	r[a] = r[b] | r[c]; break;
		case DOP_XOR:	r[a] = r[b] ^ r[c]; break;
		case DOP_SHL:	r[a] = r[b] << (r[c] & 31); break;
		case DOP_SHR:	r[a] = r[b] >> (r[c] & 31); break;
		case DOP_ROL:	r[a] = rol32(r[b], r[c]); break;
		case DOP_SLTU:	r[a] = r[b] < r[c]; break;
		case DOP_SEQ:	r[a] = r[b] == r[c]; break;
		case DOP_ADDI:	r[a] = r[b] + (u32)(s32)(s8)c; break;
		case DOP_LD:
		case DOP_ST:
			idx = r[b] + c;		/* 32-bit wrap, then the bound */
			if (idx >= DONGLE_VM_MEM) {
				st = DST_E_VM_MEM;
				goto out;
			}
			if (i[0] == DOP_LD)
				r[a] = mem[idx];
			else
				mem[idx] = r[a];
			break;
		case DOP_JMP:
		case DOP_JZ:
		case DOP_JNZ:
			if (i[0] == DOP_JZ && r[a] != 0)
				break;
			if (i[0] == DOP_JNZ && r[a] == 0)
				break;
			target = (s32)next + (s16)imm16;
			if (target < 0 || (u32)target >= ninsn) {
				st = DST_E_VM_PC;
				goto out;
			}
			next = (u32)target;
			break;
		}
		pc = next;
		steps++;
	}
out:
	*pc_out = pc * 4;
	*steps_out = st == DST_OK ? steps + 1 : steps;	/* HALT counts */
	return st;
}
