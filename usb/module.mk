# The USB core, its controllers and test device, libusb-0.1 for blobs.
VMM_SRCS += $(wildcard usb/*.c)
FUZZ_TARGETS += $(B)/fuzz/fuzz_usb_desc

# A usbredir server for the echo device (the usb-host role, as usbredirect
# plays it for a real device), built on Debian's libusbredirparser.
$(B)/redir_echo: tests/tools/redir_echo.c $(B)/libcore-host.a tests/unit/host_plat.c
	$(HOSTCC) $(TEST_CFLAGS) -no-pie -Itests -o $@ $< tests/unit/host_plat.c $(B)/libcore-host.a -lusbredirparser
TEST_DEPS += $(B)/redir_echo
BENCH_PROGS += bench/usb_rtt.sh
