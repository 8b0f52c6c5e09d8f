#!/usr/bin/env bash
# The hypervisor started the UEFI way: OVMF -> blobvisor.efi (kernel, initrd,
# the vendor blob and the samples as modules from the ESP) -> VMM ->
# `guest start' -> Debian's kernel as the guest, on q35 with the dongle on the
# xHCI controller the VMM keeps (hidden through 0xCF8 and the ECAM window the
# firmware's MCFG names).  The guest finds ACPI through the RSDP the
# firmware published (passed in boot_params: under UEFI nothing is in the
# BIOS area), sees blobvisor's CPUID leaf and no SVM, runs `bvsh rockey 5'
# and powers off through ACPI.  (Here blobvisor.efi exits boot services
# first; the firmware as the VMM's guest is tests/hv/hv_efi_fw.sh.)  With -smp 4: the
# guest's APs start under the VMM at its SIPI (vmm/vcpus.c) here too.
# One host thread for the four vCPUs (thread=single): docs/architecture.md,
# "QEMU's IGNNE race".
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
W=$(mktemp -d)
dpid=
trap '[[ -n $dpid ]] && kill $dpid 2>/dev/null; rm -rf "$W"' EXIT
dongled_serve "$W"

platform/efi/mkesp.sh "$W/esp.img" - "$G/vmlinuz" "$HV/initrd-hv.cpio.gz" build/samples/rockey.o \
	build/vendor/libdongle.a <<'CFG'
cmdline vmm.mem=64M --load 'rockey.o libdongle.a' -c 'pc info' -c 'guest start vmlinuz initrd-hv.cpio.gz console=ttyS1 nokaslr'
module \blobvisor\vmlinuz
module \blobvisor\initrd-hv.cpio.gz
module \blobvisor\rockey.o
module \blobvisor\libdongle.a
CFG
timeout 300 qemu-system-x86_64 -machine q35 -cpu max -accel tcg,thread=single -m 1G -smp 4 -display none \
	-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
	-bios /usr/share/ovmf/OVMF.fd -drive "file=$W/esp.img,format=raw,if=ide" -net none \
	-device qemu-xhci,id=xhci -chardev "socket,id=dg,path=$W/dongle.sock,reconnect=1" \
	-device usb-redir,chardev=dg,bus=xhci.0 \
	-serial "file:$W/vmm" -serial "file:$W/guest" </dev/null >"$W/qemu" 2>&1; rc=$?
vmm=$(tr -d '\r' <"$W/vmm") guest=$(tr -d '\r' <"$W/guest")
for f in vmm guest; do echo "# ---- $f"; tr -d '\r' <"$W/$f" | tail -25 | sed 's/^/#   /'; done
check "QEMU ends by the guest's power-off (status $rc)" equals "$rc" 0
check "the VMM started from blobvisor.efi" contains "$vmm" "boot: UEFI (blobvisor.efi); ACPI RSDP at 0x"
rsdp=$(sed -n 's/^boot: UEFI.*RSDP at 0x\([0-9a-f]*\)$/\1/p' <<<"$vmm")
check "the guest's ACPI uses the firmware's RSDP (0x$rsdp)" \
	bash -c 'grep -qi "ACPI: RSDP 0x0*$2 " <<<"$1"' _ "$guest" "$rsdp"
check "the VMM placed the kernel above its own memory" contains "$vmm" "VMM keeps 0x200000.."
check "the VMM's APs run the guest's CPUs 1-3 in guest mode" \
	bash -c 'for c in 1 2 3; do grep -qE "^hv: guest CPU $c \(APIC [0-9]+\) starts at" <<<"$1" || exit 1; done' _ "$vmm"
check "Linux brought up all 4 CPUs" contains "$guest" "smp: Brought up 1 node, 4 CPUs"
check "the guest's /init ran" contains "$guest" "==== bv-guest: output begin ===="
check "CPUID 0x40000000 shows blobvisor's signature" contains "$guest" 'signature "blobvisor-hv"'
check "/proc/cpuinfo has no svm flag" contains "$guest" "svm flags in cpuinfo: 0"
check "the VMM found q35's ECAM through the firmware's MCFG" contains "$vmm" "hv: ECAM at 0x"
lspci=$(sed -n '/^00:00.0 8086:29c0 class 060000$/,/^blobvisor/p' <<<"$guest")
check "the guest's lspci lists q35's host bridge" contains "$lspci" "00:00.0 8086:29c0 class 060000"
check "the guest's lspci does not list the VMM's xHCI controller" lacks "$lspci" "1b36:000d"
check "the VMM's pci list, through bvsh, keeps it" contains "$guest" "USB controller, kept by the VMM: xhci"
check "bvsh 'rockey 5' from the guest: the case passed" contains "$guest" "--- rockey_testcase5: passed"
check "every command succeeded" contains "$guest" "output end status=0"
check "the guest powered off through ACPI" contains "$guest" "reboot: Power down"
done_testing
