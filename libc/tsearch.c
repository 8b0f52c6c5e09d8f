/* <search.h>'s binary trees: tsearch/tfind/tdelete/twalk/twalk_r/tdestroy.
 * An AVL tree (glibc uses red-black; POSIX leaves the shape open, so twalk
 * depths may differ from glibc's while the order, the results and the
 * node layout do not).  A node starts with the key pointer, as glibc's,
 * because callers read the key through the returned node pointer.  Nodes
 * are relinked, never have their keys swapped, so a pointer tsearch
 * returned stays valid until that key is deleted.  tdelete returns the
 * deleted node's parent, or (as glibc) the deleted root's own, now freed,
 * pointer when the root goes: only its being non-NULL means anything. */
#include "libc.h"

typedef int (*cmp_fn)(const void *, const void *);
typedef enum { preorder, postorder, endorder, leaf } VISIT;

struct node {
	const void *key;
	struct node *left, *right;
	int height;
};

void *tsearch(const void *key, void **rootp, cmp_fn compar);
void *tfind(const void *key, void *const *rootp, cmp_fn compar);
void *tdelete(const void *key, void **rootp, cmp_fn compar);
void twalk(const void *root, void (*action)(const void *, VISIT, int));
void twalk_r(const void *root, void (*action)(const void *, VISIT, void *), void *closure);
void tdestroy(void *root, void (*freefn)(void *));

static int
height(const struct node *n)
{
	return n ? n->height : 0;
}

static void
fix_height(struct node *n)
{
	int l = height(n->left), r = height(n->right);

	n->height = 1 + (l > r ? l : r);
}

static struct node *
rotate_right(struct node *n)
{
	struct node *l = n->left;

	n->left = l->right;
	l->right = n;
	fix_height(n);
	fix_height(l);
	return l;
}

static struct node *
rotate_left(struct node *n)
{
	struct node *r = n->right;

	n->right = r->left;
	r->left = n;
	fix_height(n);
	fix_height(r);
	return r;
}

static struct node *
balance(struct node *n)
{
	int b;

	fix_height(n);
	b = height(n->left) - height(n->right);
	if (b > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (b < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

/* Insert below *link; *found gets the node holding key (old or new), NULL
 * when malloc failed. */
static struct node *
insert(struct node *n, const void *key, cmp_fn compar, struct node **found)
{
	int c;

	if (!n) {
		n = malloc(sizeof(*n));
		*found = n;
		if (!n)
			return NULL;
		n->key = key;
		n->left = n->right = NULL;
		n->height = 1;
		return n;
	}
	c = compar(key, n->key);
	if (c == 0) {
		*found = n;
		return n;
	}
	if (c < 0)
		n->left = insert(n->left, key, compar, found);
	else
		n->right = insert(n->right, key, compar, found);
	return balance(n);
}

void *
tsearch(const void *key, void **rootp, cmp_fn compar)
{
	struct node *found = NULL;

	if (!rootp)
		return NULL;
	*rootp = insert(*rootp, key, compar, &found);
	return found;
}
EXPORT(tsearch, LIBC);

void *
tfind(const void *key, void *const *rootp, cmp_fn compar)
{
	struct node *n;

	if (!rootp)
		return NULL;
	for (n = *rootp; n;) {
		int c = compar(key, n->key);

		if (c == 0)
			return n;
		n = c < 0 ? n->left : n->right;
	}
	return NULL;
}
EXPORT(tfind, LIBC);

/* Unlink the smallest node below n into *min; returns the new subtree. */
static struct node *
take_min(struct node *n, struct node **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = take_min(n->left, min);
	return balance(n);
}

static struct node *
delete(struct node *n, const void *key, cmp_fn compar, struct node *parent, void **ret)
{
	int c;

	if (!n)
		return NULL;
	c = compar(key, n->key);
	if (c < 0) {
		n->left = delete(n->left, key, compar, n, ret);
	} else if (c > 0) {
		n->right = delete(n->right, key, compar, n, ret);
	} else {
		struct node *l = n->left, *r = n->right, *succ;

		*ret = parent ? (void *)parent : (void *)n;
		free(n);
		if (!l || !r)
			return l ? l : r;
		r = take_min(r, &succ);
		succ->left = l;
		succ->right = r;
		return balance(succ);
	}
	return balance(n);
}

void *
tdelete(const void *key, void **rootp, cmp_fn compar)
{
	void *ret = NULL;

	if (!rootp || !*rootp)
		return NULL;
	*rootp = delete(*rootp, key, compar, NULL, &ret);
	return ret;
}
EXPORT(tdelete, LIBC);

static void
walk(const struct node *n, void (*action)(const void *, VISIT, int), int depth)
{
	if (!n->left && !n->right) {
		action(n, leaf, depth);
		return;
	}
	action(n, preorder, depth);
	if (n->left)
		walk(n->left, action, depth + 1);
	action(n, postorder, depth);
	if (n->right)
		walk(n->right, action, depth + 1);
	action(n, endorder, depth);
}

void
twalk(const void *root, void (*action)(const void *, VISIT, int))
{
	if (root && action)
		walk(root, action, 0);
}
EXPORT(twalk, LIBC);

static void
walk_r(const struct node *n, void (*action)(const void *, VISIT, void *), void *closure)
{
	if (!n->left && !n->right) {
		action(n, leaf, closure);
		return;
	}
	action(n, preorder, closure);
	if (n->left)
		walk_r(n->left, action, closure);
	action(n, postorder, closure);
	if (n->right)
		walk_r(n->right, action, closure);
	action(n, endorder, closure);
}

void
twalk_r(const void *root, void (*action)(const void *, VISIT, void *), void *closure)
{
	if (root && action)
		walk_r(root, action, closure);
}
EXPORT(twalk_r, LIBC);

/* GNU: free every node, calling freefn on each key (children first). */
void
tdestroy(void *root, void (*freefn)(void *))
{
	struct node *n = root;

	if (!n)
		return;
	tdestroy(n->left, freefn);
	tdestroy(n->right, freefn);
	freefn((void *)n->key);
	free(n);
}
EXPORT(tdestroy, LIBC);
