#!/usr/bin/env bash
# build/blobvisor-static: the vendor archive and the sample cases linked into
# the hosted VMM at build time through samples/static.ld.  `rockey all'
# passes against dongled without --load and prints what the run-time loaded
# build/blobvisor prints; the GOT sits where the script put it; a section
# the script does not place fails the link by name; so do constructors in
# the static blob (nothing would run them).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
S=build/blobvisor-static
LOAD='build/samples/rockey.o build/vendor/libdongle.a'
build/dongled --init --state "$W/state" >/dev/null
build/dongled --listen "unix:$W/sock" --state "$W/state" >"$W/dongled.log" 2>&1 & pid=$!
for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done
cases() { sed -n '/^=== rockey_testcase1 ===/,/^--- rockey_testcase9: /p'; }

out=$(timeout 60 "$S" --usbredir "unix:$W/sock" -c 'rockey all' 2>&1); rc=$?
check "static: rockey all over dongled (no --load) exits 0" equals "$rc" 0
check "static: rockey all: 9/9 passed" contains "$out" "rockey all: 9/9 passed"
check "static: case 5 prints the hardware info" contains "$out" "COSVersion:  2.3"
cases <<<"$out" >"$W/static.cases"
out=$(timeout 60 "$BV" --usbredir "unix:$W/sock" --load "$LOAD" -c 'rockey all' 2>&1); rc=$?
check "run-time loaded: rockey all exits 0" equals "$rc" 0
cases <<<"$out" >"$W/loaded.cases"
check "the static image prints the same cases as the run-time loaded blob" \
	diff -u "$W/loaded.cases" "$W/static.cases"
check "and the cases were all there" equals "$(grep -c '^=== rockey_testcase' "$W/static.cases")" 9
out=$(timeout 60 "$S" --usbredir "unix:$W/sock" -c 'hook DIC_Command 1' -c 'rockey 5' \
	-c 'unhook DIC_Command' -c 'rockey 5' 2>&1); rc=$?
check "the debugger hooks linked-in vendor code" contains "$out" "hook DIC_Command: call 1 from DIC_GetHardwareInfo+"
check "unhook counts its calls" contains "$out" "unhook DIC_Command: 1 calls"
check "the hooked and unhooked runs pass" equals "$(grep -c '^--- rockey_testcase5: passed' <<<"$out")/$rc" 2/0
kill "$pid"; wait "$pid" 2>/dev/null; pid=

out=$(timeout 30 "$S" -c 'blob list' -c 'blob syms static DIC_Com*' -c 'blob info static' \
	-c 'blob unload static' 2>&1); rc=$?
check "blob list shows the linked-in blob" grep -Eq '^static +4 files .* ok linked-in$' <<<"$out"
check "its symbols are looked up like a loaded blob's" \
	grep -Eq '^[0-9a-f]{16} +[1-9][0-9]* func +G +DIC_Command +\(linked in\)$' <<<"$out"
check "blob info says where it is" contains "$out" "blob static: ok, linked into the image"
check "its region is the static text, r-x" \
	grep -Eq "^  region 0x$(nm "$S" | awk '$3 == "__static_blob_text_start" { sub(/^0+/, "", $1); print $1 }')-0x[0-9a-f]+ r-x$" <<<"$out"
check "it cannot be unloaded" contains "$out" "blob: static: linked into the image, cannot be unloaded"
out=$(timeout 30 "$S" --load "$LOAD" -c 'blob list' 2>&1); rc=$?
check "blob load of the same files next to it still works" contains "$out" "2 blobs loaded"

sym() { echo $((16#$(nm "$S" | awk -v s="$1" '$3 == s { print $1 }'))); }
sec() { readelf -SW "$S" | sed 's/^ *\[ *[0-9]*\]//' | awk -v s="$1" '$1 == s { print $3, $5 }' |
	{ read -r a z && echo $((16#$a)) $((16#$z)); }; }
read -r got got_size <<<"$(sec .got)"
read -r gotplt gotplt_size <<<"$(sec .got.plt)"
data=$(sym __data_start) edata=$(sym _edata) end=$(sym _end)
check "readelf: the image has a .got (the vendor's GOT loads, kept by --no-relax)" \
	test "${got_size:-0}" -gt 0
check "readelf: and a .got.plt" test "${gotplt_size:-0}" -gt 0
check "the .got and .got.plt lie in the data segment, before .data and _edata" \
	test "$got" -ge "$data" -a $((gotplt + gotplt_size)) -le "$(sec .data | cut -d' ' -f1)" \
	-a $((gotplt + gotplt_size)) -le "$edata"
check "not after _end (where the heap would begin)" test $((gotplt + gotplt_size)) -lt "$end"
lo=$(sym __static_blob_text_start) hi=$(sym __static_blob_text_end) cmd=$(sym DIC_Command)
check "the vendor code is in the static blob's text range" test "$cmd" -ge "$lo" -a "$cmd" -lt "$hi"
check "which reads the canary at %fs:0x28 (so it needs the blob context)" \
	bash -c "objdump -d --start-address=$lo --stop-address=$hi $S | grep -q '%fs:0x28'"
check "every import resolved at link time" equals "$(nm -u "$S" | wc -l)" 0

out=$(printf 'blob list\nrockey 5\n' | BV_STATIC=1 DONGLE_STATE="$W/state" scripts/run-main 2>&1); rc=$?
check "make run-static's script: the linked-in blob, rockey 5 prints the hardware info" \
	bash -c 'grep -q "linked-in" <<<"$1" && grep -qF "COSVersion:  2.3" <<<"$1"' _ "$out"
check "make run-static's script exits 0" equals "$rc" 0

# The orphan checks relink with the final link's own flags and inputs.
check "control: the recorded link works" gcc -o "$W/again" @build/static/link.rsp
printf '\t.section .vendor_extra,"aw"\n\t.quad 1\n' | gcc -c -x assembler -o "$W/extra.o" -
printf '\t.section .ctors,"aw"\n\t.quad 0\n' | gcc -c -x assembler -o "$W/ctors.o" -
for o in extra ctors; do
	name=$( [[ $o == extra ]] && echo .vendor_extra || echo .ctors)
	err=$(gcc -o "$W/bad" @build/static/link.rsp "$W/$o.o" 2>&1); rc=$?
	check "an object with an unplaced section ($name) fails the link" test "$rc" -ne 0
	check "naming the section" contains "$err" "orphan section \`$name' from \`$W/$o.o'"
done
mkdir -p "$W/samples"
printf 'static void c(void) {}\nstatic void (*p)(void) __attribute__((used, section(".init_array"))) = c;\n' |
	gcc -O2 -fPIC -c -x c -o "$W/ctor.o" -
ld -r -o "$W/samples/rockey.o" build/samples/rockey.o "$W/ctor.o"
sed "s|build/samples/rockey.o|$W/samples/rockey.o|" build/static/link.rsp >"$W/ctor.rsp"
err=$(gcc -o "$W/bad" @"$W/ctor.rsp" 2>&1); rc=$?
check "a constructor in the static blob fails the link (nothing would run it)" test "$rc" -ne 0
check "saying so" contains "$err" "static blob: constructors/destructors are not run in the static image"
done_testing
