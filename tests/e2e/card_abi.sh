#!/usr/bin/env bash
# The IFD handler ABI: tests/abi/ifdh_abi.c against pcsc-lite's headers
# (libpcsclite-dev) and against include/card/ifdh.h must print the same
# sizes, offsets and constants; a copy of our header with a 4-byte DWORD
# (the macOS layout, which would move SCARD_IO_HEADER into one register)
# must be caught.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
D=build/abi/ifdh
mkdir -p "$D/bad/card"
check "pcsc-lite's headers are installed (libpcsclite-dev)" test -f /usr/include/PCSC/ifdhandler.h
gcc -std=gnu11 -Wall -Werror -I/usr/include/PCSC -o "$D/real" tests/abi/ifdh_abi.c 2>"$D/real.err"
check "compiles against ifdhandler.h" test -x "$D/real"
gcc -std=gnu11 -Wall -Werror -DOURS -Iinclude -o "$D/ours" tests/abi/ifdh_abi.c 2>"$D/ours.err"
check "compiles against include/card/ifdh.h" test -x "$D/ours"
real=$("$D/real"); ours=$("$D/ours")
check "$(wc -l <<<"$real") sizes, offsets and constants: the same" equals "$ours" "$real"
check "SCARD_IO_HEADER is 16 bytes: passed by value in two registers" contains "$real" "sizeof(SCARD_IO_HEADER) = 16"
sed 's/^typedef unsigned long DWORD;/typedef unsigned int DWORD;/' include/card/ifdh.h > "$D/bad/card/ifdh.h"
gcc -std=gnu11 -DOURS -I"$D/bad" -Iinclude -o "$D/bad/prog" tests/abi/ifdh_abi.c 2>/dev/null
check "a 4-byte DWORD is caught" bash -c "! diff -q <('$D/bad/prog') <(printf '%s\n' \"\$1\") >/dev/null" _ "$real"
done_testing
