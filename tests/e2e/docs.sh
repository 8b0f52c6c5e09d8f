#!/usr/bin/env bash
# The docs keep up with the shell: every command `help' lists, on the hosted
# VMM and on bare metal (build/blobvisor-pc.elf under QEMU), appears in
# README.md or docs/*.md as a code span (`NAME` or `NAME ARGS...`).  A
# failure names each undocumented command and the platform that has it.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
DOCS=(README.md docs/*.md)

documented() {	# NAME: in a code span of its own, or at the start of one
	grep -qF -e "\`$1\`" -e "\`$1 " "${DOCS[@]}"
}

undocumented() {	# PLATFORM NAMES: prints one line per missing command
	local name
	while read -r name; do
		[[ -n $name ]] || continue
		documented "$name" ||
			echo "# undocumented: \`$name' ($1 \`help'): add it to docs/architecture.md or README.md"
	done <<<"$2"
}

hosted=$("$BV" -c 'help --names' 2>&1)
pc=$(timeout 50 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
	-serial stdio -monitor none -no-reboot -nodefaults -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel build/blobvisor-pc.elf -append "-c 'help --names'" </dev/null 2>&1 | tr -d '\r' |
	sed -n '/^[a-z][a-z0-9 _-]*$/p')

check "help --names lists the hosted commands (help, version, blob load among them)" \
	bash -c 'grep -qx help <<<"$1" && grep -qx version <<<"$1" && grep -qx "blob load" <<<"$1"' _ "$hosted"
check "help --names lists the bare-metal commands (pci list, guest start among them)" \
	bash -c 'grep -qx "pci list" <<<"$1" && grep -qx "guest start" <<<"$1"' _ "$pc"
missing=$(undocumented hosted "$hosted"; undocumented pc "$pc")
[[ -n $missing ]] && echo "$missing" | sort -u
check "every hosted command is documented" bash -c '! grep -q "(hosted" <<<"$1"' _ "$missing"
check "every bare-metal command is documented" bash -c '! grep -q "(pc" <<<"$1"' _ "$missing"
# The check itself must be able to fail: a name no doc has is caught.
check "an undocumented name is reported (control)" \
	contains "$(undocumented hosted "no-such-command-xyzzy")" "undocumented: \`no-such-command-xyzzy' (hosted"
done_testing
