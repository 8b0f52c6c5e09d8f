/* Civil date to seconds since the epoch, for the CMOS RTC (proleptic
 * Gregorian, days counted from March so that the leap day is last).
 * Pure arithmetic: tests/unit/test_pc_boot.c compares it with glibc's
 * timegm. */
#include "pc.h"

u64
pc_civil_seconds(unsigned y, unsigned m, unsigned d, unsigned h, unsigned mi, unsigned s)
{
	unsigned era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((u64)era * 146097 + doe - 719468) * 86400 + h * 3600 + mi * 60 + s;
}
