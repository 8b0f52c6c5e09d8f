#!/usr/bin/env bash
# The seed's story end to end on the hosted VMM: the shipped vendor archive
# and the sample cases (blob code) loaded as they are, the dongle reached
# over usbredir from build/dongled, `rockey N|all' and the `rockey>'
# prompt; the output equals the in-process model's (which
# tests/e2e/dongle_guest.sh proves equal to real libusb in a Linux guest).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
LOAD='build/samples/rockey.o build/vendor/libdongle.a'
build/dongled --init --state "$W/state" >/dev/null
build/dongled --listen "unix:$W/sock" --state "$W/state" >"$W/dongled.log" 2>&1 & pid=$!
for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done
bv() { timeout 60 "$BV" --usbredir "unix:$W/sock" --load "$LOAD" "$@" 2>&1; }

out=$(bv -c 'rockey all'); rc=$?
check "rockey all over dongled exits 0" equals "$rc" 0
check "rockey all: 9/9 passed" contains "$out" "rockey all: 9/9 passed"
for n in 1 2 3 4 5 6 7 8 9; do
	check "case $n starts with its banner" contains "$out" "=== rockey_testcase$n ==="
done
check "case 5 prints FactoryTime" contains "$out" "FactoryTime: 2025-01-01 00:00:00"
check "case 5 prints HardSerial" contains "$out" "HardSerial:  BV0000000001"
check "case 5 prints ShipTime" contains "$out" "ShipTime:    2025-06-01 00:00:00"
check "case 5 prints COSVersion" contains "$out" "COSVersion:  2.3"
sed -n '/^=== rockey_testcase1 ===/,/^--- rockey_testcase9: /p' <<<"$out" >"$W/bv1.cases"
out2=$(bv -c 'rockey all'); rc=$?
sed -n '/^=== rockey_testcase1 ===/,/^--- rockey_testcase9: /p' <<<"$out2" >"$W/bv2.cases"
check "rockey all passes again on the same state file (the samples leave the dongle as found)" equals "$rc" 0
check "and prints exactly the same" diff -u "$W/bv1.cases" "$W/bv2.cases"
ROCKEY_SHOW=1 build/tests/vendor/rockey-model | grep -v -e '^ok ' -e '^not ok ' -e '^1\.\.' >"$W/model.cases"
check "blobvisor (blob -> our libusb -> usbredir -> dongled) prints what the model run prints" \
	diff -u "$W/model.cases" "$W/bv1.cases"

out=$(printf 'rockey\n5\nall\n\nversion\n' | bv); rc=$?
check "rockey alone opens a prompt that takes case numbers" contains "$out" "=== rockey_testcase5 ==="
check "the prompt takes all" contains "$out" "rockey all: 9/9 passed"
check "an empty line leaves the prompt; the shell goes on" contains "$out" "blobvisor 0.1 (hosted, x86-64)"
check "the scripted session exits 0" equals "$rc" 0

out=$(bv -c 'rockey 42'); rc=$?
check "a case that does not exist is named" contains "$out" "rockey: 42: no such test case (1..9)"
check "and fails" equals "$rc" 1
out=$(timeout 30 "$BV" -c 'rockey 5' 2>&1); rc=$?
check "without the samples loaded it says how to load them" \
	contains "$out" "rockey: the samples are not loaded (blob load build/samples/rockey.o build/vendor/libdongle.a)"
check "and fails" equals "$rc" 1
out=$(timeout 30 "$BV" --load "$LOAD" -c 'rockey 1' -c 'rockey all' 2>&1); rc=$?
check "without a dongle case 1 fails and the command fails" equals "$rc" 1
check "rockey all counts the failures" contains "$out" "rockey all: 0/9 passed"

kill "$pid"; wait "$pid" 2>/dev/null; pid=
out=$(printf 'rockey 5\n' | DONGLE_STATE="$W/state" scripts/run-main 2>&1); rc=$?
check "make run's script: rockey 5 prints the hardware info" contains "$out" "COSVersion:  2.3"
check "make run's script exits 0" equals "$rc" 0
check "make run's script stops dongled when the shell exits" bash -c "! pgrep -f '^build/dongled --listen unix:build/dongled.sock' >/dev/null"
done_testing
