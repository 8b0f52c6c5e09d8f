#!/usr/bin/env bash
# The VMX backend under Bochs (the only VMX this machine has): host seconds
# from Bochs's start to the VMM's banner, to `guest start', to the guest's
# stop and to Bochs's exit (the VMM's ACPI soft-off), Bochs's speed in
# emulated instructions per host second (ticks at exit / wall time; the
# config runs ips=50M with clock sync=none, so guest-visible time is ticks /
# 50M), and the exits tests/hv/tiny-guest.S causes, by reason.  With
# BENCH_VMX_LINUX=1 also Debian's kernel with the hv initramfs to its /init
# and power-off under VMX (minutes; 512 MiB).
. "$(dirname "$0")/../tests/lib.sh"	# bochs_iso, bochs_exec
cd "$BV_TOP"
HV=build/hv G=build/guest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME MEGS APPEND MARKERS MODULES...: MARKERS is "file:text;..." (file
# vmm or guest); prints the seconds at which each marker appeared, then
# Bochs's exit time and its ticks.
run() {
	local name=$1 megs=$2 append=$3 markers=$4 dir=$tmp/$1.d t0 now m pid
	shift 4
	bochs_iso "$tmp/$name.iso" "$dir" "$append" "$@" || { echo "grub-mkrescue failed" >&2; return 1; }
	sed "s/^megs: .*/megs: $megs/" tests/hv/bochsrc >"$tmp/$name.rc"
	t0=$(date +%s.%N)
	bochs_exec "$tmp/$name.iso" "$tmp/$name.rc" "$tmp/$name" 3600 &
	pid=$!
	declare -A seen=()
	IFS=';' read -ra ms <<<"$markers"
	while kill -0 $pid 2>/dev/null; do
		now=$(date +%s.%N)
		for m in "${ms[@]}"; do
			[[ -n ${seen[$m]:-} ]] && continue
			{ tr -d '\r' <"$tmp/$name.${m%%:*}"; } 2>/dev/null | grep -qF -- "${m#*:}" &&
				seen[$m]=$(awk -v s="$t0" -v e="$now" 'BEGIN { printf "%.1f", e - s }')
		done
		sleep 0.1
	done
	wait $pid
	now=$(date +%s.%N)
	for m in "${ms[@]}"; do printf "%s " "${seen[$m]:--}"; done
	awk -v s="$t0" -v e="$now" 'BEGIN { printf "%.1f ", e - s }'
	sed -n 's/^\([0-9]*\)i\[SIM *\] quit_sim.*/\1/p' "$tmp/$name.log" | tail -1
}

read -r banner start stop total ticks < <(run tiny 256 \
	"vmm.mem=64M -c version -c 'guest start tiny-guest.bin tiny-guest.bin version' -c 'guest info'" \
	"vmm:blobvisor 0.1 (pc;vmm:hv: starting the guest;vmm:hv: guest stopped" $HV/tiny-guest.bin)
echo "vmx-bochs: tiny guest: VMM shell up (its first command) after $banner s, guest start $start s, guest stopped $stop s, Bochs exit $total s (host time)"
awk -v t="$ticks" -v s="$total" 'BEGIN { if (t > 0) printf "vmx-bochs: Bochs ran %.0f M instructions in %.1f s: %.1f M/s here (emulated time = ticks / 50 M)\n", t / 1e6, s, t / 1e6 / s }'
tr -d '\r' <"$tmp/tiny.vmm" | sed -n '/^guest: /,/pci address writes/{s/^ */vmx-bochs:   /;p}'; echo

if [[ ${BENCH_VMX_LINUX:-0} == 1 ]]; then
	read -r banner start init off total ticks < <(run linux 512 \
		"vmm.mem=64M -c version -c 'guest start vmlinuz initrd-hv.cpio.gz console=ttyS1 nokaslr' -c 'guest info'" \
		"vmm:blobvisor 0.1 (pc;vmm:hv: starting the guest;guest:==== bv-guest: output begin;guest:reboot: Power down" \
		$G/vmlinuz $HV/initrd-hv.cpio.gz)
	echo "vmx-bochs: Linux: guest start $start s, /init $init s, power-off $off s, Bochs exit $total s (host time, $((ticks / 1000000)) M instructions)"
	tr -d '\r' <"$tmp/linux.guest" | grep -E '^(hypervisor leaf|cpuid|vmm:|spin:)' | sed 's/^/vmx-bochs:   /'
	tr -d '\r' <"$tmp/linux.vmm" | sed -n '/^guest: /,/pci address writes/{s/^ */vmx-bochs:   /;p}'; echo
else
	echo "vmx-bochs: Linux under VMX skipped (BENCH_VMX_LINUX=1: minutes)"
fi
