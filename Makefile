# blobvisor.  `make` builds everything into build/; `make run` starts the
# hosted VMM's shell; `make test` runs every test.  Each subsystem describes
# its own sources, tests and benchmarks in its module.mk.

include mk/config.mk
SHELL := /bin/bash

.PHONY: all run test bench fuzz clean deps
.DEFAULT_GOAL := all

# Filled in by the module.mk files.
VMM_SRCS :=		# freestanding code linked into build/blobvisor
HOSTED_SRCS :=		# platform/hosted only
ALL_TARGETS :=		# extra things `make` builds
TEST_PROGS :=		# host test programs (TAP), built for `make test`
TEST_SCRIPTS :=		# end-to-end scripts (TAP), run by `make test`
TEST_DEPS :=		# everything the tests need built
BENCH_PROGS :=		# benchmark programs, run in order by `make bench`
BENCH_DEPS :=		# what they need built
FUZZ_TARGETS :=		# libFuzzer binaries; `make fuzz` runs each

include $(sort $(wildcard */module.mk */*/module.mk))

obj = $(patsubst %,$(B)/obj/%.o,$(basename $(1)))
hostobj = $(patsubst %,$(B)/hostobj/%.o,$(basename $(1)))

VMM_OBJS := $(call obj,$(VMM_SRCS) $(HOSTED_SRCS))

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
# Linked twice: the second link adds the core's symbol table (ksyms) made
# from the first.  The table lives after .text, so text addresses do not move;
# the check below proves it.
VMM_LDFLAGS := -static -nostdlib -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,-z,max-page-size=4096
$(B)/blobvisor: $(VMM_OBJS) tools/gen-ksyms/gen-ksyms.sh
	$(CC) $(VMM_LDFLAGS) -o $@.pass1 $(VMM_OBJS) -lgcc
	tools/gen-ksyms/gen-ksyms.sh $@.pass1 > $(B)/ksyms.S
	$(CC) -c $(B)/ksyms.S -o $(B)/ksyms.o
	$(CC) $(VMM_LDFLAGS) -o $@ $(VMM_OBJS) $(B)/ksyms.o -lgcc
	tools/gen-ksyms/gen-ksyms.sh $@ | cmp -s - $(B)/ksyms.S || \
		{ echo "ksyms: text moved between link passes" >&2; rm -f $@; exit 1; }
	rm -f $@.pass1

$(B)/exports.txt: $(B)/blobvisor
	$(B)/blobvisor -c 'exports --txt' > $@.tmp && mv $@.tmp $@

# --- host builds of core code, for unit tests (glibc supplies libc) --------
HOSTCORE_SRCS := $(filter-out libc/% core/main.c,$(VMM_SRCS))
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

$(B)/tests/%: tests/%.c $(B)/libcore-host.a tests/unit/host_plat.c tests/tap.h
	@mkdir -p $(@D)
	$(HOSTCC) $(TEST_CFLAGS) -no-pie -Itests -o $@ $< tests/unit/host_plat.c $(B)/libcore-host.a

# --- running ---------------------------------------------------------------
deps:
	@scripts/install-deps --check || scripts/install-deps

run: deps all
	scripts/run-main $(RUN_ARGS)

test: deps all $(TEST_PROGS) $(TEST_DEPS) $(FUZZ_TARGETS)
	@tests/run $(TEST_PROGS) $(TEST_SCRIPTS)

bench: deps all $(BENCH_PROGS) $(BENCH_DEPS)
	@for b in $(BENCH_PROGS); do $$b || exit 1; done

fuzz: deps $(FUZZ_TARGETS)
	@for f in $(FUZZ_TARGETS); do n=$$(basename $$f); mkdir -p $(B)/corpus/$$n fuzz/corpus/$$n; \
		echo "== $$n ($${FUZZ_SECONDS:-60} s)"; \
		$$f -max_total_time=$${FUZZ_SECONDS:-60} -print_final_stats=1 $(B)/corpus/$$n fuzz/corpus/$$n 2>&1 | \
		grep -E '^(stat::number_of_executed_units|==.*ERROR|SUMMARY)'; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; done

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
