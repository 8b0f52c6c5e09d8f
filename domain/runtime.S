/* The domain runtime (domain/user/, linked with ld -r into one ET_REL
 * object) carried inside the VMM image: `blob load --domain' adds it to
 * every domain's namespace, so a domain's imports resolve inside it. */
	.section .rodata
	.balign 16
	.globl	domain_runtime_start, domain_runtime_end
domain_runtime_start:
	.incbin	DOMAIN_RUNTIME
domain_runtime_end:

	.section .note.GNU-stack, "", @progbits
