/* Other processors' first instructions.  pc_smp_start copies the trampoline
 * (ap_tramp_start..ap_tramp_end) to a free page P below 1 MiB, patches the
 * two linear addresses it needs, and sends INIT-SIPI-SIPI with vector P>>12:
 * the AP starts in real mode at P:0.  It loads the trampoline's own GDT,
 * enters protected mode, turns on long mode with boot.S's boot tables (4 GiB
 * identity, executable: the VMM's own tables keep low memory NX) and jumps
 * to ap_start64 in the image, which switches to the VMM's page tables and
 * the stack the BSP left in pc_ap_boot, then calls pc_ap_main. */

	.section .text, "ax"
	.code16
	.globl ap_tramp_start, ap_tramp_end, ap_tramp_gdtr, ap_tramp_jmp32
ap_tramp_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	ap_tramp_gdtr - ap_tramp_start
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	*(ap_tramp_jmp32 - ap_tramp_start)

	.code32
ap_tramp_prot32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	$((1 << 5) | (1 << 9) | (1 << 10)), %eax	/* PAE, OSFXSR, OSXMMEXCPT */
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$((1 << 8) | (1 << 11)), %eax			/* LME, NXE */
	wrmsr
	movl	%cr0, %eax
	andl	$~((1 << 2) | (1 << 3) | (1 << 29) | (1 << 30)), %eax	/* no EM, TS, NW, CD */
	orl	$((1 << 31) | (1 << 16) | (1 << 5) | (1 << 1) | 1), %eax /* PG WP NE MP PE */
	movl	%eax, %cr0
	ljmpl	$0x18, $ap_start64

	.balign 8
ap_tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
ap_tramp_gdt_end:
	.balign 4
ap_tramp_gdtr:
	.word	ap_tramp_gdt_end - ap_tramp_gdt - 1
	.long	0			/* P + (ap_tramp_gdt - ap_tramp_start) */
ap_tramp_jmp32:
	.long	0			/* P + (ap_tramp_prot32 - ap_tramp_start) */
	.word	0x08
ap_tramp_end:

	.globl ap_tramp_gdt_off, ap_tramp_prot32_off
	.section .rodata
	.balign 4
ap_tramp_gdt_off:
	.long	ap_tramp_gdt - ap_tramp_start
ap_tramp_prot32_off:
	.long	ap_tramp_prot32 - ap_tramp_start

	.text
	.code64
	.type ap_start64, @function
ap_start64:
	.cfi_startproc
	.cfi_undefined rip
	movq	pc_ap_boot, %rsp	/* this AP's stack */
	lgdt	pc_gdt_ptr		/* the BSP's until pc_ap_main makes its own */
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	pushq	$0x08
	pushq	$1f
	lretq
1:	movq	pc_ap_boot + 8, %rax	/* the VMM's page tables */
	movq	%rax, %cr3
	xorl	%ebp, %ebp
	fninit
	ldmxcsr	ap_mxcsr
	movq	pc_ap_boot + 16, %rdi	/* its struct pc_cpu */
	call	pc_ap_main
2:	cli
	hlt
	jmp	2b
	.cfi_endproc
	.size ap_start64, .-ap_start64

	/* PC_VEC_WAKE: the BSP's nudge to a halted AP; only the EOI. */
	.globl pc_wake_stub
	.balign 16
pc_wake_stub:
	pushq	%rax
	movq	pc_apic_mmio, %rax
	movl	$0, 0xb0(%rax)		/* EOI */
	popq	%rax
	iretq

	.section .rodata
	.balign 4
ap_mxcsr:
	.long	0x1f80

	.section .note.GNU-stack, "", @progbits
