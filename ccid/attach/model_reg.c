/* `usb attach model:ccid[:SERIAL]`: the CCID reader with its card inserted
 * as an in-process device, factory state in memory only (dongled --ccid is
 * the one with a state file).  Kept apart from the files in ccid/, which
 * host tools compile without the VMM's heap and USB core. */
#include <core/heap.h>
#include <ccid/ccid.h>
#include <usb/core.h>

static struct usb_model *
ccid_model_create(const char *serial)
{
	struct ccid_card_state st;
	struct ccid_reader *r;

	if (ccid_state_factory(&st, serial) < 0)
		return NULL;		/* the shell says "bad model argument" */
	r = heap_zalloc(sizeof(*r));
	if (!r)
		return NULL;
	ccid_reader_init(r, &st, NULL, true);
	return &r->model;
}

static void
ccid_model_destroy(struct usb_model *m)
{
	heap_free(m->priv);
}

USB_MODEL("ccid", ccid_model_create, ccid_model_destroy,
	  "a CCID smart-card reader with the blobvisor test card (docs/ccid.md), "
	  "state in memory; argument: card serial");
