HOSTED_SRCS += $(wildcard platform/hosted/*.c platform/hosted/*.S)
