/* Time from the TSC.  Its rate is measured once at boot against PIT channel
 * 2 (the speaker channel: gate through port 0x61, no interrupt); after that
 * neither the PIT nor any periodic interrupt is used, because under the
 * hypervisor those belong to the guest.  Wall time is the CMOS RTC read once
 * at boot plus TSC time since. */
#include <core/platform.h>
#include "pc.h"

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61

static u64 tsc_hz, base_tsc, ns_mult;	/* ns = ticks * ns_mult >> 32 */
static u64 wall_at_boot;

static u16
pit_ch2_read(void)
{
	u8 lo, hi;

	outb(PIT_CMD, 0x80);		/* latch channel 2 */
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return (u16)(hi << 8 | lo);
}

/* Read the PIT counter between two TSC reads; returns how long the read
 * took (TSC ticks) and the TSC at its middle. */
static u64
sample(u16 *count, u64 *tsc)
{
	u64 a = rdtsc(), b;

	*count = pit_ch2_read();
	b = rdtsc();
	*tsc = a + (b - a) / 2;
	return b - a;
}

/* A read no slower than 4x the fastest seen: the host did not deschedule
 * us in the middle of it.  Gives up after many stretched reads. */
static bool
clean_sample(u16 *count, u64 *tsc, u64 fastest)
{
	for (int i = 0; i < 1000; i++)
		if (sample(count, tsc) <= 4 * fastest)
			return true;
	return false;
}

/* TSC ticks per second over ~10 ms of PIT channel 2 counting down (mode 0,
 * from 0xffff: 55 ms before it wraps); 0 if no clean measurement. */
static u64
calibrate_once(void)
{
	u64 t0, t1, fastest = ~0ULL;
	u16 c0, c1;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x03));	/* gate low, speaker off */
	outb(PIT_CMD, 0xb0);			/* ch2, lo/hi, mode 0, binary */
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate high: count */
	for (int i = 0; i < 8; i++)
		fastest = MIN(fastest, sample(&c0, &t0));
	if (!clean_sample(&c0, &t0, fastest))
		return 0;
	do {
		if (!clean_sample(&c1, &t1, fastest))
			return 0;
	} while (c1 <= c0 && (u16)(c0 - c1) < PIT_HZ / 100);
	if (c1 > c0 || c0 == c1)
		return 0;	/* wrapped: we were away for 55 ms */
	return (t1 - t0) * PIT_HZ / (u16)(c0 - c1);
}

static unsigned
bcd(unsigned v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 15);
}

static u8
cmos(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static u64
rtc_read(void)
{
	unsigned s, mi, h, d, mo, y, c;
	u8 b;

	while (cmos(0x0a) & 0x80)	/* update in progress */
		__builtin_ia32_pause();
	s = cmos(0x00); mi = cmos(0x02); h = cmos(0x04);
	d = cmos(0x07); mo = cmos(0x08); y = cmos(0x09); c = cmos(0x32);
	b = cmos(0x0b);
	s = bcd(s, b & 4); mi = bcd(mi, b & 4); d = bcd(d, b & 4);
	mo = bcd(mo, b & 4); y = bcd(y, b & 4); c = bcd(c, b & 4);
	if (b & 2)			/* 24-hour mode */
		h = bcd(h, b & 4);
	else				/* 12-hour: bit 7 is PM */
		h = bcd(h & 0x7f, b & 4) % 12 + (h & 0x80 ? 12 : 0);
	if (c < 19 || c > 30)
		c = 20;
	return pc_civil_seconds(c * 100 + y, mo, d, h, mi, s);
}

/* The RTC's seconds register, read outside an update cycle. */
unsigned
pc_rtc_second(void)
{
	while (cmos(0x0a) & 0x80)
		__builtin_ia32_pause();
	return cmos(0x00);
}

void
pc_time_init(void)
{
	u64 best = 0;

	/* Three clean measurements; the median discards one bad outlier. */
	u64 m[3];
	int n = 0;

	for (int tries = 0; n < 3 && tries < 10; tries++) {
		u64 hz = calibrate_once();

		if (hz)
			m[n++] = hz;
	}
	if (n == 3) {
		for (int i = 0; i < 2; i++)
			for (int j = 0; j < 2 - i; j++)
				if (m[j] > m[j + 1]) {
					u64 t = m[j];

					m[j] = m[j + 1];
					m[j + 1] = t;
				}
		best = m[1];
	} else if (n) {
		best = m[0];
	} else {
		/* No usable PIT: say so, and go on with a guess rather than stop. */
		pc_serial_puts("pc: TSC calibration against the PIT failed; assuming 1 GHz\n");
		best = 1000000000;
	}
	tsc_hz = best;
	ns_mult = (1000000000ULL << 32) / tsc_hz;
	base_tsc = rdtsc();
	wall_at_boot = rtc_read();
}

u64
pc_tsc_hz(void)
{
	return tsc_hz;
}

u64
plat_time_ns(void)
{
	return (u64)((unsigned __int128)(rdtsc() - base_tsc) * ns_mult >> 32);
}

u64
plat_wall_seconds(void)
{
	return wall_at_boot + plat_time_ns() / 1000000000ULL;
}
