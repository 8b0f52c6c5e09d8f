#!/bin/sh
# Write an assembly file holding the text symbols of a linked image, sorted by
# address, for core/ksyms.c.  Usage: gen-ksyms.sh IMAGE > ksyms.S
set -eu
nm -n --defined-only "$1" | awk '
$2 ~ /^[tTwW]$/ && $3 !~ /^\./ { n++; addr[n] = $1; name[n] = $3 }
END {
	print "\t.section .rodata.ksyms,\"a\""
	print "\t.globl ksyms_table, ksyms_count"
	print "\t.balign 8"
	print "ksyms_count:\t.quad " n
	print "ksyms_table:"
	for (i = 1; i <= n; i++) printf "\t.quad 0x%s, .Lks%d\n", addr[i], i
	print "\t.section .rodata.ksyms.str,\"aS\""
	for (i = 1; i <= n; i++) printf ".Lks%d:\t.asciz \"%s\"\n", i, name[i]
	print "\t.section .note.GNU-stack,\"\",@progbits"
}'
