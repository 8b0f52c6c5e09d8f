/* System calls a blob might make behind the domain ABI's back, built like
 * a vendor object (tests/e2e/hosted_domain.sh).  In a domain every SYSCALL
 * is the domain ABI's, and a number it lacks (Linux's fork, 57, or openat,
 * 257) ends the domain; another ABI's entry (int $0x80) is stopped and
 * named. */
long
raw_fork(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(57L) : "rcx", "r11", "memory");
	return r;
}

/* openat(AT_FDCWD, "/etc/passwd", O_RDONLY), Linux's system call 257 */
long
raw_open(void)
{
	static const char path[] = "/etc/passwd";
	register long flags __asm__("rdx") = 0;
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(257L), "D"(-100L), "S"(path), "r"(flags)
			 : "rcx", "r11", "memory");
	return r;
}

/* getpid through the 32-bit ABI */
long
raw_int80(void)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	return r;
}
