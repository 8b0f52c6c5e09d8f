#!/bin/bash
# loader/internal.h is the loader's own: no file outside loader/ may include
# it (debug/, blobscan and gdb's JIT registration use include/loader/
# introspect.h).  Usage: check-private.sh [TREE] (default: the source tree).
# With --self-test it also proves the check catches an offender.
source "$(dirname "$0")/../tests/lib.sh"

# Files outside loader/ whose #include lines reach loader/internal.h.
offenders() {
	(cd "$1" && grep -rlE --include='*.[chS]' --include='*.cc' \
		'^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([./]*/)*(loader/)?internal\.h[>"]' . |
		while read -r f; do
			case "$f" in
			./loader/*) ;;
			*) grep -qE 'include[[:space:]]*[<"]([./]*/)*loader/internal\.h' "$f" && echo "$f" ;;
			esac
		done)
}

out=$(offenders "$BV_TOP")
check "no file outside loader/ includes loader/internal.h" equals "$out" ""
[[ -n $out ]] && sed 's/^/# includes loader\/internal.h: /' <<<"$out"

# the check itself must reject an offender
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/debug" "$tmp/loader"
printf '#include "../loader/internal.h"\n' >"$tmp/debug/x.c"
printf '#include "internal.h"\n' >"$tmp/loader/y.c"
printf '#include "internal.h"\n' >"$tmp/debug/z.c"	# debug's own internal.h: allowed
check "an offender in debug/ is found (and loader's own files are not)" \
	equals "$(offenders "$tmp")" "./debug/x.c"
done_testing
