#!/bin/sh
# The global symbols that the objects linked into build/blobvisor-static as
# its static blob define, as the table samples/static/static_blob.c gives
# the loader (struct blob_static_sym: name, address, size, STT_ type).  The linker
# fills in the addresses.  Usage: gen-syms.sh OBJ|ARCHIVE... > static-syms.S
set -eu
nfiles=$(for f in "$@"; do case $f in *.a) ar t "$f";; *) echo "$f";; esac; done | wc -l)
nm -S -g --defined-only "$@" | awk -v nfiles="$nfiles" '
NF == 3 { $4 = $3; $3 = $2; $2 = 0 }	# no size
NF == 4 && $3 ~ /^[TDBR]$/ && !seen[$4]++ {
	n++; name[n] = $4; size[n] = $2; type[n] = ($3 == "T") ? 2 : 1
}
END {
	print "\t.section .rodata.static_blob,\"a\""
	print "\t.globl static_blob_syms, static_blob_nsyms, static_blob_nfiles"
	print "\t.balign 8"
	print "static_blob_nsyms:\t.quad " n
	print "static_blob_nfiles:\t.quad " nfiles
	print "static_blob_syms:"
	for (i = 1; i <= n; i++) printf "\t.quad .Lsb%d, %s, 0x%s, %d\n", i, name[i], size[i], type[i]
	print "\t.section .rodata.static_blob.str,\"aS\""
	for (i = 1; i <= n; i++) printf ".Lsb%d:\t.asciz \"%s\"\n", i, name[i]
	print "\t.section .note.GNU-stack,\"\",@progbits"
}'
