#!/usr/bin/env bash
# blobvisor.efi under Debian's OVMF (QEMU TCG, -machine pc): the firmware
# loads \EFI\BOOT\BOOTX64.EFI from a FAT image made here with mtools; the
# loader reads \blobvisor\blobvisor.cfg and its modules, exits boot services
# and starts the VMM, whose shell then works as under multiboot: version,
# mem, pc info (UEFI boot, the firmware's RSDP), pc check, modules byte for
# byte (cksum), the dongle on UHCI and on xHCI with rockey 5.  Bad
# configurations are refused in one line and the firmware goes on.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
OVMF=/usr/share/ovmf/OVMF.fd
serve() {
	[[ -n $pid ]] && { kill "$pid"; wait "$pid" 2>/dev/null; }
	rm -f "$W/sock"
	build/dongled --listen "unix:$W/sock" --state "$W/state" >"$W/dongled.log" 2>&1 & pid=$!
	for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done
}
# efi TIMEOUT QEMU-ARGS...: boot $W/esp.img under OVMF; output in $out, status in $rc
efi() {
	local t=$1; shift
	timeout "$t" qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
		-bios "$OVMF" -drive "file=$W/esp.img,format=raw,if=ide" -net none "$@" \
		</dev/null >"$W/out" 2>&1; rc=$?
	out=$(tr -d '\r' <"$W/out")
}
# efi_until PATTERN TIMEOUT: boot as efi does, but stop QEMU once PATTERN
# is in the output (the firmware would go on to its other boot options)
efi_until() {
	local pat=$1 t=$2 q
	qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-no-reboot -serial stdio -monitor none -bios "$OVMF" \
		-drive "file=$W/esp.img,format=raw,if=ide" -net none </dev/null >"$W/out" 2>&1 & q=$!
	for _ in $(seq $((t * 5))); do grep -qF -- "$pat" "$W/out" && break; sleep 0.2; done
	sleep 0.5
	kill "$q" 2>/dev/null; wait "$q" 2>/dev/null
	out=$(tr -d '\r' <"$W/out")
}
build/dongled --init --state "$W/state" >/dev/null

# UHCI, the samples loaded from the ESP, the platform's own checks.
serve
platform/efi/mkesp.sh "$W/esp.img" - build/samples/rockey.o build/vendor/libdongle.a Makefile <<'CFG'
# a comment, then an indented directive
  cmdline --load 'rockey.o libdongle.a' -c version -c mem -c 'pc info' -c 'pc check' -c 'usb list' -c 'rockey 5' -c 'pc file Makefile'
module \blobvisor\rockey.o build/samples/rockey.o
module \blobvisor\libdongle.a build/vendor/libdongle.a
module \blobvisor\Makefile
CFG
efi 120 -device piix3-usb-uhci,id=hc -chardev "socket,id=dg,path=$W/sock,reconnect=1" \
	-device usb-redir,chardev=dg,bus=hc.0
check "UHCI: QEMU exits through isa-debug-exit with status 0" equals "$rc" 1
check "the loader reads its modules from the ESP" contains "$out" 'blobvisor.efi: module \blobvisor\libdongle.a ('
check "it exits boot services" contains "$out" "blobvisor.efi: exiting boot services"
check "the VMM's shell answers" contains "$out" "blobvisor 0.1 (pc, x86-64)"
check "pc info: booted through UEFI" contains "$out" "boot: UEFI (blobvisor.efi); ACPI RSDP at 0x"
rsdp=$(sed -n 's/^boot: UEFI.*RSDP at \(0x[0-9a-f]*\)$/\1/p' <<<"$out")
check "the RSDP is the firmware's, not in the BIOS area ($rsdp)" test $((rsdp)) -ge $((0x100000))
check "the command line starts with the image name" \
	contains "$out" "command line: blobvisor.efi --load 'rockey.o libdongle.a'"
region=$(sed -n 's/^page allocator region: .*(\([0-9]*\) MiB)$/\1/p' <<<"$out")
check "the page allocator gets the largest free range (${region:-?} MiB of 256)" test "${region:-0}" -ge 150
check "the module string is the configured name" \
	contains "$out" ", $(stat -c %s build/vendor/libdongle.a) bytes: build/vendor/libdongle.a"
check "a module without a name is named by its ESP path" contains "$out" "bytes: /blobvisor/Makefile"
check "a module arrives byte for byte (cksum)" \
	contains "$out" "Makefile: $(stat -c %s Makefile) bytes, cksum $(cksum <Makefile | cut -d' ' -f1)"
check "pc check passes under UEFI" contains "$out" "pc check: 0 failed"
check "mem: the heap works" contains "$out" "heap:"
check "UHCI: usb list shows the dongle" \
	contains "$out" "ID 1209:000d, Class 00 (Defined at Interface level), full speed, config 1"
check "UHCI: the bus is the UHCI controller" contains "$out" "Bus 001: uhci controller, UHCI"
check "UHCI: rockey 5 passes" contains "$out" "--- rockey_testcase5: passed"

# xHCI, and two CPUs: the AP started from the MADT the firmware published
serve
platform/efi/mkesp.sh "$W/esp.img" - build/samples/rockey.o build/vendor/libdongle.a <<'CFG'
cmdline --load 'rockey.o libdongle.a' -c 'usb list' -c 'rockey 5' -c 'pc cpus'
module \blobvisor\rockey.o
module \blobvisor\libdongle.a
CFG
efi 120 -smp 2 -device qemu-xhci,id=hc -chardev "socket,id=dg,path=$W/sock,reconnect=1" \
	-device usb-redir,chardev=dg,bus=hc.0
check "xHCI: QEMU exits with status 0" equals "$rc" 1
check "xHCI: the bus is the xHCI controller" contains "$out" "Bus 001: xhci controller, xHCI"
check "xHCI: usb list shows the dongle" contains "$out" "ID 1209:000d"
check "xHCI: rockey 5 passes" contains "$out" "--- rockey_testcase5: passed"
check "-smp 2 under OVMF: the AP starts and answers" \
	contains "$out" "2 CPUs in the MADT, 2 started, 2 online, 2 answered"

# Refusals: one line, back to the firmware (which then tries its other boot
# options: the run ends by timeout, the VMM never starts).
printf 'cmdline -c version\nmodlue \\blobvisor\\x\n' | platform/efi/mkesp.sh "$W/esp.img" -
efi_until "unknown directive" 30
check "an unknown directive is named with its line" \
	contains "$out" 'blobvisor.efi: \blobvisor\blobvisor.cfg:2: unknown directive (cmdline, module, fallback, boot)'
check "and the VMM does not start" lacks "$out" "exiting boot services"
printf 'cmdline -c version\nmodule \\blobvisor\\nosuch.a\n' | platform/efi/mkesp.sh "$W/esp.img" -
efi_until "no such file" 30
check "a missing module is named" contains "$out" 'blobvisor.efi: \blobvisor\nosuch.a: no such file on the ESP'
check "and the VMM does not start" lacks "$out" "exiting boot services"
platform/efi/mkesp.sh "$W/esp.img" /dev/null
mdel -i "$W/esp.img" ::/blobvisor/blobvisor.cfg
efi_until "exiting boot services" 30
check "without a configuration file the VMM starts, no modules, empty command line" \
	contains "$out" 'no \blobvisor\blobvisor.cfg: no modules, empty command line'
done_testing
