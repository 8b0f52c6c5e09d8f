/* pthread types with glibc's x86-64 ABI (sizes and the fields blobs or
 * glibc's static initialisers touch); tests/libc checks them against
 * <pthread.h>. */
#ifndef LIBC_PTHREAD_H
#define LIBC_PTHREAD_H

#include <core/types.h>

typedef unsigned long pthread_t;

typedef union {
	struct {
		int lock;		/* 0 free, 1 held */
		unsigned count;		/* recursive depth */
		int owner;		/* holder's thread id */
		unsigned nusers;
		int kind;		/* offset 16: PTHREAD_MUTEX_* */
		short spins, elision;
		void *prev, *next;
	} s;
	char size[40];
	long align;
} pthread_mutex_t;

typedef union { char size[4]; int kind; } pthread_mutexattr_t;
typedef union { char size[56]; long align; } pthread_attr_t;
typedef union { char size[48]; long long align; } pthread_cond_t;
typedef union { char size[4]; int align; } pthread_condattr_t;
typedef union {
	struct { unsigned readers, writers; } s;
	char size[56];
	long align;
} pthread_rwlock_t;
typedef union { char size[8]; long align; } pthread_rwlockattr_t;
typedef int pthread_once_t;
typedef unsigned pthread_key_t;
typedef volatile int pthread_spinlock_t;

enum {
	PTHREAD_MUTEX_NORMAL = 0,	/* also TIMED_NP and DEFAULT */
	PTHREAD_MUTEX_RECURSIVE = 1,
	PTHREAD_MUTEX_ERRORCHECK = 2,
	PTHREAD_MUTEX_ADAPTIVE_NP = 3,
};

#define PTHREAD_KEYS_MAX 1024

#endif
