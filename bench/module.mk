BENCH_PROGS += $(B)/bench/startup
$(B)/bench/%: bench/%.c bench/bench.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -o $@ $<

# The DIC_Command loop through Debian's libusb-1.0 for the Linux guest
# (bench/rockey.sh runs it on qemu-xhci and UHCI)
BENCH_DEPS += $(B)/guest/guest_dic1
$(B)/guest/guest_dic1: bench/guest_dic1.c dongle/cmd.c dongle/sha256.c $(wildcard include/dongle/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -D_GNU_SOURCE -Iinclude -I/usr/include/libusb-1.0 -o $@ bench/guest_dic1.c dongle/*.c -lusb-1.0
