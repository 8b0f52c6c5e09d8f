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
$(B)/domain/user/%.o: domain/user/%.S include/domain/abi.h
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_RT_CFLAGS) -c $< -o $@
$(B)/domain/user/rt.o: domain/user/rt.c include/domain/abi.h
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_RT_CFLAGS) -c $< -o $@

# The domain build of libc: the core's own sources, built a second time
# position-independent for ring 3 (-DBV_DOMAIN), with libc_shim.c answering
# what they ask of the core through system calls (docs/domains.md):
# strings, stdio and descriptors, the file namespace (domain/user/files.c),
# locale, wide characters, iconv, time, environment, pthread on the thread
# calls (domain/user/threads.c).
DOMAIN_LIBC := string string_avx2 str ctype qsort strtod format fpconv malloc stdlib \
	strerror fortify errno fd stdio fileio vfs dirent tmpfile pipe poll eventfd timerfd \
	locale mbconv wchar iconv time timeconv strftime strptime env sys scanf rand48 random \
	search tsearch path unistd atexit pthread pthread_cond pthread_sync pthread_thread setjmp
DOMAIN_LIBC_CFLAGS := $(LIBC_CFLAGS) -fPIC -DBV_DOMAIN -fno-asynchronous-unwind-tables
$(B)/domain/libc/%.o: libc/%.c
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -c $< -o $@
$(B)/domain/core/heap.o: core/heap.c
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -c $< -o $@
$(B)/domain/user/libc_shim.o: domain/user/libc_shim.c include/domain/abi.h
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -ftls-model=local-exec -c $< -o $@
$(B)/domain/user/usb.o: domain/user/usb.c include/domain/abi.h
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -c $< -o $@
$(B)/domain/user/threads.o: domain/user/threads.c include/domain/abi.h
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -ftls-model=local-exec -c $< -o $@
$(B)/domain/user/files.o: domain/user/files.c include/domain/abi.h libc/vfs.h
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -Ilibc -c $< -o $@

# libusb-0.1 and 1.0 for the domain: the core's usb/libusb*.c, desc.c, errtext.c and
# claim.c (its claim functions renamed *_local: domain/user/usb.c claims in
# the VMM too) on domain/user/usb.c's USB core (docs/domains.md).
DOMAIN_USB := libusb desc errtext libusb1 libusb1_desc libusb1_events libusb1_handle \
	libusb1_hotplug libusb1_io libusb1_misc
$(B)/domain/usb/%.o: usb/%.c
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -c $< -o $@
$(B)/domain/usb/claim.o: usb/claim.c
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -c $< -o $@.tmp
	objcopy $(foreach f,usb_dev_claim usb_dev_claim_for_ep usb_dev_release usb_dev_release_all,\
		--redefine-sym $(f)=$(f)_local) $@.tmp $@
	rm -f $@.tmp

# pcscd's log_msg/log_xxd, which IFD handlers (libccid.so) import.
$(B)/domain/card/log.o: card/log.c
	@mkdir -p $(@D)
	$(CC) $(DOMAIN_LIBC_CFLAGS) -c $< -o $@

# Every name weak: a blob's own definition wins, as over a shared libc.
DOMAIN_RT_OBJS := $(B)/domain/user/entry.o $(B)/domain/user/rt.o $(B)/domain/user/libc_shim.o \
	$(B)/domain/user/files.o $(B)/domain/user/threads.o $(B)/domain/user/usb.o \
	$(patsubst %,$(B)/domain/usb/%.o,$(DOMAIN_USB)) $(B)/domain/usb/claim.o \
	$(patsubst %,$(B)/domain/libc/%.o,$(DOMAIN_LIBC)) $(B)/domain/core/heap.o \
	$(B)/domain/card/log.o
$(DOMAIN_RT): $(DOMAIN_RT_OBJS)
	$(LD) -r -o $@.tmp $^
	objcopy --strip-debug --weaken $@.tmp $@
	rm -f $@.tmp

$(B)/obj/domain/runtime.o $(B)/hostobj/domain/runtime.o $(B)/fuzzobj/domain/runtime.o: $(DOMAIN_RT)
$(B)/obj/domain/runtime.o: CORE_CFLAGS += -DDOMAIN_RUNTIME='"$(DOMAIN_RT)"'
$(B)/hostobj/domain/runtime.o: HOSTCORE_CFLAGS += -DDOMAIN_RUNTIME='"$(DOMAIN_RT)"'
$(B)/fuzzobj/domain/runtime.o: FUZZCORE_CFLAGS += -DDOMAIN_RUNTIME='"$(DOMAIN_RT)"'

# --- test blobs for tests/e2e/qemu_domain.sh, built like vendor objects -----
DOMT := $(B)/domain-tests
$(DOMT)/%.o: tests/domain/%.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -fno-omit-frame-pointer $(CFLAGS_FORTIFY) -c $< -o $@
$(DOMT)/libdomso.so: tests/domain/dso_user.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -shared -fstack-protector-strong -Wl,-soname,libdomso.so -o $@ $<
TEST_DEPS += $(DOMT)/libdomso.so
TEST_DEPS += $(DOMT)/hello.o $(DOMT)/hostile.o $(DOMT)/outside.o $(DOMT)/libc_user.o \
	$(DOMT)/libc_native $(DOMT)/tlsdesc.o $(DOMT)/files_user.o $(DOMT)/files_native
$(DOMT)/tlsdesc.o: CFLAGS_FORTIFY := -mtls-dialect=gnu2
$(DOMT)/libc_user.o: CFLAGS_FORTIFY := -D_FORTIFY_SOURCE=2
$(DOMT)/libc_native: tests/domain/libc_native.c $(DOMT)/libc_user.o
	$(HOSTCC) -O2 -o $@ $^
$(DOMT)/files_native: tests/domain/files_native.c $(DOMT)/files_user.o
	$(HOSTCC) -O2 -o $@ $^
