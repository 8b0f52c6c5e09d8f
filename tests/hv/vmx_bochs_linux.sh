#!/usr/bin/env bash
# Debian's unmodified kernel as the guest of the VMX backend under Bochs
# (`make test-vmx-linux'; minutes, not in make test): it boots to its
# busybox /init under EPT, sees blobvisor's CPUID leaf and no VMX, asks the
# VMM for its counters by VMCALL, cannot see the UHCI controller the VMM
# keeps, and runs `rockey 5' in the VMM through bvsh (the dongle is the
# in-process model: Bochs has no usb-redir); then it powers off (ACPI,
# not intercepted: that ends Bochs, as QEMU for the SVM guest).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
HV=build/hv G=build/guest
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bochs_iso "$out/linux.iso" "$out/iso.d" \
	"vmm.mem=64M -c 'usb attach model:dongle' --load '${VMX_LOAD:-}rockey.o libdongle.a' -c 'guest start vmlinuz initrd-vmx.cpio.gz console=ttyS1 nokaslr bv.drain=3' -c 'guest info'" \
	$G/vmlinuz $HV/initrd-vmx.cpio.gz build/samples/rockey.o build/vendor/libdongle.a
sed 's/^megs: .*/megs: 512/' tests/hv/bochsrc >"$out/bochsrc"
t0=$(date +%s)
bochs_exec "$out/linux.iso" "$out/bochsrc" "$out/linux" "${VMX_LINUX_TIMEOUT:-3600}"
echo "# Bochs: Linux under VMX, $(( $(date +%s) - t0 )) s"
vmm=$(tr -d '\r' <"$out/linux.vmm" 2>/dev/null) guest=$(tr -d '\r' <"$out/linux.guest" 2>/dev/null)
for f in vmm guest; do echo "# ---- $f"; { tr -d '\r' <"$out/linux.$f"; echo; } | sed 's/^/#   /' | tail -50; done
check "linux: the VMM picked VMX" contains "$vmm" "hv: starting the guest (vmx)"
check "linux: the guest's /init ran" contains "$guest" "==== bv-guest: output begin ===="
check "linux: CPUID 0x40000000 shows blobvisor's signature" contains "$guest" 'signature "blobvisor-hv"'
check "linux: the hypervisor bit is set" contains "$guest" "cpuid 1: hypervisor bit 1"
check "linux: VMX is hidden from CPUID" contains "$guest" "cpuid 1: vmx bit 0"
check "linux: /proc/cpuinfo has no vmx flag" contains "$guest" "vmx flags in cpuinfo: 0"
check "linux: VMCALL reaches the VMM, which counted exits" \
	bash -c 'grep -qE "vmm: [1-9][0-9]* exits" <<<"$1"' _ "$guest"
lspci=$(sed -n '/^00:00.0 8086:1237/,/^blobvisor/p' <<<"$guest")
check "conceal: the guest's lspci lists the host bridge" contains "$lspci" "00:00.0 8086:1237"
check "conceal: the guest's lspci does not list the UHCI controller" lacks "$lspci" "8086:7020"
check "bvsh: a read-only command runs in the VMM for the guest" contains "$guest" "blobvisor 0.1 (pc, x86-64)"
check "bvsh 'rockey 5': the case passed" contains "$guest" "--- rockey_testcase5: passed"
check "linux: every command succeeded" contains "$guest" "output end status=0"
check "linux: the guest powered off cleanly" contains "$guest" "reboot: Power down"
done_testing
