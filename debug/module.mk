# The blob debugger: Zydis disassembly, fault diagnosis, patches, hooks,
# breakpoints, import tracing.
IMAGE_SRCS += $(wildcard debug/*.c debug/*.S)

# Zydis's headers compiled freestanding: a directory holding only Zydis/ and
# Zycore/ (symlinks), so no glibc header can be reached through it.
ZYDIS_INC := $(B)/zydis-inc
$(ZYDIS_INC)/.stamp:
	@mkdir -p $(@D)
	ln -sfn /usr/include/Zydis $(@D)/Zydis
	ln -sfn /usr/include/Zycore $(@D)/Zycore
	touch $@
$(B)/obj/debug/zydis.o: CORE_CFLAGS += -DZYAN_NO_LIBC -I$(ZYDIS_INC)
$(B)/hostobj/debug/zydis.o: HOSTCORE_CFLAGS += -DZYAN_NO_LIBC -I$(ZYDIS_INC)
$(B)/fuzzobj/debug/zydis.o: FUZZCORE_CFLAGS += -DZYAN_NO_LIBC -I$(ZYDIS_INC)
$(B)/obj/debug/zydis.o $(B)/hostobj/debug/zydis.o $(B)/fuzzobj/debug/zydis.o: | $(ZYDIS_INC)/.stamp

# --- test blobs for tests/e2e/debug.sh --------------------------------------
DT := $(B)/debug-tests
DBG_BLOB_FLAGS := -O2 -fPIC -fno-stack-protector -fcf-protection=none -fasynchronous-unwind-tables
$(DT)/victim_fp.o: tests/debug/victim.c
	@mkdir -p $(@D)
	$(HOSTCC) $(DBG_BLOB_FLAGS) -fno-omit-frame-pointer -c $< -o $@
$(DT)/victim_nofp.o: tests/debug/victim.c
	@mkdir -p $(@D)
	$(HOSTCC) $(DBG_BLOB_FLAGS) -fomit-frame-pointer -c $< -o $@
$(DT)/shapes.o: tests/debug/shapes.s
	@mkdir -p $(@D)
	$(HOSTCC) -c $< -o $@
TEST_DEPS += $(DT)/victim_fp.o $(DT)/victim_nofp.o $(DT)/shapes.o
$(DT)/bench_calls.o: tests/debug/bench_calls.c
	@mkdir -p $(@D)
	$(HOSTCC) $(DBG_BLOB_FLAGS) -fno-builtin -c $< -o $@
BENCH_PROGS += $(B)/bench/debug_overhead
$(B)/bench/debug_overhead: $(DT)/bench_calls.o
$(DT)/dso.so: tests/debug/dso.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -shared -fno-stack-protector -o $@ $<
TEST_DEPS += $(DT)/dso.so
