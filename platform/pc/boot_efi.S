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
	.ascii	"BVEFIFW\0"
	.quad	pc_start64_efi_fw

#define FW(off)	pc_fw_state + off
	.macro RDMSR_TO msr, off
	movl	$\msr, %ecx
	rdmsr
	movl	%eax, FW(\off)
	movl	%edx, FW(\off + 4)
	.endm

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

/* The firmware as the first guest: blobvisor.efi calls this like a
 * function, boot services still running (Microsoft x64 convention:
 * RCX = the multiboot information, RDX = the RSDP, R8 = a page below 1 MiB
 * reserved for the APs' trampoline, or 0).  It never returns as such: the
 * state recorded here in pc_fw_state (include/pc/fwguest.h) is what
 * `guest firmware' resumes in guest mode, right after the call with
 * RAX = 0 (EFI_SUCCESS).  Everything the firmware may rely on across the
 * call is taken: the callee-saved registers, the stack, the control
 * registers and EFER, the descriptor tables and selectors, the MSRs VMLOAD
 * restores, PAT, DR7, and the whole x87/SSE/AVX state (XMM6-15 are
 * callee-saved in this convention).  Interrupts go off at once and stay
 * off until the firmware runs again as the guest. */
	.globl pc_start64_efi_fw
	.type pc_start64_efi_fw, @function
pc_start64_efi_fw:
	pushfq
	cli
	popq	FW(0x088)		/* RFLAGS at the call */
	movq	%rbx, FW(0x018)
	movq	%rbp, FW(0x028)
	movq	%rsi, FW(0x030)
	movq	%rdi, FW(0x038)
	movq	%r12, FW(0x060)
	movq	%r13, FW(0x068)
	movq	%r14, FW(0x070)
	movq	%r15, FW(0x078)
	movq	(%rsp), %rax
	movq	%rax, FW(0x080)		/* RIP: the return address */
	leaq	8(%rsp), %rax
	movq	%rax, FW(0x020)		/* RSP after the return */
	movq	%rcx, %r12		/* the arguments, across RDMSR */
	movq	%rdx, %r13
	movq	%r8, %r14
	movq	%cr0, %rax
	movq	%rax, FW(0x090)
	movq	%cr3, %rax
	movq	%rax, FW(0x098)
	movq	%cr4, %rax
	movq	%rax, FW(0x0a0)
	movq	%dr7, %rax
	movq	%rax, FW(0x110)
	RDMSR_TO 0xc0000080, 0x0a8	/* EFER */
	RDMSR_TO 0xc0000100, 0x0b8	/* FS base */
	RDMSR_TO 0xc0000101, 0x0c0	/* GS base */
	RDMSR_TO 0xc0000102, 0x0c8	/* KernelGSBase */
	RDMSR_TO 0x277, 0x0d0		/* PAT */
	RDMSR_TO 0xc0000081, 0x0d8	/* STAR, LSTAR, CSTAR, SFMASK */
	RDMSR_TO 0xc0000082, 0x0e0
	RDMSR_TO 0xc0000083, 0x0e8
	RDMSR_TO 0xc0000084, 0x0f0
	RDMSR_TO 0x174, 0x0f8		/* SYSENTER CS, ESP, EIP */
	RDMSR_TO 0x175, 0x100
	RDMSR_TO 0x176, 0x108
	movw	%es, FW(0x118)
	movw	%cs, FW(0x11a)
	movw	%ss, FW(0x11c)
	movw	%ds, FW(0x11e)
	movw	%fs, FW(0x120)
	movw	%gs, FW(0x122)
	str	FW(0x124)
	sldt	FW(0x126)
	sgdt	FW(0x128)
	sidt	FW(0x132)
	movq	%cr4, %rax
	btq	$18, %rax		/* OSXSAVE */
	jnc	1f
	xorl	%ecx, %ecx
	xgetbv
	movl	%eax, FW(0x0b0)
	movl	%edx, FW(0x0b4)
	movl	$-1, %eax
	movl	$-1, %edx
	xsave64	FW(0x140)		/* every component the firmware's XCR0 enables */
	jmp	2f
1:	fxsave64 FW(0x140)
2:	movl	$1, pc_efi_fw
	movq	%r12, %rsi
	movq	%r13, %rdx
	movq	%r14, pc_fw_tramp
	movl	$0x2badb002, %edi
	jmp	pc_start64_efi
	.size pc_start64_efi_fw, .-pc_start64_efi_fw

	.data
	.balign 8
	.globl pc_efi_rsdp
pc_efi_rsdp:
	.quad	0
	.globl pc_fw_tramp, pc_efi_fw
pc_fw_tramp:
	.quad	0
pc_efi_fw:
	.long	0

	.section .note.GNU-stack, "", @progbits
