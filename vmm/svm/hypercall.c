/* The guest's calls into the VMM (VMMCALL), serviced synchronously in the
 * exit handler.  Calling convention (docs/architecture.md, "Guest to VMM"):
 * RAX selects the function and returns 0 or a negative errno; arguments and
 * results travel in RBX, RCX, RDX, RSI; larger data lives in guest pages the
 * caller has touched, addressed by guest-virtual address. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/string.h>
#include "../../platform/pc/pc.h"	/* pc_cmdline, until the option table */
#include "svm.h"

#define GUEST_LINE_MAX	1023
#define GUEST_OUT_MAX	(64 * 1024)

/* What the guest may run: read-only commands and the vendor samples. */
static const char *const default_policy[] = {
	"help", "version", "mem", "exports", "pci list", "usb list", "usb desc",
	"blob list", "blob info", "blob syms", "guest info", "dis", "rockey",
};

static bool
words_prefix(const char *line, const char *name)
{
	while (*line == ' ')
		line++;
	while (*name) {
		size_t n = strcspn(name, " ");

		if (strncmp(line, name, n) || (line[n] && line[n] != ' '))
			return false;
		line += n;
		name += n;
		while (*line == ' ')
			line++;
		while (*name == ' ')
			name++;
	}
	return true;
}

/* `vmm.guest_cmds=a,b+c' on the command line replaces the default list
 * ('+' stands for a space; `all' allows everything). */
static bool
policy_allows(const char *line)
{
	const char *opt = strstr(pc_cmdline(), "vmm.guest_cmds=");

	if (!opt) {
		for (size_t i = 0; i < ARRAY_SIZE(default_policy); i++)
			if (words_prefix(line, default_policy[i]))
				/* `rockey' alone would read the VMM's console */
				return strcmp(default_policy[i], "rockey") ||
				       strlen(line) > strlen("rockey");
		return false;
	}
	for (opt += strlen("vmm.guest_cmds="); *opt && *opt != ' ';) {
		char name[64];
		size_t n = MIN(strcspn(opt, ", "), sizeof(name) - 1);

		memcpy(name, opt, n);
		name[n] = 0;
		for (char *p = name; *p; p++)
			if (*p == '+')
				*p = ' ';
		if (!strcmp(name, "all") || words_prefix(line, name))
			return true;
		opt += n;
		if (*opt == ',')
			opt++;
	}
	return false;
}

static int
hc_dbgsh(struct svm_vcpu *v)
{
	u64 line_gva = v->g.rbx, line_len = v->g.rcx, out_gva = v->g.rdx, out_size = v->g.rsi;
	struct console_capture cap;
	char line[GUEST_LINE_MAX + 1];
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
		status = dbgsh_exec(line);
		console_capture_end();
		err = 0;
	} else {
		status = 1;
		err = -EPERM;
		snprintf(cap.buf, cap.size, "bvsh: `%s' is not allowed from the guest "
			 "(policy: read-only commands and rockey N)\n", line);
		cap.len = strlen(cap.buf);
	}
	kprintf("hv: guest bvsh: %s: %s, %zu bytes of output\n", line,
		err ? "refused" : status ? "failed" : "ok", cap.len);
	if (cap.len && guest_copy(v, out_gva, cap.buf, MIN(cap.len, (size_t)out_size), true))
		err = -EFAULT;
	v->g.rbx = (u64)status;
	v->g.rcx = MIN(cap.len, (size_t)out_size);
	heap_free(cap.buf);
	return err;
}

void
svm_hypercall(struct svm_vcpu *v)
{
	long ret;

	switch (v->vmcb->s.rax) {
	case HC_STATS:
		v->g.rbx = v->exits;
		v->g.rcx = v->run_ns;
		ret = 0;
		break;
	case HC_DBGSH:
		ret = hc_dbgsh(v);
		break;
	default:
		ret = -ENOSYS;
		break;
	}
	v->vmcb->s.rax = (u64)ret;
}
