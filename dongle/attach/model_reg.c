/* `usb attach model:dongle[:SERIAL]`: the dongle as an in-process device on
 * its own bus, factory-fresh, state in memory only (dongled is the one with
 * a state file).  Kept apart from the files in dongle/, which host tools compile
 * without the VMM's heap and USB core. */
#include <core/heap.h>
#include <core/platform.h>
#include <core/string.h>
#include <dongle/dongle.h>
#include <usb/core.h>

static void
vmm_entropy(void *ctx, u8 *buf, size_t len)
{
	while (len) {
		u64 r = plat_random_u64();
		size_t n = MIN(len, sizeof(r));

		memcpy(buf, &r, n);
		buf += n;
		len -= n;
	}
}

static struct usb_model *
dongle_model_create(const char *serial)
{
	struct dongle_env env = { .entropy = vmm_entropy };
	struct dongle_state st;
	struct dongle *d;

	if (dongle_state_factory(&st, serial) < 0)
		return NULL;		/* the shell says "bad model argument" */
	d = heap_zalloc(sizeof(*d));
	if (!d)
		return NULL;
	dongle_init(d, &st, &env);
	return &d->model;
}

static void
dongle_model_destroy(struct usb_model *m)
{
	heap_free(m->priv);
}

USB_MODEL("dongle", dongle_model_create, dongle_model_destroy,
	  "the BV Smart Dongle (docs/dongle-protocol.md), factory state in memory; "
	  "argument: hardware serial");
