# The dongle's device model: freestanding, linked into the VMM (and, through
# libcore-host.a, into host tools and tests).
IMAGE_SRCS += $(wildcard dongle/*.c)
FUZZ_TARGETS += $(B)/fuzz/fuzz_dongle
IMAGE_SRCS += $(wildcard dongle/attach/*.c)
