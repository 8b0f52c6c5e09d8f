/* The IFD handler: whichever loaded blob exports pcsc-lite's IFDH*
 * functions (Debian's libccid.so, `blob load` or --load).  Calls go through
 * blob_call_bufs, so a fault in the driver ends the call, not the VMM, and a
 * driver in a protection domain gets copies of the buffers. */
#include <core/console.h>
#include <loader/blob.h>
#include "card.h"

static const char *const names[] = {
	"IFDHCreateChannelByName", "IFDHGetCapabilities", "IFDHSetProtocolParameters",
	"IFDHPowerICC", "IFDHTransmitToICC", "IFDHICCPresence", "IFDHControl",
	"IFDHCloseChannel",
};

int
card_driver_find(struct card_driver *d)
{
	u64 *slot[] = { &d->create_by_name, &d->get_capabilities, &d->set_protocol, &d->power,
			&d->transmit, &d->presence, &d->control, &d->close };

	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		bool found;
		int missing = -1;

		blob_lookup(b, names[0], &found);
		if (!found)
			continue;
		d->blob = b;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			*slot[i] = blob_lookup(b, names[i], &found);
			if (!found && missing < 0)
				missing = (int)i;
		}
		if (missing >= 0) {
			kprintf("card: %s exports IFDHCreateChannelByName but not %s; not an IFD handler\n",
				blob_name(b), names[missing]);
			return -1;
		}
		card_log_push();
		return 0;
	}
	kprintf("card: no IFD handler loaded (blob load libccid.so: a blob exporting IFDH*)\n");
	return -1;
}

int
card_ifdh_call(struct card_driver *d, u64 fn, const u64 *args, int nargs,
	       const struct blob_buf *bufs, unsigned nbufs, RESPONSECODE *rc)
{
	u64 ret;

	if (blob_call_bufs(d->blob, fn, args, nargs, bufs, nbufs, &ret) < 0)
		return -1;
	*rc = (RESPONSECODE)ret;
	return 0;
}

const char *
card_ifd_error(RESPONSECODE rc)
{
	switch (rc) {
	case IFD_SUCCESS: return "IFD_SUCCESS";
	case IFD_ERROR_TAG: return "IFD_ERROR_TAG";
	case IFD_ERROR_SET_FAILURE: return "IFD_ERROR_SET_FAILURE";
	case IFD_ERROR_VALUE_READ_ONLY: return "IFD_ERROR_VALUE_READ_ONLY";
	case IFD_ERROR_PTS_FAILURE: return "IFD_ERROR_PTS_FAILURE";
	case IFD_ERROR_NOT_SUPPORTED: return "IFD_ERROR_NOT_SUPPORTED";
	case IFD_PROTOCOL_NOT_SUPPORTED: return "IFD_PROTOCOL_NOT_SUPPORTED";
	case IFD_ERROR_POWER_ACTION: return "IFD_ERROR_POWER_ACTION";
	case IFD_COMMUNICATION_ERROR: return "IFD_COMMUNICATION_ERROR";
	case IFD_RESPONSE_TIMEOUT: return "IFD_RESPONSE_TIMEOUT";
	case IFD_NOT_SUPPORTED: return "IFD_NOT_SUPPORTED";
	case IFD_ICC_PRESENT: return "IFD_ICC_PRESENT";
	case IFD_ICC_NOT_PRESENT: return "IFD_ICC_NOT_PRESENT";
	case IFD_NO_SUCH_DEVICE: return "IFD_NO_SUCH_DEVICE";
	case IFD_ERROR_INSUFFICIENT_BUFFER: return "IFD_ERROR_INSUFFICIENT_BUFFER";
	default: return "unknown IFD response code";
	}
}
