#!/usr/bin/env bash
# The SVM hypervisor under QEMU (TCG, -cpu max): Debian's kernel boots as the
# guest to its busybox /init, sees blobvisor's CPUID leaf and no SVM, runs a
# CPU-bound program and powers off; a guest that writes into the VMM's memory
# or triple-faults is stopped and reported while the VMM's shell goes on.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# hv_qemu NAME MODULES APPEND: run QEMU, VMM serial -> NAME.vmm, guest -> NAME.guest
hv_qemu() {
	timeout 240 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 1G -smp 1 \
		-nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
		-serial "file:$out/$1.vmm" -serial "file:$out/$1.guest" \
		-kernel build/blobvisor-pc.elf -initrd "$2" -append "$3" </dev/null >"$out/$1.qemu" 2>&1
	echo $?
}
show() {	# the transcripts, as TAP comments
	for f in "$out/$1".vmm "$out/$1".guest; do
		echo "# ---- ${f##*/}"; sed 's/^/#   /' "$f" | tail -${2:-40}
	done
}

rc=$(hv_qemu linux "$G/vmlinuz,$HV/initrd-hv.cpio.gz" \
	"vmm.mem=64M -c 'guest start vmlinuz initrd-hv.cpio.gz console=ttyS1 nokaslr'")
vmm=$(cat "$out/linux.vmm") guest=$(tr -d '\r' <"$out/linux.guest")
show linux 60
check "linux: QEMU ends by the guest's power-off (status $rc)" equals "$rc" 0
check "linux: the VMM placed the kernel above its own memory" contains "$vmm" "VMM keeps 0x200000.."
check "linux: the guest's /init ran" contains "$guest" "==== bv-guest: output begin ===="
check "linux: CPUID 0x40000000 shows blobvisor's signature" contains "$guest" 'signature "blobvisor-hv"'
check "linux: the hypervisor bit is set" contains "$guest" "cpuid 1: hypervisor bit 1"
check "linux: SVM is hidden from CPUID" contains "$guest" "cpuid 0x80000001: svm bit 0"
check "linux: /proc/cpuinfo has no svm flag" bash -c "grep -A1 -F 'bvguest cpuid' <<<\"\$1\" >/dev/null; grep -qx 0 <<<\"\$1\"" _ "$guest"
check "linux: the CPU-bound program ran" contains "$guest" "spin: 300 M rounds"
check "linux: VMMCALL reaches the VMM" contains "$guest" "vmm: "
check "linux: every command succeeded" contains "$guest" "output end status=0"
check "linux: the guest powered off cleanly" contains "$guest" "reboot: Power down"

rc=$(hv_qemu npf "$HV/fake-npf.bin,$HV/fake-npf.bin" \
	"vmm.mem=64M -c 'guest start fake-npf.bin fake-npf.bin' -c version -c 'guest info'")
vmm=$(cat "$out/npf.vmm")
show npf 20
check "npf: a guest write into the VMM's memory is a nested page fault" \
	contains "$vmm" "hv: guest wrote VMM memory at guest-physical 0x200000"
check "npf: reported with the guest's registers" contains "$vmm" "  rip "
check "npf: the VMM's shell goes on" contains "$vmm" "blobvisor 0.1 (pc, x86-64)"
check "npf: guest info tells why it stopped" contains "$vmm" "guest: nested page fault on VMM memory"
check "npf: the VMM powers off with status 0 (isa-debug-exit 1)" equals "$rc" 1

rc=$(hv_qemu shutdown "$HV/fake-shutdown.bin,$HV/fake-shutdown.bin" \
	"vmm.mem=64M -c 'guest start fake-shutdown.bin fake-shutdown.bin' -c version")
vmm=$(cat "$out/shutdown.vmm")
show shutdown 20
check "shutdown: a guest triple fault is reported" contains "$vmm" "hv: guest shutdown (triple fault)"
check "shutdown: the VMM's shell goes on" contains "$vmm" "blobvisor 0.1 (pc, x86-64)"

rc=$(hv_qemu refuse "$HV/fake-npf.bin,$HV/fake-npf.bin" "-c 'guest start fake-npf.bin fake-npf.bin'")
vmm=$(cat "$out/refuse.vmm")
check "refuse: without vmm.mem there is no RAM for a guest, and it says so" \
	contains "$vmm" "guest: no RAM left for a guest: boot with vmm.mem=SIZE"
rc=$(hv_qemu badkernel "$HV/initrd-hv.cpio.gz,$HV/initrd-hv.cpio.gz" \
	"vmm.mem=64M -c 'guest start initrd-hv.cpio.gz initrd-hv.cpio.gz'")
vmm=$(cat "$out/badkernel.vmm")
check "badkernel: a file without a setup header is refused" contains "$vmm" "hv: kernel: not a bzImage"
check "badkernel: the command fails (status 1 -> QEMU 3)" equals "$rc" 3
done_testing
