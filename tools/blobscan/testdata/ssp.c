/* A buffer on the stack: -fstack-protector-strong guards it. */
char *strcpy(char *d, const char *s);
int puts(const char *s);

int
greet(const char *name)
{
	char buf[64];

	strcpy(buf, name);
	return puts(buf);
}
