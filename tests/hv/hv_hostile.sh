#!/usr/bin/env bash
# The guest is untrusted too.  Debian's Linux runs as the guest of the SVM
# hypervisor (QEMU pc, TCG) while the VMM keeps the UHCI controller with the
# dongle (build/dongled over usb-redir) and has the vendor blob loaded (in
# ring 0, --in-vmm: domains, the default, are hv_domain's and hv_smp's); the
# guest's bvhostile (tests/hv/bvhostile.c) spends HOSTILE_SECONDS (default
# 10; `make test-hostile' gives it 60) on VMMCALLs with random functions,
# pointers and lengths and on the hidden controller's configuration space
# and I/O ports at every width.  Afterwards the VMM still answers `bvsh
# version', still drives its dongle (`bvsh rockey 5' passes), the guest
# powers off normally, nothing hidden was read back, and the guest's
# garbage never reached the VMM's console as raw control bytes.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
S=${HOSTILE_SECONDS:-10}
out=$(mktemp -d)
dpid=
trap '[[ -n $dpid ]] && kill $dpid 2>/dev/null; rm -rf "$out"' EXIT
build/dongled --init --state "$out/state" >/dev/null
build/dongled --listen "unix:$out/dongle.sock" --state "$out/state" >"$out/dongled.log" 2>&1 &
dpid=$!
for _ in $(seq 100); do [[ -S $out/dongle.sock ]] && break; sleep 0.05; done

timeout $((300 + S)) qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 1G -smp 1 \
	-nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
	-device piix3-usb-uhci,id=uhci -chardev "socket,id=dg,path=$out/dongle.sock,reconnect=1" \
	-device usb-redir,chardev=dg,bus=uhci.0 \
	-serial "file:$out/vmm" -serial "file:$out/guest" -kernel build/blobvisor-pc.elf \
	-initrd "$G/vmlinuz,$HV/initrd-hostile.cpio.gz,build/samples/rockey.o,build/vendor/libdongle.a" \
	-append "vmm.mem=64M --load '--in-vmm rockey.o libdongle.a' -c 'guest start vmlinuz initrd-hostile.cpio.gz console=ttyS1 nokaslr iomem=relaxed bv.hostile=$S'" \
	</dev/null >"$out/qemu" 2>&1
rc=$?
guest=$(tr -d '\r' <"$out/guest")
vmm=$(tr -d '\r' <"$out/vmm")
echo "# ---- guest"; grep -v '^hv: guest bvsh' <<<"$guest" | sed 's/^/#   /' | tail -40
echo "# ---- vmm (without the per-call log)"; grep -av '^hv: guest bvsh' <<<"$vmm" | sed 's/^/#   /' | tail -30
calls=$(sed -n 's/^bvhostile: \([0-9]*\) VMMCALLs.*/\1/p' <<<"$guest")
check "QEMU ends by the guest's power-off (status $rc): the VMM kept running" equals "$rc" 0
check "bvhostile ran for $S s" bash -c 'grep -qE "^bvhostile: [0-9.]+ s, " <<<"$1"' _ "$guest"
check "... and learnt what the VMM keeps: the UHCI function and its ports" \
	bash -c 'grep -q "^bvhostile: hidden function " <<<"$1" && grep -q "^bvhostile: hidden ports " <<<"$1"' _ "$guest"
check "... with the VMM's memory mapped for its pointers (iomem=relaxed)" contains "$guest" "through /dev/mem" 
check "... no predicted answer was wrong, nothing hidden read back: 0 violations" bash -c 'grep -qE "^bvhostile: [0-9.]+ s, 0 violations$" <<<"$1"' _ "$guest"
check "... bvhostile exited 0" contains "$guest" "bv-guest: exit 0: bvhostile"
check "... after hundreds of VMMCALLs ($calls)" test "${calls:-0}" -ge 200
check "... every one answered with a known result" contains "$guest" " 0 other"
check "dis for the guest reads code only (not the local APIC's registers)" \
	contains "$guest" "bvhostile: dis: the VMM's code yes, the local APIC's registers no"
check "bvsh version answers afterwards" contains "$guest" "blobvisor 0.1 (pc, x86-64)"
check "the VMM still drives its dongle: bvsh rockey 5 passes" contains "$guest" "--- rockey_testcase5: passed"
check "the guest's commands all succeeded" contains "$guest" "output end status=0"
check "the VMM reports no panic" lacks "$vmm" "panic"
check "the VMM never stopped the guest" lacks "$vmm" "guest stopped"
# (SeaBIOS's own escape sequences come before: only the per-call log counts)
raw=$(grep -a '^hv: guest bvsh' <<<"$vmm" | grep -aP '[\x00-\x08\x0b-\x1f\x7f]' | head -3 | cat -v)
logged=$(grep -ac '^hv: guest bvsh' <<<"$vmm")
check "the VMM logs the guest's command lines ($logged)" test "$logged" -gt 100
check "the guest's garbage reached the VMM's console escaped, never as raw control bytes" equals "$raw" ""
done_testing
