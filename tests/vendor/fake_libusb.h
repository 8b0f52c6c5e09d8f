#ifndef FAKE_LIBUSB_H
#define FAKE_LIBUSB_H
#include <dongle/dongle.h>
extern struct dongle fake_dongle;
extern int fake_drop_in, fake_writes, fake_reads;
#endif
