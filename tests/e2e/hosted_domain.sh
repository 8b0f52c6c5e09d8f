#!/usr/bin/env bash
# Protection domains on the hosted VMM (docs/domains.md, "Hosted"): the
# domain is a child process that shares nothing with blobvisor but its own
# pages (a memfd) and the call channel, under a seccomp filter; its
# SYSCALLs are the same ABI as on bare metal.  The test blobs are the
# bare-metal test's (tests/domain/, built like vendor objects) plus
# rawsys.o (Linux system calls behind the ABI's back).
. "$(dirname "$0")/../lib.sh"
T=build/domain-tests
cd "$BV_TOP"
run() { printf '%s\n' "$@" 'version' 'exit 0' | timeout 60 "$BV" 2>&1; }

# 1. A well-behaved blob: the same lines as on bare metal.
out=$(run "blob load --domain $T/hello.o" 'blob call hello 3' 'blob call hello 4' \
	'blob call clock_check' 'blob call grow_check' 'blob call limits_pages' 'blob info hello.o' \
	'blob call quit 3' 'blob call hello 5'); rc=$?
check "the VMM exits 0 at the end" equals "$rc" 0
check "puts in the domain reaches the console through BV_SYS_WRITE" contains "$out" "hello from ring 3, call 3"
check "a call returns its value (BV_SYS_RETURN) and data persists between calls" \
	contains "$out" "hello returned 204 (0xcc)"
ns=$(grep -o 'clock_check returned [0-9]*' <<<"$out" | grep -o '[0-9]*$')
check "usleep(20 ms) through BV_SYS_SLEEP lasts 20-500 ms on BV_SYS_CLOCK ($ns ns)" \
	test -n "$ns" -a "${ns:-0}" -ge 20000000 -a "${ns:-0}" -lt 500000000
check "BV_SYS_MEM_GROW's pages reach the child, zeroed and writable" contains "$out" "grow_check returned 8192"
check "BV_SYS_LIMITS" contains "$out" "limits_pages returned 4096"
check "blob info: the domain runs as a child process under seccomp" \
	contains "$out" "domain: ring 3 (child process, seccomp), pages"
check "exit(3) ends the domain with its status" contains "$out" "abort: domain hello.o: exit(3)"
check "... and the blob is marked failed" contains "$out" "blob: hello.o: marked failed by an earlier fault"

# The domain build of libc in the child prints glibc's lines, as in ring 3
# on bare metal (tests/e2e/qemu_domain.sh).
out=$(run "blob load --domain $T/libc_user.o" 'blob call libc_demo')
got=$(sed -n '/^int -42/,/^libc_demo returned/p' <<<"$out" | sed 's/ (0x[0-9a-f]*)$//')
want=$("$T/libc_native" 2>&1 | sed '/^libc_demo returned/q')
check "libc_user.o in a hosted domain prints exactly what glibc prints ($(wc -l <<<"$want") lines)" \
	test -n "$got" -a "$got" = "$want"

# A shared object in the child: its PLT imports bound to the runtime, its
# constructor run in the domain, its text r-x there too.
out=$(run "blob load --domain $T/libdomso.so" 'blob call dso_demo 3' 'blob call dso_write_text')
check "a .so in a hosted domain: printf/malloc through its PLT, its constructor ran in the child" \
	contains "$out" "dso in ring 3: 3 ok (len 19, constructed 7)"
check "... writing its own text is denied and named" \
	grep -qE "domain libdomso.so: write to 0x[0-9a-f]+ \(the domain's own text, r-x\) denied" <<<"$out"

# The import trace in the child: the thunks on the domain's trace page
# (mapped r-x in the child) report each call into the runtime and its
# result; the system calls are recorded nested under the call that made
# them, the same as strace's lines.
out=$(run "blob load --domain $T/hello.o" 'strace hello.o' 'trace on' 'blob call hello 3' 'blob call clock_check' \
	'trace show 50' 'trace off' "blob load --domain $T/libc_user.o" 'trace on s*' 'blob call libc_demo' 'trace show 100')
check "trace in a hosted domain: puts with its string and result, from its caller" \
	grep -qE '^  trace #[0-9]+ hello.o: puts\(s="hello from ring 3, call 3"\) = 26  from hello.o:hello\+0x[0-9a-f]+$' <<<"$out"
check "... its write system call nested under it" \
	bash -c 'grep -A1 "hello.o: puts(s=" <<<"$1" | grep -qE "^  trace #[0-9]+   hello.o: syscall write\(1, 0x[0-9a-f]+, 25\) = 25$"' _ "$out"
tsys=$(sed -n '/^  last [0-9]* imports called:/,/^trace: off/{p;/^trace: off/q}' <<<"$out" | grep -E '^  trace #[0-9]+ +hello.o: syscall ' |
	sed -E 's/^  trace #[0-9]+ +hello.o: syscall //')
ssys=$(sed -n '/^trace: [0-9]* import bindings/,/^trace: off/p' <<<"$out" | grep -o 'strace hello.o: .*' | grep -v ': debug_trace(' | sed 's/^strace hello.o: //')
check "... the system calls are strace's, in order ($(wc -l <<<"$ssys") calls)" test -n "$ssys" -a "$tsys" = "$ssys"
got=$(sed -n '/^trace: [0-9]* import bindings through thunks (s\*)$/,/^libc_demo returned/p' <<<"$out" | sed '1d;$d')
want=$("$T/libc_native" 2>&1 | sed '/^libc_demo returned/,$d')
check "libc_user.o traced (s*) in the child prints exactly glibc's lines" equals "$got" "$want"
check "... strtol recorded with glibc's result" \
	grep -qE '^  trace #[0-9]+ libc_user.o: strtol\(s="-0x1f", end=0, base=16\) = -31  from libc_user.o:libc_demo\+' <<<"$out"

# The debugger in the child: bp is an int3 the kernel turns into SIGTRAP;
# the stub posts it on the channel, the VMM's debugger reports it with the
# child's registers and answers RP_RESUME at the instruction's out-of-line
# copy on the domain's debugger page (a memfd range, r-x in the child);
# hook's trampoline there reports with BV_SYS_DEBUG_HOOK.  The domain's own
# int3 stays a contained trap.
out=$(run "blob load --domain $T/hello.o" 'patch hello b82a000000c3' 'blob call hello 3' 'unpatch all' \
	'bp hello' 'blob call hello 4' 'bp list' 'bp del hello' 'hook hello 2' 'blob call hello 5' \
	'blob call hello 6' 'blob call hello 7' 'hook list' 'unhook hello' 'blob call hello 8' 'blob info hello.o' \
	"blob load --domain $T/libdomso.so" 'bp dso_demo' 'blob call dso_demo 9' \
	"blob load --domain $T/hostile.o" 'blob call hostile_int3' 'blob call hello 9'); rc=$?
check "debugger in a hosted domain: the VMM exits 0" equals "$rc" 0
check "patch in the child's text: the patched value" contains "$out" "hello returned 42 (0x2a)"
check "bp in a hosted domain: the child's int3 is reported, not a fault" contains "$out" "breakpoint hello hit 1 (hello.o:hello)"
check "... with the domain's registers (cs 0033) and its argument" \
	bash -c 'grep -qE "rflags [0-9a-f]+ cs 0033 ss 002b" <<<"$1" && grep -qE "rdi 0000000000000004 " <<<"$1"' _ "$out"
check "... its stack up to its top, and the code" \
	bash -c 'grep -qE "^  stack:( [0-9a-f]{16})+ \(top of stack\)$" <<<"$1" && grep -qE "^=> 0*[0-9a-f]+ <hello>: 55 +push %rbp +\[bp\]$" <<<"$1"' _ "$out"
check "... and the child goes on through the out-of-line copy to its value" contains "$out" "hello returned 104 (0x68)"
check "... bp list counts the hit" grep -qE '^[0-9a-f]+ hello +1 hits$' <<<"$out"
check "hook in a hosted domain: a jump to a trampoline on the domain's page" \
	grep -qE '^hook hello: jump to trampoline at 0x[0-9a-f]+ \([0-9]+ bytes relocated\)$' <<<"$out"
check "... each call reported through BV_SYS_DEBUG_HOOK with its arguments and caller" \
	bash -c 'grep -qE "^  rdi 0000000000000005 rsi" <<<"$1" && grep -q "hook hello: call 1 from domain-runtime.o:__bv_domain_return" <<<"$1"' _ "$out"
check "... the first K only, every call counted, the function still works" \
	bash -c '! grep -q "hook hello: call 3" <<<"$1" && grep -qE "^hello +[0-9a-f]+ hook +jump 3 hits$" <<<"$1" && grep -q "hello returned 407 (0x197)" <<<"$1"' _ "$out"
check "unhook restores it" contains "$out" "hello returned 508 (0x1fc)"
check "the debugger's page is a user range of the domain (r-x)" grep -qE 'user 0x[0-9a-f]+-0x[0-9a-f]+ r-x debugger code' <<<"$out"
check "bp inside a shared object in a hosted domain" \
	bash -c 'grep -q "breakpoint dso_demo hit 1 (libdomso.so:dso_demo)" <<<"$1" && grep -q "dso in ring 3: 9 ok" <<<"$1"' _ "$out"
check "the domain's own int3 is a contained trap: named, its process ends" \
	bash -c 'grep -q "domain hostile.o: #BP breakpoint in ring 3" <<<"$1" && grep -q "call to hostile.o:hostile_int3+0 ended by" <<<"$1"' _ "$out"
check "... and the other domains go on" contains "$out" "hello returned 609 (0x261)"

# Threads: one thread of the child per domain thread in a call (lanes, made
# before the filter goes on); tests/threads/threads.c's eight cases print
# glibc's lines; a deadlock among them is EDEADLK; a fault in a created
# thread is named and, the child being one process, ends the domain.
THR=build/threads
out=$( { echo "blob load --domain $THR/threads.o"; for c in 1 2 3 4 5 6 7 8; do echo "blob call thr_run $c"; done
	echo 'exit 0'; } | timeout 120 "$BV" 2>&1)
got=$(sed -n '/imports: blob/,$p' <<<"$out" | sed 1d | grep -v -e '^thr_run returned' -e '^blobvisor: exit')
want=$(for c in 1 2 3 4 5 6 7 8; do "$THR/threads-native" "$c"; done)
check "pthreads in a hosted domain (threads of the child): glibc's lines for the eight cases" equals "$got" "$want"
out=$(run "blob load --domain $THR/threads.o" 'blob call thr_run 100' 'blob unload threads.o' \
	"blob load --domain $THR/threads.o" 'blob call thr_run 102' "blob load --domain $T/hello.o" 'blob call hello 2')
check "a deadlock among a hosted domain's threads: EDEADLK" contains "$out" "lock b = 35 (EDEADLK 35)"
check "a fault in a created thread is named, with that thread's TCB as FS base" \
	bash -c 'grep -q "domain threads.o: read from 0 (the NULL page) denied" <<<"$1" && grep -qE "^blob: threads.o: thread [0-9]+ \(threads.o.1\): #PF page fault in blob code at threads.o:faulter\+" <<<"$1" && ! grep -q "FS base 0:" <<<"$1"' _ "$out"
check "... it ends the domain's process, the waiting call says so at once" \
	contains "$out" "abort: domain threads.o: its process ended (signal 9)"
check "... and the VMM goes on" contains "$out" "hello from ring 3, call 2"

# 2. The child holds nothing of the VMM: its maps are the domain's memfd,
# the channel, its own stack pages and the stub's code; one descriptor (the
# memfd); seccomp filters on, no new privileges.
fifo=$(mktemp -u); mkfifo "$fifo"; log=$(mktemp)
timeout 60 "$BV" <"$fifo" >"$log" 2>&1 & vmm=$!
exec 7>"$fifo"
echo "blob load --domain $T/hello.o" >&7
echo 'blob call hello 1' >&7
for _ in $(seq 100); do grep -q 'hello returned' "$log" && break; sleep 0.1; done
bv=$(pgrep -P "$vmm" | head -1)	# $vmm is timeout's
child=$(pgrep -P "$bv" | head -1)
check "the domain runs in a child process of blobvisor" test -n "$child"
maps=$(cat "/proc/$child/maps" 2>/dev/null)
status=$(cat "/proc/$child/status" 2>/dev/null)
fds=$(ls "/proc/$child/fd" 2>/dev/null | wc -l)
echo 'exit 0' >&7; exec 7>&-; wait "$vmm"; rc=$?
rm -f "$fifo"
check "the VMM exits 0" equals "$rc" 0
check "the child maps the domain's memfd" contains "$maps" "memfd:blobvisor-domain"
foreign=$(while read -r range _ _ _ _ name; do
	lo=$((16#${range%-*}))
	((lo >= 0x40000000 && lo < 0x80000000)) && [[ $name != /memfd:blobvisor-domain* ]] && echo "$range $name"
done <<<"$maps")
check "the child maps nothing of the VMM's region (0x40000000 on: heap, blobs) but the domain's memfd" \
	test -z "$foreign"
check "the child has no [heap], [stack] or vDSO of the VMM" \
	bash -c "! grep -qE '\[(heap|stack|vdso|vvar)\]' <<<'$maps'"
nimg=$(grep -c 'blobvisor$' <<<"$maps")
check "of blobvisor's image only the stub's page(s) remain ($nimg mapping)" test "$nimg" -le 1
check "seccomp filters are on in the child" grep -qE '^Seccomp:[[:space:]]+2' <<<"$status"
check "no new privileges" grep -qE '^NoNewPrivs:[[:space:]]+1' <<<"$status"
check "one descriptor: the memfd ($fds)" equals "$fds" 1
rm -f "$log"

# The stub is all the VMM code the child keeps: nothing in it may call or
# jump outside its section (objdump of the image; no jump tables, no memcpy).
sa=$(nm "$BV" | awk '$3 == "hdomain_stub_start" { print $1 }')
se=$(nm "$BV" | awk '$3 == "hdomain_stub_end" { print $1 }')
targets=$(objdump -d "$BV" --start-address=0x$sa --stop-address=0x$se | grep -E $'\t(call|jmp|j[a-z]+) ' |
	sed -n 's/.*<\([A-Za-z0-9_]*\).*/\1/p' | sort -u)
inside=$(nm "$BV" | awk '{ print $3 }' | grep -xE 'stub_handler|stub_main|stub_lane|hdomain_restorer|hdomain_child_start|hdomain_lane_clone|hdomain_stub_start')
check "the stub's calls and jumps stay in its section ($(echo $targets))" \
	bash -c 'test -n "$1" && ! grep -vxF -f <(echo "$2") <<<"$1"' _ "$targets" "$inside"

# 3. Hostile: each attempt is denied and named, faults in the child only,
# and the VMM goes on (the next domain still works).
text=$(printf '%#x' "0x$(nm "$BV" | awk '$3 == "kprintf" { print $1 }')")
data=$(printf '%#x' "0x$(nm "$BV" | awk '$3 == "plat_user" { print $1 }')")
L="blob load --domain $T/hostile.o" U='blob unload hostile.o'
out=$(run "$L" "blob call hostile_bad_pointers $data" "blob call hostile_write $text" "$U" \
	"$L" "blob call hostile_write $data" "$U" "$L" "blob call hostile_read $data" "$U" \
	"$L" "blob call hostile_call $text" "$U" "$L" 'blob call hostile_write_text' "$U" \
	"$L" 'blob call hostile_exec_heap' "$U" "$L" 'blob call hostile_cli' "$U" \
	"$L" 'watchdog 300ms' 'blob call hostile_spin' "$U" 'watchdog 5' \
	"blob load --domain $T/rawsys.o" 'blob call raw_fork' 'blob unload rawsys.o' \
	"blob load --domain $T/rawsys.o" 'blob call raw_open' 'blob unload rawsys.o' \
	"blob load --domain $T/rawsys.o" 'blob call raw_int80' 'blob unload rawsys.o' \
	"blob load --domain $T/hello.o" 'blob call hello 8'); rc=$?
check "hostile: the VMM exits 0 after all of it" equals "$rc" 0
check "bad pointers and lengths: every system call refused (EFAULT/EINVAL/EBADF)" \
	contains "$out" "hostile_bad_pointers returned 0 (0)"
check "write to VMM text: denied in the child, named" contains "$out" "domain hostile.o: write to $text (VMM text) denied"
check "write to VMM data: denied" contains "$out" "domain hostile.o: write to $data (VMM data) denied"
check "read of VMM data: denied" contains "$out" "domain hostile.o: read from $data (VMM data) denied"
check "call of a VMM function: denied" contains "$out" "domain hostile.o: execute at $text (VMM text) denied"
check "... with the usual diagnosis (blob, symbol, instruction)" \
	contains "$out" "fault in blob hostile.o: #PF page fault at hostile.o:hostile_write+0xa"
check "write to its own text: denied" grep -qE "domain hostile.o: write to 0x[0-9a-f]+ \(the domain's own text, r-x\) denied" <<<"$out"
check "execute its heap: denied" grep -qE "domain hostile.o: execute at 0x[0-9a-f]+ \(the domain's own heap, rw-\) denied" <<<"$out"
check "cli: denied" contains "$out" "domain hostile.o: #GP general protection in ring 3"
check "spin: the watchdog stops the child and names where the domain was" \
	grep -qE "domain hostile.o: stopped by the watchdog at hostile.o:hostile_spin\+0x[0-9a-f]+; its process ends" <<<"$out"
check "... and the diagnosis is the domain's" \
	grep -qE "diagnosis: the call did not return within 300 ms: spinning at hostile.o:hostile_spin" <<<"$out"
check "Linux's fork (57) from the domain never reaches the kernel: it ends the domain, named" \
	contains "$out" "abort: domain rawsys.o: system call 57 is not in the domain ABI (a raw Linux system call?); denied, the domain ends"
check "... no half state: the call did not return" lacks "$out" "raw_fork returned"
check "Linux's openat (257): the same, nothing opened" \
	contains "$out" "abort: domain rawsys.o: system call 257 is not in the domain ABI"
check "... the blob is marked failed each time" contains "$out" "call to rawsys.o:raw_open+0 ended by abort; blob marked failed"
check "int \$0x80 (another ABI): denied and named" \
	grep -qE "domain rawsys.o: (#GP general protection in ring 3|system call [0-9]+ of another ABI)" <<<"$out"
check "the VMM goes on: a new domain answers after all of it" contains "$out" "hello from ring 3, call 8"
done_testing
