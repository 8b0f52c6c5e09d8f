/* pcscd's logging functions, which IFD handlers import (libccid calls
 * log_msg and log_xxd and expects its host to have them): the VMM provides
 * them, printed on the console with their priority.  `card log LEVEL`
 * chooses the lowest priority shown.  libccid filters first by its own
 * level (ifdLogLevel in Info.plist, or the environment variable
 * LIBCCID_ifdLogLevel).  The domain runtime carries the same two functions
 * (domain/module.mk builds this file with -DBV_DOMAIN), so a handler in a
 * protection domain prints the same lines through BV_SYS_WRITE.  There the
 * level and the count of dropped lines are the domain's own variables
 * (bv_card_log_shown, bv_card_log_dropped, in the domain's data): `card
 * log' and card_driver_find write the VMM's level into every domain that
 * has them, through the domain's checked copy-out (a handler in a domain
 * could change its copy, which only changes what it prints). */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/export.h>
#include <core/string.h>
#include <card/ifdh.h>
#ifndef BV_DOMAIN
#include <domain/domain.h>
#include <loader/blob.h>
#include <loader/introspect.h>
#endif
#include "card.h"

#ifdef BV_DOMAIN
/* Named, so that the VMM can find and set them in the domain's data. */
int bv_card_log_shown = PCSC_LOG_ERROR;
unsigned long long bv_card_log_dropped;
#define shown bv_card_log_shown
#define dropped bv_card_log_dropped
#else
static int shown = PCSC_LOG_ERROR;	/* errors and critical ones by default */
static u64 dropped;
#endif

static const char *const names[] = { "debug", "info", "error", "critical" };

static const char *
prio_name(int p)
{
	return p >= 0 && p < 4 ? names[p] : "?";
}

void
log_msg(const int priority, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (priority < shown) {
		dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("card: [%s] %s\n", prio_name(priority), buf);
}
#ifndef BV_DOMAIN
EXPORT(log_msg, PCSC);
#endif

void
log_xxd(const int priority, const char *msg, const unsigned char *buffer, const int size)
{
	char line[3 * 32 + 1];
	int n = size < 0 ? 0 : size;

	if (priority < shown) {
		dropped++;
		return;
	}
	/* one line per 32 bytes, the message on the first */
	for (int off = 0; off < n || off == 0; off += 32) {
		int k = MIN(32, n - off), p = 0;

		for (int i = 0; i < k; i++)
			p += snprintf(line + p, sizeof(line) - (size_t)p, "%02X ", buffer[off + i]);
		line[p] = 0;
		kprintf("card: [%s] %s%s\n", prio_name(priority), off ? "  " : msg ? msg : "", line);
		if (n == 0)
			break;
	}
}
#ifndef BV_DOMAIN
EXPORT(log_xxd, PCSC);

int
card_log_level(void)
{
	return shown;
}

/* The level into every protection domain carrying the runtime's log
 * functions; the lines the domains dropped are added to *dropped_out. */
static void
push_level(u64 *dropped_out)
{
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		struct domain *d = blob_domain(b);
		bool found;
		u64 lv, dr;
		u64 n = 0;

		if (!d || blob_failed(b))
			continue;
		lv = blob_lookup(b, "bv_card_log_shown", &found);
		if (!found || domain_write(d, lv, &shown, sizeof(shown)))
			continue;
		dr = blob_lookup(b, "bv_card_log_dropped", &found);
		if (found && dropped_out && !domain_read(d, dr, &n, sizeof(n)))
			*dropped_out += n;
	}
}

void
card_log_push(void)
{
	push_level(NULL);
}

static int
cmd_card_log(int argc, char **argv)
{
	if (argc == 1) {
		u64 all = dropped;

		push_level(&all);
		kprintf("card log: showing %s and above (%llu lower messages dropped)\n",
			shown > PCSC_LOG_CRITICAL ? "nothing" : prio_name(shown),
			(unsigned long long)all);
		return 0;
	}
	for (int i = 0; i < 4; i++)
		if (!strcmp(argv[1], names[i])) {
			shown = i;
			push_level(NULL);
			return 0;
		}
	if (!strcmp(argv[1], "off")) {
		shown = PCSC_LOG_CRITICAL + 1;
		push_level(NULL);
		return 0;
	}
	kprintf("card log: '%s': want debug, info, error, critical or off\n", argv[1]);
	return -1;
}
DBGSH_COMMAND("card log", cmd_card_log,
	      "[debug|info|error|critical|off]: IFD handler (libccid) messages shown on the console");
#endif
