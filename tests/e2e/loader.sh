#!/usr/bin/env bash
# The blob loader end to end: objects gcc really produces (one per code model
# and flag set), hand-written assembly for the rest, Debian's libz.a and
# libz.so.1 with a driver that checks known answers, every error class, and
# the blob execution context (TCB, canary, stack guard, watchdog, traps).
. "$(dirname "$0")/../lib.sh"
T="$BV_TOP/build/loader-tests"
LIBZ_A=/usr/lib/x86_64-linux-gnu/libz.a
LIBZ_SO=/lib/x86_64-linux-gnu/libz.so.1

run() { "$BV" "$@" 2>&1; }
# has_reloc OBJ TYPE: readelf (the reference) sees relocation TYPE in OBJ
has_reloc() { readelf -rW "$1" | awk '{print $3}' | grep -qx "$2"; }

# --- relocation types per code model: first prove with readelf that the
# variant really emits the type, then that the loaded code computes right.
declare -A emits=(
	[pic]="R_X86_64_64 R_X86_64_PC32 R_X86_64_PLT32 R_X86_64_GOTPCREL R_X86_64_REX_GOTPCRELX"
	[pie]="R_X86_64_PC32 R_X86_64_PLT32 R_X86_64_GOTPCREL"
	[nopic]="R_X86_64_32 R_X86_64_32S R_X86_64_64 R_X86_64_PC32"
	[medium]="R_X86_64_32 R_X86_64_32S R_X86_64_64"
	[mediumpic]="R_X86_64_GOTOFF64 R_X86_64_GOTPC32 R_X86_64_REX_GOTPCRELX"
	[large]="R_X86_64_64"
	[largepic]="R_X86_64_GOT64 R_X86_64_GOTOFF64 R_X86_64_GOTPC64 R_X86_64_PLTOFF64"
	[noplt]="R_X86_64_GOTPCRELX R_X86_64_REX_GOTPCRELX"
	[norelax]="R_X86_64_GOTPCREL"
)
for v in pic pie nopic medium mediumpic large largepic noplt norelax; do
	for t in ${emits[$v]}; do
		check "rt_main_$v.o carries $t (readelf)" has_reloc "$T/rt_main_$v.o" "$t"
	done
	out=$(run -c "blob load $T/rt_main_$v.o $T/rt_other_$v.o" -c "blob call rt_check" \
		-c "blob call rt_add 40 2" -c "blob call rt_strlen hello" -c "blob call rt_switch 4"); rc=$?
	check "$v: loads, constructors ran, every fact in rt_check holds" contains "$out" "rt_check returned 0 (0)"
	check "$v: integer arguments" contains "$out" "rt_add returned 42 (0x2a)"
	check "$v: a string argument is passed as a pointer" contains "$out" "rt_strlen returned 5 (0x5)"
	check "$v: jump table" contains "$out" "rt_switch returned 55 (0x37)"
	check "$v: exit status 0" equals "$rc" 0
done
for t in R_X86_64_PC64 R_X86_64_SIZE32 R_X86_64_SIZE64 R_X86_64_NONE; do
	check "rt_asm.o carries $t (readelf)" has_reloc "$T/rt_asm.o" "$t"
done
out=$(run -c "blob load $T/rt_asm.o $T/rt_main_pic.o $T/rt_other_pic.o" -c "blob call asm_check")
check "PC64, SIZE32 (local and in another object), SIZE64, NONE" contains "$out" "asm_check returned 0 (0)"

# --- namespaces, archives
out=$(run -c "blob load $T/rt_main_pic.o $T/libt.a" -c "blob call rt_check" -c "blob info rt_main_pic.o")
check "an archive member is pulled in for an undefined symbol" contains "$out" "libt.a(rt_other_pic.o)"
check "... and only the needed one" lacks "$out" "unrelated"
check "... and the result links" contains "$out" "rt_check returned 0 (0)"
out=$(run -c "blob load --whole-archive $T/rt_main_pic.o $T/libt.a"); rc=$?
check "--whole-archive loads every member" contains "$out" "libt.a(unrelated.o): .text+0x1: undefined reference to \`nothing_defines_this'"
check "--whole-archive: the unresolved member fails the load" equals "$rc" 1
out=$(run -c "blob load $T/libl.a" -c "blob call long_named_fn")
check "an archive alone loads all its members" contains "$out" "libl.a(dup_c.o)"
check "a member name from the // table" contains "$out" "libl.a(a_member_with_a_long_name.o)"
check "... and it runs" contains "$out" "long_named_fn returned 4242"
out=$(run -c "blob load $T/libthin.a"); rc=$?
check "a thin archive is refused clearly" contains "$out" "blob: libthin.a: thin archive"
check "... with status 1" equals "$rc" 1
out=$(run -c "blob load $T/dup_a.o $T/dup_b.o" -c "blob list"); rc=$?
check "duplicate strong definitions name both files" contains "$out" "blob: duplicate symbol \`dup_sym': defined in dup_a.o and in dup_b.o"
check "a failed load leaves no blob behind" contains "$out" "0 blobs loaded"
out=$(run -c "blob load $T/dup_a.o $T/dup_c.o" -c "blob call dup_c_only")
check "a strong definition beats a weak one in another file" contains "$out" "dup_c_only returned 30"
out=$(run -c "blob load $T/unres.o" -c "blob list" -c "mem"); rc=$?
check "every unresolved symbol is listed in one pass (1)" contains "$out" "unres.o: .text+0x2: undefined reference to \`missing_one'"
check "every unresolved symbol is listed in one pass (2)" contains "$out" "undefined reference to \`missing_two'"
check "every unresolved symbol is listed in one pass (3)" contains "$out" "undefined reference to \`missing_data'"
check "... then one summary line" contains "$out" "blob: unres.o: 3 undefined symbols; load failed"
check "... nothing is left behind" contains "$out" "0 blobs loaded"
pages_before=$(run -c mem | grep -o 'pages:.*')
pages_after=$(run -c "blob load $T/unres.o" -c "blob load $T/dup_a.o $T/dup_b.o" -c "blob load $T/far.o" -c mem | grep -o 'pages:.*')
check "failed loads return every page" equals "$pages_after" "$pages_before"
out=$(run -c "blob load --allow-missing $T/unres.o" -c "blob call unres_harmless" -c "blob call unres_entry 1" -c "blob list")
check "--allow-missing: the rest of the blob works" contains "$out" "unres_harmless returned 7"
check "--allow-missing: calling a missing import names it and the caller" contains "$out" "abort: call to missing import \`missing_one' (loaded with --allow-missing) (called from unres.o:unres_entry+"
check "--allow-missing: the blob is marked failed, the shell goes on" contains "$out" "FAILED"
out=$(run -c "blob load $T/far.o $T/far_abs.o"); rc=$?
check "an out-of-range value names type, section, offset and symbol" contains "$out" "blob: far.o: .text+0x2: R_X86_64_PC32 against \`*ABS*'"
check "... and fails the load" equals "$rc" 1
check "far.o carries R_X86_64_32 (readelf)" has_reloc "$T/far.o" R_X86_64_32
check "... and a value above 4 GiB is refused" contains "$out" "R_X86_64_32 against \`far_data': value 0x7000000000 does not fit in 32 bits"
out=$(run -c "blob load $T/rt_main_nopic.o $T/rt_other_nopic.o $T/rt_strong.o" -c "blob call rt_strong_check")
check "a strong definition in a later file beats a COMMON one; both see one variable" contains "$out" "rt_strong_check returned 0 (0)"
# --- thread-local storage: a static TLS block below the TCB
declare -A tls_emits=(
	[pic]="R_X86_64_TLSGD R_X86_64_TLSLD R_X86_64_DTPOFF32"
	[pie]="R_X86_64_GOTTPOFF R_X86_64_TPOFF32"
	[nopic]="R_X86_64_TPOFF32"
)
for v in pic pie nopic; do
	for t in ${tls_emits[$v]}; do
		check "tls_$v.o carries $t (readelf)" has_reloc "$T/tls_$v.o" "$t"
	done
	out=$(run -c "blob load $T/tls_$v.o $T/tlsvar.o" -c "blob call tls_check" -c "blob call tls_bump")
	check "TLS $v: .tdata initialised, .tbss zeroed, cross-object TLS, writes stick" contains "$out" "tls_check returned 0 (0)"
	check "TLS $v: the value persists between calls" contains "$out" "tls_bump returned 43"
done
for t in R_X86_64_GOTPC32_TLSDESC R_X86_64_TLSDESC_CALL; do
	check "tls_desc.o carries $t (readelf)" has_reloc "$T/tls_desc.o" "$t"
done
out=$(run -c "blob load $T/tls_desc.o $T/tlsvar.o" -c "blob call tls_check" -c "blob call tls_bump")
check "TLS descriptors (-mtls-dialect=gnu2)" contains "$out" "tls_check returned 0 (0)"
check "TLS descriptors: the value persists" contains "$out" "tls_bump returned 43"
out=$(run -c "blob load $T/libsotls.so"); rc=$?
check "a shared object with PT_TLS is refused clearly" contains "$out" "blob: libsotls.so: program header"
check "... naming the cause" contains "$out" "thread-local storage is not supported in shared-object blobs"
check "... and fails the load" equals "$rc" 1
out=$(run -c "blob load $T/rt_main_pic.o $T/rt_other_pic.o" -c "blob syms rt_main_pic.o 'rt_*'" -c "blob info rt_main_pic.o")
check "blob syms lists globals with their file" contains "$out" "rt_other_value               rt_other_pic.o"
check "COMMON symbols are merged and allocated" contains "$out" " C    rt_common"
check "text is read+execute" contains "$out" "r-x"
check "data is read+write, not executable" contains "$out" "rw-"
check "an .init_array.NNNNN section is laid out" contains "$out" ".init_array.00101"
check ".eh_frame is kept" contains "$out" ".eh_frame"
out=$(run -c "blob load $T/rt_main_pic.o $T/rt_other_pic.o" -c "blob load $T/rt_main_pic.o $T/rt_other_pic.o" -c "blob list" -c "blob unload rt_main_pic.o" -c "blob list")
check "a second load of the same file gets its own name" contains "$out" "rt_main_pic.o#2"
check "blob unload removes it" contains "$out" "1 blob loaded"

# Input files stay mapped between loads while unchanged (loader/filecache.c):
# one session loads a file, then the same path rewritten in place (same
# size, new bytes), replaced by a short file, and deleted.
cdir=$(mktemp -d)
cp "$T/rt_main_pic.o" "$cdir/c.o"
out=$( { echo "blob load $cdir/c.o $T/rt_other_pic.o"; echo "blob unload c.o"; sleep 0.3
	printf 'XXXX' | dd of="$cdir/c.o" conv=notrunc status=none
	echo "blob load $cdir/c.o $T/rt_other_pic.o"; sleep 0.3
	echo garbage >"$cdir/c.o"; echo "blob load $cdir/c.o $T/rt_other_pic.o"; sleep 0.3
	rm "$cdir/c.o"; echo "blob load $cdir/c.o $T/rt_other_pic.o"; } | "$BV" 2>&1)
rm -rf "$cdir"
check "file cache: the first load works" contains "$out" "blob: c.o: unloaded"
check "file cache: a file rewritten in place (same size) is read again" contains "$out" "c.o: not an ELF"
check "file cache: a file replaced by a shorter one is read again" contains "$out" "c.o: truncated: 8 bytes"
check "file cache: a deleted file is not loaded from the old view" contains "$out" "c.o: cannot read: No such file or directory"

# --- execution context
out=$(run -c "blob load --allow-missing $T/ssp.o" -c "blob call tcb_check" -c "blob call ssp_sum 10" -c "blob call ssp_smash 40" -c version); rc=$?
check "%fs:0 and %fs:0x10 hold the TCB's address; the canary is set, low byte 0" contains "$out" "tcb_check returned 0 (0)"
check "stack-protected code runs with the TCB" contains "$out" "ssp_sum returned 45"
check "a smashed canary ends the call through __stack_chk_fail" contains "$out" "ssp_smash"
check "... the shell keeps running" contains "$out" "blobvisor 0.1"
out=$(run -c "blob load --no-tcb --allow-missing $T/ssp.o" -c "blob call ssp_sum 10" -c version)
check "--no-tcb reproduces the seed's %fs:0x28 page fault" contains "$out" "address 0x28 with FS base 0"
check "--no-tcb: contained" contains "$out" "blobvisor 0.1"
out=$(run -c "blob load $T/fault.o" -c "blob call fault_null" -c version)
check "a NULL dereference in a blob is reported with the blob symbol" contains "$out" "#PF page fault in blob code at fault.o:fault_null+0"
check "... and the VMM keeps serving" contains "$out" "blobvisor 0.1"
out=$(run -c "blob load $T/fault.o" -c "blob call fault_recurse 0" -c version)
check "runaway recursion hits the blob stack's guard page" contains "$out" "stack overflow (hit the guard page)"
check "... and the VMM keeps serving" contains "$out" "blobvisor 0.1"
out=$(run -c "blob load $T/fault.o" -c "blob call fault_write_text")
check "blob text is not writable" contains "$out" "#PF page fault in blob code at fault.o:fault_write_text"
out=$(run -c "blob load $T/fault.o" -c "watchdog 200ms" -c "blob call fault_spin" -c "blob call fault_null" -c version)
check "the watchdog ends a spinning blob call" contains "$out" "watchdog: the call ran longer than 200 ms"
check "a failed blob refuses further calls" contains "$out" "marked failed by an earlier fault"
check "... and the VMM keeps serving" contains "$out" "blobvisor 0.1"
# The hosted watchdog timer is lazy (platform/hosted/plat.c): a call leaves
# it running.  Its expiry during `threads run' (core code, nothing due) is
# dropped; one due before a later call's limit re-arms for the rest.  So
# the spin must run its whole 400 ms: 600 + 250 + 400 ms at least.
t0=$(date +%s%N)
out=$(run -c "blob load $T/fault.o" -c "blob load --allow-missing $LIBZ_A" -c "watchdog 400ms" \
	-c "blob call crc32 0 0 0" -c "threads run 600" -c "blob call crc32 0 0 0" \
	-c "threads run 250" -c "blob call fault_spin" -c version)
ms=$((($(date +%s%N) - t0) / 1000000))
check "watchdog: an earlier call's timer neither ends the shell's wait nor a later call early (${ms} ms >= 1250)" \
	test "$ms" -ge 1250
check "... the later spin is stopped at its limit" contains "$out" "watchdog: the call ran longer than 400 ms"
check "... and the VMM keeps serving" contains "$out" "blobvisor 0.1"

# --- shared objects: DT_NEEDED, cross-blob resolution, constructors
out=$(run -c "blob load $T/libsoneedy.so"); rc=$?
check "a NEEDED library that is not loaded is reported" contains "$out" "blob: libsoneedy.so: needs libsodep.so, which is neither provided by the core nor loaded (load it first)"
check "... and fails the load" equals "$rc" 1
out=$(run -c "blob load $T/libsodep.so" -c "blob load $T/libsoneedy.so" -c "blob call so_needy_call 1" -c "blob unload libsoneedy.so")
check "loaded first, it satisfies NEEDED; symbols resolve across blobs; DT_INIT_ARRAY ran" contains "$out" "so_needy_call returned 2009"
check "a shared object unloads" contains "$out" "blob: libsoneedy.so: unloaded"
out=$(run -c "blob load $T/libsodep.so" -c "blob load $T/libsoneedy.so" -c "blob unload libsodep.so" -c "blob call so_needy_call 1")
check "a blob still used by a later one is not unloaded" contains "$out" "blob: libsodep.so: still used by libsoneedy.so (unload that first)"
check "... and its user keeps working" contains "$out" "so_needy_call returned 2009"

# --- other Debian binaries nobody here wrote
out=$(run -c "blob load /usr/lib/x86_64-linux-gnu/libZydis.so.4.0" -c "blob call ZydisGetVersion")
check "libZydis.so.4.0 loads with the core's exports; ZydisGetVersion is 4.0.0.0" contains "$out" "ZydisGetVersion returned 1125899906842624 (0x4000000000000)"
out=$(run -c "blob load /usr/lib/x86_64-linux-gnu/libusbredirparser.so.1" -c "blob call usbredirparser_create")
check "libusbredirparser.so.1 loads with nothing missing" contains "$out" "missing 0"
check "usbredirparser_create returns a parser" lacks "$out" "usbredirparser_create returned 0 (0)"
out=$(run -c "blob load --allow-missing /usr/lib/x86_64-linux-gnu/liblzma.a" -c 'blob call lzma_crc64 "123456789" 9 0' -c 'blob call lzma_crc32 "123456789" 9 0')
check "liblzma.a (80 members): CRC-64/XZ check value 995dc9bbdf1939fa" contains "$out" "lzma_crc64 returned -7395533204333446662 (0x995dc9bbdf1939fa)"
check "liblzma.a: CRC-32 check value cbf43926" contains "$out" "(0xcbf43926)"
out=$(run -c "blob load --allow-missing /usr/lib/x86_64-linux-gnu/liblzma.so.5" -c 'blob call lzma_crc64 "123456789" 9 0')
check "liblzma.so.5: CRC-64/XZ check value" contains "$out" "(0x995dc9bbdf1939fa)"

# --- Debian's zlib, as shipped
zcheck() {	# zcheck LABEL LOAD-ARGS...
	local label=$1; shift
	out=$(run -c "blob load $*" -c "blob call zdrv_crc" -c "blob call zdrv_adler" \
		-c "blob call zdrv_inflate_known" -c "blob call zdrv_roundtrip")
	check "$label: crc32(\"123456789\") = cbf43926" contains "$out" "zdrv_crc returned 3421780262 (0xcbf43926)"
	check "$label: adler32(\"Wikipedia\") = 11e60398" contains "$out" "zdrv_adler returned 300286872 (0x11e60398)"
	check "$label: inflates a stream made by Python's zlib" contains "$out" "zdrv_inflate_known returned 0 (0)"
	check "$label: deflate/inflate round trip of 256 KiB" contains "$out" "zdrv_roundtrip returned 0 (0)"
}
# Until the core exports malloc and __stack_chk_fail, missing imports bind to traps.
if grep -q '^malloc ' "$BV_TOP/build/exports.txt" && grep -q '^__stack_chk_fail ' "$BV_TOP/build/exports.txt"; then
	ZFLAGS=""
else
	ZFLAGS="--allow-missing"
fi
zcheck "libz.a" "$ZFLAGS $T/zdrv.o $LIBZ_A"
check "libz.a: only the needed members are pulled in" lacks "$out" "gzlib.o"
zcheck "libz.so.1" "$ZFLAGS $LIBZ_SO $T/zdrv.o"
out=$(run -c "blob load $ZFLAGS $LIBZ_SO" -c "blob info libz.so.1")
check "libz.so.1: mapped with its soname" contains "$out" "soname libz.so.1"
if [[ -z "$ZFLAGS" ]]; then
	out=$(run -c "blob load $T/zdrv.o $LIBZ_A" -c "blob call zdrv_compress_default")
	check "libz.a: compress()/uncompress() with the core's malloc" contains "$out" "zdrv_compress_default returned 0 (0)"
else
	echo "ok $((tap_n + 1)) - libz.a with the core's malloc # SKIP malloc/__stack_chk_fail not exported yet"
	tap_n=$((tap_n + 1))
fi
done_testing
