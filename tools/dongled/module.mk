# dongled: the device model served over usbredir (host program, glibc).  The
# model's sources are compiled straight in, for the host.
# tools/redirpeer is the usbredir setup every such program shares.
REDIRPEER := tools/redirpeer/redirpeer.c
REDIRPEER_DEPS := $(REDIRPEER) tools/redirpeer/redirpeer.h
DONGLED_SRCS := tools/dongled/dongled.c tools/dongled/ccid.c tools/dongled/statefile.c $(REDIRPEER) \
	$(DONGLE_MODEL_SRCS) $(wildcard ccid/*.c)
ALL_TARGETS += $(B)/dongled
$(B)/dongled: $(DONGLED_SRCS) $(wildcard tools/dongled/*.h include/dongle/*.h include/ccid/*.h ccid/*.h) $(REDIRPEER_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -g $(WARN) -D_GNU_SOURCE -Iinclude -Itools/redirpeer -o $@ $(DONGLED_SRCS) -lusbredirparser

# The same with UBSan fatal, for the zero-length transfer checks in
# tests/e2e/dongled.sh (UBSan only: LeakSanitizer's exit scan can hang a
# loaded host and the test waiting for the server with it).
TEST_DEPS += $(B)/tests/dongled/dongled-ubsan
$(B)/tests/dongled/dongled-ubsan: $(DONGLED_SRCS) $(wildcard tools/dongled/*.h include/dongle/*.h include/ccid/*.h ccid/*.h) $(REDIRPEER_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g $(WARN) -D_GNU_SOURCE -fsanitize=undefined -fno-sanitize-recover=all \
		-Iinclude -Itools/redirpeer -o $@ $(DONGLED_SRCS) -lusbredirparser

# The usb-guest side test client for tests/e2e/dongled.sh.
TEST_DEPS += $(B)/tests/dongled/client
GUESTPEER := tests/dongled/guestpeer.c
GUESTPEER_DEPS := $(GUESTPEER) tests/dongled/guestpeer.h $(REDIRPEER_DEPS)
$(B)/tests/dongled/client: tests/dongled/client.c dongle/cmd.c dongle/sha256.c $(wildcard include/dongle/*.h) $(GUESTPEER_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g $(WARN) -D_GNU_SOURCE $(SAN) -Iinclude -Itools/redirpeer -o $@ tests/dongled/client.c $(GUESTPEER) $(DONGLE_MODEL_SRCS) $(REDIRPEER) -lusbredirparser

# dongled's usbredir input under libFuzzer (fuzz/fuzz_dongled.c includes
# dongled.c); libusbredirparser itself is Debian's, uninstrumented.
FUZZ_TARGETS += $(B)/fuzz/fuzz_dongled
$(B)/fuzz/fuzz_dongled: fuzz/fuzz_dongled.c $(DONGLED_SRCS) $(wildcard tools/dongled/*.h include/dongle/*.h include/ccid/*.h ccid/*.h) $(REDIRPEER_DEPS)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(FUZZ_COVERAGE) -D_GNU_SOURCE \
		-Iinclude -Itools/redirpeer -o $@ \
		fuzz/fuzz_dongled.c tools/dongled/ccid.c tools/dongled/statefile.c $(REDIRPEER) $(DONGLE_MODEL_SRCS) \
		$(wildcard ccid/*.c) -lusbredirparser

# The usb-guest side client for tests/e2e/dongled_ccid.sh.
TEST_DEPS += $(B)/tests/dongled/ccid_client
$(B)/tests/dongled/ccid_client: tests/dongled/ccid_client.c $(wildcard include/ccid/*.h) $(GUESTPEER_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g $(WARN) -D_GNU_SOURCE $(SAN) -Iinclude -Itools/redirpeer -o $@ tests/dongled/ccid_client.c $(GUESTPEER) $(REDIRPEER) -lusbredirparser
