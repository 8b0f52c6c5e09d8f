#!/usr/bin/env bash
# The checklist for the POSIX part of issue 17 is what real USB driver
# binaries import: blobscan over Debian's libhidapi-libusb, libccid (and
# its serial twin), libftdi1, libusb-1.0 and the objects of libusb-1.0.a
# must find every libc and pthread import in the core's export table.
# What may stay missing is named here with its reason.
. "$(dirname "$0")/../lib.sh"
SCAN="$BV_TOP/build/blobscan"
LIB=/usr/lib/x86_64-linux-gnu

# Not the C library's:
#   libusb_*        libusb-1.0 itself (the next issue)
#   udev_*          libudev (no udev inside the VMM)
#   log_msg log_xxd pcscd's logging, which pcscd exports to its drivers
#   usbi_* linux_* active_contexts_* usbi_backend: libusb-1.0.a's own
#                   members that a single-object scan cannot see
allowed='^(libusb_.*|udev_.*|log_msg|log_xxd|usbi_.*|linux_.*|active_contexts_.*'
allowed+='|_ITM_.*|__gmon_start__)$'	# weak, unused unless a tool is linked in

scan() {
	local name=$1; shift
	local out missing
	out=$("$SCAN" "$@" 2>&1)
	if [[ $? -gt 1 ]]; then
		echo "# blobscan failed on $*:"; sed 's/^/#   /' <<<"$out"; return 1
	fi
	missing=$(awk '$3 == "MISSING" || $3 == "missing(weak)" { print $1 }' <<<"$out" | sort -u |
		grep -Ev "$allowed")
	if [[ -n $missing ]]; then
		echo "# $name: imports the core does not provide:"; sed 's/^/#   /' <<<"$missing"; return 1
	fi
	return 0
}

for so in "$LIB/libhidapi-libusb.so.0" "$LIB/libftdi1.so.2" "$LIB/libusb-1.0.so.0" \
	  /usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Linux/libccid.so \
	  /usr/lib/pcsc/drivers/serial/libccidtwin.so; do
	if [[ ! -f $so ]]; then
		check "$so is installed (scripts/install-deps)" false
		continue
	fi
	check "blobscan $(basename "$so"): every libc and pthread import is provided" scan "$(basename "$so")" "$so"
done

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
(cd "$T" && ar x "$LIB/libusb-1.0.a")
for o in "$T"/*.o; do
	check "blobscan libusb-1.0.a($(basename "$o")): every libc and pthread import is provided" \
		scan "$(basename "$o")" "$o"
done
check "blobscan libusb-1.0.a as one namespace: nothing missing but libudev and the exceptions" \
	scan libusb-1.0.a "$LIB/libusb-1.0.a"

# The list above must not hide a real gap: a libc function the core does
# not export is reported.
printf '#include <pwd.h>\nvoid *f(void) { return getpwnam("root"); }\n' >"$T/pw.c"
cc -c -fPIC -o "$T/pw.o" "$T/pw.c"
out=$(scan pw.o "$T/pw.o")
check "a binary importing an unexported libc function (getpwnam) is reported" contains "$out" "#   getpwnam"
done_testing
