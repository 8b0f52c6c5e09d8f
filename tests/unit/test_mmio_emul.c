/* The hypervisor's emulation of a guest access to a concealed page
 * (vmm/mmio_emul.c): instruction lengths and results for the MOV forms
 * a driver's readX/writeX compile to.  The encodings and lengths are GNU
 * as's and objdump's (x86-64, AT&T syntax in the comments); everything else
 * must be refused with RIP and the registers untouched. */
#include "tap.h"
#include "unit/host_plat.h"
#include <core/core.h>
#include "../../vmm/vmm.h"

static u8 code[32];

int
guest_copy(const struct vcpu *v, u64 gva, void *buf, size_t len, bool to_guest)
{
	(void)v;
	if (to_guest || gva < 0x1000 || gva - 0x1000 + len > sizeof(code))
		return -14;
	memcpy(buf, code + (gva - 0x1000), len);
	return 0;
}

#include "../../vmm/mmio_emul.c"

#define FILL 0x1111111111111111ULL

static struct vcpu vcpu;

static void
reset(const u8 *bytes, size_t n)
{
	memset(code, 0xcc, sizeof(code));
	memcpy(code, bytes, n);
	for (unsigned r = 0; r < 16; r++)
		set_reg(&vcpu, r, FILL);
	vcpu.s.rip = 0x1000;
}

static const struct {
	const char *what;
	u8 bytes[12];
	u8 n, len;
	int reg;		/* -1: a store, no register changes */
	u64 want;
} cases[] = {
	{ "mov (%rdx),%eax", { 0x8b, 0x02 }, 2, 2, 0, 0xffffffffULL },
	{ "mov (%rdx,%rax,4),%ecx", { 0x8b, 0x0c, 0x82 }, 3, 3, 1, 0xffffffffULL },
	{ "mov (%rax),%al", { 0x8a, 0x00 }, 2, 2, 0, 0x11111111111111ffULL },
	{ "mov (%rax),%ah", { 0x8a, 0x20 }, 2, 2, 0, 0x111111111111ff11ULL },
	{ "mov 0x10(%rbx),%si", { 0x66, 0x8b, 0x73, 0x10 }, 4, 4, 6, 0x111111111111ffffULL },
	{ "movzbl (%rdi),%r9d", { 0x44, 0x0f, 0xb6, 0x0f }, 4, 4, 9, 0xffULL },
	{ "movzwl 0x12345678(%rsi),%edx", { 0x0f, 0xb7, 0x96, 0x78, 0x56, 0x34, 0x12 }, 7, 7, 2, 0xffffULL },
	{ "mov 0x8(%r12),%r11", { 0x4d, 0x8b, 0x5c, 0x24, 0x08 }, 5, 5, 11, ~0ULL },
	{ "mov %fs:0x10(%rax),%edx", { 0x64, 0x8b, 0x50, 0x10 }, 4, 4, 2, 0xffffffffULL },
	{ "mov 0x100(%rip),%eax", { 0x8b, 0x05, 0x00, 0x01, 0x00, 0x00 }, 6, 6, 0, 0xffffffffULL },
	{ "mov 0x0(,%rcx,8),%r8", { 0x4c, 0x8b, 0x04, 0xcd, 0, 0, 0, 0 }, 8, 8, 8, ~0ULL },
	{ "mov %eax,(%rdx)", { 0x89, 0x02 }, 2, 2, -1, 0 },
	{ "mov %al,(%rdx)", { 0x88, 0x02 }, 2, 2, -1, 0 },
	{ "mov %ax,0x40(%rdx)", { 0x66, 0x89, 0x42, 0x40 }, 4, 4, -1, 0 },
	{ "movl $0x12345678,(%rcx)", { 0xc7, 0x01, 0x78, 0x56, 0x34, 0x12 }, 6, 6, -1, 0 },
	{ "movb $0x5,0x4(%rcx,%rbx,8)", { 0xc6, 0x44, 0xd9, 0x04, 0x05 }, 5, 5, -1, 0 },
};

static const struct {
	const char *what;
	u8 bytes[4];
	u8 n;
} refused[] = {
	{ "movsb (%rsi),%es:(%rdi)", { 0xa4 }, 1 },
	{ "incl (%rax)", { 0xff, 0x00 }, 2 },
	{ "mov %eax,%eax (no memory operand)", { 0x8b, 0xc0 }, 2 },
	{ "rep movsb", { 0xf3, 0xa4 }, 2 },
	{ "movups (%rax),%xmm0", { 0x0f, 0x10, 0x00 }, 3 },
	{ "movl $imm,(%rcx) cut off by an unmapped page", { 0xc7, 0x01, 0x78 }, 0 },
};

/* The local APIC's emulation (vmm/lapic.c) needs what a store writes:
 * the value, its width, and a load's value into the register. */
static const struct {
	const char *what;
	u8 bytes[12];
	u8 n, len, size;
	u64 value;
} stores[] = {
	{ "mov %eax,0x300(%rdx) (the ICR)", { 0x89, 0x82, 0x00, 0x03, 0, 0 }, 6, 6, 4, 0x11111111ULL },
	{ "mov %ah,(%rdx)", { 0x88, 0x22 }, 2, 2, 1, 0x11 },
	{ "mov %sil,(%rdx) (REX: SIL, not DH)", { 0x40, 0x88, 0x32 }, 3, 3, 1, 0x11 },
	{ "movl $0xc4500,0x300(%rdx) (INIT)", { 0xc7, 0x82, 0x00, 0x03, 0, 0, 0x00, 0x45, 0x0c, 0 }, 10, 10, 4, 0xc4500 },
	{ "movq $-1,(%rcx) (imm32 sign-extended)", { 0x48, 0xc7, 0x01, 0xff, 0xff, 0xff, 0xff }, 7, 7, 8, ~0ULL },
};

int
main(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(stores); i++) {
		struct mmio_op op;
		bool ok;

		reset(stores[i].bytes, stores[i].n);
		ok = mmio_decode(&vcpu, &op);
		TAP_CHECK(ok && op.write && op.len == stores[i].len && op.size == stores[i].size &&
			  op.value == stores[i].value,
			  "store %s: %u bytes wide, value %#llx", stores[i].what, stores[i].size,
			  (unsigned long long)op.value);
	}
	{
		struct mmio_op op;
		static const u8 ld[] = { 0x8b, 0x82, 0x20, 0x00, 0x00, 0x00 };	/* mov 0x20(%rdx),%eax */

		reset(ld, sizeof(ld));
		TAP_CHECK(mmio_decode(&vcpu, &op) && !op.write && op.size == 4, "load: decoded, 4 bytes");
		mmio_complete(&vcpu, &op, 0x0300000000000001ULL);
		TAP_CHECK(get_reg(&vcpu, 0) == 1 && vcpu.s.rip == 0x1006,
			  "load: the APIC's 32 bits into %%eax, upper half cleared, RIP past it");
	}
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool ok, others = true;

		reset(cases[i].bytes, cases[i].n);
		ok = mmio_emulate_absent(&vcpu);
		for (int r = 0; r < 16; r++)
			if (r != cases[i].reg && get_reg(&vcpu, r) != FILL)
				others = false;
		TAP_CHECK(ok && vcpu.s.rip == 0x1000u + cases[i].len && others &&
			  (cases[i].reg < 0 || get_reg(&vcpu, cases[i].reg) == cases[i].want),
			  "%s: %u bytes, %s", cases[i].what, cases[i].len,
			  cases[i].reg < 0 ? "dropped" : "all ones");
	}
	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		bool untouched = true;

		reset(refused[i].bytes, refused[i].n ? refused[i].n : 3);
		if (!refused[i].n)	/* the instruction runs off the end of the fetchable bytes */
			vcpu.s.rip = 0x1000 + sizeof(code) - 3;
		if (!refused[i].n)
			memcpy(code + sizeof(code) - 3, refused[i].bytes, 3);
		{
			u64 rip = vcpu.s.rip;

			TAP_CHECK(!mmio_emulate_absent(&vcpu) && vcpu.s.rip == rip,
				  "rejected: %s", refused[i].what);
		}
		for (int r = 0; r < 16; r++)
			untouched &= get_reg(&vcpu, r) == FILL;
		TAP_CHECK(untouched, "rejected: %s leaves the registers alone", refused[i].what);
	}
	return tap_done();
}
