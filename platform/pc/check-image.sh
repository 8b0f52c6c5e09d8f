#!/bin/bash
# Check that a linked platform/pc image can be loaded through the multiboot
# a.out kludge: a multiboot header at the start of the first PT_LOAD within
# the file's first 8 KiB, and every PT_LOAD at the same file-offset-to-address
# distance (QEMU copies the file linearly from the header's load_addr).
# Usage: check-image.sh ELF
set -eu
img=$1
n=0 first= off=
while read -r type offset vaddr _; do
	[ "$type" = LOAD ] || continue
	n=$((n + 1))
	d=$((offset - vaddr))
	if [ $n -eq 1 ]; then
		first=$d off=$((offset))
	elif [ $d -ne "$first" ]; then
		echo "$img: PT_LOAD $n: p_offset - p_vaddr differs from the first segment's" >&2
		exit 1
	fi
done < <(readelf -lW "$img")
if [ $n -eq 0 ]; then
	echo "$img: no PT_LOAD segment" >&2
	exit 1
fi
if [ $((off + 48)) -gt 8192 ]; then
	echo "$img: first PT_LOAD at file offset $off: multiboot header beyond 8 KiB" >&2
	exit 1
fi
magic=$(od -An -tx4 -j "$off" -N4 "$img" | tr -d ' ')
if [ "$magic" != 1badb002 ]; then
	echo "$img: no multiboot header at file offset $off (found $magic)" >&2
	exit 1
fi
