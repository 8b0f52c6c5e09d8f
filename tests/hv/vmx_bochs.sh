#!/usr/bin/env bash
# The hypervisor's VMX backend under Bochs (an Intel CPU with VMX and EPT;
# QEMU's TCG has no VMX).  The pc image boots from a GRUB ISO (Bochs has no
# -kernel), picks VMX by CPUID and runs tests/hv/tiny-guest.S, which prints
# what it sees on COM2: CPUID (blobvisor's leaf, no VMX), the intercepted
# IA32_FEATURE_CONTROL, PCI configuration without the UHCI controller the
# VMM keeps, VMCALL (HC_STATS, HC_DBGSH), long mode entered under the
# hypervisor and a hypercall through its page tables (`rockey 5' with the
# in-process dongle model), then a triple fault, which the VMM reports
# before going on.  A second guest writes into the VMM's memory: an EPT
# violation, reported, the VMM's shell goes on.  Two more boots break the
# first VM entry on purpose (vmm.vmx_break=): invalid guest state and an
# entry control the CPU forbids, each reported in one line.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# bochs_run NAME APPEND MODULES...: the image and modules in a GRUB ISO,
# Bochs until the VMM powers off or 300 s (tests/lib.sh); COM1 -> NAME.vmm,
# COM2 -> NAME.guest; prints the seconds it took.
bochs_run() {
	local name=$1 append=$2 t0
	shift 2
	bochs_iso "$out/$name.iso" "$out/$name.d" "$append" "$@" || return 1
	t0=$(date +%s.%N)
	bochs_exec "$out/$name.iso" tests/hv/bochsrc "$out/$name" 300
	awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}
show() {
	for f in "$out/$1".vmm "$out/$1".guest; do
		echo "# ---- ${f##*/}"; [[ -f $f ]] && { tr -d '\r' <"$f"; echo; } | sed 's/^/#   /' | tail -${2:-40}
	done
}

secs=$(bochs_run tiny "vmm.mem=64M -c 'usb attach model:dongle' --load 'rockey.o libdongle.a' -c 'pci list' -c 'guest start tiny-guest.bin tiny-guest.bin rockey 5' -c 'guest info' -c 'pc check watchdog'" \
	$HV/tiny-guest.bin build/samples/rockey.o build/vendor/libdongle.a)
echo "# Bochs: tiny guest run in $secs s"
vmm=$(tr -d '\r' <"$out/tiny.vmm" 2>/dev/null) guest=$(tr -d '\r' <"$out/tiny.guest" 2>/dev/null)
show tiny 60
check "vmx: the VMM picked the VMX backend" contains "$vmm" "hv: starting the guest (vmx)"
check "vmx: controls from the capability MSRs, with EPT" bash -c 'grep -q "^hv: vmx: revision .*EPT" <<<"$1"' _ "$vmm"
check "vmx: the guest ran" contains "$guest" "tiny: start"
check "cpuid: the hypervisor leaf answers blobvisor-hv" contains "$guest" "tiny: cpuid 0x40000000: blobvisor-hv"
check "cpuid: VMX hidden, hypervisor bit set" contains "$guest" "tiny: cpuid 1: vmx 00000000 hypervisor 00000001"
check "msr: IA32_FEATURE_CONTROL reads locked with VMX off" contains "$guest" "tiny: rdmsr feature control 00000001"
check "conceal: the VMM keeps the UHCI controller at 00:01.2" contains "$vmm" "00:01.2 8086:7020 class 0c0300 USB controller, kept by the VMM: uhci"
check "conceal: the guest sees the host bridge 00:00.0" contains "$guest" "tiny: pci devfn 00000000 id 12378086"
check "conceal: and the ISA bridge 00:01.0" contains "$guest" "tiny: pci devfn 00000008 id 70008086"
check "conceal: but not the UHCI controller (devfn 0x0a)" lacks "$guest" "tiny: pci devfn 0000000a"
check "vmcall: HC_STATS answers 0 with the exit count so far" \
	bash -c 'grep -qE "^tiny: hc stats rax 00000000 exits 0000[0-9a-f]*[1-9a-f]" <<<"$1"' _ "$guest"
check "vmcall: HC_DBGSH runs version in the VMM (paging off)" contains "$guest" "tiny: hc dbgsh rax 00000000"
check "vmcall: its output arrives in the guest" contains "$guest" "blobvisor 0.1 (pc, x86-64)"
check "long mode: the guest switched to IA-32e under the hypervisor" contains "$guest" "tiny: long mode"
check "long mode: CPUID still intercepted" \
	bash -c '[[ $(grep -c "tiny: cpuid 0x40000000: blobvisor-hv" <<<"$1") == 2 ]]' _ "$guest"
check "long mode: HC_DBGSH through the guest's 4-level page tables" contains "$guest" "tiny: long mode hc dbgsh ok"
check "bvsh 'rockey 5': the vendor blob ran in the VMM for the guest" contains "$guest" "=== rockey_testcase5 ==="
check "bvsh 'rockey 5': the case passed" contains "$guest" "--- rockey_testcase5: passed"
check "triple fault: reported" contains "$vmm" "hv: guest shutdown (triple fault); guest stopped"
check "triple fault: guest info tells why, with the exit counts" contains "$vmm" "guest: shutdown,"
check "the VMM took its local APIC back: the watchdog works again" \
	contains "$vmm" "the watchdog stops a spinning loop: ok"
check "Bochs ended by the VMM's ACPI soft-off" contains "$(cat "$out/tiny.term")" "ACPI control: soft power off"

secs=$(bochs_run npf "vmm.mem=64M -c 'guest start fake-npf.bin fake-npf.bin' -c version -c 'guest info'" \
	$HV/fake-npf.bin)
echo "# Bochs: EPT-violation guest run in $secs s"
vmm=$(tr -d '\r' <"$out/npf.vmm" 2>/dev/null)
show npf 20
check "ept: a guest write into the VMM's memory is an EPT violation" \
	contains "$vmm" "hv: guest wrote VMM memory at guest-physical 0x200000"
check "ept: reported with the guest's registers" contains "$vmm" "  rip "
check "ept: the VMM's shell goes on" contains "$vmm" "blobvisor 0.1 (pc, x86-64)"
check "ept: guest info tells why it stopped" contains "$vmm" "guest: EPT violation on VMM memory"
# VM-entry failures, provoked by vmm.vmx_break=: each one line naming what
# was wrong, the guest stopped, the VMM's shell going on.
secs=$(bochs_run rflags "vmm.mem=64M vmm.vmx_break=rflags -c 'guest start tiny-guest.bin tiny-guest.bin' -c version" \
	$HV/tiny-guest.bin)
echo "# Bochs: invalid-guest-state run in $secs s"
vmm=$(tr -d '\r' <"$out/rflags.vmm" 2>/dev/null)
show rflags 8
check "entry failure: invalid guest state reported with the field blobvisor found wrong" \
	contains "$vmm" "hv: vmx: VM entry failed: invalid guest state (exit reason 33, qualification 0): GUEST_RFLAGS: bit 1 clear; guest stopped"
check "entry failure: the VMM's shell goes on" contains "$vmm" "blobvisor 0.1 (pc, x86-64)"
secs=$(bochs_run entryctl "vmm.mem=64M vmm.vmx_break=entry-ctl -c 'guest start tiny-guest.bin tiny-guest.bin' -c version" \
	$HV/tiny-guest.bin)
echo "# Bochs: bad-control run in $secs s"
vmm=$(tr -d '\r' <"$out/entryctl.vmm" 2>/dev/null)
show entryctl 8
check "entry failure: VMLAUNCH's VM-instruction error named" \
	contains "$vmm" "hv: vmx: VMLAUNCH failed: VM-instruction error 7 (VM entry with invalid control fields); guest stopped"
check "entry failure: the VMM's shell goes on after it" contains "$vmm" "blobvisor 0.1 (pc, x86-64)"
check "entry failure: a wrong vmm.vmx_break value is refused" \
	bash -c 'timeout 20 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 128M -display none -serial stdio \
		-monitor none -no-reboot -nodefaults -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel build/blobvisor-pc.elf -append "vmm.vmx_break=cr9 -c version" </dev/null 2>&1 |
		grep -q "vmm.vmx_break=cr9: not rflags or entry-ctl"'
done_testing
