#!/usr/bin/env bash
# GNU indirect functions in blobs (issue 23): the loader runs each resolver
# once at load, in the blob context, and binds every reference to its
# answer.  The same source as an object (ifunc.o: IFUNC symbols, global and
# file-local) and as a shared object (libsoifunc.so: IRELATIVE, JUMP_SLOT,
# GLOB_DAT and 64 against an IFUNC) answers as it does linked natively with
# glibc (ifunc-host); a resolver that faults or returns 0 fails the load
# with one line naming the symbol.
. "$(dirname "$0")/../lib.sh"
T="$BV_TOP/build/loader-tests"
run() { "$BV" "$@" 2>&1; }

sym_type() { readelf -sW "$1" | awk -v n="$2" '$8 == n { print $4, $5 }' | head -1; }
check "ifunc.o: ifunc_variant is a global IFUNC (readelf)" equals "$(sym_type "$T/ifunc.o" ifunc_variant)" "IFUNC GLOBAL"
check "ifunc.o: len_local is a local IFUNC (readelf)" equals "$(sym_type "$T/ifunc.o" len_local)" "IFUNC LOCAL"
# has_rel TYPE [SYMBOL]: readelf sees a TYPE relocation (against SYMBOL)
has_rel() { readelf -rW "$T/libsoifunc.so" | awk -v t="$1" -v s="${2:-}" '$3 == t && (s == "" || $5 == s) { f = 1 } END { exit !f }'; }
check "libsoifunc.so carries R_X86_64_IRELATIVE (readelf)" has_rel R_X86_64_IRELATIVE
for t in R_X86_64_JUMP_SLOT R_X86_64_GLOB_DAT R_X86_64_64; do
	check "libsoifunc.so carries $t against ifunc_variant (readelf)" has_rel $t ifunc_variant
done

# the reference: glibc's ld.so ran the same resolvers
read -r _ variant _ len _ same <<<"$("$T/ifunc-host")"
check "ifunc-host (glibc) answers" test -n "$same"
for f in ifunc.o libsoifunc.so; do
	out=$(run -c "blob load $T/$f" -c "blob call ifunc_variant" -c "blob call ifunc_len hello" \
		-c "blob call ifunc_same_address" -c "blob call ifunc_resolver_runs" -c "blob unload $f"); rc=$?
	check "$f: the resolver's choice by CPU_FEATURE_ACTIVE is glibc's ($variant)" \
		contains "$out" "ifunc_variant returned $variant ("
	check "$f: a file-local IFUNC called inside, and the global one ($len)" \
		contains "$out" "ifunc_len returned $len ("
	check "$f: one address in code and in data, both reach the choice ($same)" \
		contains "$out" "ifunc_same_address returned $same ("
	check "$f: each resolver ran once" contains "$out" "ifunc_resolver_runs returned 1 ("
	check "$f: unloads" contains "$out" "blob: $f: unloaded"
	check "$f: exit status 0" equals "$rc" 0
	out=$(run -c "blob load $T/$f" -c "blob load $T/ifunc_user.o" -c "blob call ifunc_user")
	check "$f: a later blob importing the IFUNC reaches the choice" \
		contains "$out" "ifunc_user returned $((variant + 100)) ("
done

out=$(run -c "blob load $T/ifunc_fault.o" -c "blob list"); rc=$?
check "a faulting resolver is reported against the blob" contains "$out" "fault in blob ifunc_fault.o: #PF page fault at ifunc_fault.o:pick"
check "... and fails the load naming the symbol" contains "$out" "blob: ifunc_fault.o: the IFUNC resolver of \`bad_ifunc' failed (above); blob unloaded"
check "... nothing of it stays loaded" lacks "$out" "ifunc_fault.o    "
check "... status 1" equals "$rc" 1
pages_before=$(run -c mem | grep -o 'pages:.*')
out=$(run -c "blob load $T/ifunc_bad.o" -c "blob list" -c mem); rc=$?
check "a resolver returning 0 fails the load naming the symbol" contains "$out" "blob: ifunc_bad.o: the IFUNC resolver of \`bad_ifunc' returned 0; blob unloaded"
check "... no blob is left" contains "$out" "0 blobs loaded"
check "... every page is given back" equals "$(grep -o 'pages:.*' <<<"$out")" "$pages_before"
check "... status 1" equals "$rc" 1
done_testing
