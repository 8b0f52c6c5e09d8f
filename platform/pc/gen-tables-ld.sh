#!/bin/sh
# Linker-script lines for the registration tables (INITFUNC, DBGSH_COMMAND,
# EXPORT, and any a subsystem adds): every input section whose name is a C
# identifier gets an output section with __start_/__stop_ symbols, as GNU ld
# makes for orphans in the hosted build.  Usage: gen-tables-ld.sh OBJ... > tables.ld
set -eu
objdump -h "$@" 2>/dev/null | awk '$2 ~ /^[A-Za-z_][A-Za-z0-9_]*$/ && $1 ~ /^[0-9]+$/ { print $2 }' |
	sort -u | while read -r sec; do
	printf '\t%s : {\n\t\t__start_%s = .;\n\t\tKEEP(*(%s))\n\t\t__stop_%s = .;\n\t} :rodata\n' \
		"$sec" "$sec" "$sec" "$sec"
done
