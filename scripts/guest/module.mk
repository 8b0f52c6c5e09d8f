# The Linux test guest: Debian's own kernel (fetched with apt-get download,
# unpacked into build/guest/, never installed) and a busybox initramfs, run
# in QEMU.  It runs programs linked against Debian's real libusb-0.1 for the
# differential runs of the USB and dongle work.  See docs/guest.md.
G := $(B)/guest

.PHONY: guest-kernel guest-initrd guest-lsusb guest-shell guest-rockey guest-echo-ref

# fetch-kernel makes vmlinuz, vmlinux and modules/ too; kernel.version is
# its stamp
$(G)/kernel.version: scripts/guest/fetch-kernel
	scripts/guest/fetch-kernel $(G)
$(G)/vmlinuz $(G)/vmlinux: $(G)/kernel.version
guest-kernel: $(G)/kernel.version

# lsusb01, linked statically with glibc and Debian's real libusb-0.1
$(G)/lsusb01: tests/guest/lsusb01.c /usr/include/usb.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -o $@ $< -lusb

# echo01 (guest side, real libusb-0.1) and loopback-server (host side: a tiny
# usbredir device server) test the usb-redir path without dongled
$(G)/echo01: tests/guest/echo01.c /usr/include/usb.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -o $@ $< -lusb
# (no sanitizers: LeakSanitizer's exit-time scan can hang on a loaded host,
# and then the test waiting for the server hangs with it)
$(G)/loopback-server: tests/guest/loopback-server.c tools/redirpeer/redirpeer.c tools/redirpeer/redirpeer.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -O2 -D_GNU_SOURCE -Itools/redirpeer -o $@ $< tools/redirpeer/redirpeer.c -lusbredirparser

# pcsc_probe (the PC/SC differential, tests/e2e/qemu_pcsc.sh): linked
# against Debian's real libpcsclite; in the guest it talks to Debian's pcscd
$(G)/pcsc_probe: tests/guest/pcsc_probe.c /usr/include/PCSC/winscard.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -I/usr/include/PCSC -o $@ $< -lpcsclite

# No USB, no commands: boots to the markers and powers off, or to a shell
# with `bv.shell=1' (make guest-shell).  For the SVM guest (issue 11).
$(G)/initrd-plain.cpio.gz: scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@
guest-initrd: $(G)/initrd-plain.cpio.gz $(G)/kernel.version

guest-shell: guest-initrd
	scripts/guest/run-guest --initrd $(G)/initrd-plain.cpio.gz --shell

# lsusb01 against QEMU's own usb-tablet on UHCI
guest-lsusb: $(G)/kernel.version $(G)/lsusb01
	scripts/guest/run-in-guest --device usb-tablet --add $(G)/lsusb01 -- lsusb01

# Reference output for the USB differential run: build/guest/echo-reference.out
guest-echo-ref: $(G)/kernel.version $(G)/lsusb01 $(G)/echo01 $(G)/loopback-server
	scripts/guest/echo-reference

# The differential run: the native samples in the guest against dongled
guest-rockey: $(G)/kernel.version
	scripts/guest/rockey-native

TEST_DEPS += $(G)/kernel.version $(G)/lsusb01 $(G)/initrd-plain.cpio.gz \
	$(G)/echo01 $(G)/loopback-server $(G)/pcsc_probe
TEST_SCRIPTS += tests/guest/guest_lsusb.sh tests/guest/guest_usbredir.sh tests/guest/pcsc_xhci.sh \
	tests/guest/guest_fsgsbase.sh

# The DIC_Command loop through Debian's libusb-1.0 for the Linux guest
# (bench/rockey.sh runs it on qemu-xhci and UHCI)
BENCH_DEPS += $(B)/guest/guest_dic1
# (the dongle's frame helpers: the model's sources, as the test client links them)
$(B)/guest/guest_dic1: bench/guest_dic1.c $(wildcard dongle/*.c include/dongle/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -D_GNU_SOURCE -Iinclude -I/usr/include/libusb-1.0 -o $@ bench/guest_dic1.c \
		$(if $(DONGLE_MODEL_SRCS),$(DONGLE_MODEL_SRCS),$(wildcard dongle/*.c)) -lusb-1.0
