BENCH_PROGS += $(B)/bench/startup
$(B)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -o $@ $<
