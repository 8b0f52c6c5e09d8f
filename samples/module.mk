# The vendor's sample programs.  rockey-native is the ordinary static Linux
# build (glibc, Debian's libusb.a, pthread) for the guest harness; the same
# rockey_cases.c is meant to be compiled into the VMM, calling DIC_* through
# struct dic_api filled from the loaded blob.
ALL_TARGETS += $(B)/samples/rockey-native
$(B)/samples/rockey-native: samples/native_main.c samples/rockey_cases.c samples/rockey.h \
		$(B)/vendor/libdongle.a $(B)/vendor/dic.h
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -I$(B)/vendor -static -o $@ samples/native_main.c \
		samples/rockey_cases.c $(B)/vendor/libdongle.a -lusb -lpthread

# The shipped archive and the sample cases against the in-process model via
# a stand-in libusb (tests/vendor/), under ASan/UBSan for the test side.
TEST_PROGS += $(B)/tests/vendor/rockey-model
$(B)/tests/vendor/rockey-model: tests/vendor/test_rockey_model.c tests/vendor/fake_libusb.c \
		tests/vendor/fake_libusb.h samples/rockey_cases.c samples/rockey.h \
		$(B)/vendor/libdongle.a $(B)/vendor/dic.h $(wildcard dongle/*.c include/dongle/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g $(WARN) $(SAN) -Iinclude -Itests -Isamples -I$(B)/vendor -o $@ \
		tests/vendor/test_rockey_model.c tests/vendor/fake_libusb.c samples/rockey_cases.c \
		$(wildcard dongle/*.c) $(B)/vendor/libdongle.a -lpthread

BENCH_PROGS += $(B)/bench/dongle bench/dongled_rtt.sh bench/rockey.sh
$(B)/bench/dongle: bench/dongle.c tests/vendor/fake_libusb.c $(B)/vendor/libdongle.a $(wildcard dongle/*.c include/dongle/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -Iinclude -Itests -I$(B)/vendor -o $@ bench/dongle.c \
		tests/vendor/fake_libusb.c $(wildcard dongle/*.c) $(B)/vendor/libdongle.a -lpthread

# Inside blobvisor the cases are blob code too: built like a user's
# integration code (-fPIC, stack protector, glibc's headers) into one
# relocatable object that `blob load' takes with the vendor archive; the
# shell's `rockey' (samples/cmd_rockey.c, VMM code) calls into it.
ALL_TARGETS += $(B)/samples/rockey.o
VMM_SRCS += samples/cmd_rockey.c
SAMPLE_CFLAGS := -O2 -fPIC -fstack-protector-strong -U_FORTIFY_SOURCE -Wall -Wextra
$(B)/samples/obj/%.o: samples/%.c samples/rockey.h $(B)/vendor/dic.h
	@mkdir -p $(@D)
	gcc $(SAMPLE_CFLAGS) -I$(B)/vendor -Isamples -c $< -o $@
$(B)/samples/rockey.o: $(B)/samples/obj/blob_main.o $(B)/samples/obj/rockey_cases.o
	ld -r -o $@ $^
