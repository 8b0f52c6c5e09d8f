# The USB core, its controllers and test device, libusb-0.1 for blobs.
IMAGE_SRCS += $(wildcard usb/*.c)
FUZZ_TARGETS += $(B)/fuzz/fuzz_usb_desc

# A usbredir server for the echo device (the usb-host role, as usbredirect
# plays it for a real device), built on Debian's libusbredirparser.
$(B)/redir_echo: tests/tools/redir_echo.c $(B)/libcore-host.a tests/unit/host_plat.c \
		tools/redirpeer/redirpeer.c tools/redirpeer/redirpeer.h
	$(HOSTCC) $(TEST_CFLAGS) -no-pie -D_GNU_SOURCE -Itests -Itools/redirpeer -o $@ $< \
		tools/redirpeer/redirpeer.c tests/unit/host_plat.c $(B)/libcore-host.a -lusbredirparser
TEST_DEPS += $(B)/redir_echo
BENCH_PROGS += bench/usb_rtt.sh
BENCH_DEPS += $(B)/redir_echo

# A libusb-0.1 program compiled like a vendor blob, against Debian's usb.h.
$(B)/test-usb/libusb_probe.o: tests/blobs/libusb_probe.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -D_FORTIFY_SOURCE=2 -c -o $@ $<
TEST_DEPS += $(B)/test-usb/libusb_probe.o

# The same program linked statically with Debian's real libusb-0.1, for the
# Linux test guest (the differential run).
$(B)/guest/libusb_probe: tests/blobs/libusb_probe.c tests/blobs/libusb_probe_main.c /usr/include/usb.h
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -static -o $@ tests/blobs/libusb_probe.c tests/blobs/libusb_probe_main.c -lusb
TEST_DEPS += $(B)/guest/libusb_probe

# A libusb-1.0 program compiled like a vendor blob against Debian's libusb.h
# (tests/e2e/usb1_blob.sh): an object, and a shared object that NEEDs
# libusb-1.0.so.0 as one linked with -lusb-1.0 does.
$(B)/test-usb/libusb1_probe.o: tests/usb1/libusb1_probe.c /usr/include/libusb-1.0/libusb.h
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -D_FORTIFY_SOURCE=2 -I/usr/include/libusb-1.0 -c -o $@ $<
$(B)/test-usb/libusb1_probe.so: $(B)/test-usb/libusb1_probe.o
	$(HOSTCC) -shared -o $@ $< -lusb-1.0
TEST_DEPS += $(B)/test-usb/libusb1_probe.o $(B)/test-usb/libusb1_probe.so
$(B)/test-usb/libusb1_thread.o: tests/usb1/libusb1_thread.c /usr/include/libusb-1.0/libusb.h
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -I/usr/include/libusb-1.0 -c -o $@ $<
TEST_DEPS += $(B)/test-usb/libusb1_thread.o
$(B)/test-usb/libusb1_hold.o: tests/usb1/libusb1_hold.c /usr/include/libusb-1.0/libusb.h
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -I/usr/include/libusb-1.0 -c -o $@ $<
TEST_DEPS += $(B)/test-usb/libusb1_hold.o

# libusb-1.0's parsers of device bytes (BOS, companions) under libFuzzer.
FUZZ_TARGETS += $(B)/fuzz/fuzz_usb1_desc

# libusb-1.0 against libusb-0.1 on the same core: a control round trip.
$(B)/bench/usb1_bench.o: bench/usb1_bench.c /usr/include/libusb-1.0/libusb.h /usr/include/usb.h
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -I/usr/include/libusb-1.0 -c -o $@ $<
BENCH_PROGS += bench/usb1_rtt.sh
BENCH_DEPS += $(B)/bench/usb1_bench.o

# The same probe as a Linux program on Debian's real libusb-1.0 (dynamic:
# Debian ships no static libudev), for the guest side of
# tests/e2e/usb1_differential.sh; the script adds the shared libraries.
$(B)/guest/libusb1_probe: tests/usb1/libusb1_probe.c tests/usb1/libusb1_probe_main.c /usr/include/libusb-1.0/libusb.h
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -I/usr/include/libusb-1.0 -o $@ tests/usb1/libusb1_probe.c tests/usb1/libusb1_probe_main.c -lusb-1.0
TEST_DEPS += $(B)/guest/libusb1_probe
