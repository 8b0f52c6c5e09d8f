BENCH_PROGS += $(B)/bench/startup
$(B)/bench/%: bench/%.c bench/bench.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -o $@ $<
