/* The guest's calls into the VMM (VMMCALL on SVM, VMCALL on VMX), serviced synchronously in the
 * exit handler.  Calling convention (docs/architecture.md, "Guest to VMM"):
 * RAX selects the function and returns 0 or a negative errno; arguments and
 * results travel in RBX, RCX, RDX, RSI; larger data lives in guest pages the
 * caller has touched, addressed by guest-virtual address. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/options.h>
#include <core/string.h>
#include "vmm.h"

#define GUEST_LINE_MAX	1023
#define GUEST_OUT_MAX	(64 * 1024)

/* `vmm.guest_cmds=a,b+c' replaces the commands' own DBGSH_GUEST flags with a
 * list of names ('+' stands for a space, a name covers the commands it
 * starts, `all' allows everything). */
static const char *guest_cmds;

static const char *
set_guest_cmds(struct boot_options *opt, const char *val)
{
	if (!*val)
		return "empty list (`all' allows every command)";
	guest_cmds = val;
	return NULL;
}
OPTION("vmm.guest_cmds=", "A,B+C", set_guest_cmds,
       "what a guest may run (default: the commands marked read-only)");

/* Whether name's words begin with those of prefix. */
static bool
words_prefix(const char *name, const char *prefix, size_t len)
{
	size_t n = strlen(name);

	return len <= n && !strncmp(name, prefix, len) && (name[len] == ' ' || !name[len]);
}

static bool
policy_allows(const char *line)
{
	int nargs;
	const struct dbgsh_command *c = dbgsh_resolve(line, &nargs);

	if (!guest_cmds)
		return c && (c->flags & DBGSH_GUEST) &&
		       (!(c->flags & DBGSH_GUEST_WITH_ARGS) || nargs);
	for (const char *p = guest_cmds; *p;) {
		char name[64];
		size_t n = strcspn(p, ",");

		if (n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = 0;
			for (char *q = name; *q; q++)
				if (*q == '+')
					*q = ' ';
			/* `all' lets even an unknown command through, to be told so */
			if (!strcmp(name, "all") || (c && words_prefix(c->name, name, n)))
				return true;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

static int
hc_dbgsh(struct vcpu *v)
{
	u64 line_gva = v->gpr[R_BX], line_len = v->gpr[R_CX], out_gva = v->gpr[R_DX], out_size = v->gpr[R_SI];
	struct console_capture cap;
	char line[GUEST_LINE_MAX + 1], shown[256];
	int err, status;

	if (line_len > GUEST_LINE_MAX || out_size > GUEST_OUT_MAX)
		return -E2BIG;
	err = guest_copy(v, line_gva, line, line_len, false);
	if (err)
		return err;
	line[line_len] = '\0';
	if (memchr(line, '\n', line_len))
		return -EINVAL;
	cap.size = out_size + 1;
	cap.buf = heap_alloc(cap.size);
	if (!cap.buf)
		return -ENOMEM;
	if (policy_allows(line)) {
		console_capture_begin(&cap);
		status = dbgsh_exec_for_guest(line);
		console_capture_end();
		err = 0;
	} else {
		status = 1;
		err = -EPERM;
		snprintf(cap.buf, cap.size, "bvsh: `%s' is not allowed from the guest "
			 "(policy: %s)\n", line,
			 guest_cmds ? guest_cmds : "read-only commands and rockey N");
		cap.len = strlen(cap.buf);
	}
	/* the line is the guest's: escaped, so it cannot drive the VMM's terminal */
	kprintf("hv: guest bvsh: %s: %s, %zu bytes of output\n", str_printable(line, shown, sizeof(shown)),
		err ? "refused" : status ? "failed" : "ok", cap.len);
	if (cap.len && guest_copy(v, out_gva, cap.buf, MIN(cap.len, (size_t)out_size), true))
		err = -EFAULT;
	v->gpr[R_BX] = (u64)status;
	v->gpr[R_CX] = MIN(cap.len, (size_t)out_size);
	heap_free(cap.buf);
	return err;
}

bool
vmm_hypercall(struct vcpu *v)
{
	bool done = true;
	long ret;

	switch (v->gpr[R_AX]) {
	case HC_STATS:
		v->gpr[R_BX] = v->exits;
		v->gpr[R_CX] = v->run_ns;
		ret = 0;
		break;
	case HC_DBGSH:
		ret = hc_dbgsh(v);
		break;
	case HC_CARDWAIT:
		done = hc_cardwait(v, &ret);
		if (!done)
			return false;	/* RAX and the arguments stay for the retry */
		break;
	default:
		ret = -ENOSYS;
		break;
	}
	v->gpr[R_AX] = (u64)ret;
	return done;
}
