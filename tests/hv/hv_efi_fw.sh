#!/usr/bin/env bash
# The firmware as the VMM's first guest: OVMF -> blobvisor.efi, whose
# configuration has a `boot' line -> the VMM, called without
# ExitBootServices -> the firmware resumed in guest mode right after that
# call -> blobvisor.efi, now guest code, starts Debian's kernel through the
# firmware (EFI stub, initrd from the ESP) -> Linux under the VMM, on q35
# with the dongle on the xHCI controller the VMM keeps (the firmware's
# driver let go of it first).  The firmware and Linux keep COM1; the VMM's
# console is COM2.  The guest (tests/hv/efifwcheck.sh) sees UEFI, the VMM's
# memory reserved in its memory map, the VMM's CPUID leaf and no SVM, no
# xHCI; `bvsh rockey 5' passes; its read of the VMM's image at 2 MiB through
# /dev/mem stops it with a nested page fault, and nothing it read comes back.
# Two CPUs (BV_EFI_FW_SMP=N for more): the firmware's MP services start the
# AP at ExitBootServices and Linux starts it again, each INIT resetting its
# vCPU; a fault on any CPU stops the whole guest.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
W=$(mktemp -d)
dpid=
trap '[[ -n $dpid ]] && kill $dpid 2>/dev/null; rm -rf "$W"' EXIT
dongled_serve "$W"

platform/efi/mkesp.sh "$W/esp.img" - "$G/vmlinuz" "$HV/initrd-efifw.cpio.gz" build/samples/rockey.o \
	build/vendor/libdongle.a <<'CFG'
cmdline vmm.mem=64M --load 'rockey.o libdongle.a' -c 'guest info'
module \blobvisor\rockey.o
module \blobvisor\libdongle.a
boot \blobvisor\vmlinuz initrd=\blobvisor\initrd-efifw.cpio.gz console=ttyS0 nokaslr iomem=relaxed no_timer_check
CFG
timeout "${BV_EFI_FW_TIMEOUT:-600}" qemu-system-x86_64 -machine q35 -cpu max -accel tcg -m 1G -smp "${BV_EFI_FW_SMP:-2}" \
	-display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
	-bios /usr/share/ovmf/OVMF.fd -drive "file=$W/esp.img,format=raw,if=ide" -net none \
	-device qemu-xhci,id=xhci -chardev "socket,id=dg,path=$W/dongle.sock,reconnect=1" \
	-device usb-redir,chardev=dg,bus=xhci.0 \
	-serial "file:$W/fw" -serial "file:$W/vmm" </dev/null >"$W/qemu" 2>&1; rc=$?
[[ -n ${BV_KEEP_LOGS:-} ]] && cp "$W/fw" "$W/vmm" "$BV_KEEP_LOGS/"
fw=$(tr -d '\r' <"$W/fw") vmm=$(tr -d '\r' <"$W/vmm")
for f in fw vmm; do echo "# ---- $f"; tr -d '\r' <"$W/$f" | tail -25 | sed 's/^/#   /'; done
# (the VMM's log before it started is the firmware's, which writes to COM2 too)
vmm=${vmm#*the VMM\'s console is COM2}
check "the VMM powers off after the guest stopped and \`guest info' (status $rc)" equals "$rc" 1
check "blobvisor.efi took the xHCI from the firmware's driver" contains "$fw" \
	"blobvisor.efi: PCI 0x0:0x2.0x0 (xHCI): the firmware's driver let go, for the VMM"
ranges=$(sed -n 's/^blobvisor.efi: VMM at 0x\([0-9a-f]*\)-0x\([0-9a-f]*\) and 0x\([0-9a-f]*\)-0x\([0-9a-f]*\) (reserved).*/\1 \2 \3 \4/p' <<<"$fw")
read -r ilo ihi lo hi <<<"$ranges"
check "blobvisor.efi reserved the image from 2 MiB and a block, both 2 MiB-aligned ($ranges)" \
	bash -c '[[ $1 =~ ^200000\ [0-9a-f]*[13579bdf]fffff\ [0-9a-f]*[02468ace]00000\ [0-9a-f]*[13579bdf]fffff$ ]]' _ "$ranges"
check "the VMM started on the firmware's CPU state" contains "$vmm" "hv: firmware resumes at 0x"
check "the firmware's call returned EFI_SUCCESS, in guest mode" contains "$fw" \
	"blobvisor.efi: the firmware runs as the VMM's guest"
check "the loader, as guest code, started the kernel through the firmware" contains "$fw" \
	'blobvisor.efi: starting \blobvisor\vmlinuz under the VMM: initrd=\blobvisor\initrd-efifw.cpio.gz'
check "Linux's EFI stub loaded the initrd itself" contains "$fw" "EFI stub: Loaded initrd from command line option"
check "Linux has UEFI and its variable services" contains "$fw" "efi: present, variables: yes"
check "the VMM's image is reserved in the guest's memory map" contains "$fw" \
	"iomem: $(printf %08x "0x${ilo:-1}")-$(printf %08x "0x${ihi:-1}") : Reserved"
check "the VMM's block is reserved in the guest's memory map" contains "$fw" \
	"iomem: $(printf %08x "0x${lo:-1}")-$(printf %08x "0x${hi:-1}") : Reserved"
check "the AP ran the firmware's code, then Linux's after an INIT" \
	bash -c 'grep -qE "^hv: guest CPU 1 \(APIC [0-9]+\) starts at [0-9a-f]+:0000 in guest mode \(again, after INIT\)" <<<"$1"' _ "$vmm"
check "Linux brought up every CPU" contains "$fw" "smp: Brought up 1 node, ${BV_EFI_FW_SMP:-2} CPUs"
check "CPUID 0x40000000 shows blobvisor's signature" contains "$fw" \
	'cpu 0: hypervisor leaf 0x40000000: max 0x40000000 signature "blobvisor-hv"'
check "/proc/cpuinfo has no svm flag" contains "$fw" "svm flags in cpuinfo: 0"
check "the guest's lspci does not list the VMM's xHCI controller" lacks "$fw" "1b36:000d"
check "bvsh 'rockey 5' from the guest: the case passed" contains "$fw" "cpu 0: --- rockey_testcase5: passed"
check "... and from the AP" contains "$fw" "cpu 1: --- rockey_testcase5: passed"
check "bvsh version answers" contains "$fw" "blobvisor "
check "the guest's read of the VMM's image is a nested page fault" contains "$vmm" \
	"hv: guest read VMM memory at guest-physical 0x200000"
check "the read never completed in the guest" lacks "$fw" "physread returned"
check "\`guest info' after the stop counts the firmware's and Linux's exits" \
	bash -c 'grep -qE "^guest: (CPU [0-9]+: )?nested page fault on VMM memory, [0-9]+ exits" <<<"$1"' _ "$vmm"
done_testing
