# xHCI: bare metal only (it drives PCI and memory-mapped registers), so it
# joins the pc image and not the hosted VMM.
PC_SRCS += $(wildcard usb/xhci/*.c)
