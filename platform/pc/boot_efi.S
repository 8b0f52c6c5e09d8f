/* The UEFI entry.  blobvisor.efi (platform/efi) copies this image to its link
 * address, exits boot services and jumps here in 64-bit mode, still on the
 * firmware's page tables, GDT and stack, interrupts off, with
 *   RDI = 0x2BADB002, RSI = the multiboot information it built,
 *   RDX = the ACPI RSDP from the firmware's configuration tables (or 0).
 * From here the start is the multiboot one: our own boot tables (4 GiB of
 * 2 MiB pages, as boot.S builds them in 32-bit mode), our GDT, the control
 * registers the core expects, then start64 -> pc_main.  The loader finds
 * this entry through the record below, kept in the image's first 8 KiB. */

	.section .multiboot, "a"
	.balign 8
	.ascii	"BVEFI64\0"
	.quad	pc_start64_efi

	.section .text.boot, "ax"
	.code64
	.globl pc_start64_efi
	.type pc_start64_efi, @function
pc_start64_efi:
	cli
	cld
	movq	$pc_stack_top, %rsp	/* the firmware's stack is RAM for the VMM now */
	movl	%edi, pc_mb_magic
	movl	%esi, pc_mb_info
	movq	%rdx, pc_efi_rsdp

	/* PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs, 2048 entries of 2 MiB. */
	movq	$boot_pdpt + 3, %rax
	movq	%rax, boot_pml4
	xorl	%ecx, %ecx
1:	movq	%rcx, %rax
	shlq	$12, %rax
	addq	$boot_pd + 3, %rax
	movq	%rax, boot_pdpt(,%rcx,8)
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b
	xorl	%ecx, %ecx
2:	movq	%rcx, %rax
	shlq	$21, %rax
	orq	$0x83, %rax		/* present, writable, 2 MiB */
	movq	%rax, boot_pd(,%rcx,8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	2b
	movq	$boot_pml4, %rax
	movq	%rax, %cr3

	/* Exactly the multiboot start's state: PAE, OSFXSR, OSXMMEXCPT; no
	 * PGE, no OSXSAVE (the trap path saves FXSAVE state only). */
	movq	$((1 << 5) | (1 << 9) | (1 << 10)), %rax
	movq	%rax, %cr4
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$((1 << 8) | (1 << 11)), %eax			/* LME, NXE */
	wrmsr
	movq	%cr0, %rax
	andq	$~((1 << 2) | (1 << 3) | (1 << 29) | (1 << 30)), %rax	/* no EM, TS, NW, CD */
	orl	$((1 << 31) | (1 << 16) | (1 << 5) | (1 << 1) | 1), %eax	/* PG WP NE MP PE */
	movq	%rax, %cr0
	lgdt	pc_gdt_ptr
	pushq	$0x08
	pushq	$start64
	lretq
	.size pc_start64_efi, .-pc_start64_efi

	.data
	.balign 8
	.globl pc_efi_rsdp
pc_efi_rsdp:
	.quad	0

	.section .note.GNU-stack, "", @progbits
