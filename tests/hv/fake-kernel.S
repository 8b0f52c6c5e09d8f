/* A minimal "bzImage" for the hypervisor's negative tests: a setup header
 * that the VMM's Linux loader accepts, then 32-bit code that misbehaves on
 * purpose.  Built twice: -DTOUCH_VMM writes into the VMM's memory (a nested
 * page fault), otherwise it triple-faults (a shutdown). */
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
	.long	0x10000			/* init_size */
	.org	0x400			/* protected-mode code: (1 + 1) * 512 */
#ifdef TOUCH_VMM
	movl	$0x200000, %eax		/* the VMM's image */
	movl	$0xbad, (%eax)
#else
	lidt	(%esi)			/* garbage IDT: boot_params' first bytes */
	movl	$0, %esp
	int3				/* no usable IDT: #DF, then shutdown */
#endif
1:	hlt
	jmp	1b
