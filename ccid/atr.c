/* ATR parsing (ISO/IEC 7816-3 section 8): the interface bytes the `card on`
 * command decodes (protocols offered, TA1, the specific mode, IFSC) and
 * the historical bytes and TCK. */
#include <core/string.h>
#include <ccid/ccid.h>

/* Table 7 and 8 of ISO 7816-3: Fi and f(max) by TA1's high nibble, Di by
 * its low nibble; 0 means RFU. */
static const u16 fi_table[16] = { 372, 372, 558, 744, 1116, 1488, 1860, 0,
				  0, 512, 768, 1024, 1536, 2048, 0, 0 };
static const u16 fmax_table[16] = { 4000, 5000, 6000, 8000, 12000, 16000, 20000, 0,
				    0, 5000, 7500, 10000, 15000, 20000, 0, 0 };
static const u8 di_table[16] = { 0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0 };

void
atr_parse(const u8 *atr, size_t len, struct atr_info *a)
{
	size_t i = 2;
	u8 y, td = 0;
	int level = 1;		/* which TDi introduced the current group */
	bool t1_seen = false, non_t0 = false;

	memset(a, 0, sizeof(*a));
	a->fi = 372;
	a->fmax_khz = 5000;
	a->di = 1;
	a->ifsc = 32;
	a->first_protocol = -1;
	if (len < 2 || (atr[0] != 0x3B && atr[0] != 0x3F)) {
		a->error = len < 2 ? "shorter than TS and T0" : "TS is neither 3B nor 3F";
		return;
	}
	a->inverse = atr[0] == 0x3F;
	y = atr[1] >> 4;
	a->hist_len = atr[1] & 0x0F;
	for (;;) {
		u8 bytes[4] = { 0 };	/* TA TB TC TD of this group */

		for (int k = 0; k < 4; k++) {
			if (!(y & (1 << k)))
				continue;
			if (i >= len) {
				a->error = "ends inside the interface bytes";
				return;
			}
			bytes[k] = atr[i++];
		}
		if (level == 1 && (y & 1)) {
			a->has_ta1 = true;
			a->ta1 = bytes[0];
			a->fi = fi_table[a->ta1 >> 4];
			a->fmax_khz = fmax_table[a->ta1 >> 4];
			a->di = di_table[a->ta1 & 0x0F];
		}
		if (level == 2 && (y & 1))
			a->specific = true;
		/* the first TA after a TD naming T=1 is IFSC */
		if (level >= 3 && (td & 0x0F) == 1 && (y & 1) && !t1_seen) {
			a->ifsc = bytes[0];
			t1_seen = true;
		}
		if (!(y & 8))
			break;
		td = bytes[3];
		a->protocols |= (u16)(1u << (td & 0x0F));
		if (a->first_protocol < 0)
			a->first_protocol = td & 0x0F;
		if (td & 0x0F)
			non_t0 = true;
		y = td >> 4;
		level++;
	}
	if (a->first_protocol < 0) {
		a->first_protocol = 0;
		a->protocols = 1;	/* no TD1: T=0 only */
	}
	a->hist_off = (u8)i;
	if (i + a->hist_len > len) {
		a->error = "ends inside the historical bytes";
		return;
	}
	i += a->hist_len;
	if (non_t0) {		/* TCK is present unless only T=0 is indicated */
		u8 x = 0;

		if (i >= len) {
			a->error = "TCK missing (a protocol other than T=0 is indicated)";
			return;
		}
		a->tck_present = true;
		for (size_t k = 1; k <= i; k++)
			x ^= atr[k];
		a->tck_ok = x == 0;
		i++;
		if (!a->tck_ok) {
			a->error = "TCK mismatch";
			return;
		}
	}
	if (i != len) {
		a->error = "bytes after the end of the ATR";
		return;
	}
	a->valid = true;
}
