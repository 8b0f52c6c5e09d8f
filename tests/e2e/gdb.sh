#!/usr/bin/env bash
# gdb sees blobs (debug/gdb_jit.c): Debian's gdb, in batch mode, runs the
# hosted VMM with the vendor archive and the samples loaded against
# dongled; a breakpoint set on DIC_Open before anything is loaded (pending)
# hits when `rockey 2' opens the dongle, and the backtrace names the vendor
# function, the sample code that called it and the core below the blob
# call.  Unloading takes the blob's symbol files out of gdb's view again.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
build/dongled --init --state "$W/state" >/dev/null
build/dongled --listen "unix:$W/sock" --state "$W/state" >"$W/dongled.log" 2>&1 & pid=$!
for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done
LOAD='build/samples/rockey.o build/vendor/libdongle.a'
matches() {
	if grep -qE -- "$2" <<<"$1"; then return 0; fi
	echo "# expected to match: $2"; sed 's/^/#   | /' <<<"$1"; return 1
}
# gdb commands (-ex ...) -- blobvisor arguments (the blobs loaded)
g() {
	local ex=()
	while [[ $1 != -- ]]; do ex+=(-ex "$1"); shift; done
	shift
	timeout 120 gdb -q -batch -nx -ex 'set breakpoint pending on' -ex 'set pagination off' \
		"${ex[@]}" -ex 'kill' --args "$BV" --load "$LOAD" "$@" 2>&1
}

out=$(g 'break DIC_Open' 'run' 'bt' 'info symbol $pc' -- --usbredir "unix:$W/sock" -c 'rockey 2')
check "a pending breakpoint on DIC_Open hits during rockey 2" \
	matches "$out" "Breakpoint 1, 0x[0-9a-f]+ in DIC_Open \(\)"
check "bt: frame 0 is DIC_Open" matches "$out" "#0 +0x[0-9a-f]+ in DIC_Open \(\)"
check "bt: the sample's caller is named (open_first <- case_open_close)" \
	matches "$out" "#1 +0x[0-9a-f]+ in open_first \(\).*"
check "bt: and its caller, through the blob's .eh_frame" matches "$out" "#2 +0x[0-9a-f]+ in case_open_close \(\)"
check "bt: crosses from the blob into the core's blob call" contains "$out" "in exec_switch_call ()"
check "bt: down to the shell command" contains "$out" "cmd_rockey ("
addr=$(sed -n 's/^Breakpoint 1, \(0x[0-9a-f]*\) in DIC_Open.*/\1/p' <<<"$out" | head -1)
check "the breakpoint address is where the loader put DIC_Open (blob lookup agrees)" \
	contains "$("$BV" --load "$LOAD" --usbredir "unix:$W/sock" -c 'blob syms rockey.o DIC_Open' 2>&1)" "${addr#0x}"
check "info symbol names its section in an in-memory symbol file" \
	matches "$out" "DIC_Open in section \.text of <in-memory@0x[0-9a-f]+>"

# unload: the symbol files go (no dongle: libusbredirparser.so, a blob too,
# is loaded only with --usbredir)
out=$(g 'break cmd_version' 'run' 'p __jit_debug_descriptor.first_entry' 'info functions ^DIC_Open$' -- \
	-c 'blob unload rockey.o' -c 'version')
check "after blob unload, gdb's JIT list is empty" contains "$out" "= (struct jit_code_entry *) 0x0"
check "after blob unload, gdb no longer knows DIC_Open" lacks "$out" "DIC_Open("
out=$(g 'break cmd_version' 'run' 'p __jit_debug_descriptor.first_entry != 0' 'info functions ^DIC_Open$' -- \
	-c 'version')
check "while loaded, gdb's JIT list holds entries" contains "$out" "= 1"
check "while loaded, gdb knows DIC_Open as a function" matches "$out" "^0x[0-9a-f]+ +DIC_Open$"

# must not hit: a name no blob defines stays pending, the run completes
out=$(g 'break DIC_NoSuchFunction' 'run' -- --usbredir "unix:$W/sock" -c 'rockey 2')
check "a breakpoint on a name no blob defines never hits" lacks "$out" "Breakpoint 1,"
check "and the program runs to its end" contains "$out" "exited normally"
done_testing
