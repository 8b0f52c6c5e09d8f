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

# `blob gdb' + scripts/gdb/blobvisor.py: the add-symbol-file lines, run by
# the helper into a gdb with no process, put DIC_Open (a global of an
# archive member) and case_open_close (a local of rockey.o) where the
# loader says they are.
log=$("$BV" --load "$LOAD" -c 'blob gdb' -c 'blob syms rockey.o DIC_Open' 2>&1)
echo "$log" >"$W/log"
check "blob gdb prints one add-symbol-file line per object (4)" \
	equals "$(grep -c '^add-symbol-file ' "$W/log")" 4
check "an archive member is named as the loader names it" matches "$log" "^add-symbol-file libdongle.a\(api.o\) -s \.text 0x"
want_open=$(awk '$5 == "DIC_Open" { print $1 }' "$W/log" | sed 's/^0*//')
# a local: where nm puts it in rockey.o's .text, plus where blob gdb says .text went
text=$(sed -n 's/^add-symbol-file rockey.o -s \.text \(0x[0-9a-f]*\).*/\1/p' "$W/log")
off=$(nm build/samples/rockey.o | awk '$2 == "t" && $3 == "case_open_close" { print $1 }')
want_case=$(printf '%x' $((text + 0x$off)))
out=$(timeout 60 gdb -q -batch -nx "$BV" -ex 'source scripts/gdb/blobvisor.py' \
	-ex "blobvisor-symbols $W/log" -ex 'info address DIC_Open' -ex 'info address case_open_close' 2>&1)
check "the helper adds the 4 objects" contains "$out" "blobvisor-symbols: 4 objects added"
check "gdb puts DIC_Open where blob syms does (0x$want_open)" \
	contains "$out" "Symbol \"DIC_Open\" is at 0x$want_open "
check "gdb puts the local case_open_close at .text + its nm offset (0x$want_case)" \
	contains "$out" "Symbol \"case_open_close\" is at 0x$want_case "
out=$(timeout 60 gdb -q -batch -nx "$BV" -ex 'source scripts/gdb/blobvisor.py' \
	-ex "blobvisor-symbols $W/log /nonexistent" 2>&1)
check "objects that cannot be found are named, not guessed" contains "$out" "rockey.o: not found under /nonexistent"

# hosted, the symbol files are built only while a debugger follows the JIT
# interface (its breakpoint is in our text): a VMM started without one
# registers nothing; gdb attached later (-p) gets the blobs loaded before
# it from gdb_jit_sync, which every load, unload and `blob gdb' runs.
mkfifo "$W/in"
"$BV" --load "$LOAD" <"$W/in" >"$W/attach.log" 2>&1 &
bvpid=$!
exec 9>"$W/in"
for _ in $(seq 100); do grep -q 'imports:' "$W/attach.log" && break; sleep 0.05; done
out=$(timeout 60 gdb -q -batch -nx -p "$bvpid" -ex 'p __jit_debug_descriptor.first_entry' \
	-ex 'call (void)gdb_jit_sync()' -ex 'p __jit_debug_descriptor.first_entry != 0' \
	-ex 'info functions ^DIC_Open$' -ex detach 2>&1)
echo 'blob list' >&9
exec 9>&-
wait "$bvpid"
check "no debugger at load: gdb's JIT list is empty (nothing built)" \
	contains "$out" "\$1 = (struct jit_code_entry *) 0x0"
check "gdb attached later: the sync registers the blobs loaded before it" contains "$out" "\$2 = 1"
check "and gdb then knows DIC_Open as a function" matches "$out" "^0x[0-9a-f]+ +DIC_Open$"
check "the VMM runs on after gdb detached" contains "$(cat "$W/attach.log")" "1 blob loaded"

# bare metal: the same JIT interface read through QEMU's gdb stub
if [[ -f build/blobvisor-pc.elf ]]; then
	port=$((20000 + RANDOM % 20000))
	timeout 60 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-serial null -monitor none -nodefaults -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel build/blobvisor-pc.elf \
		-initrd /usr/lib/x86_64-linux-gnu/libz.a -append "--load '--in-vmm libz.a' -c 'blob call crc32 0 0 0'" \
		-S -gdb tcp:127.0.0.1:$port 2>/dev/null &
	qpid=$!
	sleep 0.3
	out=$(timeout 50 gdb -q -batch -nx -ex 'set confirm off' -ex "file build/blobvisor-pc.elf" \
		-ex "target remote 127.0.0.1:$port" -ex 'set breakpoint pending on' -ex 'break crc32' \
		-ex continue -ex bt -ex kill 2>&1)
	kill $qpid 2>/dev/null; wait $qpid 2>/dev/null
	check "bare metal: a pending breakpoint on libz.a's crc32 hits through QEMU's stub" \
		matches "$out" "Breakpoint 1, 0x[0-9a-f]+ in crc32 \(\)"
	check "bare metal: bt reaches the blob call's entry" contains "$out" "in exec_switch_call ()"
fi
done_testing
