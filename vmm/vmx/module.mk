# The VMX backend's tests and benchmark (its sources are in vmm/module.mk):
# Bochs is the only VMX this machine has.  HV, G and PC_ELF come from the
# module.mk files read before this one.
# The VMX backend under Bochs (tests/hv/vmx_bochs.sh): the small guest
# (tests/hv/tiny-guest.S), a flat "bzImage" like the fake kernels.
$(HV)/tiny-guest.bin: tests/hv/tiny-guest.S
	@mkdir -p $(@D)
	$(CC) -m32 -c -nostdlib -o $(HV)/tiny-guest.o $<
	objcopy -O binary -j .text $(HV)/tiny-guest.o $@

VMX_DEPS := $(PC_ELF) $(HV)/tiny-guest.bin $(HV)/fake-npf.bin $(B)/samples/rockey.o \
	$(B)/vendor/libdongle.a
TEST_DEPS += $(VMX_DEPS)
TEST_SCRIPTS += tests/hv/vmx_bochs.sh
BENCH_PROGS += bench/vmx_bochs.sh
BENCH_DEPS += $(VMX_DEPS)

.PHONY: test-vmx
test-vmx: deps $(VMX_DEPS)
	@tests/run tests/hv/vmx_bochs.sh

# Debian's kernel under VMX in Bochs (tests/hv/vmx_bochs_linux.sh, `make
# test-vmx-linux'; too slow for make test): its own initramfs with the
# checks of the SVM guest that fit Bochs's speed.
VMX_GUEST_CMDS := bvguest cpuid; echo "vmx flags in cpuinfo: $$(grep -c vmx /proc/cpuinfo)"; bvguest stats; \
	lspci; bvsh version; bvsh rockey 5; bvsh guest info
$(HV)/initrd-vmx.cpio.gz: $(HV)/bvguest $(HV)/bvsh tests/hv/lspci.sh tests/hv/module.mk \
		scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvguest --add $(HV)/bvsh \
		--add tests/hv/lspci.sh:/bin/lspci --run '$(VMX_GUEST_CMDS)'

.PHONY: test-vmx-linux
test-vmx-linux: deps $(VMX_DEPS) $(G)/kernel.version $(HV)/initrd-vmx.cpio.gz
	@tests/run tests/hv/vmx_bochs_linux.sh
