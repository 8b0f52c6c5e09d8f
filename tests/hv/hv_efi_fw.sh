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
# APs at ExitBootServices and Linux starts them again, each INIT resetting
# its vCPU; a fault on any CPU stops the whole guest.  Every CPU's checks
# follow N: CPUID, no SVM and `bvsh rockey 5' on each (taskset), the
# restart after INIT on each AP.
# BV_EFI_FW_MACHINE=pc: the same OVMF on i440FX, the xHCI a PCI device
# there too but no ECAM (no MCFG): its configuration space is concealed
# through 0xCF8/0xCFC alone.  Every check is named by machine and CPU count
# (tests/hv/hv_efi_fw4_q35.sh and hv_efi_fw4_pc.sh: `make test-hv').
# The APs run FXRSTOR in a loop while the BSP's guest makes its exits:
# QEMU runs every vCPU in one host thread (thread=single), as it must for
# an SVM guest with several CPUs under QEMU 7.2 (docs/architecture.md,
# "QEMU's IGNNE race"; with a thread per vCPU this loop makes it fail).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
M=${BV_EFI_FW_MACHINE:-q35} N=${BV_EFI_FW_SMP:-2}
case $M in pc|q35) ;; *) echo "hv_efi_fw.sh: BV_EFI_FW_MACHINE=$M: not pc or q35" >&2; exit 2;; esac
[[ $N =~ ^[1-9][0-9]*$ && $N -le 8 ]] || { echo "hv_efi_fw.sh: BV_EFI_FW_SMP=$N: not a CPU count 1-8" >&2; exit 2; }
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
# (10 minutes for 2 CPUs; each further CPU slows the boot under TCG)
timeout "${BV_EFI_FW_TIMEOUT:-$((600 + 300 * (N > 2 ? N - 2 : 0)))}" qemu-system-x86_64 -machine "$M" -cpu max -accel tcg,thread=single -m 1G -smp "$N" \
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
# Every check is named by its machine and CPU count
ck() { check "$M, $N CPUs: $1" "${@:2}"; }
ck "the VMM powers off after the guest stopped and \`guest info' (status $rc)" equals "$rc" 1
ck "blobvisor.efi took the xHCI from the firmware's driver" \
	bash -c 'grep -qE "^blobvisor.efi: PCI 0x0:0x[0-9a-f]+\.0x0 \(xHCI\): the firmware.s driver let go, for the VMM" <<<"$1"' _ "$fw"
ranges=$(sed -n 's/^blobvisor.efi: VMM at 0x\([0-9a-f]*\)-0x\([0-9a-f]*\) and 0x\([0-9a-f]*\)-0x\([0-9a-f]*\) (reserved).*/\1 \2 \3 \4/p' <<<"$fw")
read -r ilo ihi lo hi <<<"$ranges"
ck "blobvisor.efi reserved the image from 2 MiB and a block, both 2 MiB-aligned ($ranges)" \
	bash -c '[[ $1 =~ ^200000\ [0-9a-f]*[13579bdf]fffff\ [0-9a-f]*[02468ace]00000\ [0-9a-f]*[13579bdf]fffff$ ]]' _ "$ranges"
ck "the VMM started on the firmware's CPU state" contains "$vmm" "hv: firmware resumes at 0x"
if [[ $M == q35 ]]; then
	ck "the VMM found q35's ECAM through the firmware's MCFG" contains "$vmm" "hv: ECAM at 0x"
else
	ck "pc has no MCFG: the VMM conceals through 0xCF8 alone" lacks "$vmm" "hv: ECAM at"
fi
ck "the firmware's call returned EFI_SUCCESS, in guest mode" contains "$fw" \
	"blobvisor.efi: the firmware runs as the VMM's guest"
ck "the loader, as guest code, started the kernel through the firmware" contains "$fw" \
	'blobvisor.efi: starting \blobvisor\vmlinuz under the VMM: initrd=\blobvisor\initrd-efifw.cpio.gz'
ck "Linux's EFI stub loaded the initrd itself" contains "$fw" "EFI stub: Loaded initrd from command line option"
ck "Linux has UEFI and its variable services (/sys/firmware/efi)" contains "$fw" "efi: present, variables: yes"
ck "the VMM's image is reserved in the guest's memory map" contains "$fw" \
	"iomem: $(printf %08x "0x${ilo:-1}")-$(printf %08x "0x${ihi:-1}") : Reserved"
ck "the VMM's block is reserved in the guest's memory map" contains "$fw" \
	"iomem: $(printf %08x "0x${lo:-1}")-$(printf %08x "0x${hi:-1}") : Reserved"
for ((c = 1; c < N; c++)); do
	ck "AP $c ran the firmware's code, then Linux's after an INIT" \
		bash -c 'grep -qE "^hv: guest CPU $2 \(APIC [0-9]+\) starts at [0-9a-f]+:0000 in guest mode \(again, after INIT\)" <<<"$1"' _ "$vmm" "$c"
	ck "AP $c ran its FXRSTOR loop through CPU 0's exits" \
		bash -c 'grep -qE "^cpu $2: fxrstor: [1-9][0-9]*$" <<<"$1"' _ "$fw" "$c"
done
ck "Linux brought up every CPU" contains "$fw" "smp: Brought up 1 node, $N CPUs"
ck "nproc = $N" contains "$fw" "nproc: $N"
ck "/proc/cpuinfo has no svm flag" contains "$fw" "svm flags in cpuinfo: 0"
for ((c = 0; c < N; c++)); do
	ck "cpu $c: CPUID 0x40000000 shows blobvisor's signature" contains "$fw" \
		"cpu $c: hypervisor leaf 0x40000000: max 0x40000000 signature \"blobvisor-hv\""
	ck "cpu $c: CPUID 0x80000001 has no SVM" contains "$fw" "cpu $c: cpuid 0x80000001: svm bit 0"
	ck "cpu $c: bvsh 'rockey 5' from the guest: the case passed" contains "$fw" "cpu $c: --- rockey_testcase5: passed"
done
hostbridge=$([[ $M == q35 ]] && echo 8086:29c0 || echo 8086:1237)
lspci=$(grep '^lspci: ' <<<"$fw")
ck "the guest's lspci ran: it lists the host bridge ($hostbridge)" contains "$lspci" "lspci: 00:00.0 $hostbridge class 060000"
ck "the guest's lspci does not list the VMM's xHCI controller" lacks "$lspci" "1b36:000d"
xdev=$(sed -n 's/^blobvisor.efi: PCI 0x0:0x\([0-9a-f]*\)\.0x0 (xHCI).*/\1/p' <<<"$fw")
ck "the VMM's pci list, through bvsh, keeps it (00:${xdev:-?}.0)" \
	bash -c 'grep -qE "^vmm pci: 00:$2\.0 1b36:000d class 0c0330 .*, kept by the VMM: xhci" <<<"$1"' _ "$fw" \
	"$(printf %02x "0x${xdev:-ff}")"
ck "bvsh version answers" contains "$fw" "blobvisor "
ck "the guest's read of the VMM's image is a nested page fault" contains "$vmm" \
	"hv: guest read VMM memory at guest-physical 0x200000"
ck "the read never completed in the guest" lacks "$fw" "physread returned"
ck "\`guest info' after the stop counts the firmware's and Linux's exits" \
	bash -c 'grep -qE "^guest: (CPU [0-9]+: )?nested page fault on VMM memory, [0-9]+ exits" <<<"$1"' _ "$vmm"
done_testing
