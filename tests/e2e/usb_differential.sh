#!/usr/bin/env bash
# The differential run: tests/blobs/libusb_probe.c linked with Debian's real
# libusb-0.1 runs in the Linux test guest (Debian's kernel, UHCI, QEMU's
# usb-redir) against build/redir_echo; the same source built as a blob runs
# in blobvisor against another redir_echo over usbredir, and in-process.
# The outputs must be equal line for line, except one known difference: a
# bulk read from a halted endpoint, where libusb-0.1 returns the URB's
# actual length and QEMU's UHCI reports a stalled TD as 1 byte; blobvisor
# returns -EPIPE.  Neither sets a usb_strerror text for it.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=build/test-usb/diff
mkdir -p "$T"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

check "the guest kernel and the native program are built (no skipping)" \
	test -s build/guest/kernel.version -a -x build/guest/libusb_probe
redir_echo_serve "$T" guest
timeout 180 scripts/guest/run-in-guest --usbredir 127.0.0.1:$PORT --add build/guest/libusb_probe \
	--timeout 150 --transcript "$T/transcript" -- 'libusb_probe' >"$T/guest.out" 2>"$T/guest.err"
check "the native program ran in the guest (exit 0)" equals "$?" 0
check "it found the echo device through real libusb" grep -q '^001/002 f055:e0c0' "$T/guest.out"

strip() { grep -vE '^(blob|  libusb_probe|probe returned)'; }
redir_echo_serve "$T" vmm
timeout 30 "$BV" --usbredir 127.0.0.1:$PORT -c 'blob load build/test-usb/libusb_probe.o' \
	-c 'blob call probe' 2>&1 | strip >"$T/redir.out"
timeout 30 "$BV" -c 'usb attach model:echo' -c 'blob load build/test-usb/libusb_probe.o' \
	-c 'blob call probe' 2>&1 | strip >"$T/model.out"

known='^read halted '
check "the known difference is what it is: Linux returns 1, blobvisor -EPIPE" \
	bash -c "grep -q '^read halted 1 (' '$T/guest.out' && grep -q '^read halted -32 (' '$T/redir.out'"
d=$(diff <(grep -v "$known" "$T/guest.out") <(grep -v "$known" "$T/redir.out"))
check "blob over usbredir prints what real libusb prints in Linux ($(grep -vc "$known" "$T/guest.out") lines)" equals "$d" ""
d=$(diff <(grep -v "$known" "$T/guest.out") <(grep -v "$known" "$T/model.out"))
check "blob with the in-process model prints the same" equals "$d" ""
check "the comparison covered timeouts, stalls, claims and strings" \
	bash -c "grep -q 'read again -110' '$T/guest.out' && grep -q 'stall -32' '$T/guest.out' && grep -q 'claim 7 -2' '$T/guest.out' && grep -q 'product 8' '$T/guest.out'"
done_testing
