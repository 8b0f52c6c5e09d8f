/* The firmware as the first guest: the vCPU's state is the CPU as
 * blobvisor.efi's call into the VMM left it (recorded by boot_efi.S, see
 * include/pc/fwguest.h), so the guest's first instruction is the one after
 * that call, with RAX = 0 (EFI_SUCCESS): the loader, now guest code, goes
 * on to start the OS through the firmware.  Segment registers hold only
 * selectors at that point; their attributes, limits and bases come from
 * the firmware's GDT, as the CPU loaded them. */
#include <core/console.h>
#include <core/string.h>
#include <pc/fwguest.h>
#include <pc/memmap.h>
#include "vmm.h"

static const char *const seg_names[] = { "ES", "CS", "SS", "DS", "FS", "GS", "TR", "LDTR" };

/* One selector's descriptor; system descriptors (TR, LDTR) are 16 bytes in
 * long mode.  Null: an unusable segment (attributes 0).  0 or -1. */
static int
seg_from_gdt(struct vm_seg *s, int which, u16 sel, u64 gdt, u16 limit)
{
	bool sys = which == FW_TR || which == FW_LDTR;
	u64 d, hi = 0;

	*s = (struct vm_seg){ sel, 0, 0, 0 };
	if (!(sel & ~3))
		return 0;
	if ((sel & 4) || (u32)(sel & ~7) + (sys ? 15 : 7) > limit ||
	    gdt + limit >= pc_ram_top() || pc_vmm_overlaps(gdt, limit + 1ULL)) {
		kprintf("hv: firmware: %s selector %#x is not in its GDT (%#llx, limit %#x)\n",
			seg_names[which], sel, (unsigned long long)gdt, limit);
		return -1;
	}
	memcpy(&d, (const u8 *)gdt + (sel & ~7), 8);
	if (sys)
		memcpy(&hi, (const u8 *)gdt + (sel & ~7) + 8, 8);
	s->attrib = (u16)(((d >> 40) & 0xff) | ((d >> 52) & 0xf) << 8);
	s->limit = (u32)((d & 0xffff) | ((d >> 32) & 0xf0000));
	if (d & (1ULL << 55))		/* G: 4 KiB units */
		s->limit = s->limit << 12 | 0xfff;
	s->base = ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24 | (sys ? (hi & 0xffffffff) << 32 : 0);
	return 0;
}

static struct vm_seg *
seg_slot(struct vm_state *s, int which)
{
	switch (which) {
	case FW_ES: return &s->es;
	case FW_CS: return &s->cs;
	case FW_SS: return &s->ss;
	case FW_DS: return &s->ds;
	case FW_FS: return &s->fs;
	case FW_GS: return &s->gs;
	case FW_TR: return &s->tr;
	default: return &s->ldtr;
	}
}

int
fw_guest_prepare(struct vcpu *v)
{
	const struct pc_fw_state *fw = pc_fw_guest();
	struct vm_state *s = &v->s;
	u64 gdt;
	u16 glimit;

	if (!v->ops->load_fpu) {
		kprintf("hv: the firmware as the guest needs the SVM backend (not done for %s yet)\n",
			v->ops->name);
		return -1;
	}
	memcpy(&glimit, fw->gdtr, 2);
	memcpy(&gdt, fw->gdtr + 2, 8);
	for (int i = FW_ES; i <= FW_LDTR; i++)
		if (seg_from_gdt(seg_slot(s, i), i, fw->sel[i], gdt, glimit))
			return -1;
	if (!fw->sel[FW_TR])		/* no TSS: VMRUN still wants a busy one */
		s->tr = (struct vm_seg){ 0, 0x8b, 0xffff, 0 };
	s->fs.base = fw->fs_base;	/* 64-bit bases live in the MSRs */
	s->gs.base = fw->gs_base;
	s->gdtr = (struct vm_seg){ 0, 0, glimit, gdt };
	memcpy(&s->idtr.limit, fw->idtr, 2);
	s->idtr.limit &= 0xffff;
	memcpy(&s->idtr.base, fw->idtr + 2, 8);
	s->cpl = (s->ss.attrib >> 5) & 3;
	s->rip = fw->rip;
	s->rflags = fw->rflags | 2;
	s->cr0 = fw->cr0;
	s->cr3 = fw->cr3;
	s->cr4 = fw->cr4;
	s->efer = fw->efer;
	s->dr7 = fw->dr7;
	s->pat = fw->pat;
	s->kernel_gs_base = fw->kernel_gs_base;
	s->star = fw->star;
	s->lstar = fw->lstar;
	s->cstar = fw->cstar;
	s->sfmask = fw->sfmask;
	s->sysenter_cs = fw->sysenter_cs;
	s->sysenter_esp = fw->sysenter_esp;
	s->sysenter_eip = fw->sysenter_eip;
	memcpy(v->gpr, fw->gpr, sizeof(v->gpr));
	v->gpr[R_AX] = 0;		/* EFI_SUCCESS from the call */
	v->ops->load_state(v);
	v->ops->load_fpu(v, fw->fpu, sizeof(fw->fpu), fw->xcr0);
	kprintf("hv: firmware resumes at %#llx (rsp %#llx, cr3 %#llx, cs %#x), VMM keeps",
		(unsigned long long)s->rip, (unsigned long long)v->gpr[R_SP],
		(unsigned long long)s->cr3, s->cs.selector);
	{
		u64 r[4][2];
		int n = pc_vmm_ranges(r, 4);

		for (int i = 0; i < n; i++)
			kprintf(" %#llx..%#llx", (unsigned long long)r[i][0], (unsigned long long)r[i][1]);
	}
	kprintf("\n");
	return 0;
}
