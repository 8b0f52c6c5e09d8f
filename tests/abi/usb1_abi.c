/* Prints every constant of Debian's libusb.h and the size of every struct,
 * compiled once against Debian's header and once against ours
 * (tests/e2e/usb1_abi.sh compares the outputs; consts.h, sizes.h and keep.h
 * are generated from Debian's header by the script). */
#include <stdio.h>
#include <libusb.h>

#include "keep.h"	/* a pointer to each struct: gdb sees every layout */

int
main(void)
{
#include "consts.h"
#include "sizes.h"
	return 0;
}
