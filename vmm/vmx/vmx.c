/* The Intel VMX backend: not written yet; the CPU's VMX is reported. */
#include "../vmm.h"

static bool
vmx_supported(const char **why)
{
	*why = "the CPU has VMX, and blobvisor's VMX backend is not written yet";
	return false;
}

const struct vmm_backend vmx_backend = {
	.name = "vmx",
	.hypercall_insn = "vmcall",
	.supported = vmx_supported,
};
