#!/usr/bin/env bash
# A failed VMM start under UEFI: on a CPU the VMM cannot run on,
# blobvisor.efi says why in one line before it exits boot services and
# starts the configuration's fallback image — Debian's kernel through its
# EFI stub, its initrd from the ESP — with the firmware's LoadImage/
# StartImage: the OS boots without the VMM, on all 4 CPUs, and powers off.
# Without a fallback line it returns to the firmware with the same line.
# The booting run takes nested paging away (-cpu max,-npt): with
# -cpu max,-svm under OVMF the guest's static busybox aborts in glibc's
# _dl_get_origin even when OVMF boots the kernel itself, no blobvisor
# involved; the refusal for -svm is checked on its own.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

esp() {	# esp IMAGE [FALLBACK-LINE]
	{
		echo "cmdline vmm.mem=64M -c 'guest start vmlinuz initrd-smpbench.cpio.gz console=ttyS1 nokaslr'"
		echo 'module \blobvisor\vmlinuz'
		echo 'module \blobvisor\initrd-smpbench.cpio.gz'
		[[ -n ${2:-} ]] && echo "$2"
	} | platform/efi/mkesp.sh "$1" - "$G/vmlinuz" "$HV/initrd-smpbench.cpio.gz"
}
qemu() {	# qemu NAME IMAGE CPU: the command line
	echo qemu-system-x86_64 -machine q35 -cpu "$3" -accel tcg -m 1G -smp 4 -display none \
		-no-reboot -monitor none -net none -bios /usr/share/ovmf/OVMF.fd \
		-drive "file=$2,format=raw,if=ide" -serial "file:$W/$1.fw" -serial "file:$W/$1.guest"
}

esp "$W/fb.img" 'fallback \blobvisor\vmlinuz initrd=\blobvisor\initrd-smpbench.cpio.gz console=ttyS1 nokaslr'
timeout 300 $(qemu fb "$W/fb.img" max,-npt) </dev/null >"$W/fb.qemu" 2>&1; rc=$?
fw=$(tr -d '\r' <"$W/fb.fw") guest=$(tr -d '\r' <"$W/fb.guest")
for f in fb.fw fb.guest; do echo "# ---- $f"; tr -d '\r' <"$W/$f" | tail -12 | sed 's/^/#   /'; done
check "blobvisor.efi says why the VMM cannot start, and what it does instead" contains "$fw" \
	"blobvisor.efi: cannot start the VMM: the CPU has no nested paging; starting the fallback image instead"
check "it starts the fallback image through the firmware" contains "$fw" \
	"blobvisor.efi: starting \\blobvisor\\vmlinuz without the VMM: initrd=\\blobvisor\\initrd-smpbench.cpio.gz console=ttyS1 nokaslr"
check "the VMM never ran" lacks "$fw$guest" "hv: starting the guest"
check "Linux started from its EFI stub, with the initrd it loaded itself" contains "$fw$guest" \
	"EFI stub: Loaded initrd from command line option"
check "Linux has EFI (runtime services)" contains "$guest" "efi: EFI v"
check "all 4 CPUs in /proc/cpuinfo" contains "$guest" "processor	: 3"
check "no hypervisor under it but QEMU's: bvsh finds no blobvisor" \
	contains "$guest" 'bvsh: not running under blobvisor (hypervisor signature "TCGTCGTCGTCG")'
check "the OS powered off" contains "$guest" "reboot: Power down"
check "QEMU ends by the power-off (status $rc)" equals "$rc" 0

# (the firmware then tries its other boot options: cut short once the line is there)
esp "$W/nofb.img"
timeout 120 $(qemu nofb "$W/nofb.img" max,-svm) </dev/null >"$W/nofb.qemu" 2>&1 &
pid=$!
for _ in $(seq 1200); do grep -q "back to the firmware" "$W/nofb.fw" 2>/dev/null && break; sleep 0.1; done
kill $pid 2>/dev/null; wait $pid 2>/dev/null
fw=$(tr -d '\r' <"$W/nofb.fw")
check "no SVM, no fallback: one line, back to the firmware" contains "$fw" \
	"blobvisor.efi: cannot start the VMM: the CPU has neither SVM nor VMX; back to the firmware (no fallback in \\blobvisor\\blobvisor.cfg)"
done_testing
