#!/usr/bin/env bash
# Protection domains (docs/domains.md) on bare metal: blobs loaded with
# `blob load --domain' run in ring 3 under QEMU (-cpu max: SMEP and SMAP),
# reach the VMM only through the system-call ABI, and every attempt to touch
# anything else is stopped, named (`domain NAME: write to 0x... (VMM text)
# denied') and ends only that domain while the shell goes on.  The test
# blobs (tests/domain/) are built like vendor objects (-fPIC, stack
# protector, glibc's headers).
. "$(dirname "$0")/../lib.sh"
ELF="$BV_TOP/build/blobvisor-pc.elf"
T=build/domain-tests
ZYDIS=/usr/lib/x86_64-linux-gnu/libZydis.so.4.0
cd "$BV_TOP"

qemu() {	# qemu < script
	timeout 90 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M \
		-display none -serial stdio -monitor none -no-reboot -nodefaults \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$ELF" -append "" -initrd "$T/hello.o,$T/hostile.o,$T/outside.o,$T/libc_user.o,$ZYDIS" 2>&1 |
		tr -d '\r'
	return "${PIPESTATUS[0]}"
}
sym() { printf '0x%s' "$(nm "$ELF" | awk -v s="$1" '$3 == s { print $1 }')"; }

# (Hosted domains, a child process each: tests/e2e/hosted_domain.sh.)

# 1. A well-behaved blob in a domain.
out=$(printf '%s\n' "blob load --domain $T/hello.o" 'blob call hello 3' 'blob call hello 4' \
	'blob call clock_check' 'blob call grow_check' 'blob call limits_pages' 'blob list' \
	'blob info hello.o' "blob load --domain $T/outside.o" "blob load --domain --pages 5 $T/hello.o" \
	'blob call quit 3' 'blob call hello 5' 'version' 'exit 0' | qemu); rc=$?
check "the shell exits 0 at the end" equals "$rc" 1
check "the domain runtime is part of the namespace" contains "$out" "domain-runtime.o"
check "the blob's imports all resolve inside the domain (nothing from the core or other blobs)" \
	grep -qE '^blob: hello.o: .*imports: blob 0 weak [0-9]+ missing 0$' <<<"$out"
check "puts from ring 3 reaches the console through BV_SYS_WRITE" contains "$out" "hello from ring 3, call 3"
check "a call returns its value (BV_SYS_RETURN) and data persists between calls" \
	contains "$out" "hello returned 204 (0xcc)"
ns=$(grep -o 'clock_check returned [0-9]*' <<<"$out" | grep -o '[0-9]*$')
check "usleep(20 ms) through BV_SYS_SLEEP lasts 20-500 ms on BV_SYS_CLOCK ($ns ns)" \
	test -n "$ns" -a "${ns:-0}" -ge 20000000 -a "${ns:-0}" -lt 500000000
check "BV_SYS_MEM_GROW gives zeroed writable pages" contains "$out" "grow_check returned 8192"
check "BV_SYS_LIMITS reports the page limit" contains "$out" "limits_pages returned 4096"
check "blob list marks the domain" grep -qE '^hello.o .* ok domain$' <<<"$out"
check "blob info: ring 3 with SMEP and SMAP, pages, threads, CPU per command" \
	grep -qE 'domain: ring 3 \(SMEP SMAP\), pages [0-9]+ of 4096 \(image [0-9]+, stack 16, TCB 1, heap 2\), threads 1 of 1, CPU per command: the watchdog \(5000 ms\)' <<<"$out"
check "blob info: the user ranges with their protections" contains "$out" "r-x text"
check "blob info: the stack is a user range" grep -qE 'user 0x[0-9a-f]+-0x[0-9a-f]+ rw- stack' <<<"$out"
check "an import the runtime lacks is refused naming it" \
	grep -qE "blob: outside.o: .text\+0x[0-9a-f]+: undefined reference to \`pthread_create'" <<<"$out"
check "... with why" contains "$out" "undefined symbols; load failed (a domain imports only from its own files and the domain runtime, docs/domains.md)"
check "a page limit below the domain's needs is refused in one line" \
	grep -qE 'blob: hello.o#2: the domain needs [0-9]+ pages, its limit is 5 \(--pages\)' <<<"$out"
check "exit(3) ends the domain with its status" contains "$out" "abort: domain hello.o: exit(3)"
check "... and the blob is marked failed" contains "$out" "blob: hello.o: marked failed by an earlier fault"
check "the shell goes on" contains "$out" "blobvisor 0.1 (pc, x86-64)"

# 2. The domain build of libc against glibc: the same program's lines.
out=$(printf '%s\n' "blob load --domain $T/libc_user.o" 'blob call libc_demo' 'exit 0' | qemu)
got=$(sed -n '/^int -42/,/^libc_demo returned/p' <<<"$out" | sed 's/ (0x[0-9a-f]*)$//')
want=$("$T/libc_native" 2>&1)
check "printf, snprintf, strtod, qsort, malloc/realloc/calloc, strerror, fortify in a domain: glibc's lines" \
	equals "$got" "$want"
check "... a blob built with _FORTIFY_SOURCE binds the runtime's __printf_chk" \
	bash -c "nm $T/libc_user.o | grep -q 'U __printf_chk'"

# 3. A hostile blob: each attempt denied and named, the VMM unchanged.
text=$(sym cmd_blob_load) data=$(sym pc_tss)
L="blob load --domain $T/hostile.o" U='blob unload hostile.o'
out=$(printf '%s\n' 'pc cksum' "$L" "blob call hostile_bad_pointers $data" \
	"blob call hostile_write $text" "$U" "$L" "blob call hostile_write $data" "$U" \
	"$L" "blob call hostile_read $data" "$U" "$L" "blob call hostile_call $text" "$U" \
	"$L" 'blob call hostile_write_text' "$U" "$L" 'blob call hostile_exec_heap' "$U" \
	"$L" 'blob call hostile_cli' "$U" "$L" 'blob call hostile_port' "$U" \
	"blob load --domain --pages 300 $T/hostile.o" 'blob call hostile_quota' "$U" \
	"$L" 'watchdog 300ms' 'blob call hostile_spin' "$U" 'watchdog 5' \
	'pc cksum' 'pc check wx' 'version' 'exit 0' | qemu); rc=$?
check "the shell exits 0 after every attack" equals "$rc" 1
check "bad pointers and lengths to system calls come back EFAULT/EINVAL/EBADF/ENOSYS" \
	contains "$out" "hostile_bad_pointers returned 0 (0)"
check "an unknown system call is named once" contains "$out" "domain hostile.o: system call 9999 unknown: ENOSYS"
check "writing VMM text is denied and named" contains "$out" "domain hostile.o: write to $(printf '%#x' "$text") (VMM text) denied"
check "writing VMM data is denied and named" contains "$out" "domain hostile.o: write to $(printf '%#x' "$data") (VMM data) denied"
check "reading VMM data is denied and named" contains "$out" "domain hostile.o: read from $(printf '%#x' "$data") (VMM data) denied"
check "calling a VMM function directly is denied and named" contains "$out" "domain hostile.o: execute at $(printf '%#x' "$text") (VMM text) denied"
check "the fault still gets today's diagnosis (blob, symbol, instruction)" \
	contains "$out" "fault in blob hostile.o: #PF page fault at hostile.o:hostile_write+"
check "... the diagnosis reads the domain's code through SMAP's window (Zydis decodes it)" \
	contains "$out" "instruction: movb \$-0x3d, (%rax)"
check "writing its own text is denied" contains "$out" "(the domain's own text, r-x) denied"
check "... diagnosed as a write to code" contains "$out" "diagnosis: write to read-only code (.text)"
check "executing its heap is denied" grep -qE "domain hostile.o: execute at 0x[0-9a-f]+ \(the domain's own heap, rw-\) denied" <<<"$out"
check "cli in ring 3 is a #GP, denied" contains "$out" "diagnosis: privileged instruction \`cli'"
check "an I/O port write (isa-debug-exit) is denied: QEMU did not exit" \
	contains "$out" "diagnosis: privileged instruction \`out %al, \$0xf4'"
check "memory growth stops at the page quota with EDQUOT" contains "$out" "hostile_quota returned 255878"
check "a spinning domain is stopped by the watchdog" \
	contains "$out" "blob: hostile.o: call to hostile.o:hostile_spin+0 ended by watchdog timeout"
sums=$(grep -o 'fnv1a [0-9a-f]*' <<<"$out" | sort -u | wc -l)
check "the VMM's text and rodata checksum is unchanged after every attack" \
	test "$(grep -c 'fnv1a' <<<"$out")" -eq 2 -a "$sums" -eq 1
check "W^X of the VMM still holds" contains "$out" "pc check: core text is not writable: ok"
check "no panic" lacks "$out" "panic:"
check "the shell still answers" contains "$out" "blobvisor 0.1 (pc, x86-64)"
done_testing
