#!/bin/sh
# The protection-domain guest's checks (tests/hv/hv_domain.sh reads the
# output): a hostile blob in a domain of the VMM, driven from this guest
# through bvsh (vmm.guest_cmds lets it), is told to read and write this
# guest's memory (a page bvcanary watches) and the VMM's text and data;
# each attempt must be denied and named, the domain reloaded, the page
# intact, the VMM's checksum unchanged, and the vendor blob (in its own
# domain) must still pass `rockey 5'.
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
text=$(arg bv.text) data=$(arg bv.data)
reload() { bvsh blob unload hostile.o >/dev/null; bvsh blob load --domain hostile.o >/dev/null; }
echo "domaincheck: vmm text $text data $data"
bvsh pc cksum
bvcanary 'bvsh blob call hostile_read %p'
reload
bvcanary 'bvsh blob call hostile_write %p'
reload
bvsh blob call hostile_write "$text"
reload
bvsh blob call hostile_write "$data"
reload
bvsh blob call hostile_read "$data"
reload
bvsh blob call hostile_call "$text"
reload
bvsh blob call hostile_bad_pointers "$data"
bvsh blob list
bvsh pc cksum
bvsh rockey 5
echo "domaincheck: done"
