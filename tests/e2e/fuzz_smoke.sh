#!/usr/bin/env bash
# A short run of every fuzz target (make fuzz runs them for longer).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
for f in build/fuzz/*; do
	[[ -x $f ]] || continue
	n=$(basename "$f"); mkdir -p "build/corpus/$n" "fuzz/corpus/$n"
	check "fuzz smoke: $n runs 10 s clean" bash -c "'$f' -max_total_time=10 build/corpus/$n fuzz/corpus/$n >build/corpus/$n.log 2>&1 || { tail -30 build/corpus/$n.log; false; }"
done
done_testing
