# platform/pc: the same core on bare x86-64 (QEMU -machine pc, multiboot).
# build/blobvisor-pc.elf holds the core, libc and every other IMAGE_SRCS object
# plus platform/pc; the hosted build is untouched.  Like build/blobvisor it is
# linked twice (the second pass adds ksyms), through platform/pc/link.ld with
# --orphan-handling=error.
PC_SRCS := $(wildcard platform/pc/*.c platform/pc/*.S)
PC_ELF := $(B)/blobvisor-pc.elf
PC_GDB := $(B)/blobvisor-pc.gdb
ALL_TARGETS += $(PC_ELF) $(PC_GDB)
TEST_DEPS += $(PC_ELF)
BENCH_PROGS += $(B)/bench/qemu_boot

PC_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,-z,max-page-size=4096 -Wl,-L,$(B) -Wl,-T,platform/pc/link.ld -Wl,--orphan-handling=error

# IMAGE_SRCS is complete only after every module.mk is read: $$ expands it
# late (the top Makefile's .SECONDEXPANSION).
$(PC_ELF): $$(call obj,$$(IMAGE_SRCS) $$(PC_SRCS)) platform/pc/link.ld \
		tools/gen-ksyms/gen-ksyms.sh mk/ksyms.mk platform/pc/check-image.sh \
		platform/pc/gen-tables-ld.sh
	platform/pc/gen-tables-ld.sh $(filter %.o,$^) > $(B)/pc-tables.ld
	$(call ksyms_link,$@,$(CC) $(PC_LDFLAGS),$(filter %.o,$^),-lgcc,$(B)/pc-ksyms)
	platform/pc/check-image.sh $@ || { rm -f $@; exit 1; }

# QEMU: i440FX (`-machine pc`: PCI configuration through ports 0xCF8/0xCFC,
# which the hypervisor will intercept), TCG, serial on the terminal, exit
# status through isa-debug-exit ((status << 1) | 1).  QEMU_MODULES: a comma
# list of files passed as multiboot modules; QEMU_APPEND: the command line.
QEMU_MEM ?= 256M
QEMU_APPEND ?= tty
QEMU_MODULES ?= /usr/lib/x86_64-linux-gnu/libz.a,/usr/lib/x86_64-linux-gnu/libZydis.so.4.0
QEMU_PC = qemu-system-x86_64 -machine pc -cpu max -accel tcg -m $(QEMU_MEM) \
	-nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel $(PC_ELF) -append "$(QEMU_APPEND)" \
	$(if $(QEMU_MODULES),-initrd "$(QEMU_MODULES)")

.PHONY: qemu qemu-plain qemu-gdb test-qemu
# `make qemu': with the dongle (dongled -> usb-redir -> UHCI; XHCI=1: xHCI)
# and the vendor blob loaded (scripts/run-qemu); `make qemu-plain': the core alone.
qemu: deps all
	@scripts/run-qemu

qemu-plain: deps $(PC_ELF)
	@echo "== blobvisor on QEMU: Ctrl-A x quits, Ctrl-A c for QEMU's monitor"
	@$(QEMU_PC); rc=$$?; [ $$((rc % 2)) -eq 1 ] && \
		echo "== blobvisor exited with status $$((rc / 2))" || echo "== QEMU exited with $$rc"

# gdb: the core's symbols at their link addresses (identity-mapped, so
# they are the run-time ones).  Blobs: gdb's JIT interface (debug/gdb_jit.c)
# works through QEMU's stub, so pending breakpoints in blob code resolve as
# blobs load; `blob gdb' prints add-symbol-file lines, which the sourced
# helper's `blobvisor-symbols LOG' runs from a saved serial log.
QEMU_GDB_PORT ?= 1234
$(PC_GDB): platform/pc/module.mk scripts/gdb/blobvisor.py
	@mkdir -p $(@D)
	{ echo "# gdb -x $@   (after \`make qemu-gdb' started QEMU)"; \
	  echo "set confirm off"; \
	  echo "file $(abspath $(PC_ELF))"; \
	  echo "source $(abspath scripts/gdb/blobvisor.py)"; \
	  echo "set breakpoint pending on"; \
	  echo "target remote localhost:$(QEMU_GDB_PORT)"; \
	  echo "hbreak pc_main"; \
	  echo "continue"; } > $@

qemu-gdb: deps $(PC_ELF) $(PC_GDB)
	@echo "== QEMU waits for gdb on :$(QEMU_GDB_PORT); in another terminal: gdb -x $(PC_GDB)"
	-$(QEMU_PC) -S -gdb tcp::$(QEMU_GDB_PORT)

test-qemu: deps all $$(TEST_DEPS)
	@tests/run tests/e2e/qemu_pc.sh tests/e2e/qemu_uhci.sh tests/e2e/qemu_xhci.sh \
		tests/e2e/qemu_rockey.sh

$(B)/bench/qemu_boot: bench/qemu_boot.c bench/bench.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -o $@ $<

# The unit test includes these sources directly.
$(B)/tests/unit/test_pc_boot: platform/pc/civil.c platform/pc/cmdline.c platform/pc/pc.h
