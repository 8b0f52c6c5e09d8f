#!/usr/bin/env bash
# The blob debugger: Zydis disassembly, fault diagnosis with CFI backtraces,
# hooks (jump trampoline and int3 fallback), breakpoints, nop/patch/unpatch.
. "$(dirname "$0")/../lib.sh"
DT="$BV_TOP/build/debug-tests"
LT="$BV_TOP/build/loader-tests"
run() { "$BV" "$@" 2>&1; }
# matches TEXT ERE : for check
matches() { if grep -qE -- "$2" <<<"$1"; then return 0; fi; echo "# expected to match: $2"; return 1; }

# --- disassembly --------------------------------------------------------------
out=$(run -c "blob load $DT/victim_nofp.o" -c 'dis dbg_copy 8' -c 'dis ZydisGetVersion 2')
check "dis names a call into the core by its import name" contains "$out" "call strcpy"
check "dis prints AT&T syntax" contains "$out" "sub \$0x48, %rsp"
check "dis disassembles Zydis itself (loaded through the blob loader)" contains "$out" "<ZydisGetVersion>"
ref=$(objdump -d --no-show-raw-insn "$DT/victim_nofp.o" | grep -A3 '<dbg_copy>:' | sed -n 3p | awk -F'\t' '{print $2}' | tr -s ' ' | sed 's/,/, /')
check "dis agrees with objdump on dbg_copy's second instruction ($ref)" contains "$out" "$ref"
out=$(run -c 'dis no_such_symbol')
check "dis of an unknown symbol is refused with one line" contains "$out" "no_such_symbol: no such symbol"

# --- fault diagnosis: a NULL store three frames deep -------------------------------
for v in fp nofp; do
	out=$(printf "blob load $DT/victim_$v.o\nblob load $DT/shapes.o\nblob call dbg_crash_chain 0\nversion\nblob call dbg_add 1 2\nblob call shapes.o:shape_riprel 5\n" | "$BV" 2>&1)
	check "$v: the fault names blob, member and symbol" contains "$out" "fault in blob victim_$v.o: #PF page fault at victim_$v.o:dbg_leaf_store"
	check "$v: the faulting instruction is disassembled" contains "$out" "instruction: mov %esi, 0x10(%rdi)"
	check "$v: what lies at the fault address" contains "$out" "fault address 0x10: the NULL page (NULL + 0x10)"
	check "$v: registers are dumped" contains "$out" "rsi 0000000000000015 rdi 0000000000000000"
	check "$v: CFI backtrace reaches dbg_mid" contains "$out" "victim_$v.o:dbg_mid+"
	check "$v: CFI backtrace reaches dbg_top" contains "$out" "victim_$v.o:dbg_top+"
	check "$v: CFI backtrace reaches dbg_crash_chain" matches "$out" "dbg_crash_chain\+0x1c \[cfi\]"
	check "$v: one-line diagnosis" contains "$out" "diagnosis: NULL + 0x10: an access through a NULL struct pointer"
	check "$v: the call returns an error and marks the blob failed" contains "$out" "blob marked failed"
	check "$v: the shell still answers" contains "$out" "blobvisor 0.1"
	check "$v: the failed blob refuses further calls" contains "$out" "marked failed by an earlier fault"
	check "$v: another blob keeps working" contains "$out" "shape_riprel returned 1005"
done
out=$(printf "blob load $DT/victim_fp.o\nblob load $DT/shapes.o\nblob call dbg_crash_chain 0\nblob list\n" | "$BV" 2>&1)
check "blob list shows the faulting blob FAILED" matches "$out" "victim_fp.o .*FAILED"
check "blob list shows the other blob ok" matches "$out" "shapes.o .* ok"

out=$(printf "blob load $DT/victim_nofp.o\nblob call dbg_usb_walk\nversion\n" | "$BV" 2>&1)
check "usb_busses walk: the struct field is named" contains "$out" "diagnosis: NULL + 0x1018: struct walk through usb_busses->devices (usb_busses is NULL: struct usb_bus at offset 4120)"
check "usb_busses walk: the shell still answers" contains "$out" "blobvisor 0.1"

out=$(printf "blob load $DT/victim_fp.o\nblob call dbg_read_weak\nversion\n" | "$BV" 2>&1)
check "a NULL GOT slot (weak import nobody defines) is diagnosed and named" contains "$out" "diagnosis: access through GOT slot 2 of victim_fp.o (\`dbg_weak_missing'), which holds 0"
check "GOT slot: the shell still answers" contains "$out" "blobvisor 0.1"
out=$(printf "blob load $DT/victim_nofp.o\nblob call dbg_copy 0\nversion\n" | "$BV" 2>&1)
check "a NULL argument to an import: the core function, the import and the call site" matches "$out" "diagnosis: NULL \\+ 0 inside the core's strlen(_sse2|_avx2)?, reached from import strcpy called at victim_nofp\\.o:dbg_copy\\+0xa"
check "the backtrace crosses from the core into the blob" matches "$out" "#1 +[0-9a-f]+ victim_nofp.o:dbg_copy\+0xf \[cfi\]"

out=$(printf "blob load $DT/victim_nofp.o\nblob call dbg_call_ptr 0\nversion\n" | "$BV" 2>&1)
check "a call through a NULL function pointer: the call site" contains "$out" "diagnosis: jump to NULL + 0: a call through a NULL function pointer at victim_nofp.o:dbg_call_ptr+0x4"
check "NULL call: the backtrace recovers the caller from the stack top" matches "$out" "#1 +[0-9a-f]+ victim_nofp.o:dbg_call_ptr\+0x6 \[cfi\]"
check "NULL call: the shell still answers" contains "$out" "blobvisor 0.1"

dis=$(run -c "blob load $DT/shapes.o" -c 'dis shape_riprel 1')
a=$((0x$(grep '<shape_riprel>' <<<"$dis" | awk '{print $1}')))
disp=$(( (0x3f000000 - (a + 7)) & 0xffffffff ))
hexle=$(printf '%02x%02x%02x%02x' $((disp & 255)) $(((disp >> 8) & 255)) $(((disp >> 16) & 255)) $(((disp >> 24) & 255)))
out=$(printf "blob load $DT/shapes.o\npatch shape_riprel+3 $hexle\nblob call shape_riprel 1\nversion\n" | "$BV" 2>&1)
check "a %rip-relative access to where no section was placed is diagnosed" contains "$out" "diagnosis: %rip-relative access to 0x3f000000 lands outside every placed section"
check "never placed: the shell still answers" contains "$out" "blobvisor 0.1"

out=$(printf "blob load --no-tcb $LT/ssp.o\nblob call ssp_sum 3\nversion\n" | "$BV" 2>&1)
check "no TCB: the canary read is diagnosed" contains "$out" "diagnosis: %fs-relative access (mov %fs:0x28, %rax) with FS base 0"
check "no TCB: the shell still answers" contains "$out" "blobvisor 0.1"

out=$(printf "blob load $LT/ssp.o\nblob call ssp_smash 40\nversion\n" | "$BV" 2>&1)
check "stack smashing is diagnosed from __stack_chk_fail" contains "$out" "diagnosis: stack smashing: the function that called __stack_chk_fail (return address ssp.o:ssp_smash+"
check "stack smashing: the shell still answers" contains "$out" "blobvisor 0.1"

out=$(printf "blob load $DT/victim_fp.o\nwatchdog 1\nblob call dbg_spin abc\nversion\n" | timeout 60 "$BV" 2>&1)
check "watchdog: a looping call is stopped and diagnosed with where it spins" contains "$out" "diagnosis: the call did not return within 1000 ms: spinning at victim_fp.o:dbg_spin+"
check "watchdog: the shell still answers" contains "$out" "blobvisor 0.1"
check "watchdog without tracing: the last import is inferred from the stack" contains "$out" "last import called: strlen at victim_fp.o:dbg_spin+0x4 (inferred"
out=$(run -c 'watchdog 99999')
check "watchdog: an absurd limit is refused" contains "$out" "usage: watchdog"

out=$(printf "blob load $LT/fault.o\nblob call fault_write_text\n" | "$BV" 2>&1)
check "a write to blob text is diagnosed" contains "$out" "diagnosis: write to read-only code (.text)"

# --- hooks -----------------------------------------------------------------------
out=$(run -c "blob load $DT/victim_fp.o $DT/shapes.o" -c 'hook dbg_add 2 4' -c 'blob call dbg_add_loop 5' \
	-c 'hook list' -c 'hook shape_tiny' -c 'hook shape_backjump' -c 'hook shape_riprel' -c 'hook shape_indirect' -c 'blob call shape_indirect 5' \
	-c 'blob call shape_riprel 5' -c 'blob call shape_backjump 4' -c 'blob call shape_tiny' \
	-c 'hook list' -c 'unhook dbg_add' -c 'blob call dbg_add_loop 5' -c 'patch list')
check "hook uses the jump trampoline" contains "$out" "hook dbg_add: jump to trampoline at"
check "hook dumps the first K calls with registers" contains "$out" "hook dbg_add: call 2 from victim_fp.o:dbg_add_loop+"
check "hook dumps only K calls" lacks "$out" "hook dbg_add: call 3 from"
check "hook counts every call" contains "$out" "dbg_add                  "
check "hook count is 5 after 5 calls" matches "$out" "dbg_add .* hook  jump 5 hits"
check "the hooked function still computes the same (78)" equals "$(grep -c 'dbg_add_loop returned 78' <<<"$out")" 2
check "too short for a jump: refused with a reason, int3 used" contains "$out" "hook shape_tiny: jump refused: the function ends (ret/jmp) inside the first 5 bytes; using int3"
check "a branch into the overwritten bytes: refused, int3 used" contains "$out" "hook shape_backjump: jump refused: the branch at +0x8 targets +0x2, inside the overwritten bytes; using int3"
check "an indirect jump in the function: refused, int3 used" contains "$out" "hook shape_indirect: jump refused: the indirect jump at +0x7 could land inside the overwritten bytes; using int3"
check "int3 hook over a %rip-relative lea: relocated out of line" contains "$out" "shape_indirect returned 12"
check "a %rip-relative first instruction is relocated (jump hook)" contains "$out" "hook shape_riprel: jump to trampoline"
check "the relocated %rip-relative load reads the right data" contains "$out" "shape_riprel returned 1005"
check "int3 hook: the original instruction runs out of line (loop intact)" contains "$out" "shape_backjump returned 10"
check "int3 hook on a lone ret returns" contains "$out" "shape_tiny returned 0"
check "unhook reports the count" contains "$out" "unhook dbg_add: 5 calls"
out=$(run -c "blob load $DT/victim_fp.o" -c 'hook dbg_add' -c 'hook dbg_add' -c 'unhook dbg_calls' -c 'hook nosuch' \
	-c 'hook dbg_counter' -c 'bp del dbg_calls')
check "hook twice is refused" contains "$out" "hook: dbg_add: already hooked or a breakpoint"
check "unhook of a function never hooked is refused" contains "$out" "unhook: dbg_calls: not hooked"
check "hook of an unknown symbol is refused" contains "$out" "nosuch: no such symbol"
check "hook of a data object is refused" contains "$out" "hook: dbg_counter: not a function symbol of a loaded blob"
check "bp del where there is none is refused" contains "$out" "bp del: dbg_calls: no breakpoint there"
check "after unhook no hook patch is left for dbg_add" bash -c "! grep -qE '^[0-9a-f]+ dbg_add  .*hook' <<<\"\$1\"" _ "$out"

# --- nop / patch / unpatch -------------------------------------------------------------
dis=$(run -c "blob load $DT/victim_fp.o" -c 'dis dbg_calls 12')
call=$(grep 'call dbg_bump' <<<"$dis" | awk '{print $1}')
check "dis shows the call to dbg_bump" matches "$call" "^[0-9a-f]+$"
out=$(run -c "blob load $DT/victim_fp.o" -c 'blob call dbg_calls' -c "x 0x$call 5" -c "nop 0x$call" \
	-c 'blob call dbg_calls' -c 'patch list' -c "unpatch 0x$call" -c "x 0x$call 5" -c 'blob call dbg_calls' \
	-c "nop 0x$(printf %x $((0x$call + 1)))" -c 'patch list')
check "before nop: dbg_calls returns 1" contains "$out" "dbg_calls returned 1 (0x1)"
check "nop replaces the whole call" contains "$out" "replaced \`call dbg_bump' (5 bytes)"
check "after nop: dbg_calls returns 0" contains "$out" "dbg_calls returned 0 (0)"
check "patch list shows original and new bytes" matches "$out" " nop   e8[0-9a-f]{8} -> 0f1f440000"
before=$(grep "^0*$call:" <<<"$out" | head -1); after=$(grep "^0*$call:" <<<"$out" | tail -1)
check "x shows the bytes before and after" equals "$(grep -c "^0*$call:" <<<"$out")" 2
check "the bytes before are the call (e8)" matches "$before" ": e8 "
check "unpatch restores the bytes byte for byte" equals "$after" "$before"
check "after unpatch: dbg_calls returns 1 again" equals "$(grep -c 'dbg_calls returned 1 (0x1)' <<<"$out")" 2
check "nop inside an instruction is refused" contains "$out" "not an instruction boundary"
out=$(run -c "blob load $DT/victim_fp.o" -c 'patch dbg_calls xyz' -c 'patch 0x10 90' -c 'unpatch 0x10')
check "patch: bad hex refused" contains "$out" "not an even number of hex digits"
check "patch: outside blob text refused" contains "$out" "not inside the text of a loaded blob"
check "unpatch: nothing there refused" contains "$out" "no patch starts there"
out=$(printf "blob load $DT/victim_fp.o\npatch dbg_calls c3\nunpatch all\nblob load $LT/fault.o\nblob call fault_write_text\n" | "$BV" 2>&1)
check "text is read-only again after the debugger wrote it" contains "$out" "diagnosis: write to read-only code"

# --- import tracing ------------------------------------------------------------------------
dis=$(run -c "blob load $DT/victim_fp.o" -c 'dis dbg_copy 12')
site=$(grep 'call strcpy' <<<"$dis" | awk '{print $1}')
out=$(run -c "blob load $DT/victim_fp.o" -c "x 0x$site 5" -c 'trace on' -c 'dis dbg_copy 6' -c 'blob call dbg_copy hello' \
	-c 'trace show' -c 'trace off' -c "x 0x$site 5" -c 'trace clear' -c 'trace on mem*' -c 'blob call dbg_copy hi' -c 'trace show')
check "trace on rebinds the imports" matches "$out" "trace: [1-9][0-9]* import bindings through thunks"
check "trace: typed arguments and return value" matches "$out" 'strcpy\(dst=0x[0-9a-f]+, src="hello"\) = 0x[0-9a-f]+  from victim_fp.o:dbg_copy\+0x'
check "trace: a size_t result is printed in decimal" contains "$out" 'strlen(s="hello") = 5'
check "trace: the blob still computes the same" contains "$out" "dbg_copy returned 5"
xs=$(grep "^0*$site:" <<<"$out")
check "trace off restores the call site byte for byte" equals "$(sed -n 1p <<<"$xs")" "$(sed -n 2p <<<"$xs")"
check "trace off reports the restored bindings" matches "$out" "trace: off, [1-9][0-9]* bindings restored"
check "trace GLOB: strcpy is not traced under mem*" lacks "$out" 'src="hi"'
out=$(run -c "blob load $DT/dso.so" -c 'dis dso_len 3' -c 'trace on' -c 'dis dso_len 3' -c 'blob call dso_len hello' \
	-c 'trace show' -c 'trace off' -c 'dis dso_len 3' -c 'blob call dso_len hello')
check "a shared object's PLT call is named (dis)" equals "$(grep -c 'call strlen@plt' <<<"$out")" 2
check "trace on rebinds a shared object's GOT (dis shows the thunk)" contains "$out" "call strlen[traced]@plt"
check "trace through a shared object's PLT/GOT records the call" contains "$out" 'strlen(s="hello") = 5  from dso.so:dso_len+0x4'
check "the shared object computes the same traced and untraced" equals "$(grep -c 'dso_len returned 1005' <<<"$out")" 2
out=$(run -c 'trace bogus')
check "trace: a bad subcommand is refused" contains "$out" "usage: trace on"
out=$(printf "blob load $DT/victim_fp.o\ntrace on\nblob call dbg_copy abc\nblob call dbg_crash_chain 0\nversion\n" | "$BV" 2>&1)
check "a fault report lists the last imports with arguments" contains "$out" 'strlen(s="abc") = 3'
out=$(printf "blob load $DT/victim_nofp.o\ntrace on\nwatchdog 1\nblob call dbg_spin abc\nversion\n" | timeout 60 "$BV" 2>&1)
check "watchdog with tracing: the last import is named" contains "$out" "last import called: strlen"

# --- breakpoints ---------------------------------------------------------------------------
out=$(run -c "blob load $DT/victim_fp.o" -c 'bp dbg_add_loop 1' -c 'bp list' -c 'blob call dbg_add_loop 5' \
	-c 'bp list' -c 'bp del dbg_add_loop' -c 'bp list' -c 'blob call dbg_add_loop 5')
check "bp: hit reported with registers and disassembly" contains "$out" "breakpoint dbg_add_loop hit 1"
check "bp: the disassembly marks the breakpoint" contains "$out" "=> "
check "bp: execution continues with the original instruction" equals "$(grep -c 'dbg_add_loop returned 78' <<<"$out")" 2
check "bp list shows the hit count" contains "$out" "dbg_add_loop             1 hits"
check "bp: the disassembly shows the original instruction, marked" matches "$out" "=> [0-9a-f]+ <dbg_add_loop>: .* \\[bp\\]"
out=$(run -c "blob load $DT/victim_nofp.o" -c 'bp dbg_add_loop+0x33' -c 'bp dbg_add 1' -c 'blob call dbg_add_loop 0' -c 'blob call dbg_add_loop 2')
check "bp after DW_CFA_restore_state (-O2, no frame pointer): unwinds to the blob call entry" matches "$out" "#1 +[0-9a-f]+ exec_switch_call\\+0x[0-9a-f]+ \\(entry of the blob call\\)"
check "bp inside a callee: the backtrace names the caller from .eh_frame" matches "$out" "#1 +[0-9a-f]+ victim_nofp.o:dbg_add_loop\\+0x20 \\[cfi\\]"
check "bp: the loop still computes the same" contains "$out" "dbg_add_loop returned 3"
# --- unloading drops the debugger's records; Zydis comes back on next use ------------------------
out=$(run -c "blob load $DT/victim_fp.o" -c 'hook dbg_add' -c 'nop dbg_calls+0x10' -c 'trace on' \
	-c 'blob unload victim_fp.o' -c 'patch list' -c 'trace off' -c 'blob unload libZydis.so.4.0' \
	-c "blob load $DT/victim_fp.o" -c 'dis dbg_copy 12' -c 'blob call dbg_calls')
check "unload: no patch records are left behind" contains "$out" "0 patches"
check "unload: trace off has nothing left to restore" contains "$out" "trace: off, 0 bindings restored"
check "unload of Zydis: dis loads it again" contains "$out" "call strcpy"
check "unload: a fresh load is unpatched" contains "$out" "dbg_calls returned 1"

# --- bare metal: Zydis as a multiboot module, the same debugger -----------------------------
ELF="$BV_TOP/build/blobvisor-pc.elf"
ZY=/usr/lib/x86_64-linux-gnu/libZydis.so.4.0
cd "$BV_TOP"
out=$(timeout 60 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none -serial stdio \
	-monitor none -no-reboot -nodefaults -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$ELF" \
	-initrd "$ZY,build/debug-tests/victim_nofp.o,build/debug-tests/victim_fp.o" \
	-append "-c 'blob load --in-vmm build/debug-tests/victim_fp.o' -c 'dis dbg_copy 8' -c 'hook dbg_add 1' -c 'trace on' -c 'blob call dbg_add_loop 3' -c 'blob call dbg_copy pc' -c 'trace show' -c 'blob load --in-vmm build/debug-tests/victim_nofp.o' -c 'blob call victim_nofp.o:dbg_crash_chain 0' -c version" </dev/null 2>&1)
check "pc: Zydis arrives as a multiboot module and dis names the import" contains "$out" "call strcpy"
check "pc: jump hook on bare metal" contains "$out" "hook dbg_add: call 1 from"
check "pc: the hooked function still returns the same" contains "$out" "dbg_add_loop returned"
check "pc: trace with typed arguments" contains "$out" 'strcpy(dst='
check "pc: CFI backtrace of a -fomit-frame-pointer blob" matches "$out" "victim_nofp.o:dbg_crash_chain\+0x1c \[cfi\]"
check "pc: diagnosis line" contains "$out" "diagnosis: NULL + 0x10"
check "pc: the shell still answers after the fault" contains "$out" "blobvisor 0.1 (pc, x86-64)"

# --- the vendor SDK (built by `make`): hook DIC_Open -------------------------------------------
LIBD="$BV_TOP/build/vendor/libdongle.a"
check "the vendor archive is built" test -f "$LIBD"
out=$(run -c "blob load $LIBD" -c 'x DIC_Open 8' -c 'hook DIC_Open 1 6' -c 'blob call DIC_Find' \
	-c 'blob call DIC_Open 0 0' -c 'hook list' -c 'unhook DIC_Open' -c 'x DIC_Open 8')
check "DIC_Open: hooked with the jump trampoline, not int3" contains "$out" "hook DIC_Open: jump to trampoline"
check "DIC_Open: the call is counted and dumped" contains "$out" "hook DIC_Open: call 1 from"
check "DIC_Open: hook list counts 1" matches "$out" "DIC_Open .* hook  jump 1 hits"
xs=$(grep -E '^[0-9a-f]{16}:' <<<"$out")
check "DIC_Open: unhook restores the entry byte for byte" equals "$(sed -n 1p <<<"$xs")" "$(sed -n 2p <<<"$xs")"
done_testing
