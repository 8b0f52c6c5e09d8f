#!/usr/bin/env bash
# The stand-in vendor archive keeps the seed blob's properties, checked with
# binutils (nm, readelf, ar) as references: what it imports, that it is PIC
# with GOT-relative relocations and no absolute 32-bit ones, its members.
. "$(dirname "$0")/../lib.sh"
A="$BV_TOP/build/vendor/libdongle.a"
imports=$(nm -u "$A" | awk '{print $2}' | sort -u)
for s in __stack_chk_fail usb_busses pthread_mutex_lock pthread_mutex_unlock pthread_mutex_init \
	 usb_interrupt_write usb_interrupt_read usb_init usb_find_busses usb_find_devices \
	 strcpy sprintf atoi atol time memcmp; do
	check "nm -u lists $s" grep -qx "$s" <<<"$imports"
done
no_match() { ! grep -qE -- "$2" <<<"$1"; }
check "nothing fortified (no __*_chk but __stack_chk_fail)" \
	no_match "$(grep -vx __stack_chk_fail <<<"$imports")" '^__.*_chk$'
check "usb_get_busses is not used (it walks usb_busses itself)" no_match "$imports" '^usb_get_busses$'
relocs=$(readelf -rW "$A")
check "GOT-relative relocations are present" grep -qE 'R_X86_64_(REX_)?GOTPCRELX?|R_X86_64_GOTPCREL' <<<"$relocs"
check "usb_busses is reached through the GOT" grep -qE 'GOTPCREL.*usb_busses' <<<"$relocs"
check "no R_X86_64_32 or R_X86_64_32S relocations" no_match "$relocs" 'R_X86_64_32S? '
check "(and the check would see one: a non-PIC build has them)" \
	bash -c "echo 'int v; int *f(void) { return &v; }' | gcc -O2 -fno-pic -c -x c - -o '$BV_TOP/build/vendor/nopic.o' && readelf -rW '$BV_TOP/build/vendor/nopic.o' | grep -qE 'R_X86_64_32S? '"
members=$(ar t "$A")
check "at least three members (API, transport, utilities)" test "$(wc -l <<<"$members")" -ge 3
for m in api.o transport.o util.o; do
	check "member $m" grep -qx "$m" <<<"$members"
done
check "the canary is read from %fs:0x28" bash -c "objdump -d '$A' | grep -q '%fs:0x28'"
check "build/vendor/dic.h is the SDK's header" cmp -s "$BV_TOP/build/vendor/dic.h" "$BV_TOP/vendor/dongle-sdk/dic.h"
check "dic.h compiles on its own, freestanding" \
	bash -c "echo '#include \"dic.h\"' | gcc -ffreestanding -nostdinc -fsyntax-only -I'$BV_TOP/build/vendor' -x c -"
# the sample cases must build into the VMM: the core's flags, no glibc
gccinc=$(gcc -print-file-name=include)
check "samples/rockey_cases.c compiles freestanding with the core's flags" \
	gcc -ffreestanding -nostdinc -isystem "$gccinc" -I"$BV_TOP/include" -fno-stack-protector \
	-fno-pic -mno-red-zone -mgeneral-regs-only -std=gnu11 -O2 -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wmissing-prototypes -I"$BV_TOP/build/vendor" -I"$BV_TOP/samples" \
	-c "$BV_TOP/samples/rockey_cases.c" -o "$BV_TOP/build/vendor/rockey_cases.freestanding.o"
check "and needs only memcmp, memcpy, memset from outside" \
	equals "$(nm -u "$BV_TOP/build/vendor/rockey_cases.freestanding.o" | awk '{print $2}' | tr '\n' ' ')" "memcmp memcpy memset "
check "rockey-native is a static executable" bash -c "file '$BV_TOP/build/samples/rockey-native' | grep -q 'statically linked'"
check "rockey-native links Debian's libusb (usb_busses defined inside)" \
	bash -c "nm '$BV_TOP/build/samples/rockey-native' | grep -q ' [BDbd] usb_busses$'"
done_testing
