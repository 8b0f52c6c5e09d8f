# The blob-threads test program (tests/threads/threads.c), built like a
# vendor object, and the same object linked natively against glibc.
THR := $(B)/threads
$(THR)/threads.o: tests/threads/threads.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -c $< -o $@
$(THR)/threads-native: $(THR)/threads.o tests/threads/native.c
	$(HOSTCC) -O2 -o $@ $^ -lpthread
TEST_DEPS += $(THR)/threads.o $(THR)/threads-native

# make bench: the same figures as a blob and natively (bench/threads.c).
$(THR)/thrbench.o: tests/threads/thrbench.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -c $< -o $@
# The same without the stack protector, loaded --no-tcb: every thread keeps
# FS base 0, so the figure is the scheduler's switch without the FS-base
# system call.
$(THR)/thrbench-nofs.o: tests/threads/thrbench.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fno-stack-protector -c $< -o $@
BENCH_PROGS += $(B)/bench/threads
BENCH_DEPS += $(THR)/thrbench.o $(THR)/thrbench-nofs.o
$(B)/bench/threads: bench/threads.c bench/bench.h $(THR)/thrbench.o
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -o $@ $< $(THR)/thrbench.o -lpthread

# A reader thread in a libusb-0.1 transfer (tests/e2e/threads.sh, echo device).
$(THR)/usbthread.o: tests/threads/usbthread.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -c $< -o $@
TEST_DEPS += $(THR)/usbthread.o
