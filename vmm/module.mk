# The hypervisor runs only on bare metal: its sources join the pc image, not
# the hosted VMM.  vmm/ is the vendor-neutral core, vmm/svm and vmm/vmx the
# two backends, chosen at run time by CPUID.
PC_SRCS += $(wildcard vmm/*.c vmm/svm/*.c vmm/svm/*.S vmm/vmx/*.c vmm/vmx/*.S)
