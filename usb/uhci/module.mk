# UHCI: bare metal only (it drives PCI and I/O ports), so it joins the pc
# image and not the hosted VMM.
PC_SRCS += $(wildcard usb/uhci/*.c)
