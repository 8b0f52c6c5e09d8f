#!/usr/bin/env bash
# The Linux test guest works: Debian's kernel boots with the busybox
# initramfs, loads the USB modules (not usbhid), and lsusb01 linked against
# Debian's real libusb-0.1 sees QEMU's own usb-tablet on UHCI, claims its HID
# interface, and reads its strings.  Also: a guest without USB runs the
# kernel command line's bv.run and reports its failure; a guest that boots no
# /init, and one that times out, make run-guest fail with one clear line.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
G=build/guest
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

order=$(tr '\n' ' ' < $G/modules/modules.order)
check "modules load usbcore before uhci-hcd" \
	awk -v o="$order" 'BEGIN { exit !(index(o, "usbcore.ko") < index(o, "uhci-hcd.ko") && index(o, "usb-common.ko") < index(o, "usbcore.ko")) }'
check "usbhid is not in the image" lacks "$order" "usbhid"
syms=$(nm $G/lsusb01)
# libusb-compat would bring libusb-1.0's symbols; 0.1.12 has its own usbfs backend
check "lsusb01 carries the real libusb-0.1.12 (usb_os_find_devices)" contains "$syms" "usb_os_find_devices"
check "lsusb01 carries no libusb-1.0" lacks "$syms" "libusb_init"

start=$(date +%s.%N)
out=$(scripts/guest/run-in-guest --device usb-tablet --add $G/lsusb01 \
	--transcript "$t/tablet.txt" --timeout 100 -- 'lsusb01 0627:0001' 2>"$t/err")
rc=$?
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
echo "# usb-tablet boot + lsusb01: $secs s wall"
check "guest with usb-tablet runs lsusb01 (exit 0)" equals "$rc" 0
[[ $rc -eq 0 ]] || sed 's/^/#   err | /' "$t/err"
check "lsusb01 lists bus 001" contains "$out" "bus 001: location"
check "lsusb01 lists the tablet's VID:PID" contains "$out" ": 0627:0001 devnum"
check "lsusb01 lists the UHCI root hub" contains "$out" ": 1d6b:0001 devnum 1"
check "lsusb01 shows the HID descriptor as interface extra" contains "$out" "extra (9 bytes): 09 21"
check "lsusb01 shows the interrupt IN endpoint" contains "$out" "endpoint 0x81: bmAttributes 0x03"
check "lsusb01 reads the product string" contains "$out" '"QEMU USB Tablet"'
check "no driver holds the HID interface" contains "$out" "interface 0 driver: none"
check "libusb claims the HID interface" contains "$out" "interface 0 claim: ok"
check "usb_find_devices counts changes (0 the second time)" contains "$out" "again: usb_find_busses: 0 usb_find_devices: 0"
check "the transcript has no kernel oops" lacks "$(cat "$t/tablet.txt")" "Oops"

# No USB at all (the plain initrd of issue 11), booted from the bzImage by
# the Linux boot protocol (the USB run above used the PVH entry of vmlinux),
# with a command from the kernel command line that fails: its status comes
# back as exit 1.
out=$(scripts/guest/run-guest --kernel $G/vmlinuz --initrd $G/initrd-plain.cpio.gz --transcript "$t/plain.txt" \
	--timeout 100 --append 'bv.run="uname -r; ls /sys/bus/usb 2>&1; exit 7"' 2>"$t/err")
rc=$?
check "the bzImage boots to /init" contains "$(cat "$t/plain.txt")" "bv-guest: init at"
check "plain guest runs bv.run from the command line" contains "$out" "$(cat $G/kernel.version)"
check "plain guest has no USB" contains "$out" "/sys/bus/usb: No such file or directory"
check "a failing guest command makes run-guest exit 1" equals "$rc" 1
check "... and says which status" contains "$(cat "$t/err")" "failed with status 7"

# Must be rejected: no /init ran (garbage initrd: the kernel panics) ...
head -c 4096 /dev/urandom > "$t/junk.cpio.gz"
scripts/guest/run-guest --initrd "$t/junk.cpio.gz" --transcript "$t/junk.txt" --timeout 100 \
	>/dev/null 2>"$t/err"
rc=$?
check "a guest without /init makes run-guest exit 2" equals "$rc" 2
check "... with one line saying so" contains "$(cat "$t/err")" "no output from the guest: it stopped before /init ran its commands (kernel panic"
# ... and a guest that cannot finish in time
scripts/guest/run-guest --initrd $G/initrd-plain.cpio.gz --transcript "$t/slow.txt" --timeout 2 \
	>/dev/null 2>"$t/err"
rc=$?
check "a guest that times out makes run-guest exit 2" equals "$rc" 2
check "... with one line saying so" contains "$(cat "$t/err")" "timed out after 2 s"
done_testing
