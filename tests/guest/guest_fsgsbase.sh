#!/usr/bin/env bash
# Blob threads where the kernel enables FSGSBASE.  This machine's CPU has
# no FSGSBASE, so every switch between blob threads sets the FS base with
# arch_prctl; the test guest (QEMU TCG, -cpu max, Debian's 6.1 kernel)
# has it, and its kernel says so in AT_HWCAP2.  The hosted blobvisor runs
# inside the guest: `threads' names wrfsbase there, and every threads case
# prints there exactly what it prints here (tests/e2e/threads.sh compares
# those with glibc).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
THR=build/threads
CASES="1 2 3 4 5 6 7 8"
t=$(mktemp -d)
trap '[[ -n ${BV_KEEP:-} ]] && echo "# kept $t" || rm -rf "$t"' EXIT

case_cmd() {	# the shell input for one case, then `threads'
	printf 'blob load %s\nblob call thr_run %s\nthreads\n' "$1" "$2"
}
for c in $CASES; do
	echo "== case $c"
	case_cmd "$THR/threads.o" "$c" | "$BV" 2>&1
done >"$t/host"
check "here: the switch is arch_prctl" grep -q "FS base with arch_prctl" "$t/host"

cmds=()
for c in $CASES; do
	cmds+=("echo '== case $c'; printf '$(case_cmd /bin/threads.o "$c" | sed 's/$/\\n/' | tr -d '\n')' | blobvisor 2>&1")
done
scripts/guest/run-in-guest --no-usb-modules --add "$BV" --add "$THR/threads.o" \
	--timeout 300 -- "${cmds[@]}" >"$t/guest" 2>"$t/err"
rc=$?
check "the guest ran blobvisor (exit 0)" equals "$rc" 0
[[ $rc -eq 0 ]] || sed 's/^/#   err | /' "$t/err"
check "in the guest: the switch is wrfsbase" grep -q "FS base with wrfsbase" "$t/guest"
# the same lines but the threads listing (CPU times) and the FS method
norm() { tr -d '\r' <"$1" | grep -E -v '^ *[0-9]+  |^ ID  NAME|FS base with|^blob: threads.o|^  threads.o$' |
	sed -n '/^== case 1$/,$p'; }
check "every case prints in the guest what it prints here" equals "$(norm "$t/guest")" "$(norm "$t/host")"
done_testing
