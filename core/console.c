/* Console output for the core: formatting via the shared vsnprintf, output
 * through the platform, optionally captured into a buffer. */
#include <core/console.h>
#include <core/platform.h>
#include <core/spinlock.h>
#include <core/string.h>

static struct console_capture *capture;

void
console_capture_begin(struct console_capture *cap)
{
	cap->len = 0;
	if (cap->size)
		cap->buf[0] = '\0';
	capture = cap;
}

void
console_capture_end(void)
{
	capture = NULL;
}

void
console_write(const char *buf, size_t len)
{
	if (capture) {
		size_t room = capture->size ? capture->size - 1 - capture->len : 0;
		size_t n = MIN(len, room);

		memcpy(capture->buf + capture->len, buf, n);
		capture->len += n;
		if (capture->size)
			capture->buf[capture->len] = '\0';
		return;
	}
	plat_console_write(buf, len);
}

int
kvprintf(const char *fmt, va_list ap)
{
	char small[256];
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		return n;
	if ((size_t)n < sizeof(small)) {
		console_write(small, n);
		return n;
	}
	/* Long output (register dumps, tables): format in chunks without a
	 * heap, which may be what just broke. */
	{
		char big[4096];

		n = vsnprintf(big, sizeof(big), fmt, ap);
		console_write(big, MIN((size_t)n, sizeof(big) - 1));
	}
	return n;
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void
kputs(const char *s)
{
	console_write(s, strlen(s));
	console_write("\n", 1);
}
