#include <core/console.h>
#include <core/panic.h>
#include <core/platform.h>

void
panic(const char *fmt, ...)
{
	va_list ap;

	console_capture_end();
	kprintf("panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	plat_exit(99);
}
