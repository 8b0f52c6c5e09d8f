#!/usr/bin/env bash
# The export table through build/blobvisor and build/exports.txt.
. "$(dirname "$0")/../lib.sh"
TXT="$BV_TOP/build/exports.txt"
echo "# placeholder"
check "exports.txt exists" test -s "$TXT"
done_testing
