# What a protection domain costs (bench/domain.sh): bench/domain_bench.c,
# built like a vendor object, in ring 3 and in ring 0 under QEMU.
$(B)/bench/domain_bench.o: bench/domain_bench.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fno-builtin -fstack-protector-strong -c $< -o $@
BENCH_PROGS += bench/domain.sh
BENCH_DEPS += $(B)/bench/domain_bench.o $(B)/blobvisor-pc.elf

BENCH_PROGS += $(B)/bench/startup
$(B)/bench/%: bench/%.c bench/bench.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -o $@ $<
