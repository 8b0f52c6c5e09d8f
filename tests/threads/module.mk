# The blob-threads test program (tests/threads/threads.c), built like a
# vendor object, and the same object linked natively against glibc.
THR := $(B)/threads
$(THR)/threads.o: tests/threads/threads.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -c $< -o $@
$(THR)/threads-native: $(THR)/threads.o tests/threads/native.c
	$(HOSTCC) -O2 -o $@ $^ -lpthread
TEST_DEPS += $(THR)/threads.o $(THR)/threads-native
