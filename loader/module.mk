# The blob loader: ELF/ar parsing (shared with host tools), ET_REL and ET_DYN
# linking, x86-64 relocations, link namespaces, the blob execution context.
VMM_SRCS += $(wildcard loader/*.c loader/*.S)
