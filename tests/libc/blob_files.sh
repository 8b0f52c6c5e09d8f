#!/usr/bin/env bash
# The blob file namespace end to end: a driver built like a Debian blob
# reads its configuration and firmware, probes missing paths and uses
# /tmp (mkstemp, locks, fdopen, unlink, tmpfile).  Inside blobvisor the
# files come from `blob file add' (and --file); the reference is the same
# driver on glibc over a directory tree holding the same files.
. "$(dirname "$0")/../lib.sh"
DRV="$BV_TOP/build/libc-blob/filesdrv.o"
REF="$BV_TOP/build/libc-blob/filesdrv-host"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/etc/vendor" "$T/usr/share/vendor" "$T/tmp"
printf 'port=usb\nspeed=12\nname=reader 5\n' >"$T/etc/vendor/reader.conf"
echo x >"$T/etc/vendor/extra.ini"
head -c 300 /dev/urandom >"$T/usr/share/vendor/fw.bin"

want=$("$REF" "$T"); rc=$?
check "the glibc reference run exits 0" equals "$rc" 0
out=$(timeout 20 "$BV" --file "$T/etc/vendor/reader.conf=/etc/vendor/reader.conf" \
	-c "blob file add $T/etc/vendor/extra.ini /etc/vendor/extra.ini" \
	-c "blob file add $T/usr/share/vendor/fw.bin /usr/share/vendor/fw.bin" \
	-c "blob load $DRV" -c 'blob call files_driver ""' -c 'blob call files_refused' \
	-c 'blob file list' 2>&1); rc=$?
check "blobvisor runs the driver" equals "$rc" 0
got=$(sed -n '/^\/etc\/vendor:/,/^!$/p' <<<"$out" | grep -v '^libc: ')
diff <(echo "$got") <(echo "$want") | sed "s/^/# /"
check "open/fopen/read/pread/lseek/fstat/stat/lstat/access/opendir/readdir/readlink/close and /tmp \
(mkstemp, F_SETLK/F_GETLK, fdopen, unlink, tmpfile) print what glibc prints on Linux" equals "$got" "$want"
check "a path outside the namespace is logged with the blob and the calling function" contains "$out" \
	"libc: stat(\"/etc/vendor/missing.conf\"): ENOENT, not in the blob file namespace (from filesdrv.o:files_driver+"
check "writing an operator's file is EROFS" contains "$out" "write conf: -1 Read-only file system"
check "creating a file outside /tmp is EROFS" contains "$out" "create in /etc: -1 Read-only file system"
check "the host's own files are not visible" contains "$out" "fopen host file: 0 No such file or directory"
check "each refused path is logged once" equals "$(grep -c 'open("/etc/passwd")' <<<"$out")" 1
check "unlinking an operator's file is EROFS" contains "$out" "unlink conf: -1 Read-only file system"
check "access(W_OK) on an operator's file is EROFS" contains "$out" "access W_OK: -1 Read-only file system"
check "blob file list shows the table, --file's entry included" contains "$out" \
	"/etc/vendor/reader.conf                          32  $T/etc/vendor/reader.conf"
no_tmp_rows() { ! grep -q '^/tmp/' <<<"$1"; }
check "/tmp files the driver removed are gone from the table" no_tmp_rows "$out"

want=$("$REF" --pipes)
out=$(timeout 20 "$BV" -c "blob load $DRV" -c 'blob call pipe_threads' 2>&1)
check "a writer thread and a blocking reader through a full pipe, then poll on an eventfd: \
the same bytes and wakeups as glibc" equals "$(sed -n '/^eventfd before/,/^writer wrote/p' <<<"$out")" "$want"

out=$(timeout 20 "$BV" -c "blob file add $T/nonexistent /etc/x" -c "blob file add $T/etc/vendor/extra.ini etc/x" \
	-c "blob file add $T/etc/vendor/extra.ini /tmp/x" -c version 2>&1)
check "a missing host file is refused with its path" contains "$out" \
	"blob file add: $T/nonexistent: cannot read (No such file or directory)"
check "a relative blob path is refused" contains "$out" "blob file add: etc/x: the blob's path must be absolute"
check "/tmp is the blobs' own: operators cannot place files there" contains "$out" \
	"blob file add: /tmp/x: is a directory"
out=$(timeout 20 "$BV" --file "$T/nonexistent" -c version 2>&1); rc=$?
check "--file with a missing host file stops startup" bash -c "[[ $rc -ne 0 ]]"
check "... naming the file" contains "$out" "blob file add: $T/nonexistent: cannot read"
done_testing
