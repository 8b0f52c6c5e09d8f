/* TLS through descriptors (built -mtls-dialect=gnu2): the descriptor's
 * resolver would be VMM code, so a domain refuses the object at load
 * (tests/e2e/qemu_domain.sh). */
__thread int tlsdesc_var = 3;

int
tlsdesc_get(void)
{
	return tlsdesc_var;
}
