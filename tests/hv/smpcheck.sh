#!/bin/sh
# The 4-CPU guest's checks (tests/hv/hv_smp.sh reads the output): how many
# CPUs Linux brought up, CPUID on each one (pinned with taskset: the
# signature, no SVM, its own APIC ID), then `bvsh rockey 5' from every CPU
# at once, ROUNDS times each, while a CPU-bound loop runs on every CPU.
rounds=${1:-3}
echo "nproc: $(nproc)"
echo "cpus online: $(cat /sys/devices/system/cpu/online)"
echo "svm flags in cpuinfo: $(grep -cw svm /proc/cpuinfo)"
n=$(nproc)
c=0
while [ $c -lt "$n" ]; do
	taskset $((1 << c)) bvguest cpuid | sed "s/^/cpu $c: /"
	c=$((c + 1))
done
c=0
while [ $c -lt "$n" ]; do
	taskset $((1 << c)) bvguest spin 150 | sed "s/^/cpu $c: /" &
	c=$((c + 1))
done
c=0
while [ $c -lt "$n" ]; do
	(ok=0; i=0
	 while [ $i -lt "$rounds" ]; do
		t0=$(cut -d' ' -f1 /proc/uptime)
		if taskset $((1 << c)) bvsh rockey 5 >/tmp/rk.$c 2>&1 &&
		   grep -q "rockey_testcase5: passed" /tmp/rk.$c; then
			ok=$((ok + 1))
		else
			echo "cpu $c: failed rockey 5 (round $i, $t0 s to $(cut -d' ' -f1 /proc/uptime) s):"
			sed "s/^/cpu $c: failed rockey 5: /" /tmp/rk.$c
		fi
		i=$((i + 1))
	 done
	 echo "cpu $c: rockey 5 passed $ok of $rounds") &
	c=$((c + 1))
done
wait
bvsh guest info
