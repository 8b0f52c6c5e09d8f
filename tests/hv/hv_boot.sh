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

# hv_qemu NAME MODULES APPEND: run QEMU, VMM serial -> NAME.vmm, guest ->
# NAME.guest, QEMU's own `info pci' -> NAME.pci.  A UHCI controller with a
# USB tablet is there for the VMM to keep.
hv_qemu() {
	timeout 240 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 1G -smp 1 \
		-nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-monitor "unix:$out/$1.mon,server=on,wait=off" \
		-device piix3-usb-uhci,id=uhci ${HV_USB:--device usb-tablet,bus=uhci.0} \
		-serial "file:$out/$1.vmm" -serial "file:$out/$1.guest" \
		-kernel build/blobvisor-pc.elf -initrd "$2" -append "$3" </dev/null >"$out/$1.qemu" 2>&1 &
	local pid=$!
	python3 - "$out/$1.mon" >"$out/$1.pci" 2>&1 <<'PY'
import socket, sys, time
for _ in range(200):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); break
    except OSError:
        time.sleep(0.05)
s.settimeout(5); s.sendall(b"info pci\n"); data = b""; end = time.time() + 5
while time.time() < end and b"USB controller" not in data:
    try: data += s.recv(65536)
    except socket.timeout: break
print(data.decode(errors="replace"))
PY
	wait $pid
	echo $?
}
show() {	# the transcripts, as TAP comments
	for f in "$out/$1".vmm "$out/$1".guest; do
		echo "# ---- ${f##*/}"; sed 's/^/#   /' "$f" | tail -${2:-40}
	done
}

# The dongle from build/dongled on the UHCI controller the VMM keeps, the
# vendor blob and the samples loaded in the VMM.
build/dongled --init --state "$out/state" >/dev/null
build/dongled --listen "unix:$out/dongle.sock" --state "$out/state" >"$out/dongled.log" 2>&1 &
dpid=$!
trap 'kill $dpid 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 100); do [[ -S $out/dongle.sock ]] && break; sleep 0.05; done
rc=$(HV_USB="-chardev socket,id=dg,path=$out/dongle.sock,reconnect=1 -device usb-redir,chardev=dg,bus=uhci.0" \
	hv_qemu linux "$G/vmlinuz,$HV/initrd-hv.cpio.gz,build/samples/rockey.o,build/vendor/libdongle.a" \
	"vmm.mem=64M --load 'rockey.o libdongle.a' -c 'guest start vmlinuz initrd-hv.cpio.gz console=ttyS1 nokaslr'")
vmm=$(cat "$out/linux.vmm") guest=$(tr -d '\r' <"$out/linux.guest")
show linux 60
check "linux: QEMU ends by the guest's power-off (status $rc)" equals "$rc" 0
check "linux: the VMM placed the kernel above its own memory" contains "$vmm" "VMM keeps 0x200000.."
check "linux: the guest's /init ran" contains "$guest" "==== bv-guest: output begin ===="
check "linux: CPUID 0x40000000 shows blobvisor's signature" contains "$guest" 'signature "blobvisor-hv"'
check "linux: the hypervisor bit is set" contains "$guest" "cpuid 1: hypervisor bit 1"
check "linux: SVM is hidden from CPUID" contains "$guest" "cpuid 0x80000001: svm bit 0"
check "linux: /proc/cpuinfo has no svm flag" contains "$guest" "svm flags in cpuinfo: 0"
# XSAVE in the guest switch (vmm/svm/vmrun.S): the guest's AVX state
# survives exits in which the VMM runs its own AVX2 string code
for f in xsave avx avx2; do
	check "linux: the guest's /proc/cpuinfo has $f (-cpu max)" contains "$guest" "guest cpu flag: $f"
done
check "linux: YMM0-15 survive 20 VMM shell calls (XSAVE across VMRUN)" \
	contains "$guest" "ymm: 16 registers kept across 20 VMM shell calls: yes"
check "linux: the CPU-bound program ran" contains "$guest" "spin: 300 M rounds"
# HC_STATS answers with the VMM's counters: after a Linux boot there were
# exits (CPUID, I/O at least) and time inside VMRUN, so zero is a failure.
check "linux: VMMCALL reaches the VMM, which counted exits and guest time" \
	bash -c 'grep -qE "vmm: [1-9][0-9]* exits, [0-9.]*[1-9][0-9.]* s in the guest" <<<"$1"' _ "$guest"
check "linux: every command succeeded" contains "$guest" "output end status=0"
check "linux: the guest powered off cleanly" contains "$guest" "reboot: Power down"
lspci=$(sed -n '/^00:00.0 8086:1237 class 060000$/,/^blobvisor/p' <<<"$guest")
check "conceal: QEMU's info pci lists the UHCI controller" contains "$(cat "$out/linux.pci")" "USB controller: PCI device 8086:7020"
check "conceal: the guest's lspci (sysfs) lists the host bridge" contains "$lspci" "00:00.0 8086:1237 class 060000"
check "conceal: the guest's lspci does not list the UHCI controller" lacks "$lspci" "8086:7020"
check "bvsh: a read-only command runs in the VMM for the guest" contains "$guest" "blobvisor 0.1 (pc, x86-64)"
check "bvsh: the VMM's pci list, seen from the guest, keeps UHCI" contains "$guest" "USB controller, kept by the VMM: uhci"
check "bvsh: a forbidden command is refused with a clear line" \
	contains "$guest" "bvsh: \`blob load /etc/passwd' is not allowed from the guest"
check "bvsh: and exits 2" contains "$guest" "bvsh refused: status 2"
check "bvsh: the VMM logs each guest command" contains "$vmm" "hv: guest bvsh: blob load /etc/passwd: refused"
check "bvsh 'rockey 5': the vendor blob ran in the VMM for the guest" contains "$guest" "=== rockey_testcase5 ==="
check "bvsh 'rockey 5': the hardware info arrived in the guest" contains "$guest" "COSVersion:  2.3"
check "bvsh 'rockey 5': FactoryTime, HardSerial, ShipTime too" \
	bash -c 'grep -q "^FactoryTime: " <<<"$1" && grep -q "^HardSerial:  BV0000000001" <<<"$1" && grep -q "^ShipTime: " <<<"$1"' _ "$guest"
check "bvsh 'rockey 5': the case passed" contains "$guest" "--- rockey_testcase5: passed"
check "the guest cannot see the dongle: no USB device in its sysfs" contains "$guest" "guest USB devices: 0"

# vmm.guest_cmds= replaces the commands' own guest flags with a list.
rc=$(hv_qemu policy "$G/vmlinuz,$HV/initrd-hv.cpio.gz" \
	"vmm.mem=64M vmm.guest_cmds=version,pci+list -c 'guest start vmlinuz initrd-hv.cpio.gz console=ttyS1 nokaslr'")
vmm=$(cat "$out/policy.vmm") guest=$(tr -d '\r' <"$out/policy.guest")
show policy 20
check "guest_cmds: a listed command runs for the guest" contains "$guest" "blobvisor 0.1 (pc, x86-64)"
check "guest_cmds: a listed two-word command (pci+list) runs" \
	contains "$guest" "USB controller, kept by the VMM: uhci"
check "guest_cmds: a read-only command the list omits is refused" \
	contains "$vmm" "hv: guest bvsh: rockey 5: refused"
check "guest_cmds: the refusal names the policy in force" \
	contains "$guest" "is not allowed from the guest (policy: version,pci+list)"

rc=$(hv_qemu npf "$HV/fake-npf.bin,$HV/fake-npf.bin" \
	"vmm.mem=64M -c 'guest start fake-npf.bin fake-npf.bin' -c version -c 'guest info'")
vmm=$(cat "$out/npf.vmm")
show npf 20
check "npf: a guest write into the VMM's memory is a nested page fault" \
	contains "$vmm" "hv: guest wrote VMM memory at guest-physical 0x200000"
check "npf: reported with the guest's registers" contains "$vmm" "  rip "
check "npf: ... and the exits that led to it, the nested page fault (0x400) last" \
	bash -c 'tr -d "\r" <<<"$1" | grep -qE "^  last exits \(code@rip, oldest first\):( 0x[0-9a-f]+@[0-9a-f]+)* 0x400@[0-9a-f]+$"' _ "$vmm"
check "npf: the VMM's shell goes on" contains "$vmm" "blobvisor 0.1 (pc, x86-64)"
check "npf: guest info tells why it stopped" contains "$vmm" "guest: nested page fault on VMM memory"
check "npf: the VMM powers off with status 0 (isa-debug-exit 1)" equals "$rc" 1

rc=$(hv_qemu shutdown "$HV/fake-shutdown.bin,$HV/fake-shutdown.bin" \
	"vmm.mem=64M -c 'guest start fake-shutdown.bin fake-shutdown.bin' -c version -c 'pc check watchdog'")
vmm=$(cat "$out/shutdown.vmm")
show shutdown 20
check "shutdown: a guest triple fault is reported" contains "$vmm" "hv: guest shutdown (triple fault)"
check "shutdown: the VMM's shell goes on" contains "$vmm" "blobvisor 0.1 (pc, x86-64)"
check "shutdown: the VMM took its local APIC back: the watchdog works again" \
	contains "$vmm" "the watchdog stops a spinning loop: ok"

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
