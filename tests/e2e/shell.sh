#!/usr/bin/env bash
# The hosted VMM driven through dbgsh: scripted input, -c, -x, faults.
. "$(dirname "$0")/../lib.sh"

out=$(printf 'version\nmem\n' | "$BV" 2>&1); rc=$?
check "piped version+mem exits 0" equals "$rc" 0
check "version names the platform" contains "$out" "blobvisor 0.1 (hosted, x86-64)"
# mem: figures, not only labels: pages used within the total, heap in use
check "mem prints page figures (used <= total, total > 0)" bash -c '
	read -r used total < <(sed -n "s/^pages: .*(\([0-9]*\) of \([0-9]*\) pages).*/\1 \2/p" <<<"$1")
	[[ -n $total ]] && (( total > 0 && used > 0 && used <= total ))' _ "$out"
check "mem prints heap figures (bytes in blocks, allocs >= frees)" bash -c '
	read -r blocks allocs frees < <(sed -n "s/^heap:  [0-9]* bytes in \([0-9]*\) blocks, .*; \([0-9]*\) allocs, \([0-9]*\) frees$/\1 \2 \3/p" <<<"$1")
	[[ -n $frees ]] && (( allocs >= frees && blocks == allocs - frees ))' _ "$out"
check "no prompt is echoed when stdin is not a terminal" lacks "$out" "blobvisor>"

out=$(printf 'version\nnosuch\nversion\n' | "$BV" 2>&1); rc=$?
check "a failing command makes the script exit 1" equals "$rc" 1
check "the shell keeps running after a failure" equals "$(grep -c 'blobvisor 0.1' <<<"$out")" 2
check "an unknown command gets one clear line" contains "$out" "nosuch: unknown command"

out=$("$BV" -c version -c 'help exit' 2>&1); rc=$?
check "-c runs commands and exits 0" equals "$rc" 0
check "help PREFIX lists exactly the matching command" \
	equals "$(grep -c '^  ' <<<"$out")/$(grep -c '^  exit  *leave the shell' <<<"$out")" "1/1"
"$BV" -c version -c nosuch >/dev/null 2>&1; rc=$?
check "-c with a failing command exits 1" equals "$rc" 1

out=$(printf 'version\n' | "$BV" -x mem 2>&1); rc=$?
check "-x runs at startup (mem's figures first), then reads the shell's input (version)" \
	bash -c '[[ $(grep -c "" <<<"$1") -ge 2 && $(head -1 <<<"$1") =~ ^pages:\ [0-9]+\ KiB\ used && $(tail -1 <<<"$1") == "blobvisor 0.1 (hosted, x86-64)" ]]' _ "$out"
check "-x then input: version ran too" contains "$out" "blobvisor 0.1"

declare -A vector=([read]="#PF page fault" [write]="#PF page fault" [ud]="#UD invalid opcode"
	[int3]="#BP breakpoint" [div]="#DE divide error" [stack]="#PF page fault")
for kind in read write ud int3 div stack; do
	out=$(printf "crash $kind\nversion\n" | "$BV" 2>&1); rc=$?
	check "crash $kind: reported as ${vector[$kind]} in cmd_crash" \
		contains "$out" "fault: ${vector[$kind]} at cmd_crash+"
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
out=$("$BV" --bogus 2>&1); rc=$?
check "an unknown option exits 2" equals "$rc" 2
check "... with one line naming it" equals "$out" "blobvisor: --bogus: unknown option"
out=$("$BV" -x 2>&1); rc=$?
check "a missing argument exits 2 with one line naming the option" \
	equals "$rc: $out" "2: blobvisor: -x: missing argument CMD"
out=$("$BV" --help 2>&1); rc=$?
check "--help lists every option and exits 0" \
	equals "$rc $(grep -cE '^  (-c CMD|-x CMD|--load|--usbredir ADDR|-h|--help) ' <<<"$out")" "0 6"

check "the binary is static and has no interpreter" bash -c "! readelf -l '$BV' | grep -q INTERP"
check "the binary links no glibc" bash -c "! nm '$BV' | grep -qE ' (__libc_start_main|__libc_csu_init|_IO_)'"
# musl's libm (libc/libm-musl.sh) is built with the stack protector: its
# functions read the canary at %fs:0x28, and only blobs (with a TCB) call them.
fs_users=$(objdump -d "$BV" | awk '/^[0-9a-f]+ <.*>:$/ { fn = $2 } /%fs:/ { print fn, $NF }' | sort -u)
libm_fns=$(nm --defined-only "$BV_TOP/build/obj/libc/libm-musl.o" | awk '{ print "<" $3 ">:" }')
check "nothing in the VMM touches %fs but musl's libm" \
	bash -c "! grep -vF -f <(echo '$libm_fns') <<<'$fs_users' | grep -q ."
check "and musl's libm only reads the stack canary there" \
	bash -c "! grep -v '%fs:0x28' <<<'$fs_users' | grep -q ."

done_testing
