#!/bin/sh
# The checks of the Linux guest that the firmware booted under the VMM
# (tests/hv/hv_efi_fw.sh reads the output): UEFI present with its variable
# services, the VMM's memory reserved in the map the firmware gave Linux,
# CPUID on every CPU (pinned with taskset), the VMM's USB controller absent
# from the guest's lspci but in the VMM's `pci list', `bvsh rockey 5' from
# every CPU, and last a read of the VMM's image through
# /dev/mem (kernel iomem=relaxed), which must stop the guest: nothing after
# it may print.
echo "nproc: $(nproc)"
echo "efi: $([ -d /sys/firmware/efi ] && echo present || echo absent)," \
	"variables: $([ -d /sys/firmware/efi/efivars ] && echo yes || echo no)"
grep -i ': reserved' /proc/iomem | sed 's/^ */iomem: /'
echo "svm flags in cpuinfo: $(grep -cw svm /proc/cpuinfo)"
n=$(nproc)
# FXRSTOR on every AP while CPU 0's guest makes exits: with a thread per
# vCPU, QEMU 7.2 loses the BSP's guest state to it (docs/architecture.md,
# "QEMU's IGNNE race"); the test runs QEMU with one thread
c=1
while [ $c -lt "$n" ]; do
	taskset $((1 << c)) bvguest fxrstor 4 | sed "s/^/cpu $c: /" &
	c=$((c + 1))
done
taskset 1 bvguest cfgread | sed "s/^/cpu 0: /"
wait
c=0
while [ $c -lt "$n" ]; do
	taskset $((1 << c)) bvguest cpuid | sed "s/^/cpu $c: /"
	taskset $((1 << c)) bvsh rockey 5 | grep -- '--- rockey_testcase5' | sed "s/^/cpu $c: /"
	c=$((c + 1))
done
lspci | sed 's/^/lspci: /'
bvsh pci list | sed 's/^/vmm pci: /'
bvsh version
echo "reading the VMM's image at 0x200000 through /dev/mem"
# the read stops the guest at once: what the serial driver has not sent
# yet would be lost (it once took bvsh version's line with it)
sleep 3
physread 0x200000 4
echo "physread returned: status $?"
