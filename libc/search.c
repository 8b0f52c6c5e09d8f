/* <search.h>: the hash table (hcreate/hsearch/hdestroy and the _r forms
 * on glibc's 16-byte struct hsearch_data), linear search (lsearch/lfind)
 * and queues (insque/remque).  The binary trees are in tsearch.c.
 *
 * The hash table holds exactly as many entries as glibc's: the first prime
 * >= nel (at least 3); ENTER into a full table fails with ENOMEM, FIND of
 * an absent key with ESRCH, and ENTER of a present key returns the entry
 * already there without changing its data. */
#include "libc.h"


typedef struct entry {
	char *key;
	void *data;
} ENTRY;
typedef enum { FIND, ENTER } ACTION;

struct slot {
	unsigned used;
	ENTRY entry;
};

struct hsearch_data {
	struct slot *table;
	unsigned size, filled;
};
_Static_assert(sizeof(struct hsearch_data) == 16, "glibc's struct hsearch_data");

int hcreate_r(size_t nel, struct hsearch_data *htab);
void hdestroy_r(struct hsearch_data *htab);
int hsearch_r(ENTRY item, ACTION action, ENTRY **retval, struct hsearch_data *htab);
int hcreate(size_t nel);
void hdestroy(void);
ENTRY *hsearch(ENTRY item, ACTION action);

static bool
is_prime(unsigned n)
{
	for (unsigned d = 3; (u64)d * d <= n; d += 2)
		if (n % d == 0)
			return false;
	return n % 2 != 0;
}

int
hcreate_r(size_t nel, struct hsearch_data *htab)
{
	if (!htab) {
		errno = EINVAL;
		return 0;
	}
	if (htab->table)	/* already made: glibc leaves it alone */
		return 0;
	if (nel < 3)
		nel = 3;
	for (nel |= 1;; nel += 2) {
		if (nel > 0xffffffffUL - 2) {
			errno = ENOMEM;
			return 0;
		}
		if (is_prime((unsigned)nel))
			break;
	}
	htab->size = (unsigned)nel;
	htab->filled = 0;
	htab->table = calloc(nel + 1, sizeof(struct slot));
	if (!htab->table)
		return 0;
	return 1;
}
EXPORT(hcreate_r, LIBC);

void
hdestroy_r(struct hsearch_data *htab)
{
	if (!htab) {
		errno = EINVAL;
		return;
	}
	free(htab->table);
	htab->table = NULL;
}
EXPORT(hdestroy_r, LIBC);

/* FNV-1a: any hash serves, only membership is observable. */
static unsigned
hash_key(const char *s)
{
	u32 h = 2166136261U;

	while (*s)
		h = (h ^ (u8)*s++) * 16777619U;
	return h;
}

int
hsearch_r(ENTRY item, ACTION action, ENTRY **retval, struct hsearch_data *htab)
{
	unsigned h, size, idx, step;

	if (!htab || !htab->table || !htab->size) {
		*retval = NULL;
		errno = action == ENTER ? ENOMEM : ESRCH;
		return 0;
	}
	size = htab->size;
	h = hash_key(item.key);
	/* Double hashing over a prime size visits every slot once. */
	idx = h % size;
	step = 1 + h % (size - 2);
	for (unsigned n = 0; n < size; n++) {
		struct slot *s = &htab->table[idx];

		if (!s->used)
			break;
		if (!strcmp(s->entry.key, item.key)) {
			*retval = &s->entry;
			return 1;
		}
		idx = (idx + step) % size;
	}
	if (action == ENTER) {
		if (htab->filled == size) {
			errno = ENOMEM;
			*retval = NULL;
			return 0;
		}
		/* The probe stopped on an empty slot (the table is not full). */
		struct slot *s = &htab->table[idx];

		s->used = 1;
		s->entry = item;
		htab->filled++;
		*retval = &s->entry;
		return 1;
	}
	errno = ESRCH;
	*retval = NULL;
	return 0;
}
EXPORT(hsearch_r, LIBC);

static struct hsearch_data global_htab;

int
hcreate(size_t nel)
{
	return hcreate_r(nel, &global_htab);
}
EXPORT(hcreate, LIBC);

void
hdestroy(void)
{
	hdestroy_r(&global_htab);
}
EXPORT(hdestroy, LIBC);

ENTRY *
hsearch(ENTRY item, ACTION action)
{
	ENTRY *ret;

	hsearch_r(item, action, &ret, &global_htab);
	return ret;
}
EXPORT(hsearch, LIBC);

void *lfind(const void *key, const void *base, size_t *nmemb, size_t size,
	    int (*compar)(const void *, const void *));
void *lsearch(const void *key, void *base, size_t *nmemb, size_t size,
	      int (*compar)(const void *, const void *));

void *
lfind(const void *key, const void *base, size_t *nmemb, size_t size,
      int (*compar)(const void *, const void *))
{
	const char *p = base;

	for (size_t i = 0; i < *nmemb; i++, p += size)
		if (!compar(key, p))
			return (void *)p;
	return NULL;
}
EXPORT(lfind, LIBC);

void *
lsearch(const void *key, void *base, size_t *nmemb, size_t size,
	int (*compar)(const void *, const void *))
{
	void *found = lfind(key, base, nmemb, size, compar);

	if (found)
		return found;
	found = (char *)base + *nmemb * size;
	memcpy(found, key, size);
	++*nmemb;
	return found;
}
EXPORT(lsearch, LIBC);

/* struct qelem's two links; insque(e, NULL) makes e a one-element list. */
struct qelem {
	struct qelem *q_forw, *q_back;
};

void insque(void *elem, void *prev);
void remque(void *elem);

void
insque(void *elem, void *prev)
{
	struct qelem *e = elem, *p = prev;

	if (!p) {
		e->q_forw = e->q_back = NULL;
		return;
	}
	struct qelem *next = p->q_forw;

	p->q_forw = e;
	if (next)
		next->q_back = e;
	e->q_forw = next;
	e->q_back = p;
}
EXPORT(insque, LIBC);

void
remque(void *elem)
{
	struct qelem *e = elem;

	if (e->q_forw)
		e->q_forw->q_back = e->q_back;
	if (e->q_back)
		e->q_back->q_forw = e->q_forw;
}
EXPORT(remque, LIBC);
