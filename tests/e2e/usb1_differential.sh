#!/usr/bin/env bash
# The libusb-1.0 differential run: tests/usb1/libusb1_probe.c linked with
# Debian's real libusb-1.0 (and the shared libraries it needs: libc,
# libudev, the dynamic loader) runs in the Linux test guest (Debian's
# kernel, UHCI, QEMU's usb-redir) against build/redir_echo; the same source
# built as a blob runs in blobvisor against another redir_echo over
# usbredir, and in-process.  The outputs must be equal line for line,
# except these known differences, each checked for what it is:
#  - `where': bus/address/ports, and Linux lists the root hub as parent;
#  - Linux's libusb polls file descriptors (usbfs, eventfd, timerfd), so
#    its pollfd list is not empty, it handles timeouts itself
#    (pollfds_handle_timeouts 1) and get_next_timeout says 0; blobvisor has
#    no descriptors: an empty list, 0, and the next transfer timeout;
#  - wrap_sys_device(3): Linux tries fd 3 (IO), blobvisor refuses it;
#  - a bulk read from a halted endpoint: STALL on both, but QEMU's UHCI
#    reports the stalled TD as 1 byte transferred (as in the libusb-0.1
#    differential), blobvisor 0.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=build/test-usb/diff1
mkdir -p "$T"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

check "the guest kernel and the native program are built (no skipping)" \
	test -s build/guest/kernel.version -a -x build/guest/libusb1_probe
L=/lib/x86_64-linux-gnu
libs=()
for f in /lib64/ld-linux-x86-64.so.2 $L/libc.so.6 $L/libudev.so.1 $L/libpthread.so.0 $L/libusb-1.0.so.0; do
	libs+=(--add "$f:$f")
done
redir_echo_serve "$T" guest
timeout 180 scripts/guest/run-in-guest --usbredir 127.0.0.1:$PORT --add build/guest/libusb1_probe \
	"${libs[@]}" --timeout 150 --transcript "$T/transcript" -- 'libusb1_probe' >"$T/guest.out" 2>"$T/guest.err"
check "the native program ran in the guest (exit 0)" equals "$?" 0
check "it found the echo device through Debian's libusb-1.0" grep -q '^device list: has the echo device' "$T/guest.out"

strip() { grep -vE '^(blob|  libusb1_probe|probe1 returned)'; }
redir_echo_serve "$T" vmm
timeout 30 "$BV" --usbredir 127.0.0.1:$PORT -c 'blob load build/test-usb/libusb1_probe.o' \
	-c 'blob call probe1' 2>&1 | strip >"$T/redir.out"
timeout 30 "$BV" -c 'usb attach model:echo' -c 'blob load build/test-usb/libusb1_probe.o' \
	-c 'blob call probe1' 2>&1 | strip >"$T/model.out"

known='^(where|pollfds|next timeout:|wrap_sys_device|async stall:)'
check "known: Linux lists a parent (the root hub), blobvisor none" \
	bash -c "grep -q '^where .* parent set' '$T/guest.out' && grep -q '^where .* parent none' '$T/redir.out'"
check "known: Linux polls descriptors and its timerfd, blobvisor has none" \
	bash -c "grep -q '^pollfds: list empty no; handle timeouts 1' '$T/guest.out' && grep -q '^pollfds: list empty yes; handle timeouts 0' '$T/redir.out'"
check "known: so Linux's get_next_timeout says 0, blobvisor's the transfer's" \
	bash -c "grep -q '^next timeout: 0 ' '$T/guest.out' && grep -q '^next timeout: 1 within 700 ms: yes' '$T/redir.out'"
check "known: wrap_sys_device: Linux IO on fd 3, blobvisor NOT_SUPPORTED" \
	bash -c "grep -q '^wrap_sys_device: LIBUSB_ERROR_IO' '$T/guest.out' && grep -q '^wrap_sys_device: LIBUSB_ERROR_NOT_SUPPORTED' '$T/redir.out'"
check "known: a stalled bulk read: STALL, 1 byte under QEMU's UHCI, 0 here" \
	bash -c "grep -q '^async stall: submit OK status STALL actual 1 ' '$T/guest.out' && grep -q '^async stall: submit OK status STALL actual 0 ' '$T/redir.out'"
n=$(grep -vEc "$known" "$T/guest.out")
d=$(diff <(grep -vE "$known" "$T/guest.out") <(grep -vE "$known" "$T/redir.out"))
check "blob over usbredir prints what Debian's libusb-1.0 prints in Linux ($n lines)" equals "$d" ""
d=$(diff <(grep -vE "$known" "$T/guest.out") <(grep -vE "$known" "$T/model.out"))
check "blob with the in-process model prints the same" equals "$d" ""
check "the comparison covered async statuses, claims, halts, strings, descriptors" \
	bash -c "grep -q 'async timeout: submit OK status TIMED_OUT' '$T/guest.out' && grep -q 'second handle: claim 0 LIBUSB_ERROR_BUSY' '$T/guest.out' && grep -q 'halted in LIBUSB_ERROR_PIPE' '$T/guest.out' && grep -q 'product 8' '$T/guest.out' && grep -q 'extra 9 \[09 21\]' '$T/guest.out' && test \$(wc -l < '$T/guest.out') -ge 55"
done_testing
