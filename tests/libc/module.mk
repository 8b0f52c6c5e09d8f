# libc/ compiled for the host with ASan/UBSan, every symbol it defines
# renamed with a bv_ prefix, and compared call by call against glibc.
LIBC_HOST_SRCS := $(wildcard libc/*.c)
LIBC_HOST_CFLAGS := $(FREESTANDING) -msse2 -fno-builtin -fno-tree-loop-distribute-patterns \
	$(SAN) -fno-omit-frame-pointer
LIBC_HOST_OBJS := $(patsubst libc/%.c,$(B)/libc-host/%.o,$(LIBC_HOST_SRCS)) \
	$(patsubst libc/%.S,$(B)/libc-host/%.o,$(wildcard libc/*.S))

$(B)/libc-host/%.o: libc/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(LIBC_HOST_CFLAGS) -MMD -MP -c $< -o $@
$(B)/libc-host/%.o: libc/%.S
	@mkdir -p $(@D)
	$(HOSTCC) -c $< -o $@

# One relocatable object; its defined globals get the bv_ prefix (the
# list comes from nm, so a new function is renamed without edits here).
$(B)/libc-host/libc-bv.o: $(LIBC_HOST_OBJS) $(B)/obj/libc/libm-musl.o
	$(LD) -r -o $(B)/libc-host/libc-raw.o $^
	nm --defined-only -g $(B)/libc-host/libc-raw.o | awk '{ print $$3, "bv_" $$3 }' \
		> $(B)/libc-host/rename.txt
	objcopy --redefine-syms=$(B)/libc-host/rename.txt $(B)/libc-host/libc-raw.o $@

LIBC_TESTS := $(patsubst tests/libc/%.c,$(B)/tests/libc/%,$(wildcard tests/libc/test_*.c))
$(B)/tests/libc/%: tests/libc/%.c tests/libc/shim.c tests/libc/bv.h tests/libc/libm_check.h $(B)/libc-host/libc-bv.o \
		$(B)/libcore-host.a tests/unit/host_plat.c tests/tap.h
	@mkdir -p $(@D)
	$(HOSTCC) $(TEST_CFLAGS) -Wno-missing-prototypes -fno-builtin -no-pie -Itests -Itests/libc \
		-o $@ $< tests/libc/shim.c tests/unit/host_plat.c $(B)/libc-host/libc-bv.o \
		$(B)/libcore-host.a -lm $(LIBC_TEST_LIBS_$(notdir $@))
# the long double and complex tests measure against libquadmath's 113 bits
LIBC_TEST_LIBS_test_mathl := -lquadmath
LIBC_TEST_LIBS_test_complex := -lquadmath

TEST_PROGS += $(LIBC_TESTS)
TEST_SCRIPTS += tests/libc/exports.sh

# The benchmark links libc's string variants and their selection, built for
# the host without sanitizers, renamed the same way.
LIBC_BENCH_SRCS := libc/string.c libc/string_avx2.c libc/string_select.c libc/cpu_features.c
$(B)/libc-bench/layouts: $(LIBC_BENCH_SRCS) libc/simd.h libc/libc.h libc/string_impl.h \
		tests/libc/module.mk
	@mkdir -p $(@D)
	for f in $(LIBC_BENCH_SRCS); do \
		$(HOSTCC) $(FREESTANDING) -msse2 -fno-builtin -fno-tree-loop-distribute-patterns \
			-c $$f -o $(@D)/$$(basename $$f .c).o1 || exit 1; done
	$(LD) -r -o $@.raw $(patsubst libc/%.c,$(@D)/%.o1,$(LIBC_BENCH_SRCS))
	for k in $(LIBC_BENCH_LAYOUTS); do \
		nm --defined-only -g $@.raw | awk -v k=$$k '{ print $$3, "bv" k "_" $$3 }' > $@.syms$$k && \
		objcopy --redefine-syms=$@.syms$$k $@.raw $(@D)/string$$k.o || exit 1; \
		printf '.section .note.GNU-stack,"",@progbits\n.text\n.balign 64\n.skip %d\n' $$((16 * k)) | $(AS) -o $(@D)/pad$$k.o || exit 1; done
	touch $@
# Copy k of the libc/ object (renamed bv<k>_*) starts 16 * k bytes after a
# 64-byte boundary (pad<k>.o: .balign 64, .skip 16k; the object's .text is
# 16-aligned), so that its loops meet the fetch and micro-op cache lines
# four ways: bench/libc.c reports the median over these code layouts.
LIBC_BENCH_LAYOUTS := 0 1 2 3
$(B)/bench/libc: bench/libc.c $(B)/libc-bench/layouts
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -fno-builtin -Wall -Wextra -no-pie -o $@ bench/libc.c \
		$(foreach k,$(LIBC_BENCH_LAYOUTS),$(B)/libc-bench/pad$(k).o $(B)/libc-bench/string$(k).o)
BENCH_PROGS += $(B)/bench/libc

# The end-to-end reference: one driver source, built like a Debian blob,
# run inside blobvisor and as a glibc program (tests/libc/blob_libc.sh).
LIBC_BLOB_CFLAGS := -O2 -fPIC -fstack-protector-strong -D_FORTIFY_SOURCE=2 -Wno-format-truncation
$(B)/libc-blob/libcdrv.o: tests/libc/blobs/libcdrv.c
	@mkdir -p $(@D)
	$(HOSTCC) $(LIBC_BLOB_CFLAGS) -c $< -o $@
$(B)/libc-blob/libcdrv-host: tests/libc/blobs/libcdrv.c tests/libc/blobs/host_main.c
	@mkdir -p $(@D)
	$(HOSTCC) $(LIBC_BLOB_CFLAGS) -o $@ $^ -lpthread -lm
TEST_DEPS += $(B)/libc-blob/libcdrv.o $(B)/libc-blob/libcdrv-host
TEST_SCRIPTS += tests/libc/blob_libc.sh

# The blob file namespace end to end: the same driver inside blobvisor
# (files from `blob file add') and on glibc over a directory tree.
$(B)/libc-blob/filesdrv.o: tests/libc/blobs/filesdrv.c
	@mkdir -p $(@D)
	$(HOSTCC) $(LIBC_BLOB_CFLAGS) -c $< -o $@
$(B)/libc-blob/filesdrv-host: tests/libc/blobs/filesdrv.c tests/libc/blobs/files_host.c
	@mkdir -p $(@D)
	$(HOSTCC) $(LIBC_BLOB_CFLAGS) -o $@ $^ -lpthread
TEST_DEPS += $(B)/libc-blob/filesdrv.o $(B)/libc-blob/filesdrv-host
TEST_SCRIPTS += tests/libc/blob_files.sh
TEST_SCRIPTS += tests/libc/usb_drivers_scan.sh

# The libm benchmark: libc/math.c and musl's members, no sanitizers,
# renamed the same way; the export table says what blobs get.
$(B)/libm-bench/libm.o: libc/math.c libc/libc.h $(B)/obj/libc/libm-musl.o
	@mkdir -p $(@D)
	$(HOSTCC) $(FREESTANDING) -msse2 -fno-builtin -c libc/math.c -o $(@D)/math.o1
	$(LD) -r -o $@.raw $(@D)/math.o1 $(B)/obj/libc/libm-musl.o
	nm --defined-only -g $@.raw | awk '{ print $$3, "bv_" $$3 }' > $@.syms
	objcopy --redefine-syms=$@.syms $@.raw $@
$(B)/bench/libm: bench/libm.c bench/bench.h tests/libc/libm_check.h $(B)/libm-bench/libm.o
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -fno-builtin -Wall -Wextra -no-pie -o $@ bench/libm.c $(B)/libm-bench/libm.o -lm
BENCH_PROGS += $(B)/bench/libm
