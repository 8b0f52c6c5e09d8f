	.data
	.globl narrow
narrow:
	.word local_target
	.byte 0
local_target:
	.quad 0
