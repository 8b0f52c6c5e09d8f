# The dongle's device model: freestanding, linked into the VMM (and, through
# libcore-host.a, into host tools and tests).
IMAGE_SRCS += $(wildcard dongle/*.c)
FUZZ_TARGETS += $(B)/fuzz/fuzz_dongle
IMAGE_SRCS += $(wildcard dongle/attach/*.c)
# The model as host programs (dongled, the sample tests, benchmarks) compile
# it in: with the chapter-9 requests it shares with the CCID reader.
DONGLE_MODEL_SRCS := usb/model_ch9.c $(wildcard dongle/*.c)
