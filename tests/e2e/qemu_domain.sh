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
LT=build/loader-tests
LIBZ=/usr/lib/x86_64-linux-gnu/libz.a
ZYDIS=/usr/lib/x86_64-linux-gnu/libZydis.so.4.0
cd "$BV_TOP"

qemu() {	# qemu < script
	timeout 90 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M \
		-display none -serial stdio -monitor none -no-reboot -nodefaults \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$ELF" -append "" -initrd "$T/hello.o,$T/hostile.o,$T/outside.o,$T/libc_user.o,$T/tlsdesc.o,$T/files_user.o,tests/domain/domain.txt,$ZYDIS,$T/libdomso.so,$LT/libsodep.so,$LT/libsoneedy.so,$LIBZ" 2>&1 |
		tr -d '\r'
	return "${PIPESTATUS[0]}"
}
sym() { printf '0x%s' "$(nm "$ELF" | awk -v s="$1" '$3 == s { print $1 }')"; }

# (Hosted domains, a child process each: tests/e2e/hosted_domain.sh.)

# 1. A well-behaved blob in a domain.
out=$(printf '%s\n' "blob load --domain $T/hello.o" 'blob call hello 3' 'blob call hello 4' \
	'blob call clock_check' 'blob call grow_check' 'blob call limits_pages' 'blob list' \
	'blob info hello.o' "blob load --domain $T/outside.o" "blob load --domain --pages 5 $T/hello.o" \
	"blob load --domain $T/tlsdesc.o" 'blob call hello_str "a string of the VMM"' \
	'blob call quit 3' 'blob call hello 5' 'version' 'exit 0' |
	qemu); rc=$?
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
	grep -qE 'domain: ring 3 \(SMEP SMAP\), pages [0-9]+ of 4096 \(image [0-9]+, stack 64, TLS 1, TCB 1, heap 2\), threads 1 of 16, CPU per command: the watchdog \(5000 ms\)' <<<"$out"
check "blob info: the user ranges with their protections" contains "$out" "r-x text"
check "blob info: the stack is a user range" grep -qE 'user 0x[0-9a-f]+-0x[0-9a-f]+ rw- stack' <<<"$out"
check "an import the runtime lacks is refused naming it" \
	grep -qE "blob: outside.o: .text\+0x[0-9a-f]+: undefined reference to \`fork'" <<<"$out"
check "... with why" contains "$out" "undefined symbol; load failed (a domain imports only from its own files and the domain runtime, docs/domains.md)"
check "a page limit below the domain's needs is refused in one line" \
	grep -qE 'blob: hello.o#2: the domain needs [0-9]+ pages, its limit is 5 \(--pages\)' <<<"$out"
check "TLS descriptors (their resolver would be VMM code) are refused in one line" \
	contains "$out" "blob: tlsdesc.o: tlsdesc.o: TLS descriptors (-mtls-dialect=gnu2) in a domain are not supported; build with the default dialect"
check "a string argument of blob call reaches the domain as a copy on its stack" \
	contains "$out" 'hello_str got "a string of the VMM"'
check "... and its length comes back" contains "$out" "hello_str returned 19 (0x13)"
check "exit(3) ends the domain with its status" contains "$out" "abort: domain hello.o: exit(3)"
check "... and the blob is marked failed" contains "$out" "blob: hello.o: marked failed by an earlier fault"
check "the shell goes on" contains "$out" "blobvisor 0.1 (pc, x86-64)"

# 2. The domain build of libc against glibc: the same program's lines.
out=$(printf '%s\n' "blob load --domain $T/libc_user.o" 'blob call libc_demo' 'blob call tls_demo' \
	'blob call tls_demo' 'exit 0' | qemu)
got=$(sed -n '/^int -42/,/^tls_demo returned 50/p' <<<"$out" | sed 's/ (0x[0-9a-f]*)$//')
want=$("$T/libc_native" 2>&1)
check "printf, snprintf, strtod, qsort, malloc/realloc/calloc, strerror, fortify, __thread (.tdata/.tbss, TLSGD/TLSLD) and errno in TLS in a domain: glibc's lines" \
	equals "$got" "$want"

# 2b. The rest of libc: stdio on files in the domain's own /tmp, descriptors,
# scanf, locale and wide characters, iconv, time conversion, environment.
out=$(printf '%s\n' 'blob file add tests/domain/domain.txt /data/domain.txt' \
	"blob load --domain $T/files_user.o" 'blob call stdio_demo' 'blob call namespace_demo' \
	'exit 0' | qemu)
got=$(sed -n '/^ftell/,/^stdio_demo returned/p' <<<"$out" | grep -v '^libc: ' | sed 's/ (0x[0-9a-f]*)$//; s/ (0)$//')
want=$("$T/files_native" 2>&1)
check "stdio/fd/files in /tmp, scanf, locale/wchar, iconv, strftime/strptime/timegm, env in a domain: glibc's lines" \
	equals "$got" "$want"
got=$(sed -n '/^namespace file/,/^dir entry/p' <<<"$out" | sed '1d;$d')
check "a namespace file read through BV_SYS_FILE_LIST/FILE_READ has the host file's bytes" \
	equals "$got" "$(cat tests/domain/domain.txt)"
check "... its size as fread and stat see it" \
	contains "$out" "namespace file $(wc -c <tests/domain/domain.txt) bytes, stat $(wc -c <tests/domain/domain.txt)"
check "... the directory lists it" contains "$out" "dir entry domain.txt"
check "... and it is read-only" contains "$out" "write it: Read-only file system"
check "a refused path is named once, as in ring 0, with the caller's address" \
	grep -qE '^libc: open\("/tmp/no-such-file-here"\): ENOENT, not in the blob file namespace \(from 0x[0-9a-f]+\)$' <<<"$out"

check "... a blob built with _FORTIFY_SOURCE binds the runtime's __printf_chk" \
	bash -c "nm $T/libc_user.o | grep -q 'U __printf_chk'"

# 2a. Shared objects in a domain: a vendor-style .so (PLT/GOT imports bound
# to the domain runtime, its constructor run in ring 3, its segments' own
# protections), and a .so with DT_NEEDED on another loaded with it.
out=$(printf '%s\n' "blob load --domain $T/libdomso.so" 'blob call dso_demo 3' 'blob info libdomso.so' \
	'blob call dso_write_text' "blob load --domain $LT/libsoneedy.so" \
	"blob load --domain $LT/libsodep.so $LT/libsoneedy.so" 'blob call so_needy_call 1' \
	'blob unload libsodep.so' "blob load $LT/libsodep.so" 'version' 'exit 0' | qemu)
check "a .so in a domain: printf/malloc/snprintf through its PLT, its constructor ran in ring 3" \
	contains "$out" "dso in ring 3: 3 ok (len 19, constructed 7)"
check "... and returns its value" contains "$out" "dso_demo returned 48 (0x30)"
check "... its imports bind inside the domain" \
	grep -qE '^blob: libdomso.so: .*imports: blob [0-9]+ weak [0-9]+ missing 0$' <<<"$out"
check "... its segments are user ranges with their own protections (text r-x, RELRO r--, data rw-)" \
	bash -c 'n=$(sed -n "/^blob info\|domain: ring 3/,/heap:/p" <<<"$1" | grep -cE "user 0x[0-9a-f]+-0x[0-9a-f]+ (r-x text|r-- rodata|rw- data)"); test "$n" -ge 6' _ "$out"
check "... writing its own text is denied and named" \
	grep -qE "domain libdomso.so: write to 0x[0-9a-f]+ \(the domain's own text, r-x\) denied" <<<"$out"
check "... with today's diagnosis" contains "$out" "fault in blob libdomso.so: #PF page fault at libdomso.so:dso_write_text+"
check "a .so's DT_NEEDED must be one of the domain's own files (one line)" \
	contains "$out" "blob: libsoneedy.so: needs libsodep.so, which is not among the domain's files (a domain imports only from its own files and the domain runtime: load them together)"
check "... loaded together they link in the domain (DT_NEEDED, constructor, data of the other .so)" \
	contains "$out" "so_needy_call returned 2009 (0x7d9)"
check "... they unload together" contains "$out" "blob: libsodep.so: unloaded"
check "... and the shell goes on" contains "$out" "blobvisor 0.1 (pc, x86-64)"
check "no VMM fault while loading them" lacks "$out" "aborted by a fault"

# 2b'. A Debian archive alone in a domain loads whole, as in ring 0 (the
# runtime the loader adds is not the user's object), and a string argument
# of `blob call' reaches it as a copy: zlib's crc32 against Python's.
out=$(printf '%s\n' "blob load --domain $LIBZ" 'blob call crc32 0 "hello" 5' 'blob list' 'exit 0' | qemu)
want=$(python3 -c 'import zlib; print(zlib.crc32(b"hello"))')
check "libz.a alone in a domain loads whole; crc32(\"hello\") matches Python's zlib" \
	contains "$out" "crc32 returned $want "
check "... as a domain, every member" bash -c 'grep -qE "^libz.a .* ok domain$" <<<"$1" && grep -qE "^blob: libz.a: 1[0-9] objects" <<<"$1"' _ "$out"

# 2c. pthreads in a domain on the thread calls: tests/threads/threads.c's
# eight cases print glibc's lines; a deadlock among domain threads is
# diagnosed (EDEADLK); a fault in a second thread ends only that thread.
THR=build/threads
qemu_thr() {	# qemu_thr < script
	timeout 120 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M \
		-display none -serial stdio -monitor none -no-reboot -nodefaults \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$ELF" -append "" -initrd "$THR/threads.o" 2>&1 | tr -d '\r'
}
out=$( { echo "blob load --domain $THR/threads.o"; for c in 1 2 3 4 5 6 7 8; do echo "blob call thr_run $c"; done
	echo 'exit 0'; } | qemu_thr)
got=$(sed -n '/imports: blob/,$p' <<<"$out" | sed 1d | grep -v -e '^thr_run returned' -e '^blobvisor: exit')
want=$(for c in 1 2 3 4 5 6 7 8; do "$THR/threads-native" "$c"; done)
check "pthreads in a domain (mutexes, conditions, barriers, rwlocks, semaphores, keys, TLS, cancellation, once, names): glibc's lines" \
	equals "$got" "$want"
# The same eight cases with their pthread calls traced (each through the
# domain's thunks, two system calls more): glibc's lines still, and the
# created threads' calls and system calls are named by their thread.
out=$( { echo "blob load --domain $THR/threads.o"; echo 'trace on pthread_*'; for c in 1 2 3 4 5 6 7 8; do echo "blob call thr_run $c"; done
	echo 'trace show 256'; echo 'exit 0'; } | qemu_thr)
got=$(sed -n '/imports: blob/,$p' <<<"$out" | sed 1d | grep -v -e '^thr_run returned' -e '^blobvisor: exit' -e '^trace: ' -e '^  ')
check "pthreads in a domain with trace on pthread_*: glibc's lines" equals "$got" "$want"
check "... a created thread's traced calls carry its name" grep -qE '^  trace #[0-9]+ +threads.o.[0-9]+: pthread_[a-z_]+\(' <<<"$out"
check "... and its system calls (thread_exit)" grep -qE '^  trace #[0-9]+ +threads.o.[0-9]+: syscall thread_exit\(' <<<"$out"
check "... pthread_create and the thread_create system call under it" \
	bash -c 'grep -A1 "threads.o: pthread_create(" <<<"$1" | grep -qE "^  trace #[0-9]+   threads.o: syscall thread_create\("' _ "$out"
out=$(printf '%s\n' "blob load --domain $THR/threads.o" 'blob call thr_run 100' 'blob unload threads.o' \
	"blob load --domain $THR/threads.o" 'blob call thr_run 102' 'version' 'exit 0' | qemu_thr)
check "a deadlock among domain threads is diagnosed and returns EDEADLK" contains "$out" "lock b = 35 (EDEADLK 35)"
check "... the waits are listed with the domain's threads" grep -qE '^  thread [0-9]+ \(threads.o.1\) waits on futex 0x' <<<"$out"
check "a fault in a domain thread is named and ends that thread" \
	grep -qE 'blob: threads.o: thread [0-9]+ \(threads.o.1\): #PF page fault in blob code at threads.o:faulter\+' <<<"$out"
check "... after the domain's line" contains "$out" "domain threads.o: read from 0 (the NULL page) denied"
check "... and the shell goes on" contains "$out" "blobvisor 0.1 (pc, x86-64)"

# 2e. The debugger in a domain: dis, x, patch, nop and unpatch reach the
# domain's code through SMAP's window (the patched code runs in ring 3);
# bp is an int3 whose #BP gate ring 3 may reach, reported and stepped over
# through an out-of-line copy on the domain's debugger page; hook's
# trampoline (on that page too) reports with BV_SYS_DEBUG_HOOK.
out=$(printf '%s\n' "blob load --domain $T/hello.o" 'dis hello 2' 'x hello 4' 'patch hello b82a000000c3' \
	'blob call hello 3' 'patch list' 'unpatch all' 'blob call hello 3' 'nop hello' 'unpatch hello' \
	'bp hello' 'blob call hello 4' 'bp list' 'bp del hello' 'hook hello 2' 'blob call hello 5' \
	'blob call hello 6' 'blob call hello 7' 'hook list' 'unhook hello' 'blob call hello 8' \
	'blob info hello.o' "blob load --domain $T/libdomso.so" 'bp dso_demo' 'blob call dso_demo 9' \
	'exit 0' | qemu)
check "dis disassembles a domain's code" grep -qE '^ +[0-9a-f]+ <hello>: 55 +push %rbp$' <<<"$out"
check "x dumps it" grep -qE '^[0-9a-f]+: 55 31 d2 48$' <<<"$out"
check "patch rewrites it: the domain returns the patched value" contains "$out" "hello returned 42 (0x2a)"
check "... patch list shows the change" grep -qE 'hello +patch 5531d24889e5 -> b82a000000c3' <<<"$out"
check "... unpatch restores it" contains "$out" "hello returned 103 (0x67)"
check "nop replaces one instruction of a domain's code" contains "$out" "replaced \`push %rbp' (1 bytes)"
check "bp in a domain: the ring-3 int3 is reported, not a fault" contains "$out" "breakpoint hello hit 1 (hello.o:hello)"
check "... with the domain's registers (ring 3: cs 0033) and its argument" \
	grep -qE 'rflags [0-9a-f]+ cs 0033 ss 002b' <<<"$out"
check "... the domain's stack read through SMAP's window, up to its top" \
	grep -qE '^  stack:( [0-9a-f]{16})+ \(top of stack\)$' <<<"$out"
check "... the code at the breakpoint" grep -qE '^=> 0*[0-9a-f]+ <hello>: 55 +push %rbp +\[bp\]$' <<<"$out"
check "... and the call goes on through the out-of-line copy to its value" contains "$out" "hello returned 204 (0xcc)"
check "... bp list counts the hit" grep -qE '^[0-9a-f]+ hello +1 hits$' <<<"$out"
check "hook in a domain: a jump to a trampoline on the domain's page" \
	grep -qE '^hook hello: jump to trampoline at 0x[0-9a-f]+ \([0-9]+ bytes relocated\)$' <<<"$out"
check "... each call reported through BV_SYS_DEBUG_HOOK with its arguments" \
	grep -qE '^  rdi 0000000000000005 rsi' <<<"$out"
check "... and the caller (the runtime's return path)" contains "$out" "hook hello: call 1 from domain-runtime.o:__bv_domain_return"
check "... the first K calls only (hook hello 2)" bash -c '! grep -q "hook hello: call 3" <<<"$1"' _ "$out"
check "... the hooked function still works" contains "$out" "hello returned 507 (0x1fb)"
check "... and counts every call" grep -qE '^hello +[0-9a-f]+ hook +jump 3 hits$' <<<"$out"
check "unhook restores it" contains "$out" "hello returned 608 (0x260)"
check "the debugger's page is a user range of the domain (r-x)" \
	grep -qE 'user 0x[0-9a-f]+-0x[0-9a-f]+ r-x debugger code' <<<"$out"
check "bp inside a shared object of a domain" contains "$out" 'breakpoint dso_demo hit 1 (libdomso.so:dso_demo)'
check "... which runs on" contains "$out" "dso in ring 3: 9 ok"
check "no VMM fault under the debugger" lacks "$out" "cs 0008 ss"

# 2f. strace: each system call of a domain with its arguments and result
# (calls that do not come back print before, with "...").
out=$(printf '%s\n' "blob load --domain $T/hello.o" 'strace hello.o' 'blob call hello 3' 'blob call grow_check' \
	'blob call clock_check' 'strace hello.o off' 'blob call hello 4' 'strace nosuch' \
	"blob load --in-vmm $LT/libsodep.so" 'strace libsodep.so' 'blob call quit 3' 'exit 0' | qemu)
check "strace: write(fd, buf, len) = len" grep -qE 'strace hello.o: write\(1, 0x[0-9a-f]+, 25\) = 25$' <<<"$out"
check "... mem_grow with the address it gave" grep -qE '^strace hello.o: mem_grow\(2\) = 0x[0-9a-f]+$' <<<"$out"
check "... sleep, clock" grep -qE '^strace hello.o: sleep\(0x[0-9a-f]+\) = 0$' <<<"$out"
check "... a call's return before it happens" grep -qE '^strace hello.o: return\(103\) \.\.\.$' <<<"$out"
check "... off stops it" bash -c 'test "$(grep -o "strace hello.o: write" <<<"$1" | wc -l)" -eq 2' _ "$out"
check "strace of no blob is refused in one line" contains "$out" "strace: nosuch: no such blob"
check "strace of a ring-0 blob is refused in one line" \
	contains "$out" "strace: libsodep.so: not a protection domain (ring 0 blobs make no system calls;"

# 2g. trace in a domain: the import bindings of the domain's code into its
# runtime go through thunks on the domain's trace page, which report each
# call and its result with BV_SYS_DEBUG_TRACE; the domain's system calls
# are recorded in the same ring, nested under the import that made them.
# Differential: the system calls in `trace show' are strace's, in order.
out=$(printf '%s\n' "blob load --domain $T/hello.o" 'strace hello.o' 'trace on' 'blob call hello 3' \
	'blob call grow_check' 'blob call clock_check' 'trace show 100' 'trace off' 'blob call hello 4' \
	'trace show 2' "blob load --domain $T/libc_user.o" 'trace on s*' 'blob call libc_demo' 'trace show 100' 'trace off' \
	"blob load --domain $T/hostile.o" 'blob call hostile_trace 0' 'trace on' 'blob call hostile_trace 1' \
	'version' 'exit 0' | qemu)
check "trace on binds the domain's imports of its runtime to thunks" \
	grep -qE '^trace: [1-9][0-9]* import bindings through thunks \(\*\)$' <<<"$out"
check "... a call into the runtime with its string argument and result, and its caller" \
	grep -qE '^  trace #[0-9]+ hello.o: puts\(s="hello from ring 3, call 3"\) = 26  from hello.o:hello\+0x[0-9a-f]+$' <<<"$out"
check "... the system call it made, nested under it" \
	bash -c 'grep -A1 "hello.o: puts(s=" <<<"$1" | grep -qE "^  trace #[0-9]+   hello.o: syscall write\(1, 0x[0-9a-f]+, 25\) = 25$"' _ "$out"
check "... usleep, then its clock and sleep calls" \
	bash -c 'grep -A4 "hello.o: usleep(" <<<"$1" | grep -qE "^  trace #[0-9]+   hello.o: syscall sleep\(0x[0-9a-f]+\) = 0$"' _ "$out"
tsys=$(sed -n '/^  last [0-9]* imports called:/,/^trace: off/{p;/^trace: off/q}' <<<"$out" | grep -E '^  trace #[0-9]+ +hello.o: syscall ' |
	sed -E 's/^  trace #[0-9]+ +hello.o: syscall //')
ssys=$(sed -n '/^trace: [0-9]* import bindings/,/^trace: off/p' <<<"$out" | grep -o 'strace hello.o: .*' | grep -v ': debug_trace(' | sed 's/^strace hello.o: //')
check "the system calls in trace show are strace's (but for the thunks' own), in order ($(wc -l <<<"$ssys") calls)" \
	test -n "$ssys" -a "$tsys" = "$ssys"
check "trace off restores the bindings" grep -qE '^trace: off, [1-9][0-9]* bindings restored$' <<<"$out"
check "... and a later call is not recorded" \
	bash -c 'sed -n "/^hello returned 204/,/^blob: libc_user.o/p" <<<"$1" | grep -q "syscall return(0x" && ! sed -n "/^hello returned 204/,/^blob: libc_user.o/p" <<<"$1" | grep -q "return(204)"' _ "$out"
got=$(sed -n '/^trace: [0-9]* import bindings through thunks (s\*)$/,/^libc_demo returned/p' <<<"$out" | sed '1d;$d')
want=$("$T/libc_native" 2>&1 | sed '/^libc_demo returned/,$d')
check "libc_user.o traced (s*) prints exactly glibc's lines ($(wc -l <<<"$want") lines)" equals "$got" "$want"
check "... its calls into the domain's libc are recorded with glibc's results" \
	bash -c 'grep -qE "^  trace #[0-9]+ libc_user.o: strtol\(s=\"-0x1f\", end=0, base=16\) = -31  from libc_user.o:libc_demo\+" <<<"$1" &&
		grep -qE "^  trace #[0-9]+ libc_user.o: strstr\(hay=\"hello, domain\", needle=\"lo,\"\) = 0x" <<<"$1"' _ "$out"
check "BV_SYS_DEBUG_TRACE from a domain without the trace's thunks: EINVAL" \
	contains "$out" "hostile_trace returned 0 (0)"
check "... with them: a return the trace did not see start ends the domain, named (after EFAULT/EINVAL for bad frames, indexes, ops)" \
	contains "$out" "trace: domain hostile.o: a traced call returned that the trace did not see start; the domain's call ends"
check "... and the shell goes on" contains "$out" "blobvisor 0.1 (pc, x86-64)"

# 2d. USB in a domain: the domain builds of libusb-1.0 and 0.1 on the USB
# calls, against the in-process echo device.  tests/usb1's probe prints
# what the same object prints in ring 0 (hosted, in-process); an event
# thread and a caller interleave asynchronous reads and writes; a domain's
# claim excludes a ring-0 blob's transfer on that interface (EBUSY) until
# it releases it, and the other way round.
U1=build/test-usb
qemu_usb() {	# qemu_usb APPEND
	timeout 120 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M \
		-display none -serial stdio -monitor none -no-reboot -nodefaults \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$ELF" -append "$1" \
		-initrd "$U1/libusb1_probe.o,$U1/libusb1_thread.o,$U1/libusb1_hold.o,build/threads/usbthread.o" \
		</dev/null 2>&1 | tr -d '\r'
}
ring0=$("$BV" -c 'usb attach model:echo' -c "blob load $U1/libusb1_probe.o" -c 'blob call probe1' 2>&1 |
	grep -v -e '^blob: ' -e '^  ')
out=$(qemu_usb "-c 'usb attach model:echo' -c 'blob load --domain libusb1_probe.o' -c 'blob call probe1' -c 'blob list'")
check "libusb-1.0 in a domain (lists, descriptors, sync and async transfers, cancel, timeouts): the ring-0 lines" \
	equals "$(sed -n '/imports: blob/,/^probe1 returned/p' <<<"$out" | grep -v -e '^blob: ' -e '^  ')" "$ring0"
check "... loaded as a domain" grep -qE '^libusb1_probe.o .* ok domain$' <<<"$out"
out=$(qemu_usb "-c 'usb attach model:echo' -c 'blob load --domain libusb1_thread.o' -c 'blob call usb1_thread_test'")
check "libusb-1.0 in a domain: an event thread completes the caller's asynchronous reads" \
	contains "$out" "async reads answered after their writes: 20/20; callbacks in the event thread: 20/20; within 3 s: yes"
check "... and times out an unanswered one" contains "$out" "unanswered read: status 2 (TIMED_OUT 2) after its timeout"
out=$(qemu_usb "-c 'usb attach model:echo' -c 'blob load --domain libusb1_hold.o' -c 'blob load --in-vmm usbthread.o' -c 'blob call lu1_hold' -c 'blob call usb_thread_test' -c 'blob call lu1_release' -c 'blob call usb_thread_test'")
check "a domain's claim (libusb-1.0) holds interface 0" contains "$out" "hold: claim 0 OK"
check "... a ring-0 libusb-0.1 blob's write on it is EBUSY" contains "$out" "write -16"
check "... until the domain releases it" contains "$out" 'reader got 4 "ping" after the write, before its timeout: yes'
out=$(qemu_usb "-c 'usb attach model:echo' -c 'blob load --in-vmm libusb1_hold.o' -c 'blob load --domain usbthread.o' -c 'blob call lu1_hold' -c 'blob call usb_thread_test' -c 'blob call lu1_release' -c 'blob call usb_thread_test'")
check "a ring-0 claim excludes a domain's libusb-0.1 write (EBUSY)" contains "$out" "write -16"
check "... and the domain's reader thread and writer work once it is released" \
	contains "$out" 'reader got 4 "ping" after the write, before its timeout: yes'

# 3. A hostile blob: each attempt denied and named, the VMM unchanged.
text=$(sym cmd_blob_load) data=$(sym pc_tss)
L="blob load --domain $T/hostile.o" U='blob unload hostile.o'
out=$(printf '%s\n' 'pc cksum' "$L" "blob call hostile_bad_pointers $data" \
	"blob call hostile_write $text" "$U" "$L" "blob call hostile_write $data" "$U" \
	"$L" "blob call hostile_read $data" "$U" "$L" "blob call hostile_call $text" "$U" \
	"$L" 'blob call hostile_write_text' "$U" "$L" 'blob call hostile_exec_heap' "$U" \
	"$L" 'blob call hostile_cli' "$U" "$L" 'blob call hostile_port' "$U" \
	"blob load --domain --pages 300 $T/hostile.o" 'blob call hostile_quota' "$U" \
	"blob load --domain --threads 3 $T/hostile.o" 'blob call hostile_threads' \
	"blob call hostile_thread_calls $text $data" 'blob info hostile.o' "$U" \
	"$L" 'watchdog 300ms' 'blob call hostile_spin' "$U" 'watchdog 5' \
	"$L" 'blob call hostile_unknown 9999' "$U" "$L" 'blob call hostile_unknown 57' "$U" \
	"$L" 'blob call hostile_int3' "$U" \
	'pc cksum' 'pc check wx' 'version' 'exit 0' | qemu); rc=$?
check "the shell exits 0 after every attack" equals "$rc" 1
check "bad pointers and lengths to system calls come back EFAULT/EINVAL/EBADF/ENOSYS" \
	contains "$out" "hostile_bad_pointers returned 0 (0)"
check "bad words or slots to the debugger's hook call come back EFAULT/EINVAL (inside the above)" \
	contains "$out" "hostile_bad_pointers returned 0 (0)"
check "a system call the ABI lacks ends the domain, named" \
	contains "$out" "abort: domain hostile.o: system call 9999 is not in the domain ABI (a raw Linux system call?); denied, the domain ends"
check "... Linux's fork (57) too: no half state" \
	contains "$out" "abort: domain hostile.o: system call 57 is not in the domain ABI"
check "... the blob is marked failed" contains "$out" "call to hostile.o:hostile_unknown+0 ended by abort; blob marked failed"
check "an int3 of the domain's own is a contained trap, named" contains "$out" "domain hostile.o: #BP breakpoint in ring 3"
check "... ending that call only" grep -qE 'blob: hostile.o: call to hostile.o:hostile_int3\+0 ended by #BP' <<<"$out"
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
q=$(grep -o 'hostile_quota returned [0-9]*' <<<"$out" | grep -o '[0-9]*$')
check "memory growth stops at the page quota with EDQUOT (64-page steps, then -122: $q)" \
	test -n "$q" -a $(( (${q:-0} + 122) % 64000 )) -eq 0 -a "${q:-0}" -gt 0
check "threads past the limit: pthread_create fails EAGAIN after 2 (--threads 3 counts the caller)" \
	contains "$out" "hostile_threads returned 2011"
check "... named once" contains "$out" "domain hostile.o: thread limit 3 reached (--threads); EAGAIN"
check "the thread calls refuse bad entries, pointers, tids and futex words (EFAULT/EINVAL/EAGAIN/ESRCH/ETIMEDOUT)" \
	contains "$out" "hostile_thread_calls returned 0 (0)"
check "... and joined threads give their pages back" \
	grep -qE 'threads 1 of 3' <<<"$out"
check "a spinning domain is stopped by the watchdog" \
	contains "$out" "blob: hostile.o: call to hostile.o:hostile_spin+0 ended by watchdog timeout"
sums=$(grep -o 'fnv1a [0-9a-f]*' <<<"$out" | sort -u | wc -l)
check "the VMM's text and rodata checksum is unchanged after every attack" \
	test "$(grep -c 'fnv1a' <<<"$out")" -eq 2 -a "$sums" -eq 1
check "W^X of the VMM still holds" contains "$out" "pc check: core text is not writable: ok"
check "no panic" lacks "$out" "panic:"
check "the shell still answers" contains "$out" "blobvisor 0.1 (pc, x86-64)"
done_testing
