/* dbgsh: `guest start', `guest info', `guest regs'. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/heap.h>
#include <core/platform.h>
#include <core/string.h>
#include <pc/fwguest.h>
#include <pc/memmap.h>
#include <pc/smp.h>
#include "linux.h"
#include "vmm.h"

static struct vcpu vcpu0;
static bool vcpu_ready, guest_started;

#define DEFAULT_CMDLINE "console=ttyS1 nokaslr"

static int
read_module(const char *path, void **buf, size_t *len)
{
	int rc = plat_file_read(path, buf, len);

	if (rc)
		kprintf("guest: %s: %s\n", path, rc == -2 ? "no such module" : "cannot read");
	return rc;
}

/* What both ways of starting share: the backend, the vCPUs, the APs'
 * hand-over, the run until the guest stops.  prepare fills the BSP's state. */
static int
guest_run(const char *what, int (*prepare)(struct vcpu *v, void *ctx), void *ctx)
{
	const struct vmm_backend *ops;
	const char *why;
	int naps;

	if (guest_started) {
		kprintf("guest: already started (one guest per boot)\n");
		return 1;
	}
	if (!(ops = vmm_backend_pick(&why))) {
		kprintf("guest: cannot run a guest: %s\n", why);
		return 1;
	}
	if (!vcpu_ready) {
		if (vmm_vcpu_init(&vcpu0, ops)) {
			kprintf("guest: out of memory for the %s control block and its tables\n", ops->name);
			return 1;
		}
		vcpu_ready = true;
	}
	if ((naps = vmm_vcpus_prepare(&vcpu0)) < 0) {
		kprintf("guest: out of memory for the APs' %s control blocks\n", ops->name);
		return 1;
	}
	if (prepare(&vcpu0, ctx))
		return 1;
	guest_started = true;
	pc_smp_give_to_guest(ops->vcpu_init_ap != NULL);
	if (naps)
		kprintf("hv: %d AP%s wait%s for the guest's INIT/SIPI, to run under the VMM\n",
			naps, naps > 1 ? "s" : "", naps > 1 ? "" : "s");
	kprintf("hv: starting the guest (%s): %s\n", ops->name, what);
	vmm_run_guest(&vcpu0);
	vmm_vcpus_stop();
	kprintf("hv: guest stopped (%s) after %llu exits\n",
		vcpu0.stop_reason ? vcpu0.stop_reason : "?", (unsigned long long)vcpu0.exits);
	return 0;
}

struct linux_args {
	void *kernel, *initrd;
	size_t klen, ilen;
	const char *cmdline;
};

static int
linux_prepare(struct vcpu *v, void *ctx)
{
	struct linux_args *a = ctx;

	return linux_boot_prepare(v, a->kernel, a->klen, a->initrd, a->ilen, a->cmdline);
}

static int
cmd_guest_start(int argc, char **argv)
{
	const char *kpath = argc > 1 ? argv[1] : "vmlinuz";
	const char *ipath = argc > 2 ? argv[2] : "initrd";
	char cmdline[2048] = "";
	struct linux_args a = { .cmdline = cmdline };
	int rc = 1;

	if (pc_fw_guest()) {
		kprintf("guest: the firmware is the guest of this boot (blobvisor.efi's `boot' line)\n");
		return 1;
	}
	if (pc_vmm_end() >= pc_ram_top()) {
		kprintf("guest: no RAM left for a guest: boot with vmm.mem=SIZE\n");
		return 1;
	}
	for (int i = 3; i < argc; i++) {
		size_t n = strlen(cmdline);

		snprintf(cmdline + n, sizeof(cmdline) - n, "%s%s", n ? " " : "", argv[i]);
	}
	if (!*cmdline)
		strcpy(cmdline, DEFAULT_CMDLINE);
	if (!read_module(kpath, &a.kernel, &a.klen) && !read_module(ipath, &a.initrd, &a.ilen))
		rc = guest_run(cmdline, linux_prepare, &a);
	heap_free(a.kernel);
	heap_free(a.initrd);
	return rc;
}
DBGSH_COMMAND("guest start", cmd_guest_start,
	      "boot Linux as the guest (SVM or VMX): guest start [KERNEL [INITRD [CMDLINE...]]]");

static int
fw_prepare(struct vcpu *v, void *ctx)
{
	return fw_guest_prepare(v);
}

static int
cmd_guest_firmware(int argc, char **argv)
{
	if (!pc_fw_guest()) {
		kprintf("guest: no firmware to resume: the VMM was not started by blobvisor.efi's `boot' line\n");
		return 1;
	}
	return guest_run("the firmware, back from blobvisor.efi's call", fw_prepare, NULL);
}
DBGSH_COMMAND("guest firmware", cmd_guest_firmware,
	      "resume the UEFI firmware that started the VMM, as the guest (run at boot)");

static int
cmd_guest_info(int argc, char **argv)
{
	u64 exits = 0, by_kind[X_KINDS] = { 0 }, by_port[3] = { 0 }, ns = 0;

	if (!vcpu_ready) {
		kprintf("guest: none started\n");
		return 0;
	}
	for (int i = 0; i < vmm_nvcpus; i++) {
		const struct vcpu *v = vmm_vcpus[i];

		if (!v)
			continue;
		exits += v->exits;
		ns += v->run_ns;
		for (int k = 0; k < X_KINDS; k++)
			by_kind[k] += v->exits_by_kind[k];
		for (int k = 0; k < 3; k++)
			by_port[k] += v->ioio_by_port[k];
	}
	kprintf("guest: %s, %llu exits in %llu ms in the guest (%s)\n",
		vcpu0.running ? "running" : vcpu0.stop_reason ? vcpu0.stop_reason : "stopped",
		(unsigned long long)exits, (unsigned long long)(ns / 1000000), vcpu0.ops->name);
	for (int i = 0; i < X_KINDS; i++)
		kprintf("  %-9s %llu\n", vm_exit_kind_names[i], (unsigned long long)by_kind[i]);
	kprintf("  ioio by port: pci address %llu, pci data %llu, other %llu\n",
		(unsigned long long)by_port[0], (unsigned long long)by_port[1],
		(unsigned long long)by_port[2]);
	if (vmm_nvcpus > 1) {
		static const char *const states[] = { [AP_DOWN] = "not started by the guest",
			[AP_WAIT_SIPI] = "INIT, waiting for SIPI", [AP_STARTING] = "starting",
			[AP_RUNNING] = "running", [AP_STOPPED] = "stopped" };

		for (int i = 0; i < vmm_nvcpus; i++) {
			const struct vcpu *v = vmm_vcpus[i];

			if (v)
				kprintf("  cpu %d (APIC %u): %s, %llu exits\n", i, v->apic_id,
					i ? states[v->ap_state] : v->running ? "running" : "stopped",
					(unsigned long long)v->exits);
		}
	}
	{
		const struct pci_hide_stats *ps = pci_hide_stats();

		kprintf("  pci address writes: bus 0 %llu, other buses %llu, hidden %llu, disabled %llu\n",
			(unsigned long long)ps->bus0, (unsigned long long)ps->other_bus,
			(unsigned long long)ps->hidden, (unsigned long long)ps->disabled);
	}
	return 0;
}
DBGSH_GUEST_COMMAND("guest info", cmd_guest_info, "the guest's state and exit counts");

static int
cmd_guest_regs(int argc, char **argv)
{
	if (!vcpu_ready) {
		kprintf("guest: none started\n");
		return 1;
	}
	vcpu0.ops->dump(&vcpu0);
	return 0;
}
DBGSH_COMMAND("guest regs", cmd_guest_regs, "the guest's registers at its last exit");
