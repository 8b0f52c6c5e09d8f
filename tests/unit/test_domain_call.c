/* domain_call's re-entry guard, on the host with a stand-in for ring 3.
 *
 * A call into a domain starts on the top of the domain's one stack, so a
 * second call while the first is still inside (from one of its system
 * calls, or from another VMM thread while it sleeps in one) would
 * overwrite the first call's frames.  The fake plat_user->call below
 * plays the domain: it makes that second call from "inside" and records
 * what happened.  The second call must be refused with one line, without
 * touching the stack or marking the blob failed; the first must return its
 * value; after a call that is unwound (an exit/fault, here ctx_abort) the
 * guard must not stay set for a new domain. */
#include <stdio.h>
#include <stdlib.h>
#include "tap.h"
#include "unit/host_plat.h"
#include <core/context.h>
#include <core/pages.h>
#include <domain/domain.h>
#include <loader/blob.h>

static struct blob *blob;
static u64 fn;
static enum { PLAIN, REENTER, ABORT } mode;
static int inner_rc = 99, depth;
static u64 stack_word_before, stack_word_after, inner_ret;

static int fake_map(void *addr, size_t len, bool user) { (void)addr; (void)len; (void)user; return 0; }
static void fake_access(bool open) { (void)open; }
static __attribute__((noreturn)) void fake_ret(u64 value) { (void)value; abort(); }

static u64
fake_call(u64 rip, u64 rsp, const u64 *args)
{
	(void)rip;
	(void)args;
	if (mode == ABORT)
		ctx_abort("fake fault in ring 3", NULL);
	if (mode == REENTER && depth == 0) {
		depth++;
		*(u64 *)(rsp - 8) = 0x5eed;	/* a frame of the call in progress */
		stack_word_before = *(u64 *)rsp;
		inner_rc = blob_call(blob, fn, NULL, 0, &inner_ret);
		stack_word_after = *(u64 *)(rsp - 8);
		depth--;
	} else if (depth) {
		*(u64 *)(rsp - 8) = 0xbad;	/* a second call's frames, same place */
	}
	return 7;
}

static const struct plat_user_ops fake = {
	.map = fake_map, .call = fake_call, .ret = fake_ret, .access = fake_access,
	.features = "",
};

static struct blob *
load(void)
{
	char path[512];
	const char *top = getenv("BV_TOP");
	const char *paths[1] = { path };

	snprintf(path, sizeof(path), "%s/build/domain-tests/hello.o", top ? top : ".");
	return blob_load_files_limited(paths, 1, BLOB_DOMAIN | BLOB_QUIET, NULL);
}

int
main(void)
{
	void *base;
	size_t len;
	u64 r = 0;
	bool found;
	int rc;

	plat_memory_region(&base, &len);
	pages_init(base, len);
	plat_user = &fake;
	blob = load();
	TAP_CHECK(blob != NULL, "hello.o loads as a domain on the fake ring 3: %s", host_console);
	if (!blob)
		return tap_done();
	fn = blob_lookup(blob, "hello", &found);
	TAP_CHECK(found, "hello is defined");

	mode = REENTER;
	host_console_clear();
	rc = blob_call(blob, fn, NULL, 0, &r);
	TAP_CHECK(rc == 0 && r == 7, "the outer call returns the domain's value (rc %d, %llu)", rc,
		  (unsigned long long)r);
	TAP_CHECK(inner_rc == -1, "a call into the domain from inside it is refused (rc %d)", inner_rc);
	TAP_CHECK(strstr(host_console, "domain hello.o: a call into the domain while it runs "
				       "(its stack is in use); refused"),
		  "... with one line naming the domain: %s", host_console);
	TAP_CHECK(stack_word_after == 0x5eed && stack_word_before != 0,
		  "... and the running call's stack is untouched");
	mode = PLAIN;
	host_console_clear();
	rc = blob_call(blob, fn, NULL, 0, &r);
	TAP_CHECK(rc == 0 && r == 7 && !strstr(host_console, "marked failed"),
		  "the refusal did not mark the blob failed, and the next call runs: %s", host_console);

	mode = ABORT;
	host_console_clear();
	rc = blob_call(blob, fn, NULL, 0, &r);
	TAP_CHECK(rc == -1 && strstr(host_console, "ended by abort"),
		  "a call unwound by an abort ends the blob call: %s", host_console);
	mode = PLAIN;
	host_console_clear();
	rc = blob_call(blob, fn, NULL, 0, &r);
	TAP_CHECK(rc == -1 && strstr(host_console, "marked failed"),
		  "... and the blob stays failed (nothing runs on a half-unwound domain)");
	TAP_CHECK(blob_unload(blob) == 0, "the domain unloads");
	blob = load();
	rc = blob ? blob_call(blob, blob_lookup(blob, "hello", NULL), NULL, 0, &r) : -1;
	TAP_CHECK(rc == 0 && r == 7, "the failed domain unloads, and a domain loaded anew runs (rc %d)", rc);
	return tap_done();
}
