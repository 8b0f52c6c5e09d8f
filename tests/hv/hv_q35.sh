#!/usr/bin/env bash
# Concealment on q35: the VMM keeps an xHCI controller (00:05.0, the dongle
# on it through usb-redir) while Debian's Linux runs as its guest with its
# own EHCI and a USB tablet.  The guest's PCI list lacks the VMM's
# controller (QEMU's own `info pci' has it); through /dev/mem the
# controller's ECAM page (found by the VMM from the MCFG table) and its
# registers read as nothing there while the host bridge's ECAM page reads
# its IDs; `bvsh rockey 5' reaches the dongle through the VMM; the guest's
# own controller enumerates the tablet.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
out=$(mktemp -d)
dpid=
trap '[[ -n $dpid ]] && kill $dpid 2>/dev/null; rm -rf "$out"' EXIT
build/dongled --init --state "$out/state" >/dev/null
build/dongled --listen "unix:$out/dongle.sock" --state "$out/state" >"$out/dongled.log" 2>&1 &
dpid=$!
for _ in $(seq 100); do [[ -S $out/dongle.sock ]] && break; sleep 0.05; done

timeout 400 qemu-system-x86_64 -machine q35 -cpu max -accel tcg -m 1G -smp 1 -nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor "unix:$out/mon,server=on,wait=off" \
	-device qemu-xhci,id=xhci,addr=05.0 -chardev "socket,id=dg,path=$out/dongle.sock,reconnect=1" \
	-device usb-redir,chardev=dg,bus=xhci.0 -device usb-ehci,id=gusb -device usb-tablet,bus=gusb.0 \
	-serial "file:$out/vmm" -serial "file:$out/guest" -kernel build/blobvisor-pc.elf \
	-initrd "$G/vmlinuz,$HV/initrd-q35.cpio.gz,build/samples/rockey.o,build/vendor/libdongle.a" \
	-append "vmm.mem=64M --load 'rockey.o libdongle.a' -c 'guest start vmlinuz initrd-q35.cpio.gz console=ttyS1 nokaslr iomem=relaxed'" \
	</dev/null >"$out/qemu" 2>&1 &
qpid=$!
python3 - "$out/mon" >"$out/pci" 2>&1 <<'PY'
import socket, sys, time
for _ in range(200):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); break
    except OSError:
        time.sleep(0.05)
s.settimeout(5); s.sendall(b"info pci\n"); data = b""; end = time.time() + 5
while time.time() < end and data.count(b"USB controller") < 2:
    try: data += s.recv(65536)
    except socket.timeout: break
print(data.decode(errors="replace"))
PY
wait $qpid; rc=$?
vmm=$(cat "$out/vmm") guest=$(tr -d '\r' <"$out/guest") pci=$(cat "$out/pci")
for f in vmm guest; do echo "# ---- $f"; tr -d '\r' <"$out/$f" | sed 's/^/#   /' | tail -40; done
check "q35: QEMU ends by the guest's power-off (status $rc)" equals "$rc" 0
check "q35: the VMM found ECAM through the MCFG table" contains "$vmm" "hv: ECAM at 0xb0000000, buses 0-255 (MCFG)"
check "q35: QEMU's info pci lists the VMM's xHCI (1b36:000d)" contains "$pci" "USB controller: PCI device 1b36:000d"
check "q35: the guest's lspci lists the host bridge" contains "$guest" "00:00.0 8086:29c0 class 060000"
check "q35: the guest's lspci does not list the VMM's xHCI" lacks "$guest" "1b36:000d"
check "q35: the guest's lspci lists its own EHCI" contains "$guest" "class 0c0320"
check "q35: the host bridge's ECAM page stays direct (its IDs)" contains "$guest" "physread 0xb0000000: 29c08086"
check "q35: the xHCI's ECAM page reads as no function" \
	contains "$guest" "physread 0xb0028000: ffffffff ffffffff ffffffff ffffffff"
bar=$(sed -n 's/.*xHCI 00:05.0 mmio \(0x[0-9a-f]*\).*/\1/p' <<<"$guest" | head -1)
check "q35: bvsh usb list names the xHCI's registers ($bar)" test -n "$bar"
check "q35: the xHCI's registers read as nothing through /dev/mem" \
	contains "$guest" "physread $bar: ffffffff ffffffff ffffffff ffffffff"
check "q35: bvsh rockey 5 reaches the dongle through the VMM" contains "$guest" "--- rockey_testcase5: passed"
check "q35: the guest's own controller enumerates the tablet" contains "$guest" "QEMU USB Tablet"
check "q35: the guest's commands all succeeded" contains "$guest" "output end status=0"
done_testing
