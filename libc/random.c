/* random/srandom/initstate/setstate and their _r forms with glibc's exact
 * sequences: an additive feedback generator x[i] = x[i-deg] + x[i-sep]
 * (mod 2^32, result >> 1) over a caller's state buffer of 8..256+ bytes
 * (TYPE_0 .. TYPE_4), seeded with 16807 * x mod (2^31 - 1) (Schrage's
 * method, no 64-bit product) and run 10 * deg times before the first
 * output.  TYPE_0 (a buffer under 32 bytes) is the plain LCG
 * x = x * 1103515245 + 12345 mod 2^31.  A state buffer's first word records
 * its type and the rear pointer (MAX_TYPES * rear + type), so setstate can
 * resume a buffer exactly where it stopped, as glibc's does. */
#include "libc.h"

#define MAX_TYPES	5

/* glibc's struct random_data, 48 bytes on x86-64. */
struct random_data {
	s32 *fptr, *rptr, *state;
	int rand_type, rand_deg, rand_sep;
	s32 *end_ptr;
};
_Static_assert(sizeof(struct random_data) == 48, "glibc's struct random_data");

static const int degrees[MAX_TYPES] = { 0, 7, 15, 31, 63 };
static const int seps[MAX_TYPES] = { 0, 3, 1, 3, 1 };

int random_r(struct random_data *buf, s32 *result);
int srandom_r(unsigned seed, struct random_data *buf);
int initstate_r(unsigned seed, char *state, size_t n, struct random_data *buf);
int setstate_r(char *state, struct random_data *buf);
char *initstate(unsigned seed, char *state, size_t n);
char *setstate(char *state);

int
random_r(struct random_data *buf, s32 *result)
{
	s32 *state;

	if (!buf || !result) {
		errno = EINVAL;
		return -1;
	}
	state = buf->state;
	if (buf->rand_type == 0) {
		s32 v = (s32)(((u32)state[0] * 1103515245U + 12345U) & 0x7fffffff);

		state[0] = v;
		*result = v;
		return 0;
	}
	s32 *f = buf->fptr, *r = buf->rptr, *end = buf->end_ptr;
	u32 v = (u32)*f + (u32)*r;

	*f = (s32)v;
	*result = (s32)(v >> 1);
	if (++f >= end) {
		f = state;
		++r;
	} else if (++r >= end) {
		r = state;
	}
	buf->fptr = f;
	buf->rptr = r;
	return 0;
}
EXPORT(random_r, LIBC);

int
srandom_r(unsigned seed, struct random_data *buf)
{
	s32 *state, word, discard;
	int kc;

	if (!buf || (unsigned)buf->rand_type >= MAX_TYPES) {
		errno = EINVAL;
		return -1;
	}
	state = buf->state;
	if (seed == 0)
		seed = 1;
	state[0] = (s32)seed;
	if (buf->rand_type == 0)
		return 0;
	word = (s32)seed;
	kc = buf->rand_deg;
	for (int i = 1; i < kc; i++) {
		/* 16807 * word mod (2^31 - 1) without overflow (Schrage). */
		s32 hi = word / 127773, lo = word % 127773;

		word = 16807 * lo - 2836 * hi;
		if (word < 0)
			word += 2147483647;
		state[i] = word;
	}
	buf->fptr = &state[buf->rand_sep];
	buf->rptr = &state[0];
	for (kc *= 10; kc > 0; kc--)
		random_r(buf, &discard);
	return 0;
}
EXPORT(srandom_r, LIBC);

/* Remember where a buffer stopped in its first word. */
static void
save_position(struct random_data *buf)
{
	s32 *old = buf->state;

	if (!old)
		return;
	if (buf->rand_type == 0)
		old[-1] = 0;
	else
		old[-1] = MAX_TYPES * (s32)(buf->rptr - old) + buf->rand_type;
}

int
initstate_r(unsigned seed, char *arg_state, size_t n, struct random_data *buf)
{
	int type;
	s32 *state;

	if (!buf) {
		errno = EINVAL;
		return -1;
	}
	save_position(buf);	/* even when n is refused, as glibc */
	if (n < 8) {
		errno = EINVAL;
		return -1;
	}
	if (n >= 128)
		type = n < 256 ? 3 : 4;
	else if (n < 32)
		type = 0;
	else
		type = n < 64 ? 1 : 2;
	buf->rand_type = type;
	buf->rand_sep = seps[type];
	buf->rand_deg = degrees[type];
	state = (s32 *)arg_state + 1;
	buf->end_ptr = &state[degrees[type]];
	buf->state = state;
	srandom_r(seed, buf);
	state[-1] = type == 0 ? 0 : MAX_TYPES * (s32)(buf->rptr - state) + type;
	return 0;
}
EXPORT(initstate_r, LIBC);

int
setstate_r(char *arg_state, struct random_data *buf)
{
	s32 *state = (s32 *)arg_state + 1;
	int type, rear;

	if (!arg_state || !buf) {
		errno = EINVAL;
		return -1;
	}
	save_position(buf);
	type = state[-1] % MAX_TYPES;
	if (type < 0 || type >= MAX_TYPES) {
		errno = EINVAL;
		return -1;
	}
	buf->rand_deg = degrees[type];
	buf->rand_sep = seps[type];
	buf->rand_type = type;
	if (type != 0) {
		rear = state[-1] / MAX_TYPES;
		buf->rptr = &state[rear];
		buf->fptr = &state[(rear + seps[type]) % degrees[type]];
	}
	buf->state = state;
	buf->end_ptr = &state[degrees[type]];
	return 0;
}
EXPORT(setstate_r, LIBC);

/* The process-wide generator: glibc's 128-byte TYPE_3 table as if from
 * initstate(1, table, 128), filled on first use. */
static s32 table[32];
static struct random_data global;

static struct random_data *
global_gen(void)
{
	if (!global.state)
		initstate_r(1, (char *)table, sizeof(table), &global);
	return &global;
}

void
srandom(unsigned seed)
{
	srandom_r(seed, global_gen());
}
EXPORT(srandom, LIBC);

long
random(void)
{
	s32 r;

	random_r(global_gen(), &r);
	return r;
}
EXPORT(random, LIBC);

void
srand(unsigned seed)
{
	srandom(seed);
}
EXPORT(srand, LIBC);

int
rand(void)
{
	return (int)random();
}
EXPORT(rand, LIBC);

/* Both return the previous state buffer (its type word), NULL on error. */
char *
initstate(unsigned seed, char *state, size_t n)
{
	struct random_data *g = global_gen();
	char *old = (char *)(g->state - 1);

	return initstate_r(seed, state, n, g) ? NULL : old;
}
EXPORT(initstate, LIBC);

char *
setstate(char *state)
{
	struct random_data *g = global_gen();
	char *old = (char *)(g->state - 1);

	return setstate_r(state, g) ? NULL : old;
}
EXPORT(setstate, LIBC);
