/* <search.h>, random/initstate/setstate and basename/dirname against
 * glibc: the same operation sequences on both, every result compared.
 * Tree shape is left open by POSIX (glibc's red-black, ours AVL), so twalk
 * is compared by its in-order visits and by the depth bound. */
#include "bv.h"
#include <libgen.h>
#include <search.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#undef basename
char *basename(const char *);	/* glibc's GNU one, from <string.h> */
char *__xpg_basename(char *);

int bv_hcreate(size_t);
void bv_hdestroy(void);
ENTRY *bv_hsearch(ENTRY, ACTION);
int bv_hcreate_r(size_t, struct hsearch_data *);
void bv_hdestroy_r(struct hsearch_data *);
int bv_hsearch_r(ENTRY, ACTION, ENTRY **, struct hsearch_data *);
void *bv_tsearch(const void *, void **, int (*)(const void *, const void *));
void *bv_tfind(const void *, void *const *, int (*)(const void *, const void *));
void *bv_tdelete(const void *, void **, int (*)(const void *, const void *));
void bv_twalk(const void *, void (*)(const void *, VISIT, int));
void bv_twalk_r(const void *, void (*)(const void *, VISIT, void *), void *);
void bv_tdestroy(void *, void (*)(void *));
void *bv_lfind(const void *, const void *, size_t *, size_t, int (*)(const void *, const void *));
void *bv_lsearch(const void *, void *, size_t *, size_t, int (*)(const void *, const void *));
void bv_insque(void *, void *);
void bv_remque(void *);
long bv_random(void);
void bv_srandom(unsigned);
int bv_rand(void);
void bv_srand(unsigned);
char *bv_initstate(unsigned, char *, size_t);
char *bv_setstate(char *);
int bv_random_r(struct random_data *, int32_t *);
int bv_srandom_r(unsigned, struct random_data *);
int bv_initstate_r(unsigned, char *, size_t, struct random_data *);
int bv_setstate_r(char *, struct random_data *);
char *bv_basename(const char *);
char *bv___xpg_basename(char *);
char *bv_dirname(char *);

static int shown;
#define DIFF(cond, ...) do { if (cond) { bad++; if (shown++ < 12) printf("# " __VA_ARGS__); } } while (0)

static void
test_hsearch(void)
{
	int bad = 0;
	static char keys[3000][12];
	struct hsearch_data gh = { 0 }, oh = { 0 };

	for (int i = 0; i < 3000; i++)
		snprintf(keys[i], sizeof(keys[i]), "k%u", (unsigned)(rnd() % 2500));
	for (size_t nel = 0; nel < 40; nel += 3) {
		memset(&gh, 0, sizeof(gh));
		memset(&oh, 0, sizeof(oh));
		DIFF(hcreate_r(nel, &gh) != bv_hcreate_r(nel, &oh), "hcreate_r(%zu)\n", nel);
		DIFF(hcreate_r(nel, &gh) != bv_hcreate_r(nel, &oh), "hcreate_r twice\n");
		/* fill past capacity: ENTER fails at the same count with ENOMEM */
		for (int i = 0; i < 60; i++) {
			ENTRY e = { keys[i], (void *)(intptr_t)i }, *gr, *or;
			int x, y, ge, oe;

			errno = 0; shim_errno = 0;
			x = hsearch_r(e, i % 3 ? ENTER : FIND, &gr, &gh); ge = errno;
			y = bv_hsearch_r(e, i % 3 ? ENTER : FIND, &or, &oh); oe = shim_errno;
			DIFF(x != y || (!x && ge != oe) || (!gr) != (!or) ||
			     (gr && (strcmp(gr->key, or->key) || gr->data != or->data)),
			     "hsearch_r nel %zu step %d (%s): glibc %d errno %d, ours %d errno %d\n",
			     nel, i, keys[i], x, ge, y, oe);
		}
		hdestroy_r(&gh);
		bv_hdestroy_r(&oh);
	}
	DIFF(hcreate(1000) != bv_hcreate(1000), "hcreate\n");
	for (int i = 0; i < 3000; i++) {
		ENTRY e = { keys[i], (void *)(intptr_t)i }, *g, *o;
		ACTION a = rnd() % 2 ? ENTER : FIND;

		g = hsearch(e, a);
		o = bv_hsearch(e, a);
		DIFF(!g != !o || (g && (strcmp(g->key, o->key) || g->data != o->data)),
		     "hsearch step %d %s %s\n", i, a == ENTER ? "ENTER" : "FIND", keys[i]);
	}
	hdestroy();
	bv_hdestroy();
	TAP_CHECK(!bad, "hcreate/hsearch/hdestroy and the _r forms: capacity (first prime >= nel), "
		  "ENTER/FIND results, ENOMEM when full and ESRCH when absent as glibc");
}

static int
cmp_int(const void *a, const void *b)
{
	intptr_t x = (intptr_t)a, y = (intptr_t)b;

	return x < y ? -1 : x > y;
}

static intptr_t walked[2][8192];
static int nwalked[2], maxdepth[2];

static void
walk_g(const void *n, VISIT v, int depth)
{
	if (v == postorder || v == leaf)
		walked[0][nwalked[0]++] = *(intptr_t *)n;
	if (depth > maxdepth[0])
		maxdepth[0] = depth;
}

static void
walk_o(const void *n, VISIT v, int depth)
{
	if (v == postorder || v == leaf)
		walked[1][nwalked[1]++] = *(intptr_t *)n;
	if (depth > maxdepth[1])
		maxdepth[1] = depth;
}

static void
walk_r_o(const void *n, VISIT v, void *closure)
{
	if (v == postorder || v == leaf)
		((intptr_t *)closure)[++((intptr_t *)closure)[0]] = *(intptr_t *)n;
}

static int freed;

static void
count_free(void *key)
{
	freed++;
}

static void
test_tsearch(void)
{
	int bad = 0;
	void *groot = NULL, *oroot = NULL;
	static intptr_t rwalk[8193];

	DIFF(bv_tsearch((void *)1, NULL, cmp_int) || bv_tfind((void *)1, NULL, cmp_int) ||
	     bv_tdelete((void *)1, NULL, cmp_int) || bv_tdelete((void *)1, &oroot, cmp_int),
	     "NULL rootp or an empty tree\n");
	for (int i = 0; i < 20000; i++) {
		intptr_t k = (intptr_t)(rnd() % 1500) + 1;
		int op = rnd() % 3;
		void *g, *o;

		if (i > 15000)
			k = i;	/* a sorted run: the tree must stay balanced */
		if (op == 0 || i > 15000) {
			g = tsearch((void *)k, &groot, cmp_int);
			o = bv_tsearch((void *)k, &oroot, cmp_int);
			DIFF(!g || !o || *(intptr_t *)g != *(intptr_t *)o, "tsearch %ld\n", (long)k);
		} else if (op == 1) {
			g = tfind((void *)k, &groot, cmp_int);
			o = bv_tfind((void *)k, &oroot, cmp_int);
			DIFF(!g != !o || (g && *(intptr_t *)g != *(intptr_t *)o), "tfind %ld\n", (long)k);
		} else {
			void *old_root = oroot;

			g = tdelete((void *)k, &groot, cmp_int);
			o = bv_tdelete((void *)k, &oroot, cmp_int);
			DIFF(!g != !o, "tdelete %ld: glibc %p ours %p\n", (long)k, g, o);
			/* the parent (if the root did not go) still holds a key in the tree */
			if (o && o != old_root)
				DIFF(!bv_tfind(*(void **)o, &oroot, cmp_int), "tdelete's parent is in the tree\n");
		}
		if (i % 1000 == 0 || i == 19999) {
			nwalked[0] = nwalked[1] = maxdepth[0] = maxdepth[1] = 0;
			twalk(groot, walk_g);
			bv_twalk(oroot, walk_o);
			rwalk[0] = 0;
			bv_twalk_r(oroot, walk_r_o, rwalk);
			DIFF(nwalked[0] != nwalked[1] || memcmp(walked[0], walked[1], nwalked[0] * sizeof(intptr_t)) ||
			     rwalk[0] != nwalked[1] || memcmp(rwalk + 1, walked[1], nwalked[1] * sizeof(intptr_t)),
			     "twalk's in-order visits at step %d (%d and %d nodes)\n", i, nwalked[0], nwalked[1]);
			/* AVL: height <= 1.44 log2(n + 2) */
			int lim = 1;
			for (int n = nwalked[1] + 2; n > 1; n >>= 1)
				lim++;
			DIFF(maxdepth[1] > lim * 3 / 2, "depth %d for %d nodes\n", maxdepth[1], nwalked[1]);
		}
	}
	tdestroy(groot, count_free);
	int gfreed = freed;
	freed = 0;
	bv_tdestroy(oroot, count_free);
	DIFF(gfreed != freed, "tdestroy freed %d and %d keys\n", gfreed, freed);
	TAP_CHECK(!bad, "tsearch/tfind/tdelete on 20000 random and sorted operations: same results, "
		  "same in-order twalk/twalk_r visits as glibc, depth within the AVL bound, tdestroy visits each key");
}

static int
cmp_ints(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void
test_lsearch_insque(void)
{
	int bad = 0;
	int ga[64], oa[64];
	size_t gn = 0, on = 0;
	struct q { struct q *f, *b; int v; } gq[8], oq[8];

	for (int i = 0; i < 200; i++) {
		int k = (int)(rnd() % 40);
		int *g, *o;

		if (i % 2) {
			g = lsearch(&k, ga, &gn, sizeof(int), cmp_ints);
			o = bv_lsearch(&k, oa, &on, sizeof(int), cmp_ints);
		} else {
			g = lfind(&k, ga, &gn, sizeof(int), cmp_ints);
			o = bv_lfind(&k, oa, &on, sizeof(int), cmp_ints);
		}
		DIFF(gn != on || !g != !o || (g && (g - ga != o - oa || *g != *o)), "lsearch/lfind %d\n", k);
	}
	/* the same insertions and removals on two queues */
	for (int i = 0; i < 8; i++)
		gq[i].v = oq[i].v = i;
	insque(&gq[0], NULL);
	bv_insque(&oq[0], NULL);
	for (int i = 1; i < 8; i++) {
		int at = (int)(rnd() % i);

		insque(&gq[i], &gq[at]);
		bv_insque(&oq[i], &oq[at]);
	}
	remque(&gq[3]);
	bv_remque(&oq[3]);
	remque(&gq[0]);
	bv_remque(&oq[0]);
	for (int i = 0; i < 8; i++)
		DIFF((gq[i].f ? gq[i].f - gq : -1) != (oq[i].f ? oq[i].f - oq : -1) ||
		     (gq[i].b ? gq[i].b - gq : -1) != (oq[i].b ? oq[i].b - oq : -1), "queue element %d\n", i);
	TAP_CHECK(!bad, "lsearch/lfind (append when absent) and insque/remque (NULL-headed queues) "
		  "leave the same arrays and links as glibc");
}

static void
test_random(void)
{
	int bad = 0;
	static char gbuf[6][300], obuf[6][300];
	static const size_t sizes[6] = { 8, 31, 32, 64, 128, 256 };

	/* unseeded: glibc's table as if from initstate(1, table, 128) */
	for (int i = 0; i < 1000; i++)
		DIFF(random() != bv_random(), "unseeded random step %d\n", i);
	for (int s = 0; s < 5; s++) {
		unsigned seed = s == 0 ? 0 : s == 1 ? 1 : (unsigned)rnd();

		srandom(seed);
		bv_srandom(seed);
		for (int i = 0; i < 1000; i++)
			DIFF(random() != bv_random(), "srandom(%u) step %d\n", seed, i);
		srand(seed);
		bv_srand(seed);
		for (int i = 0; i < 100; i++)
			DIFF(rand() != bv_rand(), "srand(%u) step %d\n", seed, i);
	}
	/* every state size (TYPE_0..TYPE_4), switching back and forth */
	for (int t = 0; t < 6; t++) {
		unsigned seed = (unsigned)rnd();
		char *g = initstate(seed, gbuf[t], sizes[t]), *o = bv_initstate(seed, obuf[t], sizes[t]);

		DIFF(!g != !o, "initstate(%zu) result\n", sizes[t]);
		for (int i = 0; i < 500; i++)
			DIFF(random() != bv_random(), "initstate size %zu step %d\n", sizes[t], i);
	}
	for (int r = 0; r < 30; r++) {
		int t = (int)(rnd() % 6);
		char *g = setstate(gbuf[t]), *o = bv_setstate(obuf[t]);

		DIFF(!g != !o, "setstate result\n");
		for (int i = 0; i < 50; i++)
			DIFF(random() != bv_random(), "setstate(size %zu) step %d\n", sizes[t], i);
		DIFF(memcmp(gbuf[t], obuf[t], sizes[t]), "state buffer %zu bytes differ\n", sizes[t]);
	}
	errno = 0; shim_errno = 0;
	DIFF(!initstate(1, gbuf[0], 7) != !bv_initstate(1, obuf[0], 7) || errno != shim_errno,
	     "initstate with 7 bytes is refused EINVAL\n");
	/* the reentrant forms on their own buffers */
	struct random_data gd = { 0 }, od = { 0 };
	char gs[128], os[128];
	int32_t gr, or;

	DIFF(initstate_r(42, gs, sizeof(gs), &gd) != bv_initstate_r(42, os, sizeof(os), &od), "initstate_r\n");
	for (int i = 0; i < 300; i++) {
		random_r(&gd, &gr);
		bv_random_r(&od, &or);
		DIFF(gr != or, "random_r step %d\n", i);
	}
	srandom_r(7, &gd);
	bv_srandom_r(7, &od);
	setstate_r(gs, &gd);
	bv_setstate_r(os, &od);
	for (int i = 0; i < 300; i++) {
		random_r(&gd, &gr);
		bv_random_r(&od, &or);
		DIFF(gr != or, "random_r after srandom_r/setstate_r step %d\n", i);
	}
	TAP_CHECK(!bad, "random/srandom/rand/srand, initstate/setstate over 8..256-byte states (TYPE_0 "
		  "to TYPE_4) and the _r forms: every number and every state byte equals glibc's");
}

static void
test_paths(void)
{
	int bad = 0, n = 0;
	static const char alpha[] = "/a.";
	char s[8], g[8], o[8];

	/* every string of up to 6 characters over / a . */
	for (int len = 0; len <= 6; len++) {
		int total = 1;

		for (int k = 0; k < len; k++)
			total *= 3;
		for (int v = 0; v < total; v++, n++) {
			int x = v;

			for (int k = 0; k < len; k++, x /= 3)
				s[k] = alpha[x % 3];
			s[len] = 0;
			DIFF(strcmp(basename(s), bv_basename(s)), "basename(\"%s\")\n", s);
			strcpy(g, s); strcpy(o, s);
			char *gr = __xpg_basename(g), *or = bv___xpg_basename(o);
			DIFF(strcmp(gr, or) || strcmp(g, o), "__xpg_basename(\"%s\"): glibc \"%s\" ours \"%s\"\n", s, gr, or);
			strcpy(g, s); strcpy(o, s);
			gr = dirname(g); or = bv_dirname(o);
			DIFF(strcmp(gr, or) || memcmp(g, o, len + 1), "dirname(\"%s\"): glibc \"%s\" ours \"%s\"\n",
			     s, gr, or);
		}
	}
	DIFF(strcmp(__xpg_basename(NULL), bv___xpg_basename(NULL)) || strcmp(dirname(NULL), bv_dirname(NULL)),
	     "NULL\n");
	TAP_CHECK(!bad, "basename (GNU), __xpg_basename and dirname on all %d strings of up to 6 of "
		  "'/', 'a', '.' and NULL: results and the written strings equal glibc's", n);
}

int
main(void)
{
	test_hsearch();
	test_tsearch();
	test_lsearch_insque();
	test_random();
	test_paths();
	return tap_done();
}
