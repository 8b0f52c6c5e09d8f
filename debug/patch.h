/* debug/ internal: the record of every change made to blob code. */
#ifndef DEBUG_PATCH_H
#define DEBUG_PATCH_H

#include <core/types.h>

#define PATCH_MAX 64
#define PATCH_BYTES 32

struct patch {
	u64 addr;
	size_t len;		/* 0: free slot */
	const char *kind;	/* "patch", "nop", "hook", "bp" */
	u8 orig[PATCH_BYTES];
	u8 now[PATCH_BYTES];
};

struct patch *patch_add(u64 addr, const u8 *bytes, size_t len, const char *kind);
int patch_remove(struct patch *p);
struct patch *patch_find(u64 addr);
/* NULL if [addr, addr+len) is blob text that may be patched, else why not
 * ("a PLT stub the loader made...", "not inside the text of a loaded blob"). */
const char *dbg_text_refusal(u64 addr, size_t len);
/* The name of the protection domain whose code addr is, else NULL: its
 * pages are user pages, read and written through domain_window (SMAP). */
const char *dbg_domain_of(u64 addr);

#endif
