IMAGE_SRCS += $(wildcard core/*.c core/*.S)
