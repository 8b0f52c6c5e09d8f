/* Private to debug/: the import trace's ring, shared by trace.c (calls into
 * core exports, the commands) and trace_domain.c (calls into a protection
 * domain's runtime and the domain's system calls, docs/domains.md). */
#ifndef DEBUG_TRACE_H
#define DEBUG_TRACE_H

#include <core/types.h>

#define TRACE_STRCOPY 40

enum trace_kind {
	TRACE_CORE,	/* a blob's call into a core export: idx is the export */
	TRACE_DOMAIN,	/* a domain's call into its runtime: fn names it */
	TRACE_SYSCALL,	/* a domain's system call: idx is its number */
};

struct trace_rec {
	u32 idx;
	u32 depth;
	u64 seq;
	u64 caller;
	u64 a[6];
	u64 ret;
	bool returned;
	u8 kind;
	char s[2][TRACE_STRCOPY];
	char fn[32];		/* TRACE_DOMAIN: the function */
	char who[32];		/* TRACE_DOMAIN, TRACE_SYSCALL: "hello.o" or "hello.o.2" (a thread) */
};

/* Known prototypes: one letter per argument (p pointer, s string, i int,
 * u size, x hex), then ':' and the return kind; names after '|'. */
struct trace_proto {
	const char *name, *sig, *names;
};
const struct trace_proto *trace_proto_of(const char *name);

/* A fresh record in the ring with the next sequence number. */
struct trace_rec *trace_rec_new(void);
/* The record numbered seq, if the ring still holds it. */
struct trace_rec *trace_rec_find(u64 seq);
/* It returned with ret: printed at once with `trace on --live'. */
void trace_rec_returned(struct trace_rec *r, u64 ret);
/* Print it now (a call that does not come back, with --live). */
void trace_rec_print_live(const struct trace_rec *r);
/* One rebinding, undone by `trace off' (0, or -1). */
int trace_rebind(u64 addr, const void *val, unsigned len, int prot);

/* trace_domain.c */
unsigned trace_domain_bind(struct blob *b, const char *glob);
void trace_domain_off(void);
void trace_domain_forget(const struct blob *b);
const char *trace_domain_thunk_name(u64 a);

#endif
