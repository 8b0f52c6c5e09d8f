/* qsort as a stable merge sort (glibc sorts with a merge sort too, so equal
 * elements come out in the same order), bsearch as glibc's bisection. */
#include "libc.h"

struct sorter {
	size_t size;
	int (*cmp)(const void *, const void *, void *);
	void *arg;
	u8 *tmp;
};

static void
merge_sort(struct sorter *s, u8 *base, size_t n)
{
	size_t half = n / 2, i = 0, j = half, k = 0;
	size_t sz = s->size;

	if (n < 2)
		return;
	merge_sort(s, base, half);
	merge_sort(s, base + half * sz, n - half);
	if (s->cmp(base + (half - 1) * sz, base + half * sz, s->arg) <= 0)
		return;		/* already in order */
	while (i < half && j < n) {
		if (s->cmp(base + j * sz, base + i * sz, s->arg) < 0)
			memcpy(s->tmp + k++ * sz, base + j++ * sz, sz);
		else
			memcpy(s->tmp + k++ * sz, base + i++ * sz, sz);
	}
	memcpy(s->tmp + k * sz, base + i * sz, (half - i) * sz);
	k += half - i;
	memcpy(base, s->tmp, k * sz);	/* the rest of the right half stays */
}

/* Without memory for the merge buffer: stable insertion sort. */
static void
insertion_sort(struct sorter *s, u8 *base, size_t n)
{
	size_t sz = s->size;

	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0 && s->cmp(base + (j - 1) * sz, base + j * sz, s->arg) > 0; j--) {
			u8 *a = base + (j - 1) * sz, *b = base + j * sz;
			for (size_t k = 0; k < sz; k++) {
				u8 t = a[k];
				a[k] = b[k];
				b[k] = t;
			}
		}
	}
}

void
qsort_r(void *base, size_t n, size_t size,
	int (*cmp)(const void *, const void *, void *), void *arg)
{
	struct sorter s = { size, cmp, arg, NULL };
	u8 small[1024];

	if (n < 2 || !size)
		return;
	if (n > SIZE_MAX / size)
		return;
	if (n * size <= sizeof(small))
		s.tmp = small;
	else
		s.tmp = malloc(n * size);
	if (s.tmp)
		merge_sort(&s, base, n);
	else
		insertion_sort(&s, base, n);
	if (s.tmp && s.tmp != small)
		free(s.tmp);
}
EXPORT(qsort_r, LIBC);

static int
call_plain(const void *a, const void *b, void *cmp)
{
	return ((int (*)(const void *, const void *))cmp)(a, b);
}

void
qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	qsort_r(base, n, size, call_plain, (void *)cmp);
}
EXPORT(qsort, LIBC);

void *
bsearch(const void *key, const void *base, size_t n, size_t size,
	int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const u8 *p = (const u8 *)base + mid * size;
		int c = cmp(key, p);

		if (c < 0)
			hi = mid;
		else if (c > 0)
			lo = mid + 1;
		else
			return (void *)p;
	}
	return NULL;
}
EXPORT(bsearch, LIBC);
