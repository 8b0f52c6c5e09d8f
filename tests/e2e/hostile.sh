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

done_testing
