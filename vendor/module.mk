# The stand-in vendor SDK, built the way a vendor ships it: gcc -O2 -fPIC
# -fstack-protector-strong against glibc's headers and Debian's real
# /usr/include/usb.h, no _FORTIFY_SOURCE, archived as build/vendor/libdongle.a
# with dic.h beside it.  Nothing in the VMM compiles against this source.
VENDOR_CFLAGS := -O2 -fPIC -fstack-protector-strong -U_FORTIFY_SOURCE
VENDOR_OBJS := $(patsubst vendor/dongle-sdk/%.c,$(B)/vendor/obj/%.o,$(wildcard vendor/dongle-sdk/*.c))
ALL_TARGETS += $(B)/vendor/libdongle.a $(B)/vendor/dic.h

$(B)/vendor/obj/%.o: vendor/dongle-sdk/%.c $(wildcard vendor/dongle-sdk/*.h)
	@mkdir -p $(@D)
	gcc $(VENDOR_CFLAGS) -c $< -o $@

$(B)/vendor/libdongle.a: $(VENDOR_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/vendor/dic.h: vendor/dongle-sdk/dic.h
	@mkdir -p $(@D)
	cp $< $@
