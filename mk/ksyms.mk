# Every image carries the core's symbol table (ksyms), made from a first
# link: $(call ksyms_link,OUT,LINKER AND FLAGS,OBJECTS,LIBRARIES,KSYMS)
# links OUT twice, the second time with KSYMS.o (generated KSYMS.S) between
# the objects and the libraries.  The table lives after .text, so text
# addresses do not move; the last step proves it.
define ksyms_link
	$(2) -o $(1).pass1 $(3) $(4)
	tools/gen-ksyms/gen-ksyms.sh $(1).pass1 > $(5).S
	$(CC) -c $(5).S -o $(5).o
	$(2) -o $(1) $(3) $(5).o $(4)
	tools/gen-ksyms/gen-ksyms.sh $(1) | cmp -s - $(5).S || \
		{ echo "ksyms: text moved between link passes" >&2; rm -f $(1); exit 1; }
	rm -f $(1).pass1
endef
