/* The PC's I/O instructions: ports, MSRs, CPUID and the TSC, for drivers
 * and the hypervisor on platform/pc (bare metal only). */
#ifndef PC_IO_H
#define PC_IO_H

#include <core/types.h>

static inline void
outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8
inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline u16
inw(u16 port)
{
	u16 v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u32
inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64
rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void
wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u64
rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

static inline void
cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* XCR n (0: XCR0, the enabled XSAVE components); needs CR4.OSXSAVE */
static inline u64
xgetbv(u32 n)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(n));
	return (u64)hi << 32 | lo;
}

static inline void
xsetbv(u32 n, u64 v)
{
	__asm__ volatile("xsetbv" : : "a"((u32)v), "d"((u32)(v >> 32)), "c"(n) : "memory");
}

#define MSR_APIC_BASE	0x1b
#define MSR_EFER	0xc0000080
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101

#endif
