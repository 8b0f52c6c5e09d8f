#!/usr/bin/env bash
# The libusb-1.0 ABI gate: tests/abi/usb1_abi.c, compiled against Debian's
# /usr/include/libusb-1.0/libusb.h (libusb-1.0-0-dev 2:1.0.26) and against
# include/usb/libusb1.h, must print the same value for every constant (each
# object-like macro and each enum member of Debian's header) and the same
# size of every struct; gdb's layout of every struct (all fields, types,
# offsets, from the two builds' debug info) must match; our prototypes must
# be compatible with Debian's declarations.  A copy of our header with one
# field widened must be caught.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
D=build/abi1
mkdir -p "$D/real" "$D/ours" "$D/bug"
REAL=/usr/include/libusb-1.0/libusb.h

{
	# enum members
	awk '/^(typedef )?enum/ {e=1}
	     e && /^[ \t]+LIBUSB_[A-Z0-9_]+[ \t]*(=|,|$)/ {match($0, /LIBUSB_[A-Z0-9_]+/); print substr($0, RSTART, RLENGTH)}
	     e && /}/ {e=0}' "$REAL" | sort -u | while read -r name; do
		echo "	printf(\"$name = %lld\\n\", (long long)($name));"
	done
	# object-like macros (not the header's own plumbing)
	grep -E '^#[[:space:]]*define[[:space:]]+LIBUSBX?_[A-Z0-9_]+' "$REAL" |
		sed -E 's/^#[[:space:]]*define[[:space:]]+//; s/^([A-Za-z0-9_]+)(\(?).*/\1 \2/' | sort -u |
		grep -vE '^(LIBUSB_H|LIBUSB_CALL|LIBUSB_PACKED|LIBUSB_DEPRECATED_FOR) ' |
		while read -r name paren; do
			echo "#ifdef $name"; echo "	printf(\"$name = %lld\\n\", (long long)($name));"
			echo "#else"; echo "	printf(\"$name: missing\\n\");"; echo "#endif"
		done
} > "$D/consts.h"
nconst=$(grep -c 'printf' "$D/consts.h")
check "constants to compare: $nconst from Debian's libusb.h" test "$nconst" -ge 150

structs=$(grep -oE '^struct libusb_[a-z0-9_]+ \{' "$REAL" | awk '{print $2}')
nstruct=$(wc -w <<<"$structs")
check "structs to compare: $nstruct" test "$nstruct" -ge 16
for s in $structs; do
	echo "	printf(\"sizeof(struct $s) = %zu align %zu\\n\", sizeof(struct $s), _Alignof(struct $s));"
done > "$D/sizes.h"
for s in $structs; do echo "struct $s *keep_$s;"; done > "$D/keep.h"

cp "$REAL" "$D/real/libusb.h"
cp include/usb/libusb1.h "$D/ours/libusb.h"
sed -E '/^struct libusb_transfer \{/,/^\};/ s/^([[:space:]]*)int length;/\1long length;/' \
	include/usb/libusb1.h > "$D/bug/libusb.h"
check "the seeded copy differs from ours" test -n "$(diff -q "$D/ours/libusb.h" "$D/bug/libusb.h")"

build() { gcc -g -O0 -fno-eliminate-unused-debug-types -I"$D" -I"$1" -o "$2" tests/abi/usb1_abi.c; }
check "builds against Debian's libusb.h" build "$D/real" "$D/abi-real"
check "builds against ours" build "$D/ours" "$D/abi-ours"
check "builds against the seeded copy" build "$D/bug" "$D/abi-bug"
real=$("$D/abi-real"); ours=$("$D/abi-ours"); bug=$("$D/abi-bug")
check "every constant and struct size equals Debian's" equals "$ours" "$real"
check "no constant of Debian's is missing from ours" lacks "$ours" "missing"
check "sizeof(struct libusb_transfer) = 64" contains "$ours" "sizeof(struct libusb_transfer) = 64 align 8"
check "LIBUSB_API_VERSION 0x01000109" contains "$ours" "LIBUSB_API_VERSION = 16777481"

layout() {
	local args=()
	for s in $structs; do args+=(-ex "ptype /o struct $s"); done
	gdb -nx -batch "${args[@]}" "$1" 2>&1
}
lreal=$(layout "$D/abi-real"); lours=$(layout "$D/abi-ours"); lbug=$(layout "$D/abi-bug")
check "gdb: every struct's full layout (fields, types, offsets) equals Debian's" equals "$lours" "$lreal"
check "gdb saw the structs" contains "$lreal" "/* total size (bytes):   64 */"
check "rejected: a widened libusb_transfer.length moves actual_length, and the gate sees it" \
	test -n "$(diff <(echo "$lreal") <(echo "$lbug") | grep 'actual_length;')"

# Our prototypes, declared again after Debian's: conflicting types fail.
{
	echo '#include <libusb.h>'
	sed -n '/^\/\* --- functions/,$p' include/usb/libusb1.h | grep -v '^#'
} > "$D/protos.c"
check "every prototype is compatible with Debian's declaration" \
	gcc -fsyntax-only -Werror -I/usr/include/libusb-1.0 "$D/protos.c"
nreal=$(grep -cE '^[a-z].*LIBUSB_CALL libusb_[a-z0-9_]+\(' "$REAL")
nours=$(grep -cE '^[a-z].*\blibusb_[a-z0-9_]+\(' <(sed -n '/^\/\* --- functions/,$p' include/usb/libusb1.h))
check "every function Debian declares is declared by us ($nours of $nreal)" test "$nours" -eq "$nreal"
# Every declared function is exported by the core.
missing=""
for f in $(sed -n '/^\/\* --- functions/,$p' include/usb/libusb1.h | grep -oE '\blibusb_[a-z0-9_]+\(' | tr -d '(' | sort -u); do
	grep -q "^$f " build/exports.txt || missing="$missing $f"
done
check "every declared function is exported to blobs (missing:${missing:- none})" test -z "$missing"
done_testing
