#!/usr/bin/env bash
# make fuzz-long: the fuzz campaign.  Every target runs until it has executed
# FUZZ_RUNS inputs (default 10 million), UBSan and ASan fatal (the targets
# are built with -fno-sanitize-recover=all), starting from its committed
# corpus fuzz/corpus/NAME; what it learns goes to build/corpus/NAME.  One
# line per target gives its executions, the rate and the time; any finding
# (a crash file under build/fuzz-long/) or a target stopped short fails the
# campaign.
#   fuzz/long.sh TARGET...        (make fuzz-long passes every target)
#   FUZZ_RUNS=N          executions per target (default 10000000)
#   FUZZ_SECONDS=S       stop a target after S seconds even if short of N
#                        (its line says so and the campaign fails)
#   FUZZ_PARALLEL=J      run J targets at once (default 1)
#   FUZZ_ORDER=given     run them in the order given (default: slowest first)
#   FUZZ_MERGE=1         afterwards minimise fuzz/corpus/NAME + what was
#                        learnt into fuzz/corpus/NAME (to commit)
# The slowest targets (the dongle and dongled: a device session per input)
# run first, so that with FUZZ_PARALLEL=2 the fast ones share a core.
set -u
cd "$(dirname "$0")/.."
RUNS=${FUZZ_RUNS:-10000000}
SECONDS_CAP=${FUZZ_SECONDS:-0}
PAR=${FUZZ_PARALLEL:-1}
OUT=build/fuzz-long
mkdir -p "$OUT"

rank() {	# slowest first (executions per second measured on this machine)
	case ${1##*/} in
	fuzz_dongled) echo 0 ;; fuzz_dongle) echo 1 ;; fuzz_blobscan) echo 2 ;;
	fuzz_loader) echo 3 ;; fuzz_usb_desc) echo 4 ;; *) echo 5 ;;
	esac
}

one() {		# one TARGET: run it, then print its line; status 0 only if clean and complete
	local f=$1 n=${1##*/} log="$OUT/${1##*/}.log" cap=() t0 t1 units rate status
	mkdir -p "build/corpus/$n" "fuzz/corpus/$n"
	rm -f "$OUT/$n"-crash-* "$OUT/$n"-leak-* "$OUT/$n"-timeout-* "$OUT/$n"-oom-*
	[[ $SECONDS_CAP != 0 ]] && cap=(-max_total_time="$SECONDS_CAP")
	t0=$(date +%s)
	"$f" -runs="$RUNS" "${cap[@]}" -print_final_stats=1 -artifact_prefix="$OUT/$n-" \
		"build/corpus/$n" "fuzz/corpus/$n" >"$log" 2>&1 &
	local pid=$!
	echo $pid >"$OUT/$n.pid"
	# A SIGTERM or ^C sent to the whole process group reaches this subshell
	# too: pass it on to the fuzzer and keep waiting, so that the target's
	# line is still printed.  A wait cut short by the trap leaves the
	# fuzzer running; the one that returns its status has reaped it.
	trap 'kill -TERM $pid 2>/dev/null' TERM INT
	while :; do
		wait $pid; status=$?
		kill -0 $pid 2>/dev/null || break
	done
	trap - TERM INT
	rm -f "$OUT/$n.pid"
	t1=$(date +%s)
	units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	units=${units:-0} rate=${rate:-0}
	local findings
	findings=$(ls "$OUT/$n"-crash-* "$OUT/$n"-leak-* "$OUT/$n"-timeout-* "$OUT/$n"-oom-* 2>/dev/null | tr '\n' ' ')
	if [[ $status -eq 72 && -z $findings ]] && grep -q 'run interrupted' "$log"; then
		echo "fuzz-long: $n: $units executions ($rate/s, $((t1 - t0)) s), interrupted short of $RUNS; no findings"
		return 1
	fi
	if [[ $status -ne 0 || -n $findings ]] || grep -q 'runtime error' "$log"; then
		echo "fuzz-long: $n: FINDING after $units executions (status $status): ${findings:-see $log}"
		grep -m3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | sed 's/^/fuzz-long:   /'
		return 1
	fi
	if ((units < RUNS)); then
		echo "fuzz-long: $n: $units executions ($rate/s, $((t1 - t0)) s), short of $RUNS: stopped by FUZZ_SECONDS=$SECONDS_CAP"
		return 1
	fi
	echo "fuzz-long: $n: $units executions ($rate/s, $((t1 - t0)) s), no findings"
}

merge() {	# minimise the committed corpus with what the campaign learnt
	local f=$1 n=${1##*/} tmp="$OUT/${1##*/}.merged"
	[[ -d build/corpus/$n ]] || return 0	# not run: nothing learnt
	rm -rf "$tmp"; mkdir -p "$tmp"
	if "$f" -merge=1 "$tmp" "fuzz/corpus/$n" "build/corpus/$n" >"$OUT/$n.merge.log" 2>&1; then
		rm -rf "fuzz/corpus/$n"; mv "$tmp" "fuzz/corpus/$n"
		echo "fuzz-long: $n: corpus minimised to $(ls "fuzz/corpus/$n" | wc -l) files, $(du -sk "fuzz/corpus/$n" | cut -f1) KiB"
	else
		echo "fuzz-long: $n: merge failed, see $OUT/$n.merge.log"
	fi
}

if [[ ${FUZZ_ORDER:-} == given ]]; then
	targets="$*"
else
	targets=$(for f in "$@"; do echo "$(rank "$f") $f"; done | sort -n | cut -d' ' -f2)
fi
echo "fuzz-long: $(wc -w <<<"$targets") targets, $RUNS executions each, $PAR at a time"
# SIGTERM or ^C: each running fuzzer stops and prints its figures (status
# 72), its line says how far it got; targets not started are not run.
stopped=0
trap 'stopped=1; for p in "$OUT"/*.pid; do [[ -e $p ]] && kill -TERM "$(cat "$p")" 2>/dev/null; done' TERM INT
fail=0 running=0
reap() {	# wait for one target; a wait cut short by the trap does not count
	local rc
	wait -n; rc=$?
	((rc > 128)) && return
	((rc)) && fail=1
	running=$((running - 1))
}
for f in $targets; do
	while ((running >= PAR)); do reap; done
	((stopped)) && { echo "fuzz-long: ${f##*/}: not run (stopped)"; fail=1; continue; }
	one "$f" & running=$((running + 1))
done
while ((running > 0)); do reap; done
if [[ ${FUZZ_MERGE:-0} != 0 ]]; then
	for f in $targets; do merge "$f"; done
fi
if ((fail)); then echo "fuzz-long: FAILED"; exit 1; fi
echo "fuzz-long: every target clean"
