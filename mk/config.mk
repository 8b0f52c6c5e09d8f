# Compiler flags shared by every module.  Each subsystem adds its own
# sources in its module.mk; nothing here knows which subsystems exist.

# make predefines CC (cc) and LD, so `?=' would never apply: take gcc
# unless the command line or the environment chose another.
ifeq ($(origin CC),default)
CC      := gcc
endif
HOSTCC  ?= gcc
B       := build
GCCINC  := $(shell $(CC) -print-file-name=include)

WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wpointer-arith

# The freestanding core: no glibc headers, no glibc, no %fs, no red zone
# (fault handlers and the bare-metal IDT share its stacks), no SSE except in
# the blob-facing libc (see LIBC_CFLAGS).
FREESTANDING := -ffreestanding -nostdinc -isystem $(GCCINC) -Iinclude \
           -fno-stack-protector -fno-pic -fno-pie -mno-red-zone \
           -fno-omit-frame-pointer -fno-strict-aliasing -fno-common \
           -fcf-protection=none -std=gnu11 -O2 -g $(WARN)
CORE_CFLAGS := $(FREESTANDING) -mgeneral-regs-only
LIBC_CFLAGS := $(FREESTANDING) -msse2 -fno-builtin -fno-tree-loop-distribute-patterns

# Host programs and tests: glibc, sanitizers.
SAN        := -fsanitize=address,undefined -fno-sanitize-recover=undefined
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Iinclude
TEST_CFLAGS := $(HOST_CFLAGS) $(SAN)
