# platform/efi: build/blobvisor.efi, the UEFI way in.  A PE32+ application
# (clang's x86_64-unknown-windows target, lld-link -subsystem:efi_application)
# that carries build/blobvisor-pc.elf, debug sections stripped, as its payload
# and starts it after ExitBootServices (platform/efi/main.c).  The loader is
# its own small freestanding program: the core is not linked into it.
EFI_APP := $(B)/blobvisor.efi
EFI_PAYLOAD := $(B)/efi/payload.elf
EFI_OBJS := $(patsubst platform/efi/%.c,$(B)/efi/%.o,$(wildcard platform/efi/*.c))
ALL_TARGETS += $(EFI_APP)
TEST_DEPS += $(EFI_APP)

EFI_CC := clang -target x86_64-unknown-windows
EFI_CFLAGS := -ffreestanding -nostdinc -isystem $(shell clang -print-resource-dir)/include \
	-fshort-wchar -mno-red-zone -mno-stack-arg-probe -fno-stack-protector -mgeneral-regs-only \
	-std=gnu11 -O2 $(WARN)

$(EFI_PAYLOAD): $(B)/blobvisor-pc.elf
	@mkdir -p $(@D)
	objcopy --strip-debug $< $@

$(B)/efi/%.o: platform/efi/%.c
	@mkdir -p $(@D)
	$(EFI_CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

$(B)/efi/payload.o: EFI_CFLAGS += -DPAYLOAD_FILE='"$(EFI_PAYLOAD)"'
$(B)/efi/payload.o: $(EFI_PAYLOAD)

$(EFI_APP): $(EFI_OBJS)
	lld-link -subsystem:efi_application -entry:efi_main -nodefaultlib -out:$@ $^

# QEMU with Debian's OVMF: the ESP is a FAT image made at run time with
# mtools (platform/efi/mkesp.sh; no root, no loop device).  `make qemu-efi':
# the dongle on UHCI (XHCI=1: xHCI) and the samples loaded, as `make qemu'.
.PHONY: qemu-efi
qemu-efi: deps all
	@scripts/run-qemu-efi
