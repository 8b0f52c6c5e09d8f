#!/bin/sh
# The q35 concealment guest's checks (tests/hv/hv_q35.sh reads the output):
# PCI as Linux found it, the VMM's xHCI at 00:05.0 through its ECAM page
# (0xb0000000 + 5 << 15) and its registers (address from `bvsh usb list'),
# the host bridge's ECAM page for contrast, the dongle through the VMM, and
# the guest's own USB (its EHCI and a tablet).
lspci
bvsh usb list
physread 0xb0000000 1
physread 0xb0028000 4
physread "$(bvsh usb list | sed -n 's/.*mmio //p')" 4
bvsh rockey 5
# USB enumeration is asynchronous: a loaded host can still be at it here
for i in 1 2 3 4 5 6 7 8 9 10; do
	grep -qs Tablet /sys/bus/usb/devices/*/product && break
	sleep 1
done
echo "guest USB devices: $(ls /sys/bus/usb/devices | tr '\n' ' ')"
cat /sys/bus/usb/devices/*/product
