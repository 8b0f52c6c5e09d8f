#!/usr/bin/env bash
# make bench: blobscan's speed on Debian archives of growing size (best of
# 3 wall-clock runs each; the full scan including Zydis disassembly).
cd "$(dirname "$0")/../.." || exit 1
BS=build/blobscan
echo "== blobscan"
for lib in libz.a liblzma.a libcrypto.a; do
	f=/usr/lib/x86_64-linux-gnu/$lib
	[[ -e $f ]] || continue
	text=$(size -t "$f" 2>/dev/null | awk 'END {print $1}')
	best=
	for i in 1 2 3; do
		s=$(date +%s%N)
		$BS "$f" >/dev/null; rc=$?
		e=$(date +%s%N)
		[[ $rc -le 1 ]] || { echo "blobscan $f: exit $rc" >&2; exit 1; }
		t=$(( (e - s) / 1000 ))
		[[ -z $best || $t -lt $best ]] && best=$t
	done
	awk -v l="$lib" -v sz="$(stat -c %s "$f")" -v tx="$text" -v us="$best" 'BEGIN {
		printf "blobscan %-12s %8.1f KiB file, %8.1f KiB text: %8.1f ms (%.1f MiB/s of text)\n",
			l, sz / 1024, tx / 1024, us / 1000, tx / 1048576 / (us / 1e6) }'
done
