# Helpers for end-to-end test scripts (TAP).  Source it, then call check.
set -u
: "${BV_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
BV="$BV_TOP/build/blobvisor"
tap_n=0
tap_failed=0

# check NAME COMMAND... : ok if the command succeeds
check() {
	local name=$1; shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $name"
	else
		echo "not ok $tap_n - $name"
		tap_failed=$((tap_failed + 1))
	fi
}

# contains HAYSTACK NEEDLE : for check; prints the haystack on a miss
contains() {
	if grep -qF -- "$2" <<<"$1"; then return 0; fi
	echo "# expected to find: $2"; sed 's/^/#   | /' <<<"$1"; return 1
}

lacks() {
	if ! grep -qF -- "$2" <<<"$1"; then return 0; fi
	echo "# expected not to find: $2"; sed 's/^/#   | /' <<<"$1"; return 1
}

equals() {
	if [[ "$1" == "$2" ]]; then return 0; fi
	echo "# expected: $2"; echo "# got:      $1"; return 1
}

done_testing() {
	echo "1..$tap_n"
	[[ $tap_failed -eq 0 ]]
}

# Debian's libccid (package libccid): pcscd loads it from its bundle, and
# blobvisor loads the same file as a module beside the bundle's Info.plist.
CCID_BUNDLE=/usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents
LIBCCID=$CCID_BUNDLE/Linux/libccid.so
LIBCCID_PLIST=$CCID_BUNDLE/Info.plist

# nss_card_db DIR: the NSS database QEMU's ccid-card-emulated reads (three
# certificates signed by a CA; each its own serial (-m), or certutil fails
# with SEC_ERROR_REUSED_ISSUER_AND_SERIAL), then use
#   -device ccid-card-emulated,$(nss_card_args DIR)
nss_card_db() {
	local d=$1 c
	mkdir -p "$d"
	head -c 64 /dev/urandom > "$d/noise"
	(
		certutil -N -d "sql:$d" --empty-password &&
		certutil -S -d "sql:$d" -s "CN=Fake Smart Card CA" -x -t TC,TC,TC -n fake-smartcard-ca -m 1 -z "$d/noise" &&
		for c in id-cert:2 signing-cert:3 encryption-cert:4; do
			certutil -S -d "sql:$d" -t ,, -s "CN=${c%%:*}" -n "${c%%:*}" -c fake-smartcard-ca \
				-m "${c##*:}" -z "$d/noise" || exit 1
		done
	) >"$d/certutil.log" 2>&1 || { sed 's/^/# certutil: /' "$d/certutil.log"; return 1; }
}
nss_card_args() {
	echo "backend=certificates,db=sql:$1,cert1=id-cert,cert2=signing-cert,cert3=encryption-cert"
}

# redir_echo_serve DIR NAME: a build/redir_echo on a free port (its output
# in DIR/NAME.srv), the port left in $PORT, its pid added to the caller's
# array `pids' (which the caller's EXIT trap kills).
redir_echo_serve() {
	timeout 200 "$BV_TOP/build/redir_echo" 0 >"$1/$2.srv" 2>&1 &
	pids+=($!)
	for _ in $(seq 200); do grep -qE '^listening on port [0-9]+$' "$1/$2.srv" && break; sleep 0.05; done
	PORT=$(sed -n 's/^listening on port //p' "$1/$2.srv")
}

# bochs_iso ISO DIR APPEND MODULES...: a GRUB ISO (grub-mkrescue, from DIR)
# that multiboots build/blobvisor-pc.elf with APPEND and each module under
# its base name.  Bochs has no -kernel; GRUB passes the command line
# without the image name, so the line starts with one.
bochs_iso() {
	local iso=$1 dir=$2 append=$3 m
	shift 3
	mkdir -p "$dir/boot/grub"
	cp "$BV_TOP/build/blobvisor-pc.elf" "$dir/boot/"
	{
		echo "set timeout=0"
		echo "menuentry blobvisor {"
		echo "  multiboot /boot/blobvisor-pc.elf blobvisor $append"
		for m in "$@"; do cp "$m" "$dir/boot/"; echo "  module /boot/${m##*/} ${m##*/}"; done
		echo "  boot"
		echo "}"
	} >"$dir/boot/grub/grub.cfg"
	grub-mkrescue -o "$iso" "$dir" >"$dir.mkrescue" 2>&1 || { cat "$dir.mkrescue" >&2; return 1; }
}

# bochs_exec ISO RC OUT SECONDS: Bochs (bochs-bin with config RC, which
# reads the paths from the environment) until it exits -- the VMM's ACPI
# soft-off ends it -- or SECONDS.  No headless display: `term' under
# script(1) for a pseudo-terminal; the built-in debugger is fed `c'.
# COM1 -> OUT.vmm, COM2 -> OUT.guest, Bochs's log OUT.log, the terminal
# OUT.term.
bochs_exec() {
	local iso=$1 rc=$2 out=$3 secs=$4
	echo c >"$out.dbg"
	BV_ISO=$iso BV_VMM_OUT=$out.vmm BV_GUEST_OUT=$out.guest BV_LOG=$out.log \
		timeout -k 5 $((secs + 10)) script -qfec "exec timeout -k 5 $secs bochs-bin -q -f $rc -rc $out.dbg" \
		/dev/null >"$out.term" 2>&1 </dev/null
}

# qemu_cpu PID: the QEMU child's user + system seconds so far (timeout is its parent)
qemu_cpu() {
	local qp st
	qp=$(pgrep -P "$1" | head -1)
	st=$(cut -d' ' -f14,15 "/proc/$qp/stat" 2>/dev/null)
	[[ -n $st ]] && awk -v u="${st% *}" -v s="${st#* }" -v t="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.2f", (u + s) / t }'
}

# dongled_serve DIR: a factory-fresh dongle served on DIR/dongle.sock (state
# DIR/state, log DIR/dongled.log); its pid in $dpid for the caller's trap
dongled_serve() {
	"$BV_TOP/build/dongled" --init --state "$1/state" >/dev/null
	"$BV_TOP/build/dongled" --listen "unix:$1/dongle.sock" --state "$1/state" >"$1/dongled.log" 2>&1 &
	dpid=$!
	for _ in $(seq 100); do [[ -S $1/dongle.sock ]] && break; sleep 0.05; done
}
