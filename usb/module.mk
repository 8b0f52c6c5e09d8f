# The USB core, its controllers and test device, libusb-0.1 for blobs.
VMM_SRCS += $(wildcard usb/*.c)
