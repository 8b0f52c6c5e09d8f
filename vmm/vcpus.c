/* Every processor runs its guest side under the VMM.  The BSP's vCPU boots
 * the guest; each AP's vCPU is made ready on the BSP before the guest runs
 * (allocation is single-threaded then) and waits, with its processor idle
 * in the VMM, for the guest's INIT and start-up IPIs (lapic.c): the SIPI
 * hands the processor its vCPU, which begins in real mode at the vector's
 * page as a real AP would.  An AP's guest side never runs outside the VMM.
 * When the BSP's guest stops, the APs stop at their next exit. */
#include <core/console.h>
#include <core/heap.h>
#include <core/platform.h>
#include <core/spinlock.h>
#include <core/string.h>
#include <core/time.h>
#include <pc/apic.h>
#include <pc/io.h>
#include <pc/smp.h>
#include "vmm.h"

struct vcpu *vmm_vcpus[VMM_MAX_VCPUS];
int vmm_nvcpus;

/* A recursive lock: an exit handler that holds it may stop the guest,
 * which prints under it again. */
static spinlock_t big;
static volatile int owner = -1;
static int depth;

void
vmm_lock(void)
{
	int me = pc_smp_this_cpu();

	if (__atomic_load_n(&owner, __ATOMIC_RELAXED) == me) {
		depth++;
		return;
	}
	spin_lock(&big);
	owner = me;
	depth = 1;
}

/* The exit fast path's way in (svm_fast_exit): it runs with GIF clear,
 * before the VMM's own state is back, so it never waits; when another
 * processor holds the lock the exit takes the ordinary path, which does.
 * No recursion: the fast path is entered from the guest, never from VMM
 * code that holds the lock. */
bool
vmm_trylock(int cpu)
{
	if (!spin_trylock(&big))
		return false;
	owner = cpu;
	depth = 1;
	return true;
}

void
vmm_unlock(void)
{
	if (--depth)
		return;
	owner = -1;
	spin_unlock(&big);
}

int
vmm_vcpus_prepare(struct vcpu *bsp)
{
	int n = MIN(pc_ncpus(), VMM_MAX_VCPUS);

	bsp->cpu = 0;
	bsp->apic_id = pc_smp_apic_id(0);
	bsp->ap_state = AP_RUNNING;
	vmm_vcpus[0] = bsp;
	vmm_nvcpus = 1;
	if (!bsp->ops->vcpu_init_ap)
		return 0;
	for (int i = 1; i < n; i++) {
		struct vcpu *v = vmm_vcpus[i];

		if (!v) {
			if (!(v = heap_alloc(sizeof(*v))))
				return -1;
			memset(v, 0, sizeof(*v));
			v->ops = bsp->ops;
			if (bsp->ops->vcpu_init_ap(v, bsp))
				return -1;
			vmm_vcpus[i] = v;
		}
		v->cpu = i;
		v->apic_id = pc_smp_apic_id(i);
		v->ap_state = AP_DOWN;
		vmm_nvcpus = i + 1;
	}
	return vmm_nvcpus - 1;
}

static struct vcpu *
by_apic(struct vcpu *from, u32 apic_id, const char *what)
{
	int i = pc_smp_cpu_by_apic(apic_id);

	if (i > 0 && i < vmm_nvcpus && vmm_vcpus[i])
		return vmm_vcpus[i];
	if (i != 0)
		kprintf("hv: guest CPU %d: %s to APIC ID %u: no such processor under the VMM; dropped\n",
			from->cpu, what, apic_id);
	return NULL;
}

void
vmm_ap_init(struct vcpu *from, u32 apic_id)
{
	struct vcpu *v;

	vmm_lock();
	v = by_apic(from, apic_id, "INIT");
	if (v && (v->ap_state == AP_DOWN || v->ap_state == AP_WAIT_SIPI)) {
		v->ap_state = AP_WAIT_SIPI;
	} else if (v && (v->ap_state == AP_RUNNING || v->ap_state == AP_STARTING) && v != from) {
		/* A running CPU is reset, as the hardware does (the firmware's
		 * MP services start their APs this way each time, Linux after
		 * them): its processor leaves guest mode at the kick's NMI and
		 * waits in ap_main for the SIPI. */
		v->init_pending = true;
		__atomic_store_n(&v->ap_state, AP_WAIT_SIPI, __ATOMIC_RELEASE);
		pc_smp_kick(v->cpu);
	}
	vmm_unlock();
}

/* The INIT state, then real mode at vector:0000 (as the hardware leaves an
 * AP after INIT-SIPI). */
static void
sipi_state(struct vcpu *v)
{
	struct vm_state *s = &v->s;
	u32 r[4];

	memset(s, 0, sizeof(*s));
	memset(v->gpr, 0, sizeof(v->gpr));
	s->cs = (struct vm_seg){ (u16)(v->sipi_vector << 8), 0x9b, 0xffff, (u64)v->sipi_vector << 12 };
	s->ds = (struct vm_seg){ 0, 0x93, 0xffff, 0 };
	s->es = s->ss = s->fs = s->gs = s->ds;
	s->gdtr = (struct vm_seg){ 0, 0, 0xffff, 0 };
	s->idtr = s->gdtr;
	s->ldtr = (struct vm_seg){ 0, 0x82, 0xffff, 0 };
	s->tr = (struct vm_seg){ 0, 0x8b, 0xffff, 0 };
	s->cr0 = 0x10;			/* ET */
	s->rflags = 0x2;
	s->dr7 = 0x400;
	s->pat = 0x0007040600070406ULL;
	cpuid(1, 0, r);
	v->gpr[R_DX] = r[0];		/* family/model/stepping, as after reset */
}

static u64 host_fs;			/* the core's FS base at rest (the BSP's) */
static volatile bool guest_over;	/* the BSP's guest stopped: APs follow */
static volatile bool parked[VMM_MAX_VCPUS];	/* its processor waits in ap_main */

/* After an INIT: the processor waits here, in the VMM, for the SIPI
 * (vmm_ap_sipi sets AP_STARTING) or the end of the guest. */
static bool
wait_sipi(struct vcpu *v)
{
	while (__atomic_load_n(&v->ap_state, __ATOMIC_ACQUIRE) == AP_WAIT_SIPI)
		if (guest_over)
			return false;
		else
			__builtin_ia32_pause();
	return true;
}

/* On the AP, its whole life as a guest CPU: runs from SIPI to INIT, as
 * often as the guest starts it. */
static void
ap_main(void *arg)
{
	struct vcpu *v = arg;
	unsigned starts = 0;

	plat_set_fs_base(host_fs);	/* the core expects its own at rest */
	if (v->ops->cpu_enable(v)) {
		v->ap_state = AP_STOPPED;
		return;
	}
	for (;;) {
		sipi_state(v);
		v->ops->load_state(v);
		v->ap_state = AP_RUNNING;
		vmm_lock();
		kprintf("hv: guest CPU %d (APIC %u) starts at %04x:0000 in guest mode%s\n", v->cpu,
			v->apic_id, v->sipi_vector << 8, starts++ ? " (again, after INIT)" : "");
		vmm_unlock();
		vmm_run_guest(v);
		if (!v->init_pending || guest_over)
			break;
		pc_apic_reset_local();	/* INIT resets the local APIC too */
		parked[v->cpu] = true;
		v->init_pending = false;
		if (!wait_sipi(v))	/* the SIPI may be here already */
			break;
		parked[v->cpu] = false;
	}
	parked[v->cpu] = false;
	v->ap_state = AP_STOPPED;
	pc_apic_reset_local();		/* the guest's timer and LVTs end here */
	vmm_lock();
	kprintf("hv: guest CPU %d stopped (%s) after %llu exits\n", v->cpu,
		v->stop_reason ? v->stop_reason : "?", (unsigned long long)v->exits);
	vmm_unlock();
}

void
vmm_ap_sipi(struct vcpu *from, u32 apic_id, u8 vector)
{
	struct vcpu *v;

	vmm_lock();
	v = by_apic(from, apic_id, "start-up IPI");
	if (v && v->ap_state == AP_WAIT_SIPI && (parked[v->cpu] || v->init_pending)) {
		v->sipi_vector = vector;	/* ap_main takes it from here */
		__atomic_store_n(&v->ap_state, AP_STARTING, __ATOMIC_RELEASE);
	} else if (v && v->ap_state == AP_WAIT_SIPI) {
		v->sipi_vector = vector;
		v->ap_state = AP_STARTING;
		host_fs = plat_get_fs_base();
		if (pc_smp_start_guest_cpu(v->cpu, ap_main, v)) {
			kprintf("hv: guest CPU %d (APIC %u): its processor is not idle in the VMM; "
				"not started\n", v->cpu, apic_id);
			v->ap_state = AP_STOPPED;
		}
	}
	/* otherwise: the second SIPI of the pair, or one without INIT: ignored */
	vmm_unlock();
}

bool
vmm_guest_over(const struct vcpu *v)
{
	return v->cpu && guest_over;
}

/* After the BSP's guest stopped: the APs stop at their next exit; wait
 * for them (up to a second) so that the shell runs alone again. */
void
vmm_vcpus_stop(void)
{
	u64 t0 = time_now_ns();
	int left;

	guest_over = true;
	do {
		left = 0;
		for (int i = 1; i < vmm_nvcpus; i++)
			if (vmm_vcpus[i] && (vmm_vcpus[i]->ap_state == AP_RUNNING ||
					     vmm_vcpus[i]->ap_state == AP_STARTING))
				left++;
	} while (left && time_now_ns() - t0 < 1000000000ULL);
	if (left)
		kprintf("hv: %d guest CPU%s did not exit within 1 s of the guest's stop\n",
			left, left > 1 ? "s" : "");
}
