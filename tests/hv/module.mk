# The SVM hypervisor's tests and its guest: Debian's kernel (from the guest
# harness, scripts/guest) with a busybox initramfs that runs bvguest.
HV := $(B)/hv
HV_GUEST_CMDS := bvguest cpuid; echo "svm flags in cpuinfo: $$(grep -c svm /proc/cpuinfo)"; bvguest spin 300; bvguest stats; \
	bvguest ymm; for f in xsave avx avx2; do grep -qw $$f /proc/cpuinfo && echo "guest cpu flag: $$f"; done; \
	lspci; bvsh version; bvsh pci list; bvsh rockey 5; \
	echo "guest USB devices: $$(ls /sys/bus/usb/devices 2>/dev/null | wc -l)"; \
	bvsh blob load /etc/passwd || echo "bvsh refused: status $$?"
HV_QEMU = qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 1G -smp 1 \
	-nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
	-kernel $(PC_ELF)

$(HV)/bvguest: tests/hv/bvguest.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -o $@ $<

$(HV)/bvsh: tests/hv/bvsh.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -o $@ $<

$(HV)/initrd-hv.cpio.gz: $(HV)/bvguest $(HV)/bvsh tests/hv/lspci.sh tests/hv/module.mk \
		scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvguest --add $(HV)/bvsh \
		--add tests/hv/lspci.sh:/bin/lspci --run '$(HV_GUEST_CMDS)'

# The hostile guest (tests/hv/hv_hostile.sh): bvhostile for bv.hostile=S
# seconds, then the VMM must still answer and drive its dongle.
$(HV)/bvhostile: tests/hv/bvhostile.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -o $@ $<

$(HV)/initrd-hostile.cpio.gz: $(HV)/bvhostile $(HV)/bvsh tests/hv/module.mk \
		scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvhostile --add $(HV)/bvsh \
		--run bvhostile --run 'bvsh version' --run 'bvsh rockey 5' --run 'bvsh guest info'

# The IC-card screen lock (tests/hv/hv_cardlock.sh): bvcardlock blocks in
# HC_CARDWAIT while the host takes QEMU's emulated card out and puts it
# back; a timed-out wait first, and bvsh served while the lock waits.
$(HV)/bvcardlock: tests/hv/bvcardlock.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -o $@ $<

HV_CARDLOCK_CMDS := lspci; echo "guest USB devices: $$(ls /sys/bus/usb/devices 2>/dev/null | wc -l)"; \
	bvcardlock -t 700 -n 1; echo "bvcardlock status $$?"; \
	bvcardlock -n 2 & sleep 2; bvsh version; echo "bvsh answered while bvcardlock waits"; \
	wait $$!; echo "bvcardlock status $$?"
$(HV)/initrd-cardlock.cpio.gz: $(HV)/bvcardlock $(HV)/bvsh tests/hv/lspci.sh tests/hv/module.mk \
		scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvcardlock --add $(HV)/bvsh \
		--add tests/hv/lspci.sh:/bin/lspci --run '$(HV_CARDLOCK_CMDS)'

# The q35 concealment guest (tests/hv/hv_q35.sh): its own EHCI with a
# tablet (USB modules loaded), the checks in tests/hv/q35probe.sh.
$(HV)/physread: tests/hv/physread.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -o $@ $<

$(HV)/initrd-q35.cpio.gz: $(HV)/bvsh $(HV)/physread $(G)/kernel.version tests/hv/lspci.sh \
		tests/hv/q35probe.sh tests/hv/module.mk scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --modules $(G)/modules --add $(HV)/bvsh --add $(HV)/physread \
		--add tests/hv/lspci.sh:/bin/lspci --add tests/hv/q35probe.sh:/bin/q35probe --run q35probe

# The 4-CPU guest (tests/hv/hv_smp.sh): tests/hv/smpcheck.sh's checks.
$(HV)/initrd-smp.cpio.gz: $(HV)/bvguest $(HV)/bvsh tests/hv/smpcheck.sh tests/hv/module.mk \
		scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvguest --add $(HV)/bvsh \
		--add tests/hv/smpcheck.sh:/bin/smpcheck --run smpcheck

# The guest the firmware boots under the VMM (tests/hv/hv_efi_fw.sh):
# tests/hv/efifwcheck.sh's checks, ending with a read of the VMM's memory.
$(HV)/initrd-efifw.cpio.gz: $(HV)/bvguest $(HV)/bvsh $(HV)/physread tests/hv/lspci.sh \
		tests/hv/efifwcheck.sh tests/hv/module.mk scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvguest --add $(HV)/bvsh --add $(HV)/physread \
		--add tests/hv/lspci.sh:/bin/lspci --add tests/hv/efifwcheck.sh:/bin/efifwcheck --run efifwcheck

# bench/hv_smp.sh's guest: CPUs listed, the VMM's exit counts (bvsh fails
# on bare QEMU, harmlessly), then power-off.
$(HV)/initrd-smpbench.cpio.gz: $(HV)/bvsh tests/hv/module.mk scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvsh --run 'grep ^processor /proc/cpuinfo; bvsh guest info'
BENCH_DEPS += $(HV)/initrd-smpbench.cpio.gz
BENCH_PROGS += bench/hv_smp.sh

# bench/hv.sh's guest: the CPU-bound loop, the VMM's counters, the cost of
# one PCI configuration read (the exit Linux's boot makes 25,000 times;
# after the counters, which are the boot's), and 20
# `bvsh rockey 5' round trips between two markers the host times.
HV_BENCH_CMDS := bvguest spin 300; bvguest stats; bvsh guest info; bvguest cfgread; echo "bvsh-bench: start"; \
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do bvsh rockey 5 >/dev/null; done; \
	echo "bvsh-bench: done"
$(HV)/initrd-hvbench.cpio.gz: $(HV)/bvguest $(HV)/bvsh tests/hv/module.mk \
		scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvguest --add $(HV)/bvsh --run '$(HV_BENCH_CMDS)'
BENCH_DEPS += $(HV)/initrd-hvbench.cpio.gz $(G)/kernel.version

$(HV)/fake-npf.bin $(HV)/fake-shutdown.bin: $(HV)/fake-%.bin: tests/hv/fake-kernel.S
	@mkdir -p $(@D)
	$(CC) -m32 -c -nostdlib $(if $(filter npf,$*),-DTOUCH_VMM) -o $(HV)/fake-$*.o $<
	objcopy -O binary -j .text $(HV)/fake-$*.o $@

HV_DEPS := $(PC_ELF) $(G)/kernel.version $(HV)/initrd-hv.cpio.gz $(HV)/initrd-q35.cpio.gz \
	$(HV)/initrd-hostile.cpio.gz $(HV)/initrd-smp.cpio.gz $(HV)/initrd-smpbench.cpio.gz \
	$(HV)/initrd-efifw.cpio.gz $(HV)/fake-npf.bin \
	$(HV)/fake-shutdown.bin $(B)/samples/rockey.o $(B)/vendor/libdongle.a $(B)/dongled
TEST_DEPS += $(HV_DEPS)
TEST_SCRIPTS += tests/hv/hv_boot.sh tests/hv/hv_q35.sh tests/hv/hv_hostile.sh tests/hv/hv_efi.sh \
	tests/hv/hv_smp.sh tests/hv/hv_efi_fallback.sh tests/hv/hv_efi_fw.sh
BENCH_PROGS += bench/hv.sh
BENCH_DEPS += $(HV_DEPS)

.PHONY: hv test-hv test-hostile
# The VMM's shell on this terminal (COM1); the guest's console (COM2) on a
# unix socket: `socat -,raw,echo=0 UNIX-CONNECT:build/hv/guest.sock'.
hv: deps $(HV_DEPS)
	@echo "== guest console: socat -,raw,echo=0 UNIX-CONNECT:$(HV)/guest.sock"
	-$(HV_QEMU) -serial mon:stdio -chardev socket,id=gcon,path=$(HV)/guest.sock,server=on,wait=off \
		-serial chardev:gcon -initrd "$(G)/vmlinuz,$(HV)/initrd-hv.cpio.gz" \
		-append "tty vmm.mem=64M -x 'guest start vmlinuz initrd-hv.cpio.gz console=ttyS1 nokaslr bv.shell=1'"

# The UEFI ones need blobvisor.efi; the firmware as the guest runs on q35
# with 2 CPUs (as in `make test'), then with 4 on q35 and on pc.
test-hv: deps $(HV_DEPS) $(B)/blobvisor.efi
	@tests/run tests/hv/hv_boot.sh tests/hv/hv_q35.sh tests/hv/hv_efi.sh tests/hv/hv_smp.sh \
		tests/hv/hv_efi_fallback.sh tests/hv/hv_efi_fw.sh tests/hv/hv_efi_fw4_q35.sh \
		tests/hv/hv_efi_fw4_pc.sh

# The hostile guest for a full minute (make test runs it for 10 s).
test-hostile: deps $(HV_DEPS)
	@HOSTILE_SECONDS=60 tests/run tests/hv/hv_hostile.sh

# `make hv-efi': the same under OVMF, started by blobvisor.efi from an ESP
# made now (build/hv/esp-hv.img): the VMM's shell here, the guest's console
# on the unix socket as for `make hv'.
.PHONY: hv-efi
hv-efi: deps $(HV_DEPS) $(B)/blobvisor.efi
	printf '%s\n' "cmdline tty vmm.mem=64M -x 'guest start vmlinuz initrd-hv.cpio.gz console=ttyS1 nokaslr bv.shell=1'" \
		'module \blobvisor\vmlinuz' 'module \blobvisor\initrd-hv.cpio.gz' | \
		platform/efi/mkesp.sh $(HV)/esp-hv.img - $(G)/vmlinuz $(HV)/initrd-hv.cpio.gz
	@echo "== guest console: socat -,raw,echo=0 UNIX-CONNECT:$(HV)/guest.sock"
	-qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 1G -smp 1 -nographic -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none -net none \
		-bios /usr/share/ovmf/OVMF.fd -drive file=$(HV)/esp-hv.img,format=raw,if=ide \
		-serial mon:stdio -chardev socket,id=gcon,path=$(HV)/guest.sock,server=on,wait=off \
		-serial chardev:gcon

# The screen lock's test and guest (kept apart from the lists above)
TEST_DEPS += $(PC_ELF) $(G)/kernel.version $(HV)/initrd-cardlock.cpio.gz
TEST_SCRIPTS += tests/hv/hv_cardlock.sh
.PHONY: test-cardlock
test-cardlock: deps $(PC_ELF) $(G)/kernel.version $(HV)/initrd-cardlock.cpio.gz
	@tests/run tests/hv/hv_cardlock.sh

# The protection-domain guest (tests/hv/hv_domain.sh): tests/hv/domaincheck.sh
# drives a hostile blob in a domain against this guest's memory (bvcanary)
# and the VMM's.
$(HV)/bvcanary: tests/hv/bvcanary.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -static -o $@ $<

$(HV)/initrd-domain.cpio.gz: $(HV)/bvsh $(HV)/bvcanary tests/hv/domaincheck.sh tests/hv/module.mk \
		scripts/guest/mkinitramfs scripts/guest/init
	scripts/guest/mkinitramfs -o $@ --add $(HV)/bvsh --add $(HV)/bvcanary \
		--add tests/hv/domaincheck.sh:/bin/domaincheck --run domaincheck
TEST_DEPS += $(HV)/initrd-domain.cpio.gz $(B)/domain-tests/hostile.o
TEST_SCRIPTS += tests/hv/hv_domain.sh
