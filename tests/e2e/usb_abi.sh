#!/usr/bin/env bash
# The libusb-0.1 ABI gate: tests/abi/usb_abi.c compiled against Debian's
# /usr/include/usb.h (libusb-dev) and against include/usb/usb.h must print
# the same sizes, offsets and constants; gdb's layout of every struct (from
# the debug info of the two builds) must match too, so a field missing from
# the hand-written list still counts; our prototypes must be compatible with
# Debian's declarations.  A copy of our header with another PATH_MAX (the
# seed's look-alike put usb_bus.devices elsewhere) must be caught.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
D=build/abi
mkdir -p "$D/ours" "$D/seedbug"
REAL=/usr/include/usb.h

# Every object-like macro of Debian's header, printed by value; function-like
# ones only need to exist.
{
	grep -E '^#[[:space:]]*define[[:space:]]+[A-Za-z_][A-Za-z0-9_]*' "$REAL" |
		sed -E 's/^#[[:space:]]*define[[:space:]]+//' | grep -v '^__USB_H__' |
		sed -E 's/^([A-Za-z0-9_]+)(\(?).*/\1 \2/' | sort -u |
		while read -r name paren; do
			if [[ -n $paren ]]; then
				echo "#ifdef $name"; echo "	printf(\"$name: defined\\n\");"
			else
				echo "#ifdef $name"; echo "	printf(\"$name = %lld\\n\", (long long)($name));"
			fi
			echo "#else"; echo "	printf(\"$name: missing\\n\");"; echo "#endif"
		done
} > "$D/consts.h"
check "constants to compare: $(grep -c '^#ifdef' "$D/consts.h") from Debian's usb.h" \
	test "$(grep -c '^#ifdef' "$D/consts.h")" -ge 60

cp include/usb/usb.h "$D/ours/usb.h"
sed -E 's/(define[[:space:]]+LIBUSB_PATH_MAX[[:space:]]+)4096/\1256/' \
	include/usb/usb.h > "$D/seedbug/usb.h"

build() { gcc -g -O0 -I"$D" ${1:+-I$1} -o "$2" tests/abi/usb_abi.c; }
check "builds against Debian's usb.h" build "" "$D/abi-real"
check "builds against ours" build "$D/ours" "$D/abi-ours"
check "builds against the seed-bug copy" build "$D/seedbug" "$D/abi-seedbug"
real=$("$D/abi-real"); ours=$("$D/abi-ours"); bug=$("$D/abi-seedbug")
check "every size, offset and constant equals Debian's" equals "$ours" "$real"
check "sizeof(struct usb_bus) = 4144" contains "$ours" "sizeof(struct usb_bus) = 4144"
check "sizeof(struct usb_device) = 4184" contains "$ours" "sizeof(struct usb_device) = 4184"
check "usb_bus.devices at 4120 as in Debian's" contains "$ours" "struct usb_bus.devices: offset 4120 size 8"
check "no constant of Debian's is missing from ours" lacks "$ours" "missing"
ndiff=$(diff <(echo "$real") <(echo "$bug") | grep -c 'usb_bus.devices: offset')
check "rejected: PATH_MAX 256 moves usb_bus.devices, and the gate sees it" test "$ndiff" -eq 2

layout() {
	local args=()
	for s in usb_descriptor_header usb_string_descriptor usb_hid_descriptor \
		usb_endpoint_descriptor usb_interface_descriptor usb_interface \
		usb_config_descriptor usb_device_descriptor usb_ctrl_setup usb_device usb_bus; do
		args+=(-ex "ptype /o struct $s")
	done
	gdb -nx -batch "${args[@]}" "$1" 2>&1
}
lreal=$(layout "$D/abi-real"); lours=$(layout "$D/abi-ours")
check "gdb: every struct's full layout (all fields, types, offsets) equals Debian's" equals "$lours" "$lreal"
check "gdb saw the structs" contains "$lreal" "/* total size (bytes): 4144 */"

# Our prototypes, declared again after Debian's: conflicting types fail.
{
	echo '#include <usb.h>'
	sed -n '/^extern struct usb_bus \*usb_busses;/,$p' include/usb/usb.h | grep -v '^#'
} > "$D/protos.c"
check "every prototype is compatible with Debian's declaration" \
	gcc -fsyntax-only -Werror "$D/protos.c"
check "all 27 functions are declared by us" \
	test "$(grep -cE '^[a-z].*\busb_[a-z_]+\(' include/usb/usb.h)" -eq 27
done_testing
