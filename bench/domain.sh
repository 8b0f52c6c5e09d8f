#!/usr/bin/env bash
# What a protection domain (docs/domains.md) costs a blob, on bare metal
# under QEMU (TCG, -cpu max: SMEP and SMAP on), each figure beside its
# ring-0 twin.  bench/domain_bench.c is loaded twice in one boot,
# `--domain' (ring 3) and `--in-vmm' (ring 0), and times itself:
#   system call round trip   BV_SYS_LIMITS (SYSCALL, dispatch, a copy-out, SYSRET)
#   clock_gettime            BV_SYS_CLOCK in ring 3, a direct call in ring 0
#   import call              strlen from the domain's own libc (stays in ring 3)
#   VMM -> blob call         `blob time bench_nop' (IRETQ in, BV_SYS_RETURN out)
#   traced import call       strlen again under `trace on strlen': in a domain
#                            through its trace page's thunk (two BV_SYS_DEBUG_TRACE
#                            calls), in ring 0 through the core's thunk
# the same four on the hosted VMM, where the domain is a child process
# (a SIGSYS and a futex round trip per system call; docs/domains.md),
# and the vendor blob's DIC_Command round trip (the samples' rockey_bench,
# dongled over QEMU's usb-redir on xHCI) in ring 0 and in a domain (goal:
# within 1.5x); if the domain cannot load the vendor blob, its line says why.
set -u
cd "$(dirname "$0")/.."
ELF=build/blobvisor-pc.elf
O=build/bench/domain_bench.o
q=1; [[ ${BENCH_QUICK:-0} != 0 ]] && q=100	# make bench-quick: a token run
N=$((200000 / q)) C=$((21 / q + 1)) NT=$((2000 / q + 1))	# NT: traced calls cost two system calls
W=$(mktemp -d); pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT

qemu() {	# qemu INITRD [QEMU-ARGS...] < script
	local initrd=$1; shift
	timeout 300 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-serial stdio -monitor none -no-reboot -nodefaults \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
		-kernel "$ELF" -append "" -initrd "$initrd" 2>&1 | tr -d '\r'
}
# per BLOB FN: "FN returned NS" -> NS / N with one decimal
# (FAILED when the call did not return a time: the figure is missing, not 0)
# traced: the same from the second such line (the run under `trace on', NT calls)
traced() { awk -v k="$1:$2 returned" -v n="$NT" 'index($0, k) == 1 && ++seen == 2 { v = $(NF - 1); found = 1 }
	END { if (!found) print "FAILED (no result)"; else if (v ~ /^-/) print "FAILED"; else printf "%.1f ns\n", v / n }'; }
per() { awk -v k="$1:$2 returned" -v n="$N" 'index($0, k) == 1 { v = $(NF - 1) + 0;
	if ($(NF - 1) ~ /^-/) print "FAILED"; else printf "%.1f ns\n", v / n; found = 1; exit }
	END { if (!found) print "FAILED (no result)" }'; }
# median of the `blob time BLOB:bench_nop' lines
nop() { grep "^$1:bench_nop returned 0 (0) in" | awk '{ print $(NF - 1) }' | sort -n |
	awk '{ v[NR] = $1 } END { if (NR) printf "%d ns (median of %d)\n", v[int((NR + 1) / 2)], NR; else print "FAILED" }'; }

script=("blob load --domain $O" "blob load --in-vmm $O")
for f in bench_sys_null bench_clock bench_import; do
	script+=("blob call domain_bench.o:$f $N" "blob call domain_bench.o#2:$f $N")
done
for _ in $(seq "$C"); do
	script+=("blob time domain_bench.o:bench_nop" "blob time domain_bench.o#2:bench_nop")
done
script+=('trace on strlen' "blob call domain_bench.o:bench_import $NT" "blob call domain_bench.o#2:bench_import $NT"
	'trace off')
fails=0
say() { echo "$1"; [[ $1 != *FAILED* ]] || fails=$((fails + 1)); }

out=$(printf '%s\n' "${script[@]}" 'exit 0' | qemu "$O")
r3=domain_bench.o r0='domain_bench.o#2'
say "domain: system call round trip (BV_SYS_LIMITS), ring 3: $(per $r3 bench_sys_null <<<"$out")"
say "domain: clock_gettime, ring 3 (BV_SYS_CLOCK): $(per $r3 bench_clock <<<"$out"); ring 0 (direct call): $(per "$r0" bench_clock <<<"$out")"
say "domain: import call staying in the blob's ring (strlen via the PLT), ring 3: $(per $r3 bench_import <<<"$out"); ring 0: $(per "$r0" bench_import <<<"$out")"
say "domain: VMM -> blob call round trip (blob time), ring 3: $(nop $r3 <<<"$out"); ring 0: $(nop "$r0" <<<"$out")"
say "domain: traced import call (trace on strlen), ring 3: $(traced $r3 bench_import <<<"$out"); ring 0: $(traced "$r0" bench_import <<<"$out")"

# Hosted: the domain is a child process; the same object, the same script
# (200000 system calls of the child take seconds on a loaded host: more than
# the 5 s blob watchdog, which would end the domain and every figure after).
out=$(printf '%s\n' 'watchdog 120' "${script[@]}" 'exit 0' | timeout 300 build/blobvisor 2>&1)
say "domain: hosted (child process): system call round trip: $(per $r3 bench_sys_null <<<"$out")"
say "domain: hosted: clock_gettime, domain: $(per $r3 bench_clock <<<"$out"); in the VMM: $(per "$r0" bench_clock <<<"$out")"
say "domain: hosted: import call, domain: $(per $r3 bench_import <<<"$out"); in the VMM: $(per "$r0" bench_import <<<"$out")"
say "domain: hosted: VMM -> blob call round trip, domain: $(nop $r3 <<<"$out"); in the VMM: $(nop "$r0" <<<"$out")"
say "domain: hosted: traced import call, domain: $(traced $r3 bench_import <<<"$out"); in the VMM: $(traced "$r0" bench_import <<<"$out")"

# DIC_Command: the vendor blob and the samples, dongled over usb-redir.
LOAD='build/samples/rockey.o build/vendor/libdongle.a'
serve() {	# not inside $(...): dongled would hold its pipe open
	[[ -n $pid ]] && { kill "$pid"; wait "$pid" 2>/dev/null; }
	build/dongled --listen "unix:$W/sock" --state "$W/state" >/dev/null 2>&1 & pid=$!
	sleep 0.3
}
dic() {		# dic --domain|--in-vmm: the round trip, or why not (dongled serving)
	local out t
	out=$(printf '%s\n' "blob load $1 $LOAD" "rockey bench $((200 / q))" 'exit 0' |
		qemu "build/samples/rockey.o,build/vendor/libdongle.a" -device qemu-xhci,id=hc \
			-chardev "socket,id=dg,path=$W/sock,reconnect=1" -device usb-redir,chardev=dg,bus=hc.0)
	t=$(sed -n 's/^rockey bench: DIC_Command round trip \(.*\) (mean.*/\1/p' <<<"$out")
	if [[ -n $t ]]; then
		echo "$t"
	else
		echo "not measurable: $(grep -m1 -E 'load failed|undefined reference|^blob: ' <<<"$out" || echo 'no figure')"
	fi
}
if [[ -f build/samples/rockey.o && -f build/vendor/libdongle.a && -x build/dongled ]]; then
	build/dongled --init --state "$W/state" >/dev/null
	serve
	say "domain: DIC_Command round trip, xHCI + usb-redir under TCG, ring 0: $(dic --in-vmm)"
	serve
	say "domain: DIC_Command round trip, xHCI + usb-redir under TCG, ring 3: $(dic --domain) (goal: within 1.5x of ring 0)"
else
	say "domain: DIC_Command round trip: build/samples/rockey.o, build/vendor/libdongle.a or build/dongled missing"
fi
[[ $fails == 0 ]] || { echo "domain: $fails figure(s) missing" >&2; exit 1; }
