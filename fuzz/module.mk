# libFuzzer targets (clang).  Core code is rebuilt with coverage for them;
# glibc supplies the libc functions, as in the unit tests.  UBSan and ASan
# findings are fatal (-fno-sanitize-recover=all): a run that reports
# undefined behaviour fails, in make fuzz and in the smoke test.
FUZZ_COVERAGE := -fsanitize-coverage-ignorelist=fuzz/coverage-ignore.txt
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(FUZZ_COVERAGE) \
	-Iinclude -Itests -no-pie
FUZZCORE_CFLAGS := $(FREESTANDING) -mgeneral-regs-only -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all $(FUZZ_COVERAGE)
FUZZ_TARGETS += $(B)/fuzz/fuzz_dbgsh

$(B)/fuzzobj/%.o: %.c fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	clang $(FUZZCORE_CFLAGS) -MMD -MP -c $< -o $@
$(B)/fuzzobj/%.o: %.S fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	clang $(FUZZCORE_CFLAGS) -MMD -MP -c $< -o $@
# $(B)/libcore-fuzz.a is made in the top Makefile, after every module has
# added its sources.

$(B)/fuzz/%: fuzz/%.c $(B)/libcore-fuzz.a tests/unit/host_plat.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< tests/unit/host_plat.c $(B)/libcore-fuzz.a

# The protection-domain system-call ABI: the real dispatcher and pointer
# checks on a domain the real loader made from hello.o (fuzz_domain_syscall.c).
FUZZ_TARGETS += $(B)/fuzz/fuzz_domain_syscall
$(B)/fuzz/fuzz_domain_syscall: $(B)/domain-tests/hello.o
$(B)/fuzz/fuzz_domain_syscall: FUZZ_CFLAGS += -DFUZZ_DOMAIN_BLOB='"$(abspath $(B)/domain-tests/hello.o)"'
