/* Thread-local storage: refused with the symbol and object named. */
__thread int tls_counter;

int
tls_bump(void)
{
	return ++tls_counter;
}
