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
