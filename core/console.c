/* Console output for the core: formatting via the shared formatter
 * (vformat, libc/format.c), output through the platform, optionally
 * captured into a buffer. */
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

static void
console_sink(void *ctx, const char *p, size_t n)
{
	console_write(p, n);
}

int
kvprintf(const char *fmt, va_list ap)
{
	return vformat(console_sink, NULL, fmt, ap);
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
