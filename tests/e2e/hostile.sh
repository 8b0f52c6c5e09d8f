#!/usr/bin/env bash
# Hostile and careless blobs: heap misuse, raw system calls, bad input to the
# shell.  Each must end as a diagnosed blob fault or one refusing line, with
# the VMM (and the core's own heap) untouched.
. "$(dirname "$0")/../lib.sh"
T="$BV_TOP/build/loader-tests"
run() { "$BV" "$@" 2>&1; }
matches() { if grep -qE -- "$2" <<<"$1"; then return 0; fi; echo "# expected to match: $2"; sed 's/^/#   | /' <<<"$1"; return 1; }
core_heap() { grep '^heap:' <<<"$1"; }

# --- heap misuse: each in the blob's own heap, a blob fault naming the calls
declare -A heap_cases=(
	[heap_double_free]='diagnosis: double free of 0x[0-9a-f]+ \(allocated by heapbad.o:heap_double_free\+0x[0-9a-f]+, freed by heapbad.o:heap_double_free\+0x[0-9a-f]+\)'
	[heap_stack_free]='diagnosis: free of a pointer this heap never returned: 0x[0-9a-f]+ is an address on the blob stack \(called from heapbad.o:heap_stack_free\+0x[0-9a-f]+\)'
	["heap_wild_free 0x12345670"]='diagnosis: free of a pointer this heap never returned: 0x12345670 is an address no heap handed out'
	[heap_overrun]='diagnosis: free of a block whose header is damaged \(overrun of the block before it'
	[heap_bad_realloc]='diagnosis: realloc of a pointer this heap never returned: 0x[0-9a-f]+ is an address inside the blob.s own image'
	[heap_use_after_free]='diagnosis: free-list links of a freed block damaged \(written after free\?\): 0x[0-9a-f]+ \(allocated by heapbad.o:heap_use_after_free\+0x[0-9a-f]+, freed by heapbad.o:heap_use_after_free\+0x[0-9a-f]+; found by'
)
for c in "${!heap_cases[@]}"; do
	out=$(run -c "blob load $T/heapbad.o" -c "blob call heap_ok 100" -c mem -c "blob call $c" -c mem \
		-c "version" -c "blob unload heapbad.o" -c mem)
	check "$c: diagnosed, naming the calls" matches "$out" "${heap_cases[$c]}"
	check "$c: a contained blob fault" contains "$out" "blob marked failed"
	check "$c: the VMM goes on" contains "$out" "blobvisor 0.1"
	check "$c: no panic" lacks "$out" "panic"
	before=$(core_heap "$out" | sed -n 1p); after=$(core_heap "$out" | sed -n 2p)
	check "$c: the core heap is untouched by the blob's misuse" equals "$after" "$before"
	check "$c: the blob's heap is counted in mem while loaded" matches "$out" "blob heaps: 1, [0-9]+ bytes in [0-9]+ blocks, 256 KiB of pages"
	check "$c: and given back at unload" contains "$out" "blob heaps: 0, 0 bytes in 0 blocks, 0 KiB of pages"
done
out=$(run -c "blob load $T/heapbad.o" -c "blob call heap_ok 5000" -c "blob info heapbad.o")
check "blob info counts the blob's heap (strdup'd block kept)" matches "$out" "heap: 32 bytes in 1 blocks, 256 KiB of its own pages; 3 allocs, 2 frees"
check "well-behaved malloc/realloc/free work in the blob heap" contains "$out" "heap_ok returned 0 (0)"

# --- raw system calls from blob code never reach the kernel
out=$(timeout 20 "$BV" -c "blob load $T/rawsys.o" -c "blob call rs_exit_group" -c version 2>&1); rc=$?
check "exit_group from a blob does not end blobvisor" contains "$out" "blobvisor 0.1"
check "... it is a diagnosed blob fault naming the call and the place" contains "$out" "diagnosis: raw system call 231 (exit_group) from blob code at rawsys.o:rs_exit_group+0xa: not made"
check "... the blob is marked failed" contains "$out" "blob marked failed"
check "... and the exit status is the shell's (1: a command failed), not the blob's 7" equals "$rc" 1
out=$(timeout 30 "$BV" -c "blob load $T/rawsys.o" -c "watchdog 2" -c "blob call rs_alarm_spin" -c version 2>&1); rc=$?
check "alarm(0) from a blob is refused before it can disarm the watchdog" contains "$out" "diagnosis: raw system call 37 (alarm) from blob code"
check "... and the shell goes on" contains "$out" "blobvisor 0.1"
out=$(timeout 20 "$BV" -c "blob load $T/rawsys.o" -c "blob call rs_kill_self" -c version 2>&1)
check "getpid+kill by hand: stopped at the first raw call" contains "$out" "diagnosis: raw system call 39 (getpid) from blob code at rawsys.o:rs_kill_self+0x5"
out=$(timeout 20 "$BV" -c "blob load $T/rawsys.o" -c "blob call rs_int80" -c version 2>&1); rc=$?
check "int \$0x80 from a blob is contained too" contains "$out" "blob marked failed"
check "... and the shell goes on" contains "$out" "blobvisor 0.1"
check "... exit status 1, not the blob's 3" equals "$rc" 1

# --- misdiagnoses: each shape named for what it is
out=$(run -c "blob load $T/misdiag.o" -c "blob call md_hlt")
check "hlt in a blob: a privileged instruction, not a NULL struct pointer" contains "$out" "diagnosis: privileged instruction \`hlt' in blob code"
check "... and no fault address is invented" lacks "$out" "NULL struct pointer"
out=$(run -c "blob load $T/misdiag.o" -c "blob call md_cli")
check "cli in a blob: a privileged instruction" contains "$out" "diagnosis: privileged instruction \`cli' in blob code"
out=$(run -c "blob load $T/misdiag.o" -c "blob call md_ret_small")
check "ret to 0x10: a return to a small address" contains "$out" "diagnosis: return to 0x10: a ret popped a small number"
check "... not a call through a NULL function pointer" lacks "$out" "NULL function pointer"
out=$(run -c "blob load $T/misdiag.o" -c "blob call md_call_null")
check "a real call through NULL is still named as one" contains "$out" "diagnosis: jump to NULL + 0: a call through a NULL function pointer at misdiag.o:md_call_null+0x2"
out=$(run -c "blob load $T/misdiag.o" -c "blob call md_above_stack")
check "a write 32 bytes above the first frame hits the guard page over the stack" contains "$out" "diagnosis: access above the top of the blob stack (its upper guard page)"
check "... not a write to read-only code" lacks "$out" "read-only code"
"$BV" -c "blob load $T/misdiag.o" -c "watchdog 30" -c "blob call md_spin" -c version >"$BV_TOP/build/hostile-kill.txt" 2>&1 &
pid=$!
sleep 1
kill -SEGV $pid
wait $pid
out=$(cat "$BV_TOP/build/hostile-kill.txt")
check "SIGSEGV sent by kill during a blob call: named as a signal from a process" contains "$out" "diagnosis: signal 11 (SIGSEGV) was sent to blobvisor by a process"
check "... not as #DE divide error" lacks "$out" "divide error"
check "... and the shell goes on" contains "$out" "blobvisor 0.1"
out=$(run -c "blob load $T/misdiag.o" -c "blob call md_hlt" -c "blob call misdiag.o:md_cli")
check "blob call BLOB:SYM on a failed blob says it failed" contains "$out" "blob: misdiag.o: marked failed by an earlier fault"
check "... not that the symbol is missing" lacks "$out" "no global symbol"
out=$(run -c "blob load $T/heapbad.o" -c "bp 0" -c "hook 0" -c "version")
check "bp 0 is refused cleanly, like patch 0" contains "$out" "bp: 0: not inside the text of a loaded blob"
check "... without a fault in the core" lacks "$out" "aborted by a fault"
check "hook 0 is refused cleanly" contains "$out" "hook: 0: not a function symbol of a loaded blob"
plt=$(run -c "blob load $T/heapbad.o" -c "blob info heapbad.o" | sed -n 's/.*PLT [0-9]* stubs at \(0x[0-9a-f]*\).*/\1/p')
out=$(run -c "blob load $T/heapbad.o" -c "nop $plt")
check "nop on a PLT stub ($plt) says it is a PLT stub" contains "$out" "nop: $plt: a PLT stub the loader made, not the blob's own code"
check "... not \"the instruction at 0\"" lacks "$out" "instruction at 0"
out=$(printf 'ab\033[2Jc\007\nversion\n' | run)
check "control bytes in an unknown command are escaped" contains "$out" 'ab\x1b[2Jc\x07: unknown command'
check "... and never echoed raw" equals "$(grep -c $'\033' <<<"$out")" 0

# --- TLS sizes and alignments from the file are bounded before use
out=$(run -c "blob load $T/bigtls.o" -c mem); rc=$?
check "a .tbss larger than the static TLS area is refused naming the section" contains "$out" "blob: bigtls.o: section 5 (.tbss): TLS size 0x11170, alignment 0x10: the static TLS area holds 0x10000 bytes"
check "... and the load fails" equals "$rc" 1
check "... leaving no blob heap behind" contains "$out" "blob heaps: 0,"
# real objects with TLS (their per-section TLS offsets once landed
# misaligned): the fuzz build, UBSan fatal, runs them clean
if [[ -x "$BV_TOP/build/fuzz/fuzz_loader" ]]; then
	out=$("$BV_TOP/build/fuzz/fuzz_loader" "$T"/tls*.o 2>&1); rc=$?
	check "fuzz_loader (UBSan fatal) runs the TLS seeds clean" equals "$rc" 0
	check "... with no runtime error" lacks "$out" "runtime error"
fi

# --- over-long lines on standard input are refused whole, never cut and run
out=$( { printf 'exit'; printf '%1100s' ''; printf '7\nversion\n'; } | run); rc=$?
check "a 1105-byte line is refused with one line" contains "$out" "dbgsh: line too long (1105 bytes, limit 1023); not run"
check "... its prefix (exit) is not run: the next line is" contains "$out" "blobvisor 0.1"
check "... and the refusal counts as a failure (status 1, not 0 or 7)" equals "$rc" 1
# the same typed (pasted) at the terminal prompt: script(1) gives a pty
{ sleep 0.5; printf 'exit'; printf '%1100s' ''; printf '7\r'; sleep 0.5; printf 'version\r'; sleep 0.5
  printf 'exit 3\r'; sleep 0.5; } | timeout 20 script -qec "$BV" /dev/null >"$BV_TOP/build/hostile-tty.txt" 2>&1; rc=$?
out=$(tr -d '\033\r' <"$BV_TOP/build/hostile-tty.txt")
check "at the terminal: the over-long line is refused" contains "$out" "dbgsh: line too long (1105 bytes, limit 1023); not run"
check "at the terminal: its prefix is not run (the session ends by the later exit 3)" equals "$rc" 3
long=$(printf 'blob load /%.0s' {1..12000})
out=$( { printf '%s\n' "$long"; printf 'version\n'; } | run)
check "a 132 KB blob load line loads nothing" lacks "$out" "cannot read"
check "... and is refused" contains "$out" "dbgsh: line too long (132000 bytes, limit 1023); not run"

# --- blob load takes regular files only; errors say errno's text
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
mkfifo "$W/fifo"
out=$(timeout 10 "$BV" -c "blob load $W/fifo" 2>&1); rc=$?
check "blob load FIFO does not block" equals "$rc" 1
check "... and says why in one line" contains "$out" "blob: $W/fifo: cannot read: not a regular file (only regular files are loaded)"
out=$(run -c "blob load /"); rc=$?
check "blob load of a directory names errno's text" contains "$out" "blob: /: cannot read: Is a directory"
out=$(run -c "blob load $W/none")
check "blob load of a missing file names errno's text" contains "$out" "blob: $W/none: cannot read: No such file or directory"

done_testing
