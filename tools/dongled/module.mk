# dongled: the device model served over usbredir (host program, glibc).  The
# model's sources are compiled straight in, for the host.
DONGLED_SRCS := tools/dongled/dongled.c tools/dongled/statefile.c $(wildcard dongle/*.c)
ALL_TARGETS += $(B)/dongled
$(B)/dongled: $(DONGLED_SRCS) $(wildcard tools/dongled/*.h include/dongle/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -g $(WARN) -D_GNU_SOURCE -Iinclude -o $@ $(DONGLED_SRCS) -lusbredirparser

# The usb-guest side test client for tests/e2e/dongled.sh.
TEST_DEPS += $(B)/tests/dongled/client
$(B)/tests/dongled/client: tests/dongled/client.c dongle/cmd.c dongle/sha256.c $(wildcard include/dongle/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g $(WARN) -D_GNU_SOURCE $(SAN) -Iinclude -o $@ tests/dongled/client.c dongle/*.c -lusbredirparser

# dongled's usbredir input under libFuzzer (fuzz/fuzz_dongled.c includes
# dongled.c); libusbredirparser itself is Debian's, uninstrumented.
FUZZ_TARGETS += $(B)/fuzz/fuzz_dongled
$(B)/fuzz/fuzz_dongled: fuzz/fuzz_dongled.c $(DONGLED_SRCS) $(wildcard tools/dongled/*.h include/dongle/*.h)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -o $@ \
		fuzz/fuzz_dongled.c tools/dongled/statefile.c $(wildcard dongle/*.c) -lusbredirparser
