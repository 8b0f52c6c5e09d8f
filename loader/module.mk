# The blob loader: ELF/ar parsing (shared with host tools), ET_REL and ET_DYN
# linking, x86-64 relocations, link namespaces, the blob execution context.
IMAGE_SRCS += $(wildcard loader/*.c loader/*.S)

# --- test blobs: objects gcc really produces, loaded at run time by the e2e
# scripts (tests/e2e/loader*.sh).  One variant per code model / flag set;
# tests/e2e/loader.sh checks with readelf which relocation types each emits.
LT := $(B)/loader-tests
RT_VARIANTS := pic pie nopic medium mediumpic large largepic noplt norelax
RT_FLAGS_pic := -fPIC
RT_FLAGS_pie := -fPIE
RT_FLAGS_nopic := -fno-pic
RT_FLAGS_medium := -mcmodel=medium -fno-pic
RT_FLAGS_mediumpic := -mcmodel=medium -fPIC
RT_FLAGS_large := -mcmodel=large -fno-pic
RT_FLAGS_largepic := -mcmodel=large -fPIC
RT_FLAGS_noplt := -fPIC -fno-plt
RT_FLAGS_norelax := -fPIC -Wa,-mrelax-relocations=no
RT_FLAGS_desc := -fPIC -mtls-dialect=gnu2
BLOB_CFLAGS := -O2 -fcommon -fno-stack-protector -fcf-protection=none

$(LT)/rt_main_%.o: tests/blobs/rt_main.c
	@mkdir -p $(@D)
	$(HOSTCC) $(BLOB_CFLAGS) $(RT_FLAGS_$*) -c $< -o $@
$(LT)/rt_other_%.o: tests/blobs/rt_other.c
	@mkdir -p $(@D)
	$(HOSTCC) $(BLOB_CFLAGS) $(RT_FLAGS_$*) -c $< -o $@
$(LT)/ssp.o: tests/blobs/ssp.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-all -c $< -o $@
$(LT)/tls_%.o: tests/blobs/tls.c
	@mkdir -p $(@D)
	$(HOSTCC) $(BLOB_CFLAGS) $(RT_FLAGS_$*) -c $< -o $@
$(LT)/%.o: tests/blobs/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(BLOB_CFLAGS) -fPIC -c $< -o $@
$(LT)/%.o: tests/blobs/%.s
	@mkdir -p $(@D)
	$(HOSTCC) -c $< -o $@
# libt.a: rt_other (needed by rt_main) and unrelated (needed by nobody);
# libl.a: a member whose name needs the "//" table; libthin.a: thin.
$(LT)/libt.a: $(LT)/rt_other_pic.o $(LT)/unrelated.o
	rm -f $@ && ar rcs $@ $^
$(LT)/libl.a: $(LT)/a_member_with_a_long_name.o $(LT)/dup_c.o
	rm -f $@ && ar rcs $@ $^
$(LT)/libthin.a: $(LT)/rt_other_pic.o
	rm -f $@ && ar rcsT $@ $^
# The libz driver: known answers from Debian's libz.a / libz.so.1.
$(LT)/zdrv.o: tests/blobs/zdrv.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -fstack-protector-strong -c $< -o $@

LOADER_TEST_BLOBS := $(foreach v,$(RT_VARIANTS),$(LT)/rt_main_$(v).o $(LT)/rt_other_$(v).o) \
	$(patsubst tests/blobs/%.c,$(LT)/%.o,$(filter-out tests/blobs/so_%.c,$(wildcard tests/blobs/*.c))) \
	$(patsubst tests/blobs/%.s,$(LT)/%.o,$(wildcard tests/blobs/*.s)) \
	$(LT)/libt.a $(LT)/libl.a $(LT)/libthin.a $(LT)/tls_pic.o $(LT)/tls_pie.o $(LT)/tls_nopic.o $(LT)/tls_desc.o
TEST_DEPS += $(LOADER_TEST_BLOBS)

FUZZ_TARGETS += $(B)/fuzz/fuzz_loader
# The fuzz build of core code records no header dependencies: rebuild the
# loader's objects there when its headers change.
$(patsubst %.c,$(B)/fuzzobj/%.o,$(wildcard loader/*.c)): $(wildcard loader/*.h include/loader/*.h include/core/*.h)

# make bench: bench/loader.c links the libz driver natively against the same
# Debian libz.a the VMM loads as a blob.
BENCH_PROGS += $(B)/bench/loader
$(B)/bench/loader: bench/loader.c $(LT)/zdrv.o $(LT)/zclosure.o
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -o $@ $< $(LT)/zdrv.o /usr/lib/x86_64-linux-gnu/libz.a -ldl

# Shared objects for the ET_DYN path: libsoneedy.so has DT_NEEDED libsodep.so.
$(LT)/libsodep.so: tests/blobs/so_dep.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -shared -Wl,-soname,libsodep.so -o $@ $<
$(LT)/libsoneedy.so: tests/blobs/so_needy.c $(LT)/libsodep.so
	$(HOSTCC) -O2 -fPIC -shared -Wl,-soname,libsoneedy.so -o $@ $< -L$(LT) -lsodep
$(LT)/libsotls.so: tests/blobs/tlsvar.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -shared -o $@ $<
# The IFUNC blob as a shared object, and linked natively (the reference).
$(LT)/libsoifunc.so: tests/blobs/ifunc.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -fPIC -shared -o $@ $<
# -z now: ld.so runs the program's IRELATIVE resolvers before it would
# bind the resolver's own lazy call to __x86_get_cpuid_feature_leaf.
$(LT)/ifunc-host: tests/blobs/ifunc.c tests/loader/ifunc_host.c
	@mkdir -p $(@D)
	$(HOSTCC) -O2 -Wl,-z,now -o $@ $^
$(LT)/ifunc_fault.o: tests/blobs/ifunc_bad.c
	@mkdir -p $(@D)
	$(HOSTCC) $(BLOB_CFLAGS) -fPIC -DFAULT -c $< -o $@
TEST_DEPS += $(LT)/libsodep.so $(LT)/libsoneedy.so $(LT)/libsotls.so $(LT)/libsoifunc.so $(LT)/ifunc-host \
	$(LT)/ifunc_fault.o

# loader/internal.h stays private to loader/ (others use include/loader/introspect.h)
TEST_SCRIPTS += loader/check-private.sh

# The loader with each of its heap allocations failing in turn (ld --wrap
# injects the failure; ASan catches a NULL used later).
OOM_WRAP := $(foreach f,heap_alloc heap_zalloc heap_alloc_aligned heap_realloc heap_strdup,-Wl,--wrap=$(f))
$(B)/tests/loader/oom_loader: tests/loader/oom_loader.c $(B)/libcore-host.a tests/unit/host_plat.c tests/tap.h \
		| $(LT)/unres.o $(LT)/rt_main_pic.o $(LT)/libt.a $(LT)/libsodep.so
	@mkdir -p $(@D)
	$(HOSTCC) $(TEST_CFLAGS) -no-pie -Itests -o $@ $< tests/unit/host_plat.c $(B)/libcore-host.a $(OOM_WRAP)
TEST_PROGS += $(B)/tests/loader/oom_loader
