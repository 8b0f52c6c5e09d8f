#!/usr/bin/env bash
# Blob threads end to end: the same test object (tests/threads/threads.c,
# built like a vendor object) prints the same lines natively on glibc and
# in blobvisor; then what only blobvisor can show: a deadlock diagnosed, a
# spinning thread stopped by its watchdog, a fault in a second thread
# contained, threads that outlive the command, `threads', unload refusal.
. "$(dirname "$0")/../lib.sh"
THR="$BV_TOP/build/threads"
OBJ="$THR/threads.o"
CASES="1 2 3 4 5 6 7 8"

run() { "$BV" "$@" 2>&1; }
# blobvisor's lines of one case, without the loader's and blob call's own
bv_case() {
	printf 'blob load %s\nblob call thr_run %s\n' "$OBJ" "$1" | "$BV" 2>&1 |
		grep -v -e '^blob: threads.o' -e '^  threads.o$' -e '^thr_run returned'
}

for c in $CASES; do
	native=$("$THR/threads-native" "$c")
	check "case $c: glibc itself passes its own checks" lacks "$native" ": NO"
	check "case $c: blobvisor prints what glibc prints" equals "$(bv_case "$c")" "$native"
done

out=$(printf 'blob load %s\nblob call thr_run 100\nthreads\n' "$OBJ" | "$BV" 2>&1)
check "deadlock: reported" contains "$out" "threads: deadlock: every thread is blocked"
check "deadlock: main's wait named with owner and caller" contains "$out" "thread 1 (main) waits on mutex"
check "deadlock: the worker's wait names its function" contains "$out" "held by thread 1 from threads.o:dead_worker+"
check "deadlock: the blocked call returned EDEADLK" contains "$out" "lock b = 35 (EDEADLK 35)"
check "deadlock: the program then finishes" contains "$out" "worker finished with 3"

out=$(printf 'watchdog 300ms\nblob load %s\nblob call thr_run 101\n' "$OBJ" | "$BV" 2>&1)
check "spin: the watchdog names the thread" contains "$out" "thread 2 (thread2): watchdog: the call ran longer than 300 ms"
check "spin: diagnosed at the loop" contains "$out" "spinning at threads.o:spinner+"
check "spin: the joiner sees PTHREAD_CANCELED and goes on" contains "$out" "canceled 1
main thread goes on"

out=$(printf 'blob load %s\nblob call thr_run 102\n' "$OBJ" | "$BV" 2>&1)
check "fault: named thread and place" contains "$out" "thread 2 (thread2): #PF page fault in blob code at threads.o:faulter+"
check "fault: diagnosed" contains "$out" "diagnosis: NULL + 0"
check "fault: contained, main goes on" contains "$out" "main thread goes on"

out=$(printf 'blob load %s\nblob call thr_run 103\nthreads run 35\nthreads\nthreads bt 2\nblob unload threads.o\nthreads run 300\nblob call thr_ticks\nthreads\n' "$OBJ" | "$BV" 2>&1)
check "outlives the command: listed by threads" contains "$out" "ticker          threads.o"
check "threads bt: the blob frame of a sleeping thread" contains "$out" "threads.o:ticker+"
check "unload refused while it runs" contains "$out" "blob: threads.o: 1 thread(s) still running (blob unload --force stops them):"
check "it ran on while the shell waited" contains "$out" "thr_ticks returned 10 (0xa)"
check "threads bt of a missing thread is refused" contains "$(run -c 'threads bt 9')" "threads: no thread 9"

out=$(printf 'blob load %s\nblob call thr_run 103\nthreads run 20\nblob unload --force threads.o\nthreads\n' "$OBJ" | "$BV" 2>&1)
check "unload --force: cancelled and unloaded" contains "$out" "blob: threads.o: unloaded"
check "unload --force: no thread left" lacks "$out" "ticker"

# A reader thread blocked in a libusb-0.1 interrupt read, the caller writing
# what it reads: in-process (echo model) and over usbredir (redir_echo).
U="$THR/usbthread.o"
out=$(timeout 20 "$BV" -c 'usb attach model:echo' -c "blob load $U" -c 'blob call usb_thread_test' 2>&1)
check "USB in-process: the reader's transfer and the writer interleave" \
	contains "$out" 'reader got 4 "ping" after the write, before its timeout: yes'
T=$(mktemp -d)
timeout 30 "$BV_TOP/build/redir_echo" 0 > "$T/srv.out" 2>&1 & srv=$!
for _ in $(seq 200); do grep -qE '^listening on port [0-9]+$' "$T/srv.out" && break; sleep 0.05; done
port=$(sed -n 's/^listening on port //p' "$T/srv.out")
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:$port -c "blob load $U" -c 'blob call usb_thread_test' 2>&1)
check "USB over usbredir: the reader's transfer and the writer interleave" \
	contains "$out" 'reader got 4 "ping" after the write, before its timeout: yes'
kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; rm -rf "$T"

# Bare metal: the same object as a multiboot module, the same lines.
qemu() {	# qemu APPEND < /dev/null
	timeout 120 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M \
		-display none -serial stdio -monitor none -no-reboot -nodefaults \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$BV_TOP/build/blobvisor-pc.elf" -append "$1" -initrd "$OBJ" </dev/null 2>&1 | tr -d '\r'
}
cmds=
for c in $CASES; do cmds="$cmds -c 'blob call thr_run $c'"; done
native=$(for c in $CASES; do "$THR/threads-native" "$c"; done)
out=$(qemu "--load '--in-vmm threads.o' $cmds")
check "QEMU (pc): every case prints what glibc prints" \
	equals "$(grep -v -e '^blob: threads.o' -e '^  threads.o$' -e '^thr_run returned' <<<"$out")" "$native"
out=$(qemu "--load '--in-vmm threads.o' -c 'blob call thr_run 100' -c 'blob call thr_run 102' -c version")
check "QEMU (pc): the deadlock is diagnosed and returns EDEADLK" contains "$out" "lock b = 35 (EDEADLK 35)"
check "QEMU (pc): a fault in a second thread is contained" contains "$out" "thread 3 (thread3): #PF page fault in blob code at threads.o:faulter+"
check "QEMU (pc): the shell goes on" contains "$out" "blobvisor 0.1 (pc, x86-64)"

done_testing
