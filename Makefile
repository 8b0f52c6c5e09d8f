# blobvisor.  `make` builds everything into build/; `make run` starts the
# hosted VMM's shell; `make test` runs every test.  Each subsystem describes
# its own sources, tests and benchmarks in its module.mk.

include mk/config.mk
include mk/ksyms.mk
SHELL := /bin/bash

.PHONY: all run test bench bench-quick fuzz fuzz-long soak clean deps
.DEFAULT_GOAL := all

# A module.mk is read before the ones sorted after it, so a prerequisite
# list that names a list others extend (TEST_DEPS, IMAGE_OBJS) writes it
# $$(LIST): expanded again once every module.mk has been read.
.SECONDEXPANSION:

# Filled in by the module.mk files.
IMAGE_SRCS :=		# freestanding code in every image: build/blobvisor,
			# build/blobvisor-pc.elf, build/blobvisor-static
HOSTED_SRCS :=		# platform/hosted only
ALL_TARGETS :=		# extra things `make` builds
TEST_PROGS :=		# host test programs (TAP), built for `make test`
TEST_SCRIPTS :=		# end-to-end scripts (TAP), run by `make test`
TEST_DEPS :=		# everything the tests need built
BENCH_PROGS :=		# benchmark programs, run in order by `make bench`
BENCH_DEPS :=		# what they need built
FUZZ_TARGETS :=		# libFuzzer binaries; `make fuzz` runs each

include $(sort $(wildcard */module.mk */*/module.mk))
ifneq ($(VMM_SRCS),)
$(error VMM_SRCS is now IMAGE_SRCS (the sources of every image, not vmm/): $(VMM_SRCS))
endif

obj = $(patsubst %,$(B)/obj/%.o,$(basename $(1)))
hostobj = $(patsubst %,$(B)/hostobj/%.o,$(basename $(1)))

IMAGE_OBJS := $(call obj,$(IMAGE_SRCS) $(HOSTED_SRCS))

all: $(B)/blobvisor $(B)/exports.txt $(ALL_TARGETS)

# --- freestanding objects -------------------------------------------------
$(B)/obj/libc/%.o: libc/%.c
	@mkdir -p $(@D)
	$(CC) $(LIBC_CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -MMD -MP -c $< -o $@

# --- the hosted VMM --------------------------------------------------------
VMM_LDFLAGS := -static -nostdlib -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,-z,max-page-size=4096
$(B)/blobvisor: $(IMAGE_OBJS) tools/gen-ksyms/gen-ksyms.sh mk/ksyms.mk
	$(call ksyms_link,$@,$(CC) $(VMM_LDFLAGS),$(IMAGE_OBJS),-lgcc,$(B)/ksyms)

$(B)/exports.txt: $(B)/blobvisor
	$(B)/blobvisor -c 'exports --txt' > $@.tmp && mv $@.tmp $@

# --- host builds of core code, for unit tests (glibc supplies libc) --------
HOSTCORE_SRCS := $(filter-out libc/% core/main.c,$(IMAGE_SRCS))
HOSTCORE_CFLAGS := $(FREESTANDING) -mgeneral-regs-only $(SAN) -fno-omit-frame-pointer
$(B)/hostobj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOSTCORE_CFLAGS) -MMD -MP -c $< -o $@
$(B)/hostobj/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(HOSTCORE_CFLAGS) -MMD -MP -c $< -o $@
$(B)/libcore-host.a: $(call hostobj,$(HOSTCORE_SRCS))
	rm -f $@ && ar rcs $@ $^

$(B)/libcore-fuzz.a: $(patsubst %,$(B)/fuzzobj/%.o,$(basename $(HOSTCORE_SRCS)))
	rm -f $@ && ar rcs $@ $^

# The test's dependencies (-MF: the last source's, hence $< last): some
# include the source they test (tests/unit/test_mmio_emul.c: vmm/mmio_emul.c)
$(B)/tests/%: tests/%.c $(B)/libcore-host.a tests/unit/host_plat.c tests/tap.h
	@mkdir -p $(@D)
	$(HOSTCC) $(TEST_CFLAGS) -no-pie -Itests -MMD -MP -MT $@ -MF $@.d -o $@ tests/unit/host_plat.c $< \
		$(B)/libcore-host.a

# --- running ---------------------------------------------------------------
deps:
	@scripts/install-deps --check || scripts/install-deps

run: deps all
	scripts/run-main $(RUN_ARGS)

test: deps all $(TEST_PROGS) $(TEST_DEPS) $(FUZZ_TARGETS)
	@tests/run $(TEST_PROGS) $(TEST_SCRIPTS)

bench: deps all $(BENCH_PROGS) $(BENCH_DEPS)
	@for b in $(BENCH_PROGS); do $$b || exit 1; done

# Every benchmark once with a token workload: proves each builds and runs
# (CI); its figures mean nothing.  Programs read BENCH_QUICK.
bench-quick: export BENCH_QUICK := 1
bench-quick: bench

fuzz: deps $(FUZZ_TARGETS)
	@for f in $(FUZZ_TARGETS); do n=$$(basename $$f); mkdir -p $(B)/corpus/$$n fuzz/corpus/$$n; \
		echo "== $$n ($${FUZZ_SECONDS:-60} s)"; \
		$$f -max_total_time=$${FUZZ_SECONDS:-60} -print_final_stats=1 $(B)/corpus/$$n fuzz/corpus/$$n 2>&1 | \
		grep -E '^(stat::number_of_executed_units|==.*ERROR|SUMMARY)'; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; done

# The campaign: every target to 10 million executions (fuzz/long.sh; hours
# on a shared 2-core machine: run it under nice).  FUZZ_RUNS, FUZZ_SECONDS,
# FUZZ_PARALLEL, FUZZ_MERGE as described there.
fuzz-long: deps $(FUZZ_TARGETS)
	@fuzz/long.sh $(FUZZ_TARGETS)

# 100,000 DIC_Command round trips and 1,000 `rockey all' in one process
# over dongled, time and memory per block printed; fails unless flat.
soak: deps all $(B)/dongled
	@tests/soak/soak.sh

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
