#ifndef CORE_TIME_H
#define CORE_TIME_H

#include <core/types.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/* Monotonic nanoseconds since an arbitrary point at boot. */
u64 time_now_ns(void);
/* Wall-clock seconds since the epoch (hosted: the host's clock). */
u64 time_wall_seconds(void);
void time_delay_ns(u64 ns);

#endif
