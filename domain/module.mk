# Protection domains (docs/domains.md): the VMM side (domain/*.c: memory,
# entry, faults, the system-call dispatcher) is in every image; the runtime
# that runs inside a domain (domain/user/) is built on its own, freestanding
# and position-independent, linked with ld -r into one object and carried
# in the image (domain/runtime.S) to be loaded into every domain.
IMAGE_SRCS += $(wildcard domain/*.c domain/*.S)

DOMAIN_RT := $(B)/domain/rt.o
DOMAIN_RT_CFLAGS := -O2 -fPIC -ffreestanding -nostdinc -fno-builtin -fno-stack-protector \
	-fcf-protection=none -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
	-Wall -Wextra -Iinclude
$(B)/domain/user/%.o: domain/user/%.c include/domain/abi.h
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_RT_CFLAGS) -c $< -o $@
$(B)/domain/user/%.o: domain/user/%.S include/domain/abi.h
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_RT_CFLAGS) -c $< -o $@
$(DOMAIN_RT): $(patsubst domain/user/%,$(B)/domain/user/%.o,$(basename $(wildcard domain/user/*.c domain/user/*.S)))
	$(LD) -r -o $@ $^

$(B)/obj/domain/runtime.o $(B)/hostobj/domain/runtime.o $(B)/fuzzobj/domain/runtime.o: $(DOMAIN_RT)
$(B)/obj/domain/runtime.o: CORE_CFLAGS += -DDOMAIN_RUNTIME='"$(DOMAIN_RT)"'
$(B)/hostobj/domain/runtime.o: HOSTCORE_CFLAGS += -DDOMAIN_RUNTIME='"$(DOMAIN_RT)"'
$(B)/fuzzobj/domain/runtime.o: FUZZCORE_CFLAGS += -DDOMAIN_RUNTIME='"$(DOMAIN_RT)"'

# --- test blobs for tests/e2e/qemu_domain.sh, built like vendor objects -----
DOMT := $(B)/domain-tests
$(DOMT)/%.o: tests/domain/%.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -fno-omit-frame-pointer -c $< -o $@
TEST_DEPS += $(DOMT)/hello.o $(DOMT)/hostile.o $(DOMT)/outside.o
