# The CCID reader and its test card (docs/ccid.md): freestanding, linked
# into the VMM (in-process device) and compiled for the host by
# tools/dongled (--ccid), the unit tests and the fuzzer.
IMAGE_SRCS += $(wildcard ccid/*.c) $(wildcard ccid/attach/*.c)
FUZZ_TARGETS += $(B)/fuzz/fuzz_ccid
