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
		$(B)/vendor/libdongle.a $(B)/vendor/dic.h $(DONGLE_MODEL_SRCS) $(wildcard include/dongle/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g $(WARN) $(SAN) -Iinclude -Itests -Isamples -I$(B)/vendor -o $@ \
		tests/vendor/test_rockey_model.c tests/vendor/fake_libusb.c samples/rockey_cases.c \
		$(DONGLE_MODEL_SRCS) $(B)/vendor/libdongle.a -lpthread

BENCH_PROGS += $(B)/bench/dongle bench/dongled_rtt.sh bench/rockey.sh
# dongled_rtt.sh drives dongled with the test client: built by `make bench` too
BENCH_DEPS += $(B)/tests/dongled/client $(B)/dongled
$(B)/bench/dongle: bench/dongle.c tests/vendor/fake_libusb.c $(B)/vendor/libdongle.a $(DONGLE_MODEL_SRCS) $(wildcard include/dongle/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -Iinclude -Itests -I$(B)/vendor -o $@ bench/dongle.c \
		tests/vendor/fake_libusb.c $(DONGLE_MODEL_SRCS) $(B)/vendor/libdongle.a -lpthread

# Inside blobvisor the cases are blob code too: built like a user's
# integration code (-fPIC, stack protector, glibc's headers) into one
# relocatable object that `blob load' takes with the vendor archive; the
# shell's `rockey' (samples/cmd_rockey.c, VMM code) calls into it.
ALL_TARGETS += $(B)/samples/rockey.o
IMAGE_SRCS += samples/cmd_rockey.c
SAMPLE_CFLAGS := -O2 -fPIC -fstack-protector-strong -U_FORTIFY_SOURCE -Wall -Wextra
$(B)/samples/obj/%.o: samples/%.c samples/rockey.h $(B)/vendor/dic.h
	@mkdir -p $(@D)
	gcc $(SAMPLE_CFLAGS) -I$(B)/vendor -Isamples -c $< -o $@
$(B)/samples/rockey.o: $(B)/samples/obj/blob_main.o $(B)/samples/obj/rockey_cases.o
	ld -r -o $@ $^

# build/blobvisor-static: the same VMM objects as build/blobvisor plus the
# vendor archive's members and rockey.o linked in at build time, exactly as
# shipped, the BitVisor way.  samples/static.ld places every input section
# (--orphan-handling=error); samples/static/static_blob.c registers the
# linked-in code with the loader as the blob `static'.  Linked twice for
# ksyms like build/blobvisor.  $(B)/static/link.rsp holds the final link's
# flags and inputs, for tests/e2e/static.sh's orphan check.
STATIC_ELF := $(B)/blobvisor-static
STATIC_BLOB := $(B)/samples/rockey.o $(B)/vendor/libdongle.a
STATIC_LDFLAGS := -static -nostdlib -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,-z,max-page-size=4096 -Wl,-L,$(B)/static -Wl,-T,samples/static.ld \
	-Wl,--orphan-handling=error -Wl,--no-relax
ALL_TARGETS += $(STATIC_ELF)
TEST_DEPS += $(STATIC_ELF) $(B)/dongled

$(STATIC_ELF): $$(IMAGE_OBJS) $(B)/obj/samples/static/static_blob.o $(STATIC_BLOB) \
		samples/static.ld samples/static/gen-syms.sh samples/module.mk platform/pc/gen-tables-ld.sh \
		tools/gen-ksyms/gen-ksyms.sh mk/ksyms.mk
	@mkdir -p $(B)/static
	samples/static/gen-syms.sh $(STATIC_BLOB) > $(B)/static/syms.S
	$(CC) -c $(B)/static/syms.S -o $(B)/static/syms.o
	platform/pc/gen-tables-ld.sh $(IMAGE_OBJS) $(B)/obj/samples/static/static_blob.o \
		$(STATIC_BLOB) > $(B)/static/static-tables.ld
	$(call ksyms_link,$@,$(CC) $(STATIC_LDFLAGS),$(IMAGE_OBJS) $(B)/obj/samples/static/static_blob.o \
		$(B)/static/syms.o $(STATIC_BLOB),-lgcc,$(B)/static/ksyms)
	echo $(STATIC_LDFLAGS) $(IMAGE_OBJS) $(B)/obj/samples/static/static_blob.o \
		$(B)/static/syms.o $(STATIC_BLOB) $(B)/static/ksyms.o -lgcc > $(B)/static/link.rsp

# `make run-static': `make run' with build/blobvisor-static (no --load).
.PHONY: run-static
run-static: deps all
	BV_STATIC=1 scripts/run-main $(RUN_ARGS)
