#!/usr/bin/env bash
# The guest under blobvisor's SVM hypervisor vs the same guest on bare QEMU
# (both TCG, -cpu max, 1 GiB, -smp 1): wall time from QEMU's start to the
# guest's /init output and across the CPU-bound program, and the VMM's exits
# per second of guest time (from the guest's VMMCALL).
set -u
cd "$(dirname "$0")/.."
HV=build/hv G=build/guest
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
QEMU="qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 1G -smp 1 -nographic -no-reboot -monitor none"

# run LABEL QEMU-ARGS...: prints "boot_s spin_s" from the guest transcript
run() {
	local label=$1 log=$tmp/$1.log; shift
	local t0; t0=$(date +%s.%N)
	timeout 300 $QEMU "$@" </dev/null >/dev/null 2>&1 &
	local pid=$! boot="" s0="" spin=""
	# wall-clock spans seen from outside: the guest's own clock is not
	# trusted under TCG
	while kill -0 $pid 2>/dev/null; do
		now=$(date +%s.%N)
		if [[ -z $boot ]] && grep -q "output begin" "$log" 2>/dev/null; then
			boot=$(awk -v s="$t0" -v e="$now" 'BEGIN { printf "%.2f", e - s }')
		fi
		if [[ -z $s0 ]] && grep -q "^spin: start" "$log" 2>/dev/null; then s0=$now; fi
		if [[ -n $s0 && -z $spin ]] && grep -q "^spin: .* rounds" "$log" 2>/dev/null; then
			spin=$(awk -v s="$s0" -v e="$now" 'BEGIN { printf "%.2f", e - s }')
		fi
		sleep 0.02
	done
	wait $pid
	stats=$(tr -d '\r' <"$log" | sed -n 's/^vmm: //p')
	echo "$boot $spin|$stats"
}

bare=$(run bare -serial "file:$tmp/bare.log" -kernel $G/vmlinuz -initrd $HV/initrd-hv.cpio.gz \
	-append "console=ttyS0 nokaslr")
vmm=$(run vmm -serial file:/dev/null -serial "file:$tmp/vmm.log" -kernel build/blobvisor-pc.elf \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-initrd "$G/vmlinuz,$HV/initrd-hv.cpio.gz" \
	-append "vmm.mem=64M -c 'guest start vmlinuz initrd-hv.cpio.gz console=ttyS1 nokaslr'")
read -r bboot bspin <<<"${bare%%|*}"
read -r vboot vspin <<<"${vmm%%|*}"
awk -v bb="$bboot" -v bs="$bspin" -v vb="$vboot" -v vs="$vspin" -v st="${vmm#*|}" 'BEGIN {
	printf "hv: guest boot to /init: bare QEMU %.2f s, under blobvisor %.2f s (%.2fx; target <= 1.1x)\n", bb, vb, vb / bb
	printf "hv: CPU-bound spin 300M: bare %.3f s, under blobvisor %.3f s (%.3fx; target <= 1.05x)\n", bs, vs, vs / bs
	printf "hv: VMM %s\n", st
}'
