#!/usr/bin/env bash
# The IC-card screen lock under the hypervisor (the seed's ICカード連携画面
# ロック): the VMM keeps the UHCI controller with QEMU's usb-ccid reader and
# emulated card, Debian's libccid.so (a module) drives it, and the guest's
# bvcardlock (tests/hv/bvcardlock.c) blocks in the HC_CARDWAIT hypercall.
# The test takes the card out and puts it back through QEMU's monitor
# (device_del / device_add of the ccid-card-emulated device): the guest
# prints LOCK, then UNLOCK.  The guest never sees the reader; a wait with a
# timeout ends after it; bvsh is served while bvcardlock waits.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
T=$(mktemp -d)
qpid=
trap '[[ -n $qpid ]] && kill $qpid 2>/dev/null; [[ -n ${BV_KEEP:-} ]] && echo "# kept $T" || rm -rf "$T"' EXIT

check "an NSS database for the emulated card (certutil)" nss_card_db "$T/nss"
CARD="ccid-card-emulated,$(nss_card_args "$T/nss"),id=card0"

timeout 300 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 1G -smp 1 \
	-nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-monitor "unix:$T/mon,server=on,wait=off" \
	-device piix3-usb-uhci,id=uhci -device usb-ccid,bus=uhci.0 -device "$CARD" \
	-serial "file:$T/vmm" -serial "file:$T/guest" \
	-kernel build/blobvisor-pc.elf -initrd "$G/vmlinuz,$HV/initrd-cardlock.cpio.gz,$LIBCCID,$LIBCCID_PLIST" \
	-append "vmm.mem=64M -c 'blob load $LIBCCID' -c 'card list' -c 'card status' -c 'guest start vmlinuz initrd-cardlock.cpio.gz console=ttyS1 nokaslr'" \
	</dev/null >"$T/qemu" 2>&1 &
qpid=$!
# The card goes when bvcardlock waits (after bvsh answered beside it) and
# comes back after the guest printed LOCK.
python3 - "$T/mon" "$T/guest" "$CARD" >"$T/monitor.log" 2>&1 <<'PY'
import socket, sys, time
mon, guest, card = sys.argv[1:4]
def wait_for(text, secs):
    end = time.time() + secs
    while time.time() < end:
        try:
            if text in open(guest, errors="replace").read():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    print("monitor: gave up waiting for %r" % text); sys.exit(1)
for _ in range(200):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(mon); break
    except OSError:
        time.sleep(0.05)
def cmd(line):
    s.sendall(line.encode() + b"\n"); time.sleep(0.5)
    s.settimeout(0.5)
    try: print(s.recv(65536).decode(errors="replace"))
    except socket.timeout: pass
wait_for("bvsh answered while bvcardlock waits", 240)
print("monitor: removing the card"); cmd("device_del card0")
wait_for("\nLOCK", 90)
print("monitor: inserting the card"); cmd("device_add " + card)
wait_for("\nUNLOCK", 90)
print("monitor: done")
PY
mrc=$?
wait $qpid
rc=$?
qpid=
vmm=$(tr -d '\r' <"$T/vmm") guest=$(tr -d '\r' <"$T/guest")
show() { for f in vmm guest monitor.log; do echo "# ---- $f"; tr -d '\r' <"$T/$f" | tail -25 | sed 's/^/#   /'; done; }
check "QEMU ends by the guest's power-off (status $rc)" equals "$rc" 0 || show
check "the VMM drives the reader with Debian's libccid before the guest starts" \
	bash -c 'grep -q "driver: libccid.so" <<<"$1" && grep -q "reader 0: card present" <<<"$1"' _ "$vmm"
check "the guest never sees the reader: no UHCI in its lspci, no USB devices" \
	bash -c '! grep -q "8086:7020" <<<"$1" && grep -q "8086:1237" <<<"$1" && grep -q "guest USB devices: 0" <<<"$1"' _ "$guest"
check "bvcardlock: the card is present when it starts" contains "$guest" "bvcardlock: card present; waiting"
check "a wait with a timeout ends after it (700 ms, status 3)" \
	bash -c 'grep -qE "no change in 700 ms \(waited 0\.[7-9][0-9] s\)|no change in 700 ms \(waited [1-9]\.[0-9]+ s\)" <<<"$1" && grep -q "bvcardlock status 3" <<<"$1"' _ "$guest"
check "the VMM's shell answers bvsh while bvcardlock waits" \
	bash -c 'grep -B3 "bvsh answered while bvcardlock waits" <<<"$1" | grep -q "^blobvisor"' _ "$guest"
check "the monitor took the card out and put it back (status $mrc)" equals "$mrc" 0 || show
check "card removed through QEMU's monitor: the guest prints LOCK" bash -c 'grep -qx "LOCK" <<<"$1"' _ "$guest"
check "card back: UNLOCK, and bvcardlock ends (2 changes, status 0)" \
	bash -c 'grep -A1 -x "LOCK" <<<"$1" | grep -qx "UNLOCK" && grep -q "bvcardlock status 0" <<<"$1"' _ "$guest"
done_testing
