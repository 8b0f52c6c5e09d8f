#!/usr/bin/env bash
# End to end through the loader: a driver built like a Debian blob (PIC,
# stack protector, _FORTIFY_SOURCE=2) runs inside blobvisor against libc/
# and on the host against glibc; the outputs must be identical.  Then its
# fortify and stack-protector failures stop the blob call, not the VMM.
. "$(dirname "$0")/../lib.sh"
DRV="$BV_TOP/build/libc-blob/libcdrv.o"
REF="$BV_TOP/build/libc-blob/libcdrv-host"

want=$("$REF"); rc=$?
check "the glibc reference run exits 0" equals "$rc" 0
out=$(timeout 20 "$BV" -c "blob load $DRV" -c 'blob call libc_driver' 2>&1); rc=$?
check "blobvisor loads and runs the driver" equals "$rc" 0
check "the driver's imports all resolve (no missing, no traps)" contains "$out" "0 traps; imports: libc"
check "the imports include the fortify and ssp classes" bash -c "grep -qE 'fortify [1-9].*ssp 1' <<<'$out'"
got=$(sed -n '/^ints:/,/^!$/p' <<<"$out")
check "printf/strto*/ctype/sscanf/qsort/str*/mem*/pthread/rand/libm/time/search/puts output equals glibc's" \
	equals "$got" "$want"
check "libc_driver returned 0" contains "$out" "libc_driver returned 0"

out=$(timeout 20 "$BV" -c "blob load $DRV" -c 'blob call libc_fortify "short"' \
	-c 'blob call libc_fortify "0123456789abc"' -c version 2>&1)
check "a fitting strcpy passes __strcpy_chk" contains "$out" "libc_fortify returned 115"
check "an overflowing strcpy is reported with both sizes and the blob function" contains "$out" \
	"abort: __strcpy_chk: buffer overflow: 14 bytes into a 8-byte object (called from libcdrv.o:libc_fortify+"
check "the call ends, the blob is marked failed" contains "$out" "ended by abort; blob marked failed"
check "the VMM keeps running after a fortify abort" contains "$out" "blobvisor 0.1"

out=$(timeout 20 "$BV" -c "blob load $DRV" -c 'blob call libc_smash 4' -c 'blob call libc_smash 32' -c version 2>&1)
check "an intact canary returns normally" contains "$out" "libc_smash returned 65"
check "a smashed canary names the smashed function" contains "$out" \
	"abort: stack smashing detected: the canary of the calling function's frame was overwritten (called from libcdrv.o:libc_smash+"
check "the VMM keeps running after stack smashing" contains "$out" "blobvisor 0.1"
done_testing
