# build/blobscan: what a vendor blob needs before it is loaded (host tool).
# It reads files with the loader's own parser (loader/elf.c, loader/ar.c),
# asks the loader which relocations it applies (include/loader/introspect.h), and disassembles
# with Debian's libZydis.
BLOBSCAN_SRCS := $(wildcard tools/blobscan/*.c)
BLOBSCAN_LOADER := loader/elf.c loader/ar.c loader/reloc_x86_64.c
BLOBSCAN_HDRS := $(wildcard tools/blobscan/*.h include/loader/*.h loader/*.h)
ALL_TARGETS += $(B)/blobscan

$(B)/blobscan: $(BLOBSCAN_SRCS) $(BLOBSCAN_LOADER) $(BLOBSCAN_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(BLOBSCAN_SRCS) $(BLOBSCAN_LOADER) -lZydis

TEST_SCRIPTS += tools/blobscan/test-blobscan.sh
TEST_DEPS += $(B)/blobscan

# The fuzz target shares the entry point (bs_file_parse -> loader/elf.c,
# loader/ar.c) and runs the whole scan behind it.
FUZZ_TARGETS += $(B)/fuzz/fuzz_blobscan
BLOBSCAN_LIB_SRCS := $(filter-out tools/blobscan/main.c,$(BLOBSCAN_SRCS))
$(B)/fuzz/fuzz_blobscan: tools/blobscan/fuzz/fuzz_blobscan.c $(BLOBSCAN_LIB_SRCS) $(BLOBSCAN_LOADER) $(BLOBSCAN_HDRS)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -o $@ $< $(BLOBSCAN_LIB_SRCS) $(BLOBSCAN_LOADER) -lZydis

BENCH_PROGS += tools/blobscan/bench-blobscan.sh
