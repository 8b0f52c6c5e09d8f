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
