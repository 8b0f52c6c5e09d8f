# build/blobscan: what a vendor blob needs before it is loaded (host tool).
# It reads files with the loader's own parser (loader/elf.c, loader/ar.c,
# compiled for the host) and disassembles with Debian's libZydis.
BLOBSCAN_SRCS := $(filter-out %_tmp.c,$(wildcard tools/blobscan/*.c)) tools/blobscan/input_tmp.c
BLOBSCAN_HDRS := $(wildcard tools/blobscan/*.h)
ALL_TARGETS += $(B)/blobscan

$(B)/blobscan: $(BLOBSCAN_SRCS) $(BLOBSCAN_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(BLOBSCAN_SRCS) -lZydis

TEST_SCRIPTS += tools/blobscan/test-blobscan.sh
TEST_DEPS += $(B)/blobscan
