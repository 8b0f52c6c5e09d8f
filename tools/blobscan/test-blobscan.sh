#!/usr/bin/env bash
# blobscan against references: readelf/nm counts and ld's archive closure on
# Debian's archives, synthetic objects for each property (compiled here),
# the vendor blob if it is built, and malformed input.
. "$(dirname "$0")/../../tests/lib.sh"
cd "$BV_TOP"
BS=build/blobscan
T=build/blobscan-test
rm -rf "$T" && mkdir -p "$T"
LIBDIR=/usr/lib/x86_64-linux-gnu
SRC=tools/blobscan/testdata

# jv FILE.json EXPR : evaluate a Python expression over the parsed JSON `d`
# and print it.  One python3 answers every question of the script (a
# python3 start costs ~0.3 s of CPU on the test machine, and this script
# asked ~150 times); it parses the file afresh each time, as the file may
# have been rewritten.  An exception answers "python: ...", which no check
# expects; so does jv where the coprocess's pipes are not open (the left
# side of a pipeline is a subshell without them: write to a file instead).
coproc PY { python3 -u -c '
import json, sys
while True:
    line = sys.stdin.readline()
    if not line:
        break
    path, expr = line.rstrip("\n").split("\t", 1)
    try:
        d = json.load(open(path))
        r = str(eval(expr))
    except Exception as x:
        r = "python: %s: %s" % (type(x).__name__, x)
    sys.stdout.write(r + "\0")
    sys.stdout.flush()
'; }
jv() {
	local r
	if ! { printf '%s\t%s\n' "$1" "$2" >&"${PY[1]}" && IFS= read -r -d '' r <&"${PY[0]}"; } 2>/dev/null; then
		echo "jv: no answer from python3 (inside a pipeline?)"
		return 1
	fi
	printf '%s\n' "$r"
}

# An export table of our own, so these tests do not move with the core's.
printf '%s\n' 'memcpy libc function' 'strcpy libc function' 'puts libc function' \
	'__stack_chk_fail ssp function' 'pthread_mutex_lock pthread function' \
	'usb_interrupt_write libusb function' 'usb_busses libusb object' >"$T/exports.txt"
X="--exports $T/exports.txt"

# The synthetic objects (one per property, below), compiled two at a time
# in the background while the differential part runs: OUT FLAGS... SOURCE
printf 'int puts(const char *s) { return 0; }\nchar *strcpy(char *d, const char *s) { return d; }\n' >"$T/mylibc.c"
export T
xargs -P2 -L1 sh -c 'o=$1; shift; exec gcc -c -O2 "$@" -o "$T/$o"' cc <<EOF &
plain.o -fno-stack-protector -fcf-protection=none -fPIE $SRC/plain.c
ssp.o -fstack-protector-strong -fcf-protection=none -fPIE $SRC/ssp.c
nossp.o -fno-stack-protector -fcf-protection=none -fPIE $SRC/ssp.c
cet.o -fno-stack-protector -fcf-protection=full $SRC/plain.c
tls.o -fPIC -fno-stack-protector $SRC/tls.c
ifunc.o -fno-stack-protector $SRC/ifunc.c
common.o -fcommon -fno-stack-protector $SRC/common.c
nocommon.o -fno-common -fno-stack-protector $SRC/common.c
sse.o -O3 -fno-stack-protector $SRC/simd.c
avx.o -O3 -mavx2 -fno-stack-protector $SRC/simd.c
gpr.o -O3 -mgeneral-regs-only -fno-stack-protector $SRC/simd.c
weak.o -fPIE -fno-stack-protector $SRC/weak.c
init.o -fno-stack-protector $SRC/init.c
data.o -fPIE -fno-stack-protector $SRC/data.c
pic.o -fPIC -fno-stack-protector $SRC/global.c
pie.o -fPIE -fno-stack-protector $SRC/global.c
nopic.o -fno-pic -fno-stack-protector $SRC/global.c
mutex.o -fPIE -fstack-protector-strong $SRC/mutex.c
runtime.o -fPIE -fno-stack-protector $SRC/runtime.c
mylibc.o -fno-stack-protector $T/mylibc.c
seed_api.o -fPIC -fstack-protector-strong $SRC/seed_api.c
seed_transport.o -fPIC -fstack-protector-strong $SRC/seed_transport.c
narrow.o $SRC/narrow.s
EOF
cc_pid=$!

# --- differential: Debian's archives and shared objects --------------------
for lib in libz.a liblzma.a libbz2.a libexpat.a libz.so.1 libZydis.so.4.0; do
	f=$LIBDIR/$lib
	[[ -e $f ]] || continue
	$BS $X --json "$f" >"$T/$lib.json" 2>"$T/$lib.err"; rc=$?
	check "$lib: scanned (exit 0 or 1)" test "$rc" -le 1
	check "$lib: --json parses" equals "$(jv "$T/$lib.json" 'type(d).__name__')" dict
	# one readelf for the symbol tables and relocation sections, one nm
	# for the global symbols: undefined ones have no address (nm -u's
	# and --defined-only's lists, split), kept for the imports below
	if [[ $lib == *.so* ]]; then
		readelf -W --dyn-syms -r "$f" >"$T/$lib.readelf"
		nm -D "$f" >"$T/$lib.nm"
		grep '^ ' "$T/$lib.nm" >"$T/$lib.nm-u"
		grep '^[0-9a-f]' "$T/$lib.nm" >"$T/$lib.nm-def"
		want_syms=$(sed -n "s/^Symbol table '.dynsym' contains \([0-9]*\) entries.*/\1/p" "$T/$lib.readelf" | awk '{s+=$1-1} END {print s}')
		want_und=$(wc -l <"$T/$lib.nm-u")
		want_def=$(wc -l <"$T/$lib.nm-def")
	else
		readelf -W -s -r "$f" >"$T/$lib.readelf"
		nm -g "$f" >"$T/$lib.nm"
		grep '^ ' "$T/$lib.nm" >"$T/$lib.nm-u"
		grep '^[0-9a-f]' "$T/$lib.nm" >"$T/$lib.nm-def"
		want_syms=$(sed -n "s/^Symbol table '.symtab' contains \([0-9]*\) entries.*/\1/p" "$T/$lib.readelf" | awk '{s+=$1-1} END {print s}')
		want_und=$(grep -c '^ *[Uw] ' "$T/$lib.nm-u")
		want_def=$(grep -c '^[0-9a-f]* [A-Za-z] ' "$T/$lib.nm-def")
	fi
	want_rel=$(sed -n "s/^Relocation section .* contains \([0-9]*\) entr.*/\1/p" "$T/$lib.readelf" | awk '{s+=$1} END {print s+0}')
	want_mem=$( [[ $lib == *.a ]] && ar t "$f" | wc -l || echo 1)
	check "$lib: members = ar t ($want_mem)" equals "$(jv "$T/$lib.json" 'sum(len(f["members"]) for f in d["files"])')" "$want_mem"
	check "$lib: symbols = readelf -s ($want_syms)" equals "$(jv "$T/$lib.json" 'sum(m["symbols"] for f in d["files"] for m in f["members"])')" "$want_syms"
	check "$lib: undefined = nm -u ($want_und)" equals "$(jv "$T/$lib.json" 'sum(m["undefined"] for f in d["files"] for m in f["members"])')" "$want_und"
	check "$lib: defined globals = nm -g --defined-only ($want_def)" equals "$(jv "$T/$lib.json" 'sum(m["defined_global"] for f in d["files"] for m in f["members"])')" "$want_def"
	check "$lib: relocations = readelf -r ($want_rel)" equals "$(jv "$T/$lib.json" 'sum(r["count"] for r in d["relocations"])')" "$want_rel"
	# imports = names nm calls undefined that no member defines
	if [[ $lib == *.a ]]; then
		comm -23 <(awk '/^ *[Uw] /{print $2}' "$T/$lib.nm-u" | sort -u) \
			<(awk 'NF==3{print $3}' "$T/$lib.nm-def" | sort -u) >"$T/$lib.nm-imports"
	else
		awk '{print $2}' "$T/$lib.nm-u" | sed 's/@.*//' | sort -u >"$T/$lib.nm-imports"
	fi
	jv "$T/$lib.json" '"\n".join(sorted(i["name"] for i in d["imports"]))' >"$T/$lib.bs-imports"
	check "$lib: import names = nm's undefined minus defined" diff "$T/$lib.nm-imports" "$T/$lib.bs-imports"
done

# --want closure against GNU ld's archive rule (ld -r -u SYM -M)
for sym in inflate deflate crc32 gzopen; do
	ld -r -u "$sym" -o "$T/ld.o" "$LIBDIR/libz.a" -M 2>/dev/null |
		sed -n 's/^[^ ].*libz\.a(\(.*\))$/\1/p' | sort >"$T/ld-$sym"
	$BS $X --json --want "$sym" "$LIBDIR/libz.a" >"$T/want.json"
	jv "$T/want.json" '"\n".join(sorted(d["want"][0]["closure"]))' >"$T/bs-$sym"
	check "--want $sym: closure = ld's archive members ($(wc -l <"$T/ld-$sym"))" diff "$T/ld-$sym" "$T/bs-$sym"
done
out=$($BS $X --want no_such_symbol "$LIBDIR/libz.a"); rc=$?
check "--want of an undefined symbol: exit 1" equals "$rc" 1
check "--want of an undefined symbol: named in the verdict" contains "$out" "wanted symbol \`no_such_symbol' is not defined"

# --- synthetic objects, one per property -------------------------------------
check "the synthetic objects compile (in the background, above)" wait "$cc_pid"

scan() { $BS $X --json "$@" >"$T/s.json"; echo $?; }
p() { jv "$T/s.json" "$1"; }

check "plain: loads as is (exit 0)" equals "$(scan $T/plain.o)" 0
check "plain: verdict loads" equals "$(p 'd["verdict"]["loads"]')" True
out=$($BS $X $T/plain.o)
check "plain: text verdict" contains "$out" "Verdict: loads as is"
check "plain: memcpy listed as provided libc" contains "$(grep -A1 '^  libc:' <<<"$out")" "memcpy"

check "ssp: exit 0 (all imports exported)" equals "$(scan $T/ssp.o)" 0
check "ssp: stack protector present" equals "$(p 'd["properties"]["stack_protector"]["present"]')" True
check "ssp: imports __stack_chk_fail" equals "$(p 'd["properties"]["stack_protector"]["imports_stack_chk_fail"]')" True
check "ssp: %fs:0x28 reads found (prologue+epilogue)" test "$(p 'd["properties"]["stack_protector"]["fs28_reads"]')" -ge 2
check "ssp: __stack_chk_fail in class ssp" equals "$(p '[i["class"] for i in d["imports"] if i["name"]=="__stack_chk_fail"][0]')" ssp
scan $T/nossp.o >/dev/null
check "no ssp: stack protector absent" equals "$(p 'd["properties"]["stack_protector"]["present"]')" False
check "no ssp: no %fs:0x28 reads" equals "$(p 'd["properties"]["stack_protector"]["fs28_reads"]')" 0

scan $T/cet.o >/dev/null
check "cet: endbr64 found" test "$(p 'd["properties"]["cet"]["endbr64"]')" -ge 1
check "cet: .note.gnu.property says IBT" equals "$(p 'd["properties"]["cet"]["ibt"]')" 1
check "cet: .note.gnu.property says SHSTK" equals "$(p 'd["properties"]["cet"]["shstk"]')" 1
scan $T/plain.o >/dev/null
check "no cet: no endbr64, no IBT" equals "$(p '(d["properties"]["cet"]["endbr64"], d["properties"]["cet"]["ibt"])')" "(0, 0)"

rc=$(scan $T/tls.o)
check "tls: present" equals "$(p 'd["properties"]["tls"]["present"]')" True
check "tls: TLS relocations counted = readelf" equals "$(p 'd["properties"]["tls"]["relocations"]')" "$(readelf -rW $T/tls.o | grep -c 'R_X86_64_\(TLS\|DTP\|TPOFF\|GOTTPOFF\)')"
check "tls: __tls_get_addr in class tls" equals "$(p '[i["class"] for i in d["imports"] if i["name"]=="__tls_get_addr"]')" "['tls']"
check "tls: __tls_get_addr missing from this table: exit 1" equals "$rc" 1
# Whether TLS relocations are supported is the loader's answer (probed
# through reloc_apply), checked against blob load in the agreement tests.

# A type the loader refuses: R_X86_64_16, from hand-written assembly.
out=$($BS $X $T/narrow.o); rc=$?
check "narrow: R_X86_64_16 highlighted as not supported" contains "$(grep R_X86_64_16 <<<"$out")" "NOT SUPPORTED"
check "narrow: the reason names section+offset and type" contains "$out" "narrow.o: .data+0x0: R_X86_64_16 not supported by the loader"
check "narrow: does not load (exit 1)" equals "$rc" 1

rc=$(scan $T/ifunc.o)
check "ifunc: symbol found" equals "$(p 'd["properties"]["ifunc"]["symbols"]')" 1
check "ifunc: named" equals "$(p 'd["properties"]["ifunc"]["first"]')" add
check "ifunc: not a reason not to load (the loader runs resolvers)" lacks "$(p 'd["verdict"]["reasons"]')" "IFUNC"
check "ifunc: loads (exit 0)" equals "$rc" 0

scan $T/common.o >/dev/null
check "common: -fcommon gives a COMMON symbol" equals "$(p 'd["properties"]["common"]')" "{'symbols': 1, 'first': 'shared_counter'}"
scan $T/nocommon.o >/dev/null
check "common: -fno-common gives none" equals "$(p 'd["properties"]["common"]["symbols"]')" 0

scan $T/sse.o >/dev/null
check "sse: SSE instructions found" test "$(p 'd["properties"]["sse"]["count"]')" -ge 1
check "sse: no AVX" equals "$(p 'd["properties"]["avx"]["count"]')" 0
scan $T/avx.o >/dev/null
check "avx: AVX instructions found (-mavx2)" test "$(p 'd["properties"]["avx"]["count"]')" -ge 1
scan $T/gpr.o >/dev/null
check "gpr: -mgeneral-regs-only uses no SSE/AVX" equals "$(p '(d["properties"]["sse"]["count"], d["properties"]["avx"]["count"])')" "(0, 0)"

rc=$(scan $T/weak.o)
check "weak: one weak undefined symbol" equals "$(p 'd["properties"]["weak_undefined"]')" 1
check "weak: import marked weak" equals "$(p '[(i["name"], i["weak"], i["provided"]) for i in d["imports"] if i["class"] != "got"]')" "[('optional_hook', True, False)]"
check "weak: a missing weak symbol does not block loading (exit 0)" equals "$rc" 0

scan $T/init.o >/dev/null
check "init: one .init_array entry (constructor)" equals "$(p 'd["properties"]["init"]["init_array"]')" 1
check "init: one .fini_array entry (destructor)" equals "$(p 'd["properties"]["init"]["fini_array"]')" 1

rc=$(scan $T/data.o)
check "data: usb_busses is a provided data import" equals "$(p '[(i["class"], i["kind"], i["data"], i["provided"]) for i in d["imports"] if i["name"]=="usb_busses"]')" "[('libusb', 'object', True, True)]"
check "data: vendor_flags flagged as data (PC32)" equals "$(p '[(i["data"], i["relocations"]["pc"] > 0) for i in d["imports"] if i["name"]=="vendor_flags"]')" "[(True, True)]"
check "data: missing vendor_flags blocks loading" equals "$rc" 1
out=$($BS $X $T/data.o)
check "data: text flags data imports" contains "$out" "DATA ±2GiB"

scan $T/pic.o >/dev/null
check "position: -fPIC detected as PIC" equals "$(p 'd["properties"]["position"]["summary"]')" PIC
scan $T/pie.o >/dev/null
check "position: -fPIE detected as PIE" equals "$(p 'd["properties"]["position"]["summary"]')" PIE
scan $T/nopic.o >/dev/null
check "position: -fno-pic detected as non-PIC" equals "$(p 'd["properties"]["position"]["summary"]')" non-PIC

rc=$(scan $T/mutex.o)
check "classes: pthread, libusb, fortify, ssp, unknown" equals "$(p 'sorted(set(i["class"] for i in d["imports"]))')" "['fortify', 'libusb', 'pthread', 'ssp', 'unknown']"
check "classes: pthread_mutex_unlock missing, lock provided" equals "$(p '[(i["name"], i["provided"]) for i in d["imports"] if i["class"]=="pthread"]')" "[('pthread_mutex_lock', True), ('pthread_mutex_unlock', False)]"
check "classes: exit 1 with missing imports" equals "$rc" 1
check "classes: one reason per missing strong import" equals "$(p 'len(d["verdict"]["reasons"])')" 3

scan $T/runtime.o >/dev/null
check "runtime: __divti3 and __cpu_model in class runtime" equals "$(p '[(i["name"], i["class"]) for i in d["imports"] if i["class"] != "got"]')" "[('__cpu_model', 'runtime'), ('__divti3', 'runtime')]"
check "runtime: __cpu_model is data" equals "$(p '[i["data"] for i in d["imports"] if i["name"] == "__cpu_model"]')" "[True]"

# several files form one namespace: ssp.o's imports satisfied by another object
scan $T/ssp.o $T/mylibc.o >/dev/null
check "namespace: puts and strcpy resolve inside the namespace" equals "$(p '[i["name"] for i in d["imports"]]')" "['__stack_chk_fail']"
cp $T/plain.o $T/plain2.o
scan $T/plain.o $T/plain2.o >/dev/null
check "namespace: duplicate strong definition is a reason" contains "$(p 'd["verdict"]["reasons"]')" "duplicate definition of \`copy'"

# --- the verdict against the loader itself (the core's real export table) ----
agree() {	# agree FILE : blobscan's exit status = `blob load`'s, same missing names
	local bs bl out
	$BS --json "$1" >"$T/agree.json" 2>/dev/null; bs=$?
	out=$(timeout 30 "$BV" -c "blob load $1" 2>&1); bl=$?
	check "agrees with blob load: $(basename "$1") (exit $bl)" equals "$bs" "$bl"
	sed -n "s/.*undefined reference to \`\([^']*\)'.*/\1/p" <<<"$out" | sort -u >"$T/agree-loader"
	jv "$T/agree.json" '"\n".join(sorted(i["name"] for i in d["imports"] if not i["provided"] and not i["weak"]))' \
		>"$T/agree-bs.raw"
	sed '/^$/d' "$T/agree-bs.raw" >"$T/agree-bs"
	check "agrees with blob load: $(basename "$1") missing symbols ($(wc -l <"$T/agree-bs"))" diff "$T/agree-loader" "$T/agree-bs"
}
for o in plain ssp cet tls common weak init data pic pie nopic mutex sse avx narrow ifunc; do
	agree "$T/$o.o"
done
out=$("$BV" -c "blob load $T/ifunc.o" -c "blob call add 2 3" 2>&1)
check "ifunc.o: blob call add 2 3 reaches the function the resolver chose" contains "$out" "add returned 5 (0x5)"
for lib in libz.a liblzma.a libbz2.a libexpat.a libjpeg.a libz.so.1 libZydis.so.4.0; do
	[[ -e $LIBDIR/$lib ]] && agree "$LIBDIR/$lib"
done

# --- --stubs, --dot -------------------------------------------------------
$BS $X --stubs "$T/stubs.c" $T/mutex.o >/dev/null
check "stubs: written" test -s "$T/stubs.c"
check "stubs: compile with gcc -c" gcc -c -Wall -Werror -o "$T/stubs.o" "$T/stubs.c"
check "stubs: prototypes match glibc's and libusb's headers" gcc -DBLOBSCAN_STUBS_CHECK -c -Wall -Werror -o "$T/stubs.o" "$T/stubs.c"
check "stubs: pthread_mutex_unlock has its real prototype" grep -q '^int pthread_mutex_unlock(pthread_mutex_t \*mutex)$' "$T/stubs.c"
check "stubs: each body reports its own name" grep -q 'STUB_REPORT("__sprintf_chk")' "$T/stubs.c"
check "stubs: nothing for provided imports" bash -c "! grep -q 'pthread_mutex_lock(' '$T/stubs.c'"
$BS $X --stubs "$T/stubs-z.c" $LIBDIR/libz.a >/dev/null
check "stubs for libz.a: compile" gcc -c -Wall -Werror -o "$T/stubs.o" "$T/stubs-z.c"
check "stubs for libz.a: prototypes match the headers" gcc -DBLOBSCAN_STUBS_CHECK -c -Wall -Werror -o "$T/stubs.o" "$T/stubs-z.c"
nm "$T/stubs.o" | awk '$1=="T"||$2=="T"{print $NF}' | sort >"$T/stub-syms"
$BS $X --json $LIBDIR/libz.a >"$T/z.json"
check "stubs for libz.a: one per missing function" equals "$(wc -l <"$T/stub-syms")" "$(jv "$T/z.json" 'len([i for i in d["imports"] if not i["provided"] and i["kind"]!="object" and i["class"]!="got"])')"

$BS $X --dot $T/mutex.o $LIBDIR/libz.a >"$T/g.dot"
check "dot: renders with dot -Tsvg" bash -c "dot -Tsvg '$T/g.dot' >'$T/g.svg' && grep -q '<svg' '$T/g.svg'"
$BS $X --json $T/mutex.o $LIBDIR/libz.a >"$T/g.json"
check "dot: members + one cluster per import class" equals "$(grep -c 'subgraph cluster_' "$T/g.dot")" \
	"$(jv "$T/g.json" '1 + len(set(i["class"] for i in d["imports"]))')"

# --- a seed-like vendor archive: API member + libusb transport member -------
rm -f "$T/libseed.a" && ar rcs "$T/libseed.a" "$T/seed_api.o" "$T/seed_transport.o"
$BS --json --want DIC_Open "$T/libseed.a" >"$T/seed.json"
for c in libc pthread libusb ssp got; do
	check "seed-like archive: shows the $c class" equals "$(jv "$T/seed.json" "d['classes']['$c']['count'] > 0")" True
done
check "seed-like archive: DIC_Open lives in seed_api.o and pulls the transport" equals "$(jv "$T/seed.json" 'd["want"][0]')" "{'symbol': 'DIC_Open', 'defined_in': 'seed_api.o', 'closure': ['seed_api.o', 'seed_transport.o']}"
check "seed-like archive: usb_busses is data reached through the GOT (-fPIC)" equals "$(jv "$T/seed.json" '[(i["data"], i["relocations"]["got"] > 0) for i in d["imports"] if i["name"] == "usb_busses"]')" "[(True, True)]"
check "seed-like archive: PIC with stack protector" equals "$(jv "$T/seed.json" '(d["properties"]["position"]["summary"], d["properties"]["stack_protector"]["present"])')" "('PIC', True)"
agree "$T/libseed.a"

# --- the vendor blob, if the dongle branch has built it ----------------------
if [[ -e build/vendor/libdongle.a ]]; then
	$BS --json --want DIC_Open build/vendor/libdongle.a >"$T/dongle.json"
	for c in libc pthread libusb ssp got; do
		check "libdongle.a: shows the $c class" equals "$(jv "$T/dongle.json" "d['classes']['$c']['count'] > 0")" True
	done
	check "libdongle.a: --want DIC_Open names its member" test "$(jv "$T/dongle.json" 'd["want"][0]["defined_in"]')" != None
	check "libdongle.a: usb_busses is a data import" equals "$(jv "$T/dongle.json" '[i["data"] for i in d["imports"] if i["name"] == "usb_busses"]')" "[True]"
	check "libdongle.a: stack protector seen in the code" test "$(jv "$T/dongle.json" 'd["properties"]["stack_protector"]["fs28_reads"]')" -gt 0
	agree build/vendor/libdongle.a
else
	echo "# build/vendor/libdongle.a not built on this branch yet: skipped"
fi

# --- bad input: one line naming the place, exit 2 ---------------------------
bad() {	# bad NAME FILE EXPECTED-TEXT
	local err rc
	err=$($BS $X "$2" 2>&1 >/dev/null); rc=$?
	check "bad input, $1: exit 2" equals "$rc" 2
	check "bad input, $1: one line" equals "$(wc -l <<<"$err")" 1
	check "bad input, $1: names it ($3)" contains "$err" "$3"
}
bad "missing file" "$T/nonexistent.o" "nonexistent.o: No such file"
head -c 40 $T/plain.o >"$T/trunc-hdr.o"
bad "truncated header" "$T/trunc-hdr.o" "trunc-hdr.o: "
head -c 600 $T/plain.o >"$T/trunc.o"
bad "truncated object" "$T/trunc.o" "trunc.o: "
cp $T/plain.o "$T/shoff.o"; printf '\xff\xff\xff\x00' | dd of="$T/shoff.o" bs=1 seek=40 conv=notrunc 2>/dev/null
bad "e_shoff beyond the file" "$T/shoff.o" "shoff.o: "
# section 1's sh_offset (e_shoff at 0x28; 64-byte headers; sh_offset at 24)
cp $T/plain.o "$T/secoff.o"
shoff=$(od -An -t u8 -j 40 -N 8 "$T/plain.o" | tr -d ' ')
printf '\xff\xff\xff\x7f\x00\x00\x00\x00' | dd of="$T/secoff.o" bs=1 seek=$((shoff + 64 + 24)) conv=notrunc 2>/dev/null
bad "section offset beyond the file" "$T/secoff.o" "secoff.o: section 1"
printf 'not an object file\n' >"$T/text.o"
bad "not ELF" "$T/text.o" "text.o: "
printf '!<thin>\n' >"$T/thin.a"
bad "thin archive" "$T/thin.a" "thin"
cp $LIBDIR/libz.a "$T/trunc.a"; truncate -s 5000 "$T/trunc.a"
bad "truncated archive" "$T/trunc.a" "trunc.a"
{ ar rc "$T/badmember.a" "$T/trunc.o"; } >/dev/null 2>&1
bad "archive with a broken member" "$T/badmember.a" "badmember.a(trunc.o)"
printf 'memcpy libc\n' >"$T/bad-exports.txt"
err=$($BS --exports "$T/bad-exports.txt" $T/plain.o 2>&1 >/dev/null); rc=$?
check "bad exports file: exit 2" equals "$rc" 2
check "bad exports file: names file and line" contains "$err" "bad-exports.txt:1:"
$BS --bogus >/dev/null 2>&1; rc=$?
check "unknown option: exit 2" equals "$rc" 2

done_testing
