/* GNU ar archives (the format of Debian's lib*.a): symbol index "/" (or
 * "/SYM64/"), long names in "//".  Thin archives are refused.  Like the ELF
 * parser this compiles on the host too and allocates nothing. */
#ifndef LOADER_AR_H
#define LOADER_AR_H

#include <core/types.h>

struct ar_file {
	const char *name;
	const u8 *buf;
	size_t len;
	const u8 *index;	/* symbol index payload, NULL if none */
	size_t index_len;
	u32 nsyms;
	unsigned offw;		/* 4 ("/") or 8 ("/SYM64/") */
	const char *names;	/* the index's name strings */
	size_t names_len;
	const char *longnames;	/* the "//" member, NULL if none */
	size_t longnames_len;
};

struct ar_member {
	char name[256];
	u64 hdr;		/* offset of the member header: its identity */
	const u8 *data;
	size_t size;
};

bool ar_is_archive(const void *buf, size_t len);
/* Validate the archive's framing and index; one line in err on failure. */
int ar_open(struct ar_file *a, const void *buf, size_t len, const char *name,
	    char *err, size_t errsz);
/* Iterate members in file order; *pos starts at 0.  Returns 1 with *m
 * filled, 0 at the end, -1 on a malformed member. */
int ar_next(const struct ar_file *a, u64 *pos, struct ar_member *m, char *err, size_t errsz);
/* The member whose header starts at hdr (from the symbol index). */
int ar_member_at(const struct ar_file *a, u64 hdr, struct ar_member *m, char *err, size_t errsz);
/* Walk the symbol index: *cursor starts at 0; returns false at the end. */
bool ar_index_next(const struct ar_file *a, size_t *cursor, u32 *i, const char **sym, u64 *hdr);

#endif
