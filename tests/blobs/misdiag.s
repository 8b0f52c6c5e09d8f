# Blob code the fault diagnosis used to misname (issue 16): each function
# one shape, exact instructions so the diagnosis has something fixed to name.
	.text
	.globl md_hlt
	.type md_hlt, @function
md_hlt:
	hlt
	ret
	.size md_hlt, .-md_hlt

	.globl md_cli
	.type md_cli, @function
md_cli:
	cli
	ret
	.size md_cli, .-md_cli

# ret to a small address: not a call through a NULL pointer
	.globl md_ret_small
	.type md_ret_small, @function
md_ret_small:
	pushq	$0x10
	ret
	.size md_ret_small, .-md_ret_small

# a call through a NULL pointer, for contrast
	.globl md_call_null
	.type md_call_null, @function
md_call_null:
	xorl	%eax, %eax
	callq	*%rax
	ret
	.size md_call_null, .-md_call_null

# 32 bytes above the first frame's return address: above the stack's top
	.globl md_above_stack
	.type md_above_stack, @function
md_above_stack:
	movq	$0, 32(%rsp)
	ret
	.size md_above_stack, .-md_above_stack

# spin until a signal arrives from outside
	.globl md_spin
	.type md_spin, @function
md_spin:
	jmp	md_spin
	.size md_spin, .-md_spin

	.section .note.GNU-stack,"",@progbits
