HOSTED_SRCS += $(wildcard platform/hosted/*.c platform/hosted/*.S)
# The code a hosted domain's child keeps (hdomain_stub.c): nothing outside
# its section may be called from it, so no jump tables in .rodata and no
# loops turned into memset/memcpy calls; its functions stay between the
# brackets the file's top-level asm puts around them.
$(B)/obj/platform/hosted/hdomain_stub.o: CORE_CFLAGS += -fno-jump-tables -fno-tree-loop-distribute-patterns \
	-fno-toplevel-reorder
# tests/e2e/hosted_domain.sh: raw system calls from a domain
TEST_DEPS += $(B)/domain-tests/rawsys.o
