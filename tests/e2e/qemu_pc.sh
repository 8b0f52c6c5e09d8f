#!/usr/bin/env bash
# blobvisor on bare x86-64: build/blobvisor-pc.elf booted by QEMU (-machine
# pc, TCG) through multiboot, driven over the serial line.  QEMU's exit code
# is (status << 1) | 1 through isa-debug-exit.  Missing QEMU is a failure.
. "$(dirname "$0")/../lib.sh"
ELF="$BV_TOP/build/blobvisor-pc.elf"
cd "$BV_TOP"

qemu() {	# qemu APPEND [extra QEMU args...] < input
	local append=$1; shift
	timeout 50 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M \
		-display none -serial stdio -monitor none -no-reboot -nodefaults \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$ELF" -append "$append" "$@" 2>&1
}

check "qemu-system-x86_64 is installed" bash -c "command -v qemu-system-x86_64 >/dev/null"
check "the image exists" test -f "$ELF"
check "the image is an x86-64 ELF with a multiboot header" platform/pc/check-image.sh "$ELF"
check "the image check rejects an ELF without a multiboot header (the hosted VMM)" \
	bash -c "! platform/pc/check-image.sh build/blobvisor 2>/dev/null"

# 1. Commands from the kernel command line, modules, PCI, platform checks.
started=$(date +%s)
out=$(qemu "-c version -c mem -c 'pci list' -c 'pc info' -c 'pc check' -c libc \
	-c 'pc file Makefile' -c 'pc file mk/config.mk' -c 'pc file nosuch' -c 'exports --txt'" \
	-initrd "Makefile,$BV_TOP/mk/config.mk" -device piix3-usb-uhci,addr=5 </dev/null); rc=$?
check "-c: powered off through isa-debug-exit with status 1 (pc file nosuch failed)" equals "$rc" 3
check "version names the platform" contains "$out" "blobvisor 0.1 (pc, x86-64)"
check "mem reports the page allocator on real memory" contains "$out" "pages: "
region=$(grep -ao 'page allocator region: 0x[0-9a-f]*-0x[0-9a-f]*' <<<"$out" | grep -o '0x[0-9a-f]*$')
check "the page allocator region ends below 2 GiB" test -n "$region" -a $((region)) -lt $((1 << 31))
check "pc check: every platform check passes" contains "$out" "pc check: 0 failed"
check "pc check: core text is not writable" contains "$out" "core text is not writable: ok"
check "pc check: plat_protect changes page permissions" contains "$out" "... and does not run: ok"
check "pc check: %fs:0x28 reads the TCB through FS_BASE" contains "$out" "%fs:0x28 reads the TCB's canary: ok"
check "pc check: SSE state is kept across an exception" contains "$out" "SSE state survives an exception whose handler clobbers it and edits RIP: ok"
# XSAVE on bare metal (platform/pc/xsave.c): QEMU's -cpu max under TCG has
# XSAVE, AVX and AVX2 (QEMU 7.2+), so the VMM enables the YMM state and
# libc's start-up selection picks AVX2, as glibc would on this CPU.
check "pc info: XSAVE on, XCR0 x87|SSE|AVX" contains "$out" "xsave: on, XCR0 0x7, 832-byte area"
check "pc check: YMM upper halves are kept across an exception (XSAVE in the trap path)" \
	contains "$out" "AVX state (YMM upper halves) survives an exception whose handler clobbers it: ok"
check "libc: start-up picks the AVX2 string functions on bare metal" \
	contains "$out" "libc: string functions avx2 (CPUID.1 OSXSAVE 1 AVX 1, XCR0 0x7)"
check "pc check: a double fault runs on its own stack and is recovered" contains "$out" "#GP through an absent gate is a #DF, and it is recovered: ok"
check "the TSC was calibrated against the PIT (no fallback)" lacks "$out" "TSC calibration against the PIT failed"
check "pc check: TSC time agrees with the RTC's seconds" contains "$out" "TSC time agrees with the RTC within 5%: ok"
check "pc check: the watchdog stops a spinning loop" contains "$out" "the watchdog stops a spinning loop: ok"
check "a module read by path matches cksum(1)" \
	contains "$out" "Makefile: $(stat -c %s Makefile) bytes, cksum $(cksum < Makefile | cut -d' ' -f1)"
check "a module read by path with directories matches cksum(1)" \
	contains "$out" "mk/config.mk: $(stat -c %s mk/config.mk) bytes, cksum $(cksum < mk/config.mk | cut -d' ' -f1)"
check "the export table is the hosted build's, entry for entry" \
	equals "$(tr -d '\r' <<<"$out" | grep -E '^[A-Za-z_][A-Za-z0-9_]* [a-z0-9]+ (function|object)$')" "$(cat build/exports.txt)"
check "an unknown module is refused in one line" contains "$out" "pc file: nosuch: no such module"
wall=$(grep -ao 'wall clock [0-9]*' <<<"$out" | grep -o '[0-9]*$')
# between the host's clock when QEMU started and when it ended (1 s
# either side for the RTC's whole seconds): a loaded machine may take long
check "the RTC wall clock agrees with the host's while QEMU ran" \
	test -n "$wall" -a "${wall:-0}" -ge $((started - 1)) -a "${wall:-0}" -le $(( $(date +%s) + 1 ))

# PCI against QEMU's own view of the same machine (monitor `info pci').
ref=$(printf 'info pci\nquit\n' | timeout 20 qemu-system-x86_64 -machine pc -cpu max -accel tcg \
	-display none -serial none -monitor stdio -S -nodefaults -device piix3-usb-uhci,addr=5 2>&1 |
	tr -d '\r' | awk '/Bus +[0-9]+, device/ { gsub(/[,:]/, ""); b = $2; d = $4; f = $6 }
		/PCI device/ { printf "%02x:%02x.%x %s\n", b, d, f, $NF }' | sort)
got=$(tr -d '\r' <<<"$out" | grep -aE '^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] ' | cut -d' ' -f1,2 | sort)
check "pci list finds QEMU's reference set of functions" equals "$got" "$ref"
check "pci list finds the UHCI controller at the slot we asked for" contains "$out" "00:05.0 8086:7020 class 0c0300 USB controller"

# 2. Scripted shell on the serial line: faults are diagnosed, the shell goes on.
out=$(printf 'crash read\nversion\ncrash ud\nversion\ncrash int3\ncrash div\ncrash stack\npc spin 30\nversion\nexit 0\n' |
	qemu ""); rc=$?
check "exit 0 powers off with status 0" equals "$rc" 1
check "crash read: #PF with the core symbol and the address" contains "$out" "fault: #PF page fault at cmd_crash+"
check "crash read: the fault address is 0x10" contains "$out" "address 0x10"
check "crash read: the backtrace walks back into the shell" contains "$out" "dbgsh_exec+"
check "crash ud: #UD" contains "$out" "fault: #UD invalid opcode at cmd_crash+"
check "crash int3: #BP" contains "$out" "fault: #BP breakpoint"
check "crash div: #DE" contains "$out" "fault: #DE divide error"
guard=$(nm "$ELF" | awk '$3 == "pc_stack_guard" { print $1 }')
addr=$(grep -a -A0 'fault: #PF page fault at cmd_crash' <<<"$out" | grep -o 'address 0x[0-9a-f]*' | tail -1 | cut -c9-)
check "crash stack: the overflow is a #PF on the stack's guard page" \
	test -n "$guard" -a -n "$addr" -a $((addr)) -ge $((16#$guard)) -a $((addr)) -lt $((16#$guard + 4096))
check "pc spin: the watchdog interrupt is reported as a fault" contains "$out" "fault: watchdog timeout at cmd_pc_spin+"
check "the shell still answers after every fault" equals "$(grep -ac 'blobvisor 0.1 (pc' <<<"$out")" 3
check "no panic" lacks "$out" "panic:"

out=$(printf 'version\npc panic\nversion\n' | qemu ""); rc=$?
check "a panic powers off with status 99" equals "$rc" 199
check "... after printing why" contains "$out" "panic: pc panic: on request"

# A real Debian archive as a multiboot module, loaded by the loader on bare
# metal; zlib's crc32 compared with Python's; a provoked blob fault.
LIBZ=/usr/lib/x86_64-linux-gnu/libz.a
out=$(qemu "--load libz.a -c 'blob call crc32 0 hello 5' -c 'bp crc32' -c 'blob call crc32 0 hello 5' \
	-c 'blob call crc32 0 16 5' -c version" \
	-initrd "$LIBZ,/usr/lib/x86_64-linux-gnu/libZydis.so.4.0" </dev/null); rc=$?
want=$(python3 -c 'import zlib; print(zlib.crc32(b"hello"))')
check "libz.a from a module: crc32(\"hello\") matches Python's zlib" contains "$out" "crc32 returned $want "
check "a debugger breakpoint (#BP, resumed by iretq) hits in the blob" contains "$out" "breakpoint crc32 hit 1"
check "... and the call still answers right" equals "$(grep -ac "crc32 returned $want " <<<"$out")" 2
check "a blob fault is diagnosed in the blob's own terms" contains "$out" "#PF page fault in blob code at libz.a(crc32.o)"
check "the shell answers after the blob fault" contains "$out" "blobvisor 0.1 (pc, x86-64)"
check "... and the run ends with status 1 (one command failed)" equals "$rc" 3

# The debugger's `dis' on bare metal: Zydis (Debian's libZydis.so) arrives as
# a module and is loaded by our loader; instruction boundaries and bytes are
# compared with objdump's on the same image.
ZYDIS=/usr/lib/x86_64-linux-gnu/libZydis.so.4.0
out=$(qemu "-c 'dis cmd_version 4'" -initrd "$ZYDIS" </dev/null); rc=$?
start=$(nm "$ELF" | awk '$3 == "cmd_version" { print $1 }')
want=$(objdump -d "$ELF" --start-address=0x$start | awk -F'\t' '/^ +[0-9a-f]+:/ { gsub(/[ :]/, "", $1); gsub(/ +$/, "", $2); print $1, $2 }' | head -4)
got=$(tr -d '\r' <<<"$out" | awk '/<cmd_version/ { a = $1; sub(/^0+/, "", a); line = $0; sub(/^[^>]*>: /, "", line); n = split(line, w, " "); b = ""; for (i = 1; i <= n && w[i] ~ /^[0-9a-f][0-9a-f]$/; i++) b = b (b ? " " : "") w[i]; print a, b }')
check "dis with Zydis from a module: boundaries and bytes match objdump" \
	test -n "$want" -a "$got" = "$want"
check "dis: power-off status 0" equals "$rc" 1

# A blob that never returns: the loader's watchdog (5 s) through the local
# APIC timer stops it, and the shell goes on.
printf '\t.text\n\t.globl spin\nspin:\n\tjmp spin\n\t.section .note.GNU-stack,"",@progbits\n' |
	as -o "$BV_TOP/build/qemu_pc_spin.o" -
out=$(qemu "--load qemu_pc_spin.o -c 'blob call spin' -c version" -initrd "build/qemu_pc_spin.o" </dev/null)
check "a spinning blob is stopped by the watchdog (APIC timer)" \
	contains "$out" "blob: qemu_pc_spin.o: watchdog: the call ran longer than 5000 ms (at qemu_pc_spin.o:spin+0)"
check "... and the shell answers afterwards" contains "$out" "blobvisor 0.1 (pc, x86-64)"

# 3. Rejected command lines.
out=$(qemu "--bogus" </dev/null); rc=$?
check "an unknown kernel command line option powers off with status 2" equals "$rc" 5
check "... in one line naming the option" \
	equals "$(grep -a 'command line' <<<"$out" | tr -d '\r')" "blobvisor: kernel command line: --bogus: unknown option"
out=$(qemu "vmm.mem=lots -c version" </dev/null); rc=$?
check "a bad vmm.mem= size powers off with status 2" equals "$rc" 5
check "... in one line naming it" contains "$out" "blobvisor: kernel command line: vmm.mem=lots: not a size"
# The hypervisor's guest-command policy is a boot option like the others
# (it used to stop the boot as unknown).
out=$(qemu "vmm.guest_cmds=version,pci+list vmm.mem=64M -c version" </dev/null); rc=$?
check "vmm.guest_cmds= and vmm.mem= are accepted: -c version runs, status 0" equals "$rc" 1
check "... and prints the version" contains "$out" "blobvisor 0.1 (pc, x86-64)"
out=$(qemu "-c 'unterminated" </dev/null); rc=$?
check "an unterminated quote is refused" contains "$out" "kernel command line: unterminated quote"

# 4. A terminal: prompt, echo, editing (backspace, history).
out=$(printf 'verx\x7fsion\r\x1b[A\rexit 4\r' | qemu "tty"); rc=$?
check "tty: the prompt appears" contains "$out" "blobvisor> "
check "tty: backspace edits the line and history recalls it" equals "$(grep -ac 'blobvisor 0.1 (pc' <<<"$out")" 2
check "tty: exit 4 powers off with status 4" equals "$rc" 9
# 5. gdb through QEMU's stub with the generated script (core symbols).
port=$((20000 + RANDOM % 20000))
timeout 40 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
	-serial null -monitor none -nodefaults -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$ELF" -append "-c version" -S -gdb tcp:127.0.0.1:$port 2>/dev/null &
qpid=$!
sleep 0.3
sed "s/localhost:[0-9]*/127.0.0.1:$port/" build/blobvisor-pc.gdb > "$BV_TOP/build/qemu_pc_test.gdb"
out=$(timeout 30 gdb -q -batch -nx -x "$BV_TOP/build/qemu_pc_test.gdb" -ex "hbreak cmd_version" \
	-ex continue -ex bt -ex kill 2>&1)
kill $qpid 2>/dev/null; wait $qpid 2>/dev/null
check "gdb: the generated script stops at pc_main" contains "$out" "pc_main (magic="
check "gdb: a breakpoint on a core function hits, with a symbolic backtrace" contains "$out" "in core_main (opt="
check "the whole QEMU test ran in under 60 seconds ($SECONDS s)" test "$SECONDS" -lt 60
done_testing
