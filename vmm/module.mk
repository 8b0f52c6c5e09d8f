# The hypervisor (AMD SVM) runs only on bare metal: its sources join the pc
# image, not the hosted VMM.
PC_SRCS += $(wildcard vmm/svm/*.c vmm/svm/*.S)
