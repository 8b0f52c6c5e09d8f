#!/usr/bin/env bash
# Bare metal part 2: the vendor archive and the samples as multiboot modules,
# the dongle from build/dongled through QEMU's usb-redir, on a UHCI
# controller and on an xHCI controller; `rockey all' prints exactly what the
# hosted VMM prints on both.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
serve() {
	[[ -n $pid ]] && { kill "$pid"; wait "$pid" 2>/dev/null; }
	build/dongled --listen "unix:$W/sock" --state "$W/state" >"$W/dongled.log" 2>&1 & pid=$!
	for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done
}
cases() { sed -n '/^=== rockey_testcase1 ===/,/^--- rockey_testcase9: /{p;/^--- rockey_testcase9: /q}'; }
build/dongled --init --state "$W/state" >/dev/null

serve
hosted=$(timeout 60 "$BV" --usbredir "unix:$W/sock" --load 'build/samples/rockey.o build/vendor/libdongle.a' \
	-c 'rockey all' 2>&1)
cases <<<"$hosted" >"$W/hosted.cases"
check "the hosted reference has all nine cases" equals "$(grep -c '^=== rockey_testcase' "$W/hosted.cases")" 9

# Both ways: on UHCI the vendor blob in ring 0 (--in-vmm), on xHCI in a
# protection domain (--domain, the default on bare metal, said
# explicitly); the domain run below is on UHCI.
for hc in uhci xhci; do
	case $hc in
	uhci) dev=piix3-usb-uhci; name=UHCI; ring='--in-vmm ' want='ok$' ;;
	xhci) dev=qemu-xhci; name=xHCI; ring='--domain ' want='ok domain$' ;;
	esac
	rm -f "$W/sock"; serve
	timeout 120 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
		-device $dev,id=hc -chardev "socket,id=dg,path=$W/sock,reconnect=1" \
		-device usb-redir,chardev=dg,bus=hc.0 -kernel build/blobvisor-pc.elf \
		-initrd "build/samples/rockey.o,build/vendor/libdongle.a" \
		-append "--load '${ring}rockey.o libdongle.a' -c 'usb list' -c 'blob list' -c 'rockey all' -c 'rockey all'" \
		</dev/null >"$W/pc.out" 2>&1; rc=$?
	out=$(tr -d '\r' <"$W/pc.out")
	check "$name: QEMU exits through isa-debug-exit with status 0" equals "$rc" 1
	check "$name: the vendor blob is loaded $ring" grep -qE "^rockey.o .* $want" <<<"$out"
	check "$name: usb list shows the dongle" \
		contains "$out" "ID 1209:000d, Class 00 (Defined at Interface level), full speed, config 1"
	check "$name: the bus is the $name controller" contains "$out" "Bus 001: $hc controller, $name"
	check "$name: rockey all passes through usb-redir" contains "$out" "rockey all: 9/9 passed"
	check "$name: and again on the same dongle" equals "$(grep -c 'rockey all: 9/9 passed' <<<"$out")" 2
	cases <<<"$out" >"$W/pc.cases"
	check "$name: bare metal prints exactly what the hosted VMM prints" \
		diff -u "$W/hosted.cases" "$W/pc.cases"
done

# The vendor blob in a protection domain (docs/domains.md): libdongle.a and
# rockey.o run in ring 3 on the domain's own libc, pthread and libusb-0.1,
# which reach the dongle only through the domain's USB calls; the cases
# print exactly what the ring-0 blob prints.
rm -f "$W/sock"; serve
timeout 120 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
	-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
	-device piix3-usb-uhci,id=hc -chardev "socket,id=dg,path=$W/sock,reconnect=1" \
	-device usb-redir,chardev=dg,bus=hc.0 -kernel build/blobvisor-pc.elf \
	-initrd "build/samples/rockey.o,build/vendor/libdongle.a" \
	-append "-c 'blob load --domain rockey.o libdongle.a' -c 'blob list' -c 'rockey all' -c 'rockey all' -c 'pc cksum'" \
	</dev/null >"$W/pc.out" 2>&1; rc=$?
out=$(tr -d '\r' <"$W/pc.out")
check "domain: QEMU exits through isa-debug-exit with status 0" equals "$rc" 1
check "domain: the vendor blob is loaded as a protection domain" grep -qE '^rockey.o .* ok domain$' <<<"$out"
check "domain: its imports resolve inside the domain only" \
	grep -qE '^blob: rockey.o: .*imports: blob 0 weak [0-9]+ missing 0$' <<<"$out"
check "domain: rockey all passes with the blob in ring 3" contains "$out" "rockey all: 9/9 passed"
check "domain: and again on the same dongle" equals "$(grep -c 'rockey all: 9/9 passed' <<<"$out")" 2
cases <<<"$out" >"$W/pc.cases"
check "domain: ring 3 prints exactly what the hosted VMM prints" diff -u "$W/hosted.cases" "$W/pc.cases"
done_testing
