#include <core/platform.h>
#include <core/time.h>

u64
time_now_ns(void)
{
	return plat_time_ns();
}

u64
time_wall_seconds(void)
{
	return plat_wall_seconds();
}

void
time_delay_ns(u64 ns)
{
	u64 end = time_now_ns() + ns;

	while (time_now_ns() < end)
		__builtin_ia32_pause();
}
