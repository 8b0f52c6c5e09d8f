#!/usr/bin/env bash
# The differential run: the vendor's samples linked the ordinary way
# (build/samples/rockey-native: glibc, Debian's libusb-0.1, pthread) in the
# Linux test guest, QEMU usb-redir -> build/dongled (scripts/guest/
# rockey-native), against the same samples and the same shipped archive
# on the in-process model (build/tests/vendor/rockey-model): every case
# passes and the two print exactly the same.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
rc=0
scripts/guest/rockey-native --out "$t/guest.out" -- all >"$t/run.log" 2>&1 || rc=$?
check "rockey-native all in the guest exits 0" test "$rc" -eq 0 || tail -20 "$t/run.log" | sed 's/^/# /'
tr -d '\r' <"$t/guest.out" >"$t/guest.txt"
check "the guest prints rockey all: 9/9 passed" grep -q '^rockey all: 9/9 passed' "$t/guest.txt"
check "case 5 prints the hardware info" \
	grep -q '^FactoryTime: 2025-01-01 00:00:00' "$t/guest.txt"
sed -n '/^=== rockey_testcase1 ===/,/^--- rockey_testcase9: /p' "$t/guest.txt" >"$t/guest.cases"
ROCKEY_SHOW=1 build/tests/vendor/rockey-model | grep -v -e '^ok ' -e '^not ok ' -e '^1\.\.' >"$t/model.cases"
check "guest (real libusb, QEMU, dongled) and in-process model print the same" \
	diff -u "$t/model.cases" "$t/guest.cases"
done_testing
