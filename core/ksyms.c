/* Symbolising core addresses for fault reports.  The table is generated from
 * the linked image by tools/gen-ksyms and linked in a second pass; the first
 * pass links against the weak empty table below. */
#include <core/ksyms.h>
#include <core/string.h>

extern const struct ksym ksyms_table[] __attribute__((weak));
extern const size_t ksyms_count __attribute__((weak));
extern const char etext[];

const char *
ksym_lookup(u64 addr, u64 *offset)
{
	size_t lo = 0, hi = &ksyms_count ? ksyms_count : 0;

	if (!hi || addr < ksyms_table[0].addr || addr >= (u64)etext)
		return NULL;
	while (hi - lo > 1) {	/* last entry with addr <= target */
		size_t mid = (lo + hi) / 2;

		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_table[lo].addr;
	return ksyms_table[lo].name;
}

u64
ksym_address(const char *name)
{
	size_t n = &ksyms_count ? ksyms_count : 0;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(ksyms_table[i].name, name))
			return ksyms_table[i].addr;
	return 0;
}

const char *
ksym_format(u64 addr, char *buf, size_t size)
{
	u64 off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)off);
	else
		snprintf(buf, size, "%#llx", (unsigned long long)addr);
	return buf;
}
