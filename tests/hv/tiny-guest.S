/* The small guest for the hypervisor under Bochs (tests/hv/vmx_bochs.sh):
 * a "bzImage" the VMM's Linux loader accepts, whose 32-bit code exercises
 * what the hypervisor intercepts and prints what it saw on COM2 (the
 * guest's serial port; COM1 belongs to the VMM):
 *   CPUID (the hypervisor leaf, the hidden VMX bit), RDMSR of
 *   IA32_FEATURE_CONTROL, PCI configuration through 0xCF8/0xCFC (every
 *   function on bus 0, so the VMM's claimed one can be missed), VMCALL
 *   HC_STATS and HC_DBGSH ("version") with paging off, then long mode
 *   (EFER.LME by WRMSR, CR0.PG: the IA-32e switch under the hypervisor),
 *   CPUID and HC_DBGSH with the kernel command line as the line, through
 *   4-level page tables, and a triple
 *   fault at the end (the VMM reports it and goes on).
 * Position-independent: the VMM places it above its own memory. */
#define COM2	0x2f8
#define OUTMAX	8192
#define HYPERCALL .byte 0x0f, 0x01, 0xc1	/* vmcall */

	.code32
	.text
	.globl _start
_start:
	.org	0x1f1
	.byte	1			/* setup_sects */
	.org	0x200
	.byte	0xeb, 0x66		/* jmp: also the header's length byte */
	.ascii	"HdrS"
	.word	0x020c			/* boot protocol 2.12 */
	.org	0x234
	.byte	1			/* relocatable */
	.org	0x260
	.long	0x40000			/* init_size: code, data and page tables */
	.org	0x400			/* protected-mode code: (1 + 1) * 512 */
pm_start:
	movl	%esi, %esp		/* the boot protocol gives no stack: below boot_params */
	call	1f
1:	popl	%ebp
	subl	$(1b - pm_start), %ebp	/* %ebp: where pm_start was loaded */
#define A(sym) ((sym) - pm_start)(%ebp)
	movl	%esi, A(bootp)
	leal	A(stack_top), %esp
	movb	$'T', %al
	outb	%al, $0xe9		/* Bochs's debug port: the guest is alive */
	/* COM2: 115200 8N1 (Bochs's UART sends nothing at divisor 0) */
	movw	$(COM2 + 3), %dx
	movb	$0x80, %al
	outb	%al, %dx
	movw	$COM2, %dx
	movb	$1, %al
	outb	%al, %dx
	movw	$(COM2 + 1), %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$(COM2 + 3), %dx
	movb	$3, %al
	outb	%al, %dx

	leal	A(s_start), %esi
	call	puts

	/* CPUID 0x40000000: the signature in EBX, ECX, EDX */
	movl	$0x40000000, %eax
	cpuid
	movl	%ebx, A(sig)
	movl	%ecx, A(sig + 4)
	movl	%edx, A(sig + 8)
	leal	A(s_sig), %esi
	call	puts
	leal	A(sig), %esi
	call	puts
	call	nl
	/* CPUID 1: ECX bit 5 VMX, bit 31 hypervisor */
	movl	$1, %eax
	cpuid
	pushl	%ecx
	leal	A(s_vmx), %esi
	call	puts
	movl	(%esp), %eax
	shrl	$5, %eax
	andl	$1, %eax
	call	hex8
	leal	A(s_hv), %esi
	call	puts
	popl	%eax
	shrl	$31, %eax
	call	hex8
	call	nl
	/* RDMSR IA32_FEATURE_CONTROL: intercepted, locked with VMX off */
	movl	$0x3a, %ecx
	rdmsr
	pushl	%eax
	leal	A(s_fc), %esi
	call	puts
	popl	%eax
	call	hex8
	call	nl

	/* PCI: every device and function on bus 0 that answers */
	xorl	%edi, %edi		/* bus 0, device << 11 | function << 8 */
2:	movl	%edi, %eax
	orl	$0x80000000, %eax
	movw	$0xcf8, %dx
	outl	%eax, %dx
	movw	$0xcfc, %dx
	inl	%dx, %eax
	cmpl	$0xffffffff, %eax
	je	3f
	pushl	%eax
	leal	A(s_pci), %esi
	call	puts
	movl	%edi, %eax
	shrl	$8, %eax
	call	hex8			/* devfn */
	leal	A(s_sp), %esi
	call	puts
	popl	%eax
	call	hex8			/* device << 16 | vendor */
	call	nl
3:	addl	$0x100, %edi
	cmpl	$0x10000, %edi
	jb	2b

	call	hypercalls
	leal	A(s_pm_done), %esi
	call	puts

	/* Long mode: PML4 -> PDPT -> four page directories of 2 MiB pages
	 * mapping the first 4 GiB one to one. */
	leal	A(tables), %edi
	addl	$0xfff, %edi
	andl	$~0xfff, %edi		/* %edi: the PML4, 4 KiB aligned */
	pushl	%edi
	movl	%edi, %ebx
	movl	$(6 * 1024), %ecx
	xorl	%eax, %eax
	rep stosl			/* six pages: PML4, PDPT, 4 PDs */
	leal	0x1003(%ebx), %eax
	movl	%eax, (%ebx)		/* PML4[0] -> PDPT */
	xorl	%ecx, %ecx
4:	leal	0x2003(%ebx), %eax
	movl	%ecx, %edx
	shll	$12, %edx
	addl	%edx, %eax
	movl	%eax, 0x1000(%ebx,%ecx,8)	/* PDPT[i] -> PD i */
	incl	%ecx
	cmpl	$4, %ecx
	jb	4b
	xorl	%ecx, %ecx		/* 2048 entries of 2 MiB */
5:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax		/* P, W, PS */
	movl	%eax, 0x2000(%ebx,%ecx,8)
	movl	%ecx, %eax
	shrl	$11, %eax
	movl	%eax, 0x2004(%ebx,%ecx,8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	5b
	popl	%ebx
	movl	%cr4, %eax
	orl	$0x20, %eax		/* PAE */
	movl	%eax, %cr4
	movl	%ebx, %cr3
	movl	$0xc0000080, %ecx	/* EFER.LME: not intercepted */
	rdmsr
	orl	$0x100, %eax
	wrmsr
	/* our GDT: 0x08 64-bit code, 0x10 data */
	leal	A(gdt), %eax
	movl	%eax, A(gdtr + 2)
	lgdt	A(gdtr)
	movl	%cr0, %eax
	orl	$0x80000000, %eax	/* PG: now IA-32e (compatibility mode) */
	movl	%eax, %cr0
	leal	A(long_start), %eax
	pushl	$0x08
	pushl	%eax
	lret

	.code64
long_start:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %ss
	leaq	s_long(%rip), %rsi
	call	puts64
	movl	$0x40000000, %eax
	cpuid
	movl	%ebx, sig(%rip)
	leaq	s_sig(%rip), %rsi
	call	puts64
	leaq	sig(%rip), %rsi
	call	puts64
	leaq	s_nl(%rip), %rsi
	call	puts64
	/* HC_DBGSH from long mode: the VMM walks our 4-level tables; the
	 * line is the kernel command line (`guest start tiny.bin x LINE') */
	movl	bootp(%rip), %eax
	movl	0x228(%rax), %ebx	/* cmd_line_ptr */
	xorl	%ecx, %ecx
10:	cmpb	$0, (%rbx,%rcx)
	je	11f
	incl	%ecx
	jmp	10b
11:	movl	$2, %eax
	leaq	outbuf(%rip), %rdx
	movl	$(OUTMAX - 1), %esi
	HYPERCALL
	movb	$0, (%rdx,%rcx)
	pushq	%rax
	leaq	s_dbgsh64(%rip), %rsi
	call	puts64
	popq	%rax
	leaq	s_ok(%rip), %rsi
	testq	%rax, %rax
	jz	6f
	leaq	s_fail(%rip), %rsi
6:	call	puts64
	leaq	outbuf(%rip), %rsi
	call	puts64
	leaq	s_done(%rip), %rsi
	call	puts64
	/* the end: no IDT, #GP on int3 -> #DF -> triple fault */
	lidt	null_idt(%rip)
	int3
7:	hlt
	jmp	7b

puts64:				/* %rsi: NUL-terminated */
8:	lodsb
	testb	%al, %al
	jz	9f
	call	putc
	jmp	8b
9:	ret

	.code32
/* HC_STATS and HC_DBGSH "version" with paging off (guest-virtual =
 * guest-physical for the VMM). */
hypercalls:
	movl	$1, %eax
	HYPERCALL
	pushl	%ebx
	pushl	%eax
	leal	A(s_stats), %esi
	call	puts
	popl	%eax
	call	hex8
	leal	A(s_exits), %esi
	call	puts
	popl	%eax
	call	hex8
	call	nl
	movl	$2, %eax
	leal	A(line), %ebx
	movl	$(line_end - line), %ecx
	leal	A(outbuf), %edx
	movl	$(OUTMAX - 1), %esi
	HYPERCALL
	movb	$0, (%edx,%ecx)
	pushl	%eax
	leal	A(s_dbgsh), %esi
	call	puts
	popl	%eax
	call	hex8
	call	nl
	leal	A(outbuf), %esi
	call	puts
	ret

puts:				/* %esi: NUL-terminated */
	pushl	%eax
1:	lodsb
	testb	%al, %al
	jz	2f
	call	putc
	jmp	1b
2:	popl	%eax
	ret

nl:
	pushl	%eax
	movb	$'\n', %al
	call	putc
	popl	%eax
	ret

/* %al to COM2 once the transmitter is empty (LSR bit 5); the same bytes
 * work in 32- and 64-bit mode (push/pop of %edx/%rdx) */
putc:
	pushl	%edx
	pushl	%eax
	movw	$(COM2 + 5), %dx
1:	inb	%dx, %al
	testb	$0x20, %al
	jz	1b
	popl	%eax
	movw	$COM2, %dx
	outb	%al, %dx
	popl	%edx
	ret

hex8:				/* %eax as 8 hex digits */
	pushl	%ecx
	pushl	%edx
	pushl	%ebx
	movl	%eax, %ebx
	movl	$8, %ecx
1:	roll	$4, %ebx
	movl	%ebx, %eax
	andl	$15, %eax
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	2f
	addb	$('a' - '0' - 10), %al
2:	call	putc
	loop	1b
	popl	%ebx
	popl	%edx
	popl	%ecx
	ret

	/* data: in .text too, so the code reaches it by offset */
s_start:	.asciz	"tiny: start\n"
s_sig:		.asciz	"tiny: cpuid 0x40000000: "
s_vmx:		.asciz	"tiny: cpuid 1: vmx "
s_hv:		.asciz	" hypervisor "
s_fc:		.asciz	"tiny: rdmsr feature control "
s_pci:		.asciz	"tiny: pci devfn "
s_sp:		.asciz	" id "
s_stats:	.asciz	"tiny: hc stats rax "
s_exits:	.asciz	" exits "
s_dbgsh:	.asciz	"tiny: hc dbgsh rax "
s_pm_done:	.asciz	"tiny: protected mode done\n"
s_long:		.asciz	"tiny: long mode\n"
s_dbgsh64:	.asciz	"tiny: long mode hc dbgsh "
s_ok:		.asciz	"ok\n"
s_fail:		.asciz	"failed\n"
s_done:		.asciz	"tiny: done, triple fault next\n"
s_nl:		.asciz	"\n"
line:		.ascii	"version"
line_end:
	.balign	8
sig:		.fill	16, 1, 0
null_idt:	.word	0
		.quad	0
gdtr:		.word	3 * 8 - 1
		.long	0
	.balign	8
gdt:		.quad	0
		.quad	0x00af9b000000ffff	/* 64-bit code */
		.quad	0x00cf93000000ffff	/* data */
bootp:		.long	0
outbuf:		.fill	OUTMAX, 1, 0
	.balign	16
stack:		.fill	4096, 1, 0
stack_top:
tables:		.fill	7 * 4096, 1, 0
