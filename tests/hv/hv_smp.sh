#!/usr/bin/env bash
# Every CPU under the VMM: QEMU with -smp 4, the VMM's APs wait for the
# guest's INIT/SIPI (trapped in the local APIC page) and start each guest AP
# in guest mode.  The guest (tests/hv/smpcheck.sh) finds 4 CPUs, the VMM's
# CPUID on each (its own APIC ID, no SVM), and runs `bvsh rockey 5' from
# all four at once while every CPU spins; then the VMM's shell still runs.
# The vendor blob sits in a protection domain (HV_SMP_LOAD='--in-vmm ' for
# ring 0): each AP that takes a hypercall enters ring 3 with its own TSS,
# SYSCALL stack and MSRs (platform/pc/user.c).
# QEMU runs the four vCPUs in one host thread (thread=single): with one
# thread per vCPU, four spinning vCPUs on this shared 2-core host starved
# QEMU's main loop and dongled long enough for the dongle's 3 x 1 s
# timeouts to expire now and then ("dongle does not answer"); the VMM's
# exits still interleave on the four vCPUs (TCG switches between them).
# It also keeps QEMU 7.2's IGNNE race away (docs/architecture.md).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

build/dongled --init --state "$out/state" >/dev/null
build/dongled --listen "unix:$out/dongle.sock" --state "$out/state" >"$out/dongled.log" 2>&1 &
dpid=$!
trap 'kill $dpid 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 100); do [[ -S $out/dongle.sock ]] && break; sleep 0.05; done

timeout 400 qemu-system-x86_64 -machine pc -cpu max -accel tcg,thread=single -m 1G -smp 4 \
	-nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
	-device piix3-usb-uhci,id=uhci \
	-chardev socket,id=dg,path="$out/dongle.sock",reconnect=1 -device usb-redir,chardev=dg,bus=uhci.0 \
	-serial "file:$out/vmm" -serial "file:$out/guest" \
	-kernel build/blobvisor-pc.elf \
	-initrd "$G/vmlinuz,$HV/initrd-smp.cpio.gz,build/samples/rockey.o,build/vendor/libdongle.a" \
	-append "vmm.mem=64M --load '${HV_SMP_LOAD---domain }rockey.o libdongle.a' -c 'guest start vmlinuz initrd-smp.cpio.gz console=ttyS1 nokaslr' -c 'guest info' -c version" \
	</dev/null >"$out/qemu" 2>&1
rc=$?
vmm=$(cat "$out/vmm") guest=$(tr -d '\r' <"$out/guest")
for f in vmm guest; do echo "# ---- $f"; sed 's/^/#   /' "$out/$f" | tail -60; done
grep -a "failed rockey" "$out/guest" | sed 's/^/# /'	# a failed round's own output

if [[ ${HV_SMP_LOAD---domain } == --in-vmm* ]]; then
	check "the vendor blob is in ring 0 (no domain runtime linked)" lacks "$vmm" "domain-runtime.o"
else
	check "the vendor blob is in a domain (the domain runtime linked)" contains "$vmm" "domain-runtime.o"
fi
check "the APs wait for the guest's INIT/SIPI" contains "$vmm" "hv: 3 APs wait for the guest's INIT/SIPI"
for c in 1 2 3; do
	check "guest CPU $c started in guest mode at its SIPI vector" \
		bash -c 'grep -qE "^hv: guest CPU '$c' \(APIC [0-9]+\) starts at [0-9a-f]{4}:0000" <<<"$1"' _ "$vmm"
done
check "Linux brought up all 4 CPUs" contains "$guest" "smp: Brought up 1 node, 4 CPUs"
check "the guest's /init ran" contains "$guest" "==== bv-guest: output begin ===="
check "nproc = 4" contains "$guest" "nproc: 4"
check "CPUs 0-3 online" contains "$guest" "cpus online: 0-3"
check "no svm flag in /proc/cpuinfo" contains "$guest" "svm flags in cpuinfo: 0"
for c in 0 1 2 3; do
	check "cpu $c: the VMM's CPUID signature" contains "$guest" "cpu $c: hypervisor leaf 0x40000000: max 0x40000000 signature \"blobvisor-hv\""
	check "cpu $c: no SVM" contains "$guest" "cpu $c: cpuid 0x80000001: svm bit 0"
	check "cpu $c: x2APIC hidden, its own APIC ID $c" contains "$guest" "cpu $c: cpuid 1: x2apic bit 0, initial APIC ID $c"
	check "cpu $c: the CPU-bound loop ran" bash -c 'grep -qE "^cpu '$c': spin: 150 M rounds" <<<"$1"' _ "$guest"
	check "cpu $c: bvsh rockey 5 passed every round, four CPUs at once" contains "$guest" "cpu $c: rockey 5 passed 3 of 3"
done
check "guest info from the guest lists the 4 CPUs running" contains "$guest" "cpu 3 (APIC 3): running"
check "every command succeeded" contains "$guest" "output end status=0"
check "the guest powered off cleanly" contains "$guest" "reboot: Power down"
check "QEMU ends by the guest's power-off (status $rc)" equals "$rc" 0
done_testing
