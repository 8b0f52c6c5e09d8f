#!/usr/bin/env bash
# A short run of every fuzz target (make fuzz runs them for longer, make
# fuzz-long is the campaign).  All targets run at once for 10 s each: a smoke
# test proves each starts, replays its corpus and runs clean, not coverage.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
targets=()
for f in build/fuzz/*; do
	[[ -x $f && -f $f ]] || continue
	n=$(basename "$f"); mkdir -p "build/corpus/$n" "fuzz/corpus/$n"
	"$f" -max_total_time=10 "build/corpus/$n" "fuzz/corpus/$n" >"build/corpus/$n.log" 2>&1 &
	targets+=("$n:$!")
done
for t in "${targets[@]}"; do
	n=${t%%:*}
	wait "${t##*:}"; rc=$?
	check "fuzz smoke: $n runs 10 s clean" bash -c "[ $rc -eq 0 ] || { tail -30 build/corpus/$n.log; false; }"
done
done_testing
