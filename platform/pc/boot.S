/* Multiboot (v1) entry: QEMU's -kernel starts us in 32-bit protected mode
 * with paging off, EAX = 0x2BADB002 and EBX = the multiboot information.  We
 * check for long mode and NX, identity-map the first 4 GiB with 2 MiB pages
 * (boot tables only; pc_paging_init replaces them), enable PAE, SSE,
 * EFER.LME|NXE and paging, and jump to 64-bit code, which calls pc_main. */

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00010003	/* page-aligned modules, memory info, a.out kludge */
#define COM1		0x3f8

	.section .multiboot, "a"
	.balign 4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	mb_header		/* header_addr */
	.long	__executable_start	/* load_addr */
	.long	_edata			/* load_end_addr */
	.long	_end			/* bss_end_addr: the loader zeroes the bss */
	.long	pc_start32		/* entry_addr */

	.section .text.boot, "ax"
	.code32
	.globl pc_start32
	.type pc_start32, @function
pc_start32:
	cli
	cld
	movl	$pc_stack_top, %esp
	movl	%eax, pc_mb_magic
	movl	%ebx, pc_mb_info

	/* Long mode and NX, or a message on COM1 and a halt. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$(1 << 29), %edx
	jz	no_long_mode
	testl	$(1 << 20), %edx
	jz	no_long_mode

	/* Boot page tables: PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs of 2 MiB pages. */
	movl	$boot_pdpt, %eax
	orl	$3, %eax
	movl	%eax, boot_pml4
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$12, %eax
	addl	$boot_pd, %eax
	orl	$3, %eax
	movl	%eax, boot_pdpt(,%ecx,8)
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b
	xorl	%ecx, %ecx		/* 2048 entries: 4 GiB */
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax		/* present, writable, 2 MiB */
	movl	%eax, boot_pd(,%ecx,8)
	movl	%ecx, %eax
	shrl	$11, %eax		/* bits 32+ of the address */
	movl	%eax, boot_pd+4(,%ecx,8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	2b
	movl	$boot_pml4, %eax
	movl	%eax, %cr3

	movl	%cr4, %eax
	orl	$((1 << 5) | (1 << 9) | (1 << 10)), %eax	/* PAE, OSFXSR, OSXMMEXCPT */
	movl	%eax, %cr4
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$((1 << 8) | (1 << 11)), %eax			/* LME, NXE */
	wrmsr
	movl	%cr0, %eax
	andl	$~((1 << 2) | (1 << 3)), %eax			/* no EM, no TS */
	orl	$((1 << 31) | (1 << 16) | (1 << 5) | (1 << 1) | 1), %eax /* PG WP NE MP PE */
	movl	%eax, %cr0
	lgdt	pc_gdt_ptr
	ljmp	$0x08, $start64

no_long_mode:
	movl	$msg_no_lm, %esi
3:	movb	(%esi), %al
	testb	%al, %al
	jz	4f
	movw	$(COM1 + 5), %dx
5:	inb	%dx, %al
	testb	$0x20, %al
	jz	5b
	movb	(%esi), %al
	movw	$COM1, %dx
	outb	%al, %dx
	incl	%esi
	jmp	3b
4:	hlt
	jmp	4b
	.size pc_start32, .-pc_start32

	.code64
	.globl start64		/* boot_efi.S joins here */
	.type start64, @function
start64:
	.cfi_startproc
	.cfi_undefined rip		/* gdb: the outermost frame */
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movq	$pc_stack_top, %rsp
	xorl	%ebp, %ebp
	fninit
	ldmxcsr	mxcsr_default
	movl	pc_mb_magic, %edi
	movl	pc_mb_info, %esi
	call	pc_main
6:	cli
	hlt
	jmp	6b
	.cfi_endproc
	.size start64, .-start64

	.section .rodata
msg_no_lm:
	.asciz	"blobvisor: this CPU has no long mode or no NX; halted\r\n"
	.balign 4
mxcsr_default:
	.long	0x1f80

	.data
	.balign 16
	.globl pc_gdt, pc_gdt_ptr
pc_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0, 0			/* 0x18: TSS, filled in by pc_cpu_init */
	/* Ring 3 (protection domains, platform/pc/user.c): SYSRET takes SS
	 * from STAR[63:48]+8 and CS from +16, so data comes before code. */
	.quad	0x00cff2000000ffff	/* 0x28: user data, DPL 3 */
	.quad	0x00affa000000ffff	/* 0x30: user 64-bit code, DPL 3 */
pc_gdt_end:
	.balign 8
	.word	0, 0, 0
pc_gdt_ptr:
	.word	pc_gdt_end - pc_gdt - 1
	.quad	pc_gdt
	.globl pc_mb_magic, pc_mb_info
pc_mb_magic:
	.long	0
pc_mb_info:
	.long	0

	.bss
	.balign 4096
	.globl boot_pml4, boot_pdpt, boot_pd	/* boot_efi.S fills them too */
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096
	/* The core's stack, with an unmapped guard page below it. */
	.globl pc_stack_guard, pc_stack_top
pc_stack_guard:
	.skip	4096
	.skip	256 * 1024
pc_stack_top:

	.section .note.GNU-stack, "", @progbits
