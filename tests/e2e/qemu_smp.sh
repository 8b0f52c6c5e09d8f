#!/usr/bin/env bash
# The other processors under multiboot (QEMU TCG, -smp 1..4): the MADT's
# APs get INIT-SIPI-SIPI, come up in long mode on their own stacks and
# tables, and each answers a call from the BSP by reading its own local
# APIC ID; `nosmp' leaves them alone; a hypervisor guest gets them.  (Under OVMF: tests/e2e/qemu_efi.sh.)
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=$(mktemp)
trap 'rm -f "$T"' EXIT

pc() {	# pc SMP APPEND
	timeout 90 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -smp "$1" \
		-display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-serial stdio -monitor none -kernel build/blobvisor-pc.elf -append "$2" \
		</dev/null 2>&1 | tr -d '\r'
	return "${PIPESTATUS[0]}"
}

for n in 1 2 4; do
	out=$(pc $n "-c 'pc cpus' -c 'pc cpus'"); rc=$?
	check "-smp $n: pc cpus succeeds twice (status 0)" equals "$rc" 1
	check "-smp $n: every CPU in the MADT started and answered" \
		equals "$(grep -c "^$n CPUs in the MADT, $n started, $n online, $n answered$" <<<"$out")" 2
	for ((i = 1; i < n; i++)); do
		check "-smp $n: cpu $i answers with its own APIC ID, a second call too" \
			contains "$out" "cpu $i: APIC $i, online, answered in"
		check "-smp $n: cpu $i ran two calls" contains "$out" "(reads APIC ID $i there; 2 calls)"
	done
done
out=$(pc 1 "-c 'pc cpus'")
check "-smp 1: no AP" lacks "$out" "cpu 1:"

out=$(pc 2 "nosmp -c 'pc cpus'"); rc=$?
check "nosmp: the AP is listed but not started" contains "$out" "cpu 1: APIC 1, absent"
check "nosmp: pc cpus counts it as not started" contains "$out" "2 CPUs in the MADT, 1 started, 1 online, 1 answered (nosmp)"
check "nosmp: status 0" equals "$rc" 1
# A hypervisor guest owns the interrupt controllers: from its start on the
# APs wait for its INIT/SIPI to run its CPUs under the VMM (vmm/vcpus.c),
# and are not the VMM's to call (and say so).
timeout 90 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -smp 2 -display none \
	-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
	-kernel build/blobvisor-pc.elf -initrd build/hv/fake-shutdown.bin \
	-append "vmm.mem=64M -c 'guest start fake-shutdown.bin fake-shutdown.bin' -c 'pc cpus'" \
	</dev/null >"$T" 2>&1; rc=$?
out=$(tr -d '\r' <"$T")
check "guest start: the AP waits for the guest's INIT/SIPI, in one line" \
	contains "$out" "hv: 1 AP waits for the guest's INIT/SIPI, to run under the VMM"
check "pc cpus afterwards: the AP is reserved for the guest" \
	contains "$out" "cpu 1: APIC 1, waiting for the guest's INIT/SIPI"
check "pc cpus afterwards: not called, not counted as online" \
	contains "$out" "2 CPUs in the MADT, 2 started, 1 online, 1 answered"
check "and pc cpus succeeds (status 0)" equals "$rc" 1
done_testing
