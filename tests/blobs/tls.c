/* Thread-local storage in every model gcc emits for x86-64 (built -fPIC,
 * -fPIE and -fno-pic; see loader/module.mk): tls_check() returns 0 when
 * initial values, zeroed .tbss, writes and cross-object access are right. */
__thread int tls_counter = 41;			/* .tdata */
static __thread long tls_private[4];		/* .tbss, TLSLD with -fPIC */
extern __thread int tls_shared;			/* tlsvar.c: TLSGD / GOTTPOFF */
static __thread char *tls_ptr = (char *)"tdata pointer";	/* R_X86_64_64 in .tdata */

int
tls_bump(void)
{
	return ++tls_counter;
}

int
tls_check(void)
{
	if (tls_counter != 41)
		return 1;
	if (tls_private[0] || tls_private[3])
		return 2;
	tls_private[3] = 7;
	if (tls_private[3] != 7)
		return 3;
	if (tls_shared != 1234)
		return 4;
	tls_shared++;
	if (tls_shared != 1235)
		return 5;
	if (tls_ptr[0] != 't' || tls_ptr[6] != 'p')
		return 6;
	if (tls_bump() != 42 || tls_counter != 42)
		return 7;
	return 0;
}
