/* What dongled serves: a device model and the facts usbredir announces for
 * it.  The dongle (dongled.c) and the CCID reader (ccid.c, --ccid) are the
 * two personalities; the usbredir session code is shared. */
#ifndef DONGLED_PERSONA_H
#define DONGLED_PERSONA_H

#include <core/types.h>
#include <usb/model.h>

struct persona_ep {
	u8 address;		/* with the direction bit */
	u8 type;		/* usb_redir_type_bulk or _interrupt */
	u8 interval;
	u16 max_packet;
};

struct persona {
	const char *what;	/* "dongle", "reader": for messages */
	struct usb_model *model;
	u16 vid, pid;
	u8 iface_class;
	const struct persona_ep *eps;
	int neps;
	/* Called from the server loop after every wake-up (signals). */
	void (*tick)(void);
	/* One line of statistics for -v ("12 commands, 3 state saves"). */
	void (*stats)(char *buf, size_t len);
};

/* The --ccid personality (ccid.c): state file opened and loaded (or, with
 * init, written fresh and exit 0), model made, SIGUSR1/SIGUSR2 set up. */
void ccid_persona_setup(struct persona *p, const char *state, const char *serial,
			bool init, bool no_card);
void ccid_persona_close(void);

/* dongled.c: "dongled: ..." on stderr; die exits 2, vlog only with -v. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
