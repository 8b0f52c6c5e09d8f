# Raw system calls from blob code: the VMM must contain each as a blob fault
# (seccomp: only the VMM's own call sites reach the kernel).
	.text
# exit_group(7): would end blobvisor without a word
	.globl rs_exit_group
	.type rs_exit_group, @function
rs_exit_group:
	movl	$231, %eax
	movl	$7, %edi
	syscall
	ret
	.size rs_exit_group, .-rs_exit_group

# alarm(0): would disarm the watchdog, then spin
	.globl rs_alarm_spin
	.type rs_alarm_spin, @function
rs_alarm_spin:
	movl	$37, %eax
	xorl	%edi, %edi
	syscall
1:	jmp	1b
	.size rs_alarm_spin, .-rs_alarm_spin

# kill(getpid(), SIGSEGV) made by hand
	.globl rs_kill_self
	.type rs_kill_self, @function
rs_kill_self:
	movl	$39, %eax
	syscall
	movl	%eax, %edi
	movl	$11, %esi
	movl	$62, %eax
	syscall
	ret
	.size rs_kill_self, .-rs_kill_self

# the 32-bit entry: int $0x80 exit(3)
	.globl rs_int80
	.type rs_int80, @function
rs_int80:
	movl	$1, %eax
	movl	$3, %ebx
	int	$0x80
	ret
	.size rs_int80, .-rs_int80

	.section .note.GNU-stack,"",@progbits
