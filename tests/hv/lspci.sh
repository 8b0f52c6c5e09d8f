#!/bin/sh
# lspci for the test guest (busybox has none): PCI functions from sysfs, in
# the same shape as the VMM's `pci list': BB:DD.F VVVV:DDDD class CCCCCC
for d in /sys/bus/pci/devices/*; do
	v=$(cat "$d/vendor") i=$(cat "$d/device") c=$(cat "$d/class")
	echo "${d##*/0000:} ${v#0x}:${i#0x} class ${c#0x}"
done
