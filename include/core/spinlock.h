#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H

#include <core/types.h>

/* A test-and-test-and-set lock.  One CPU today, but per-CPU data and the
 * pthread layer are written as if there were more. */
typedef struct {
	volatile u32 locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline bool
spin_trylock(spinlock_t *l)
{
	return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void
spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static inline void
spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
