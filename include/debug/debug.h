/* The blob debugger: disassembly (Zydis, loaded through the blob loader),
 * symbolisation, code patching, hooks, breakpoints, import tracing and the
 * fault diagnosis that runs for every exception in blob code. */
#ifndef DEBUG_DEBUG_H
#define DEBUG_DEBUG_H

#include <core/types.h>

struct blob;

/* One decoded instruction. */
struct dis_insn {
	u64 addr;
	unsigned len;
	char text[160];		/* AT&T syntax, targets symbolised */
	bool call, jump, cond, ret;	/* control flow */
	bool relative;		/* branch with a PC-relative immediate */
	u64 target;		/* its absolute target */
	bool riprel;		/* a %rip-relative memory operand */
	u64 mem;		/* its absolute address */
	u8 disp_off, disp_size;	/* where the displacement sits in the bytes */
	u8 imm_off, imm_size;	/* where the relative immediate sits */
	/* operands for the fault diagnosis's data flow; registers as indices
	 * into struct cpu_regs (rax=0 ... r15=15), -1 for none */
	int dst;		/* first operand when it is a register */
	int mem_base;		/* base register of the memory operand */
	s64 mem_disp;
	bool is_mov;		/* mov/movzx/movsx: dst = memory or register */
};

/* Load Zydis on first use (hosted: Debian's libZydis.so.4.0; bare metal:
 * the multiboot module of that name).  0 or -1 with a line printed. */
int dis_init(void);
/* Decode the instruction at addr.  0, or -1 if undecodable / no Zydis. */
int dis_decode(u64 addr, struct dis_insn *out);
/* Print n instructions from addr, marking `mark' (0: none) with "=>". */
void dis_print(u64 addr, unsigned n, u64 mark);
/* The path dis_init loads (settable for tests with `dis lib PATH'). */
extern const char *dis_zydis_path;

/* "memcpy", "DIC_Open+0x12", "libz.a(inflate.o):inflate+0x1c", or NULL. */
const char *dbg_symbolize(u64 addr, char *buf, size_t size, bool with_obj);
/* SYM, SYM+OFF, BLOB:SYM[+OFF] or a number -> address.  Prints a line on failure. */
bool dbg_parse_addr(const char *spec, u64 *addr);

/* Write to code: make the pages writable (plat_protect), copy, restore. */
int dbg_text_write(u64 addr, const void *bytes, size_t len);
/* Same for any blob page (GOT, PLT stubs), leaving it prot_after. */
int dbg_write(u64 addr, const void *bytes, size_t len, int prot_after);
/* Does a lie in memory that belongs to blob b? */
bool dbg_addr_in_blob(const struct blob *b, u64 a);
/* May the debugger read 8 bytes at a without faulting? */
bool dbg_readable(u64 a);
/* Overlay the original bytes that breakpoints and hooks replaced in
 * buf = copy of [addr, addr+n); returns "bp"/"hook" if one starts at addr. */
const char *patch_show_original(u64 addr, u8 *buf, size_t n);
/* Blob b goes away: drop every record that points into it. */
void dis_forget(const struct blob *b);
void patch_forget(const struct blob *b);
void hook_forget(const struct blob *b);
void trace_forget(const struct blob *b);
/* Is b the blob the disassembler lives in (never traced)? */
bool dis_is_zydis(const struct blob *b);

/* Import tracing: the last calls blobs made into core exports. */
void trace_print_last(unsigned n);
/* The last import recorded by `trace on' (for the watchdog report), NULL
 * when nothing was recorded. */
const char *trace_last_import(void);
/* The export a trace thunk stands for, or NULL. */
const char *trace_thunk_name(u64 a);
/* A fault or abort unwound blob code: forget the calls in flight. */
void trace_unwound(void);

#endif
