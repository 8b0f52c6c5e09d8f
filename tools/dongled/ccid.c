/* dongled --ccid: the CCID reader and its test card (docs/ccid.md) as
 * dongled's second personality.  The card's try counter lives in the state
 * file, with the dongle's guarantees (statefile.c: atomic save, one owner,
 * no symlinks, .tmp cleanup); SIGUSR1 removes the card, SIGUSR2 inserts it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <usbredirparser.h>
#include <ccid/ccid.h>
#include "persona.h"
#include "statefile.h"

static struct ccid_reader reader;
static struct statefile sf;
static volatile sig_atomic_t want_card = -1;	/* -1: no request; 0 remove; 1 insert */

static const struct persona_ep ccid_eps[] = {
	{ CCID_EP_OUT, usb_redir_type_bulk, 0, CCID_MAX_PACKET },
	{ CCID_EP_IN, usb_redir_type_bulk, 0, CCID_MAX_PACKET },
	{ CCID_EP_INT, usb_redir_type_interrupt, 16, CCID_INT_PACKET },
};

static int
persist(void *ctx, const u8 *image, size_t len)
{
	int r = statefile_save(&sf, image, len);

	if (r < 0)
		fprintf(stderr, "dongled: %s: cannot save the card's state: %s; command refused\n",
			sf.path, strerror(-r));
	return r;
}

static void
on_card_signal(int sig)
{
	want_card = sig == SIGUSR2;
}

/* Apply a card change a signal asked for (outside the handler: the model
 * is not async-signal-safe). */
static void
ccid_tick(void)
{
	int w = want_card;

	if (w < 0)
		return;
	want_card = -1;
	if (reader.card.present != (w == 1))
		fprintf(stderr, "dongled: card %s\n", w ? "inserted" : "removed");
	ccid_reader_set_card(&reader, w == 1);
}

static void
ccid_stats(char *buf, size_t len)
{
	snprintf(buf, len, "%llu messages, %llu state saves, %u PIN tries left",
		 (unsigned long long)reader.messages, (unsigned long long)reader.card.persists,
		 reader.card.st.tries);
}

static void
save_fresh(struct ccid_card_state *st, const char *serial)
{
	u8 image[CCID_STATE_SIZE];
	int r;

	if (ccid_state_factory(st, serial) < 0)
		die("--serial '%s': want 1..16 characters of 0-9 A-Z a-z -", serial);
	ccid_state_encode(st, image);
	r = statefile_save(&sf, image, sizeof(image));
	if (r < 0)
		die("%s: %s", sf.path, strerror(-r));
}

void
ccid_persona_setup(struct persona *p, const char *state, const char *serial, bool init,
		   bool no_card)
{
	struct ccid_card_state st;
	struct ccid_env env = { .persist = persist };
	u8 buf[CCID_STATE_SIZE + 1];
	char err[512];
	const char *why;
	size_t n;
	int r;

	if (serial && ccid_state_factory(&st, serial) < 0)
		die("--serial '%s': want 1..16 characters of 0-9 A-Z a-z -", serial);
	if (statefile_open(&sf, state, err, sizeof(err)) < 0)
		die("%s", err);
	if (sf.stale_tmp)
		fprintf(stderr, "dongled: %s: removed, left by an interrupted save (the state file "
			"holds the last complete one)\n", sf.tmp);
	if (init) {
		save_fresh(&st, serial);
		exit(0);
	}
	r = statefile_read(&sf, buf, sizeof(buf), &n, err, sizeof(err));
	if (r == -ENOENT) {
		save_fresh(&st, serial);
		fprintf(stderr, "dongled: %s: created a fresh card state (serial %s, PIN tries %u)\n",
			state, st.serial, st.tries);
	} else if (r < 0) {
		die("%s", err);
	} else if (ccid_state_decode(&st, buf, n, &why) < 0) {
		die("%s: %s", state, why);
	}
	if (serial && strcmp(serial, st.serial) != 0)
		die("%s: the card's serial is %s, not %s (--serial applies to new state files)",
		    state, st.serial, serial);
	ccid_reader_init(&reader, &st, &env, !no_card);
	*p = (struct persona){
		.what = "reader", .model = &reader.model, .vid = CCID_VID, .pid = CCID_PID,
		.iface_class = 0x0B, .eps = ccid_eps, .neps = 3, .tick = ccid_tick,
		.stats = ccid_stats,
	};
	struct sigaction sa = { .sa_handler = on_card_signal };
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	vlog("CCID reader, card %s, serial %s, %u PIN tries left", no_card ? "absent" : "inserted",
	     st.serial, st.tries);
}

void
ccid_persona_close(void)
{
	statefile_close(&sf);
}
