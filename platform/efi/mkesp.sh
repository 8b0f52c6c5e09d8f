#!/usr/bin/env bash
# mkesp.sh IMAGE CFG [FILE...]: an EFI system partition for blobvisor.efi as
# a FAT image, made with mkfs.vfat and mtools (no root, no loop device):
#   \EFI\BOOT\BOOTX64.EFI      build/blobvisor.efi (the firmware's default)
#   \blobvisor\blobvisor.cfg   CFG ("-": standard input)
#   \blobvisor\NAME            each FILE, by its basename
# The image is sized to its contents plus 4 MiB.
set -eu
[[ $# -ge 2 ]] || { echo "usage: mkesp.sh IMAGE CFG [FILE...]" >&2; exit 2; }
img=$1 cfg=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
efi=${BV_EFI:-$top/build/blobvisor.efi}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if [[ $cfg == - ]]; then cat >"$tmp"; else cp "$cfg" "$tmp"; fi
kib=$(( $(du -Lck "$efi" "$tmp" "$@" | tail -1 | cut -f1) + 4096 ))
rm -f "$img"
mkfs.vfat -C "$img" "$kib" >/dev/null
mmd -i "$img" ::/EFI ::/EFI/BOOT ::/blobvisor
mcopy -i "$img" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$img" "$tmp" ::/blobvisor/blobvisor.cfg
for f in "$@"; do
	mcopy -i "$img" "$f" "::/blobvisor/$(basename "$f")"
done
