#!/bin/sh
# libm-musl.sh LIBC_A MEMBERS OUT: take the listed members of musl's libc.a
# (Debian's musl-dev) and combine them into one relocatable object for the
# images.  They are freestanding math: no errno, no TLS but the stack
# protector's %fs:0x28 (a blob's TCB has it), no system calls.  Fail, naming
# the symbol, if they need anything but what the core's libc provides
# (memcpy, __stack_chk_fail), libc/math.c's glibc-errno __math_* helpers
# and libgcc's complex multiply/divide (__muldc3...: the images link -lgcc).
set -eu
a=$1 members=$2 out=$3
if [ ! -f "$a" ]; then
	echo "libm-musl: $a: not found (scripts/install-deps installs musl-dev)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
list=$(grep -v '^#' "$members")
(cd "$tmp" && ar x "$a" $list)
ld -r -o "$out.tmp" $(for m in $list; do echo "$tmp/$m"; done)
bad=$(nm -u "$out.tmp" | awk '{ print $2 }' |
	grep -Ev '^(memcpy|__stack_chk_fail|_GLOBAL_OFFSET_TABLE_|__mul[sdx]c3|__div[sdx]c3|__math_(divzero|invalid|oflow|uflow|xflow)f?)$' || true)
if [ -n "$bad" ]; then
	echo "libm-musl: $members needs symbols the core does not give it:" $bad >&2
	rm -f "$out.tmp"
	exit 1
fi
mv "$out.tmp" "$out"
