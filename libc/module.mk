IMAGE_SRCS += $(wildcard libc/*.c libc/*.S)
