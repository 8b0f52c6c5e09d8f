#!/usr/bin/env bash
# make soak (not part of make test): one hosted blobvisor process, the vendor
# blob and the samples loaded, the dongle served by build/dongled over
# usbredir on a unix socket:
#   100,000 DIC_Command(GET_INFO) round trips (100 x `rockey bench 1000'),
#   then 1,000 `rockey all' (10 blocks of 100),
# each block followed by `mem'.  One line per block: its time and the VMM's
# memory (pages, the core heap, the blob heaps) after it; the host RSS of
# blobvisor and dongled are sampled too.  The run fails if a case fails or
# memory is not flat: after the first block of each phase (caches, the
# vendor's first allocations) the VMM's pages, heap bytes and blob heap
# bytes may not grow, nor any RSS grow by more than 1 MiB; the median time
# per block of the last quarter must stay within 1.5x of the first
# quarter's (single slow blocks are the shared machine, a trend is not).
#   SOAK_BENCH_BLOCKS=N SOAK_ALL_BLOCKS=N  shorten it (default 100 and 10)
set -u
cd "$(dirname "$0")/../.."
NB=${SOAK_BENCH_BLOCKS:-100} NA=${SOAK_ALL_BLOCKS:-10}
W=$(mktemp -d) dpid= bpid= spid=
trap '[[ -n $spid ]] && kill $spid 2>/dev/null; [[ -n $bpid ]] && kill $bpid 2>/dev/null
      [[ -n $dpid ]] && kill $dpid 2>/dev/null; rm -rf "$W"' EXIT
build/dongled --init --state "$W/state" >/dev/null || exit 1
build/dongled --listen "unix:$W/sock" --state "$W/state" 2>"$W/dongled.log" & dpid=$!
for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done

{	# the whole session up front: the shell reads it line by line
	for ((i = 0; i < NB; i++)); do echo 'timeit rockey bench 1000'; echo mem; done
	for ((b = 0; b < NA; b++)); do
		for ((i = 0; i < 100; i++)); do echo 'timeit rockey all'; done
		echo mem
	done
} >"$W/script"
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null; }
start=$(date +%s)
build/blobvisor --usbredir "unix:$W/sock" --load 'build/samples/rockey.o build/vendor/libdongle.a' \
	<"$W/script" >"$W/out" 2>&1 & bpid=$!
# RSS every 2 s: seconds since start, blobvisor's, dongled's (KiB)
( while kill -0 $bpid 2>/dev/null; do
	echo "$(($(date +%s) - start)) $(rss $bpid) $(rss $dpid)"; sleep 2
  done ) >"$W/rss" & spid=$!
wait $bpid; rc=$?; bpid=
kill $spid 2>/dev/null; wait $spid 2>/dev/null; spid=

# Blocks: each `mem' closes one; the timeits since the last one are its time.
awk -v nb="$NB" '
	/^timeit: [0-9]+ ns/ { ns += $2; n++ }
	/^rockey all: / { runs++; if ($3 != "9/9") bad++ }
	/^rockey bench: DIC_Command round trip/ { rt = $6 }
	/^pages: / { pages = $2 }
	/^heap: / { heap = $2 }
	/^blob heaps: / { bh = $4 }
	/^blob heaps: / {
		blk++
		phase = blk <= nb ? "bench" : "all"
		i = phase == "bench" ? blk : blk - nb
		printf "soak: %s block %d: %s in %.3f s%s; pages %d KiB, heap %d bytes, blob heaps %d bytes\n",
			phase, i, phase == "bench" ? "1000 DIC_Command" : n " rockey all", ns / 1e9,
			phase == "bench" ? sprintf(" (%s us each)", rt) : "", pages, heap, bh
		ns = 0; n = 0
	}
	END { printf "soak: rockey all: %d runs, %d not 9/9\n", runs, bad }
' "$W/out" >"$W/blocks"
cat "$W/blocks"
echo "soak: blobvisor exited $rc after $(($(date +%s) - start)) s"
awk 'NR == 1 || NR % 15 == 0 { printf "soak: RSS at %4d s: blobvisor %d KiB, dongled %d KiB\n", $1, $2, $3 }' "$W/rss"
tail -1 "$W/rss" | awk '{ printf "soak: RSS at %4d s: blobvisor %d KiB, dongled %d KiB (last sample)\n", $1, $2, $3 }'

# verdicts
fail=0
verdict() { echo "soak: $1"; [[ $1 == *FAIL* ]] && fail=1; }
[[ $rc -eq 0 ]] || verdict "FAIL: blobvisor exited $rc"
grep -q ' 0 not 9/9' "$W/blocks" && grep -q "rockey all: $((NA * 100)) runs" "$W/blocks" ||
	verdict "FAIL: not every rockey all passed (or not all ran)"
[[ $(grep -c '^soak: bench block' "$W/blocks") -eq $NB && $(grep -c '^soak: all block' "$W/blocks") -eq $NA ]] ||
	verdict "FAIL: blocks missing (see the lines above)"
for phase in bench all; do
	awk -v p="$phase" '
		function median(v, i, j,    k, m, x, y, s) {
			m = 0
			for (k = i; k <= j; k++) s[++m] = v[k]
			for (x = 1; x <= m; x++) for (y = x + 1; y <= m; y++) if (s[y] < s[x]) { k = s[x]; s[x] = s[y]; s[y] = k }
			return s[int((m + 1) / 2)]
		}
		$2 == p { n++; t[n] = substr($0, index($0, " in ") + 4) + 0
			  pg[n] = substr($0, index($0, "pages ") + 6) + 0
			  hp[n] = substr($0, index($0, "heap ") + 5) + 0
			  bh[n] = substr($0, index($0, "blob heaps ") + 11) + 0 }
		END {
			if (n < 2) { print "soak: " p ": too few blocks to judge"; exit }
			# time: the median of the last quarter against the median
			# of the first (block 1 left out: caches, first allocations);
			# single slow blocks are the shared machine, a trend is not
			q = int((n - 1) / 4); if (q < 1) q = 1
			a = median(t, 2, 1 + q); b = median(t, n - q + 1, n)
			trend = b > 1.5 * a
			grow = pg[n] > pg[2] || hp[n] > hp[2] || bh[n] > bh[2]
			printf "soak: %s: time per block: first quarter median %.3f s, last quarter median %.3f s (%s); ", p, a, b, trend ? "FAIL: grew" : "flat"
			printf "memory block 2 -> %d: pages %d -> %d KiB, heap %d -> %d bytes, blob heaps %d -> %d bytes (%s)\n",
				n, pg[2], pg[n], hp[2], hp[n], bh[2], bh[n], grow ? "FAIL: grew" : "flat"
		}' "$W/blocks"
done >"$W/verdicts"
while read -r l; do verdict "${l#soak: }"; done <"$W/verdicts"
awk 'NR == 1 { next } !b0 && $1 >= 20 { b0 = $2; d0 = $3 } { b = $2; d = $3 }
	END { if (!b0) { print "RSS: run too short to judge"; exit }
	      printf "RSS from 20 s to the end: blobvisor %d -> %d KiB, dongled %d -> %d KiB: %s\n", b0, b, d0, d,
		(b - b0 > 1024 || d - d0 > 1024) ? "FAIL" : "flat" }' "$W/rss" | while read -r l; do echo "soak: $l"; done | tee "$W/rssv"
grep -q FAIL "$W/rssv" && fail=1
if ((fail)); then tail -30 "$W/out" | sed 's/^/soak:   | /'; echo "soak: FAILED"; exit 1; fi
echo "soak: flat"
