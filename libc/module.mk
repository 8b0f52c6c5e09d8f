IMAGE_SRCS += $(wildcard libc/*.c libc/*.S)

# libm: musl's math functions (Debian's musl-dev) as one object in every
# image; libc/math.c exports them with glibc's names and errno.  Its
# "source" is the member list (see docs/architecture.md, libm).
MUSL_LIBC_A := /usr/lib/x86_64-linux-musl/libc.a
IMAGE_SRCS += libc/libm-musl.members
$(B)/obj/libc/libm-musl.o: libc/libm-musl.members libc/libm-musl.sh
	@mkdir -p $(@D)
	libc/libm-musl.sh $(MUSL_LIBC_A) $< $@
