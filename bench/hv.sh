#!/usr/bin/env bash
# The guest under blobvisor's SVM hypervisor vs the same guest on bare QEMU
# (both TCG, -cpu max, 1 GiB, -smp 1): wall time from QEMU's start to the
# guest's /init output and across the CPU-bound program (spans seen from the
# host: the guest's clock is not trusted under TCG), QEMU's CPU time to
# /init (what the host's load moves least) and what of it the VMM's own
# boot takes (from SeaBIOS's "Booting from ROM" to the VMM's "starting
# the guest"), the cost of one PCI
# configuration read in the guest (bvguest cfgread: the exit a Linux boot
# makes 25,000 times), the VMM's exits per second (from the guest's
# VMMCALL), and a `bvsh rockey 5' round trip from the guest beside
# `timeit rockey 5' on the VMM's own shell.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh	# qemu_cpu
HV=build/hv G=build/guest
tmp=$(mktemp -d); dpid=
trap '[[ -n $dpid ]] && kill $dpid 2>/dev/null; rm -rf "$tmp"' EXIT
ELF=${HV_ELF:-build/blobvisor-pc.elf}	# HV_ELF=another build: A/B against this tree's
QEMU="qemu-system-x86_64 -cpu max -accel tcg -m 1G -smp 1 -nographic -no-reboot -monitor none"

# run LABEL QEMU-ARGS...: "boot spin bvsh cpu vmmcpu|stats" from the guest
# transcript (vmmcpu: QEMU's CPU time between SeaBIOS handing over and the
# VMM's shell, $tmp/LABEL-shell.log, saying it starts the guest; 0 on bare QEMU)
run() {
	local label=$1 log=$tmp/$1.log shlog=$tmp/$1-shell.log; shift
	rm -f "$log" "$shlog"	# a previous run's markers would end every span at once
	local t0 now boot="" s0="" spin="" b0="" bv="" cpu="" fw="" vcpu=""
	t0=$(date +%s.%N)
	timeout 400 $QEMU "$@" </dev/null >"$tmp/$label.out" 2>&1 &
	local pid=$!
	span() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", e - s }'; }
	while kill -0 $pid 2>/dev/null; do
		now=$(date +%s.%N)
		[[ -z $fw ]] && grep -q "Booting from ROM" "$shlog" 2>/dev/null && fw=$(qemu_cpu $pid)
		[[ -n $fw && -z $vcpu ]] && grep -q "hv: starting the guest" "$shlog" 2>/dev/null &&
			vcpu=$(awk -v a="$fw" -v b="$(qemu_cpu $pid)" 'BEGIN { printf "%.2f", b - a }')
		if [[ -z $boot ]] && grep -q "output begin" "$log" 2>/dev/null; then
			boot=$(span "$t0" "$now")
			cpu=$(qemu_cpu $pid)
		fi
		[[ -z $s0 ]] && grep -q "^spin: start" "$log" 2>/dev/null && s0=$now
		[[ -n $s0 && -z $spin ]] && grep -q "^spin: .* rounds" "$log" 2>/dev/null && spin=$(span "$s0" "$now")
		[[ -z $b0 ]] && grep -q "^bvsh-bench: start" "$log" 2>/dev/null && b0=$now
		[[ -n $b0 && -z $bv ]] && grep -q "^bvsh-bench: done" "$log" 2>/dev/null && bv=$(span "$b0" "$now")
		sleep 0.02
	done
	wait $pid
	echo "$boot $spin ${bv:-0} ${cpu:-0} ${vcpu:-0}|$(tr -d '\r' <"$log" | sed -n 's/^vmm: //p')"
	tr -d '\r' <"$log" | sed -n '/^guest: running/,/pci address writes/{s/^ *//;p}' >"$tmp/$label.exits"
	# bvguest cfgread: "best median" in microseconds, one line per run
	tr -d '\r' <"$log" | sed -n 's/^cfgread: best \([0-9.]*\) us, median \([0-9.]*\) us.*/\1 \2/p' \
		>>"$tmp/$label.cfg"
}
# cfg LABEL: the best run's "best median" of bvguest cfgread
cfg() { sort -n "$tmp/$1.cfg" 2>/dev/null | head -1; }

build/dongled --init --state "$tmp/state" >/dev/null
build/dongled --listen "unix:$tmp/dongle.sock" --state "$tmp/state" 2>/dev/null & dpid=$!
for _ in $(seq 100); do [[ -S $tmp/dongle.sock ]] && break; sleep 0.05; done

# Alternate the two, HV_RUNS times each, and keep each figure's best: the
# host's load moves TCG's speed a lot.
min() { awk -v a="$1" -v b="$2" 'BEGIN { print ((a == "" || (b != "" && b + 0 < a + 0)) ? b : a) }'; }
bboot= bspin= vboot= vspin= vbv= stats= qbboot= qvboot= qstats= bcpu= vcpu= qbcpu= qvcpu= vmmc= qvmmc=
load0=$(cat /proc/loadavg)
HV_RUNS=${HV_RUNS:-$([[ ${BENCH_QUICK:-0} != 0 ]] && echo 1 || echo 2)}	# make bench-quick: one run
for i in $(seq "$HV_RUNS"); do
	bare=$(run bare -machine pc -serial "file:$tmp/bare.log" -kernel $G/vmlinuz -initrd $HV/initrd-hvbench.cpio.gz \
		-append "console=ttyS0 nokaslr")
	vmm=$(run vmm -machine pc -serial "file:$tmp/vmm-shell.log" -serial "file:$tmp/vmm.log" -kernel $ELF \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-device piix3-usb-uhci,id=uhci -chardev "socket,id=dg,path=$tmp/dongle.sock,reconnect=1" \
		-device usb-redir,chardev=dg,bus=uhci.0 \
		-initrd "$G/vmlinuz,$HV/initrd-hvbench.cpio.gz,build/samples/rockey.o,build/vendor/libdongle.a" \
		-append "vmm.mem=64M --load '--in-vmm rockey.o libdongle.a' -c 'timeit rockey 5' -c 'guest start vmlinuz initrd-hvbench.cpio.gz console=ttyS1 nokaslr'")
	read -r a b _ d <<<"${bare%%|*}"
	bboot=$(min "$bboot" "$a") bspin=$(min "$bspin" "$b") bcpu=$(min "$bcpu" "$d")
	read -r a b c d e <<<"${vmm%%|*}"
	vboot=$(min "$vboot" "$a") vspin=$(min "$vspin" "$b") vbv=$(min "$vbv" "$c") vcpu=$(min "$vcpu" "$d")
	vmmc=$(min "$vmmc" "$e")
	stats=${vmm#*|}
	qbare=$(run q35bare -machine q35 -serial "file:$tmp/q35bare.log" -kernel $G/vmlinuz \
		-initrd $HV/initrd-hvbench.cpio.gz -append "console=ttyS0 nokaslr")
	qvmm=$(run q35vmm -machine q35 -serial "file:$tmp/q35vmm-shell.log" -serial "file:$tmp/q35vmm.log" \
		-kernel $ELF -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-device qemu-xhci,id=xhci,addr=05.0 -chardev "socket,id=dg,path=$tmp/dongle.sock,reconnect=1" \
		-device usb-redir,chardev=dg,bus=xhci.0 \
		-initrd "$G/vmlinuz,$HV/initrd-hvbench.cpio.gz,build/samples/rockey.o,build/vendor/libdongle.a" \
		-append "vmm.mem=64M --load '--in-vmm rockey.o libdongle.a' -c 'guest start vmlinuz initrd-hvbench.cpio.gz console=ttyS1 nokaslr'")
	read -r a _ _ d <<<"${qbare%%|*}"
	qbboot=$(min "$qbboot" "$a") qbcpu=$(min "$qbcpu" "$d")
	read -r a _ _ d e <<<"${qvmm%%|*}"
	qvboot=$(min "$qvboot" "$a") qvcpu=$(min "$qvcpu" "$d") qvmmc=$(min "$qvmmc" "$e") qstats=${qvmm#*|}
done
shell=$(tr -d '\r' <"$tmp/vmm-shell.log" | sed -n 's/^timeit: \([0-9]*\) ns/\1/p')
awk -v bb="$bboot" -v bs="$bspin" -v vb="$vboot" -v vs="$vspin" -v bv="$vbv" -v sh="${shell:-0}" \
    -v st="$stats" -v exits="$tmp/vmm.exits" -v runs="$HV_RUNS" -v qbb="$qbboot" -v qvb="$qvboot" \
    -v qst="$qstats" -v qexits="$tmp/q35vmm.exits" -v load="$(cat /proc/loadavg)" -v load0="$load0" \
    -v bc="$bcpu" -v vc="$vcpu" -v qbc="$qbcpu" -v qvc="$qvcpu" -v vm="$vmmc" -v qvm="$qvmmc" -v cb="$(cfg bare)" -v cv="$(cfg vmm)" -v qcb="$(cfg q35bare)" -v qcv="$(cfg q35vmm)" 'BEGIN {
	printf "hv: load average at the start: %s, at the end: %s\n", load0, load
	printf "hv: best of %d runs each\n", runs
	printf "hv: guest boot to /init: bare QEMU %.2f s, under blobvisor %.2f s (%.2fx; goal <= 1.05x)\n", bb, vb, vb / bb
	printf "hv: the same in QEMU CPU time: bare %.2f s, under blobvisor %.2f s (%.2fx)\n", bc, vc, vc / bc
	printf "hv: of which the VMM\047s own boot (SeaBIOS done to guest start) %.2f s\n", vm
	printf "hv: CPU-bound spin 300M: bare %.2f s, under blobvisor %.2f s (%.2fx; target <= 1.05x)\n", bs, vs, vs / bs
	printf "hv: VMM %s\n", st
	printf "hv: exits by reason (`guest info` after boot and spin):\n"
	while ((getline l < exits) > 0) printf "hv:   %s\n", l
	printf "hv: q35, the VMM keeping a qemu-xhci: guest boot to /init: bare QEMU %.2f s, under blobvisor %.2f s (%.2fx; goal <= 1.05x)\n", qbb, qvb, qvb / qbb
	printf "hv: the same in QEMU CPU time: bare %.2f s, under blobvisor %.2f s (%.2fx)\n", qbc, qvc, qvc / qbc
	printf "hv: of which the VMM\047s own boot (SeaBIOS done to guest start) %.2f s\n", qvm
	printf "hv: q35 VMM %s\n", qst
	printf "hv: q35 exits by reason:\n"
	while ((getline l < qexits) > 0) printf "hv:   %s\n", l
	split(cb, a, " "); split(cv, b, " "); split(qcb, c, " "); split(qcv, d, " ")
	printf "hv: one PCI configuration read of an absent bus (bvguest cfgread; best / median round, us): pc bare %.2f / %.2f, under blobvisor %.2f / %.2f; q35 bare %.2f / %.2f, under blobvisor %.2f / %.2f\n", a[1], a[2], b[1], b[2], c[1], c[2], d[1], d[2]
	printf "hv: bvsh rockey 5 from the guest: %.1f ms per round trip (best of runs, 20 each, incl. starting bvsh); the VMM shell: timeit rockey 5 = %.1f ms\n", bv * 1000 / 20, sh / 1e6
}'
