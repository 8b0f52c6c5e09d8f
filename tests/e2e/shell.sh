#!/usr/bin/env bash
# The hosted VMM driven through dbgsh: scripted input, -c, -x, faults.
. "$(dirname "$0")/../lib.sh"

out=$(printf 'version\nmem\n' | "$BV" 2>&1); rc=$?
check "piped version+mem exits 0" equals "$rc" 0
check "version names the platform" contains "$out" "blobvisor 0.1 (hosted, x86-64)"
check "mem prints page and heap figures" contains "$out" "heap:  "
check "no prompt is echoed when stdin is not a terminal" lacks "$out" "blobvisor>"

out=$(printf 'version\nnosuch\nversion\n' | "$BV" 2>&1); rc=$?
check "a failing command makes the script exit 1" equals "$rc" 1
check "the shell keeps running after a failure" equals "$(grep -c 'blobvisor 0.1' <<<"$out")" 2
check "an unknown command gets one clear line" contains "$out" "nosuch: unknown command"

out=$("$BV" -c version -c 'help exit' 2>&1); rc=$?
check "-c runs commands and exits 0" equals "$rc" 0
check "help PREFIX lists the matching command" contains "$out" "leave the shell"
"$BV" -c version -c nosuch >/dev/null 2>&1; rc=$?
check "-c with a failing command exits 1" equals "$rc" 1

out=$(printf 'version\n' | "$BV" -x mem 2>&1); rc=$?
check "-x runs at startup, then reads the shell's input" contains "$out" "pages:"
check "-x then input: version ran too" contains "$out" "blobvisor 0.1"

for kind in read write ud int3 div stack; do
	out=$(printf "crash $kind\nversion\n" | "$BV" 2>&1); rc=$?
	check "crash $kind: reported" contains "$out" "fault: "
	check "crash $kind: shell still answers" contains "$out" "blobvisor 0.1"
	check "crash $kind: the script exits 1" equals "$rc" 1
done
out=$(printf 'crash read\n' | "$BV" 2>&1)
check "a page fault names the vector, the core symbol and the address" \
	contains "$out" "fault: #PF page fault at cmd_crash+"
check "the fault address is reported" contains "$out" "address 0x10"
check "the backtrace walks back into the shell" contains "$out" "dbgsh_exec+"
out=$(printf 'crash ud\n' | "$BV" 2>&1)
check "ud2 is reported as #UD" contains "$out" "#UD invalid opcode"

out=$(printf 'exit 3\nversion\n' | "$BV" 2>&1); rc=$?
check "exit STATUS ends the shell with that status" equals "$rc" 3
check "nothing runs after exit" lacks "$out" "blobvisor 0.1"
"$BV" --bogus >/dev/null 2>&1; rc=$?
check "an unknown option exits 2" equals "$rc" 2

check "the binary is static and has no interpreter" bash -c "! readelf -l '$BV' | grep -q INTERP"
check "the binary links no glibc" bash -c "! nm '$BV' | grep -qE ' (__libc_start_main|__libc_csu_init|_IO_)'"
check "nothing in the VMM touches %fs" bash -c "! objdump -d '$BV' | grep -qE '%fs:'"
done_testing
