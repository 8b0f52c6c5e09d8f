/* libusb-1.0 with threads, the way drivers use it: an event thread loops in
 * libusb_handle_events_timeout_completed while the main thread submits an
 * asynchronous interrupt read, then writes what it will read with a
 * synchronous transfer and waits for the callback as an event waiter
 * (another thread is handling events).  Against the echo device. */
#include <libusb.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static libusb_context *ctx;
static volatile int stop;
static pthread_t evt;

struct got {
	int done, status, n;
	pthread_t who;
	long at_ms;
	unsigned char data[64];
};

static long
ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void LIBUSB_CALL
cb(struct libusb_transfer *t)
{
	struct got *g = t->user_data;

	g->status = t->status;
	g->n = t->actual_length;
	memcpy(g->data, t->buffer, t->actual_length > 0 ? t->actual_length : 0);
	g->who = pthread_self();
	g->at_ms = ms();
	g->done = 1;
}

static void *
events(void *arg)
{
	struct timeval tv = { 0, 100000 };

	(void)arg;
	while (!stop)
		libusb_handle_events_timeout_completed(ctx, &tv, NULL);
	return NULL;
}

int usb1_thread_test(void);
int
usb1_thread_test(void)
{
	libusb_device_handle *h;
	struct libusb_transfer *t;
	unsigned char buf[64];
	struct got g;
	long wrote_at, t0;
	int n, ok = 0, in_evt = 0, rounds = 20;

	libusb_init(&ctx);
	h = libusb_open_device_with_vid_pid(ctx, 0xf055, 0xe0c0);
	if (!h) {
		printf("no echo device\n");
		libusb_exit(ctx);
		return 1;
	}
	libusb_claim_interface(h, 0);
	pthread_create(&evt, NULL, events, NULL);
	t = libusb_alloc_transfer(0);
	t0 = ms();
	for (int i = 0; i < rounds; i++) {
		char msg[16];

		memset(&g, 0, sizeof(g));
		snprintf(msg, sizeof(msg), "ping %d", i);
		libusb_fill_interrupt_transfer(t, h, 0x81, buf, sizeof(buf), cb, &g, 3000);
		libusb_submit_transfer(t);
		if (i == 0)
			usleep(100000);	/* the read waits in the event thread now */
		wrote_at = ms();
		libusb_interrupt_transfer(h, 0x01, (unsigned char *)msg, (int)strlen(msg), &n, 1000);
		while (!g.done)
			libusb_handle_events_completed(ctx, &g.done);
		ok += g.status == LIBUSB_TRANSFER_COMPLETED && g.n == (int)strlen(msg) &&
		      !memcmp(g.data, msg, g.n) && g.at_ms >= wrote_at;
		in_evt += pthread_equal(g.who, evt);
	}
	printf("async reads answered after their writes: %d/%d; callbacks in the event thread: %d/%d; "
	       "within 3 s: %s\n", ok, rounds, in_evt, rounds, ms() - t0 < 3000 ? "yes" : "no");
	/* A read nobody answers: the event thread times it out. */
	memset(&g, 0, sizeof(g));
	libusb_fill_interrupt_transfer(t, h, 0x81, buf, sizeof(buf), cb, &g, 200);
	t0 = ms();
	libusb_submit_transfer(t);
	while (!g.done)
		libusb_handle_events_completed(ctx, &g.done);
	printf("unanswered read: status %d (TIMED_OUT %d) after %s\n", g.status,
	       LIBUSB_TRANSFER_TIMED_OUT, ms() - t0 >= 190 && ms() - t0 < 1500 ? "its timeout" : "?");
	stop = 1;
	pthread_join(evt, NULL);
	libusb_free_transfer(t);
	libusb_release_interface(h, 0);
	libusb_close(h);
	libusb_exit(ctx);
	return 0;
}
