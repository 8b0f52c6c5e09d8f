#ifndef VMM_LINUX_H
#define VMM_LINUX_H

#include <core/types.h>

struct vcpu;

/* Place a bzImage, its initrd and command line in guest memory and set the
 * vcpu up to enter the kernel's 32-bit entry.  0 or a negative errno, with
 * one line saying why. */
int linux_boot_prepare(struct vcpu *v, const u8 *kernel, size_t klen,
		       const u8 *initrd, size_t ilen, const char *cmdline);

#endif
