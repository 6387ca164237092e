/*
 * edgevm-sbi: a small M-mode firmware that implements the SBI calls Linux 6.1
 * makes on a one-hart QEMU-virt board (RISC-V SBI specification v2.0):
 *
 *   base (0x10)          spec/impl version, probe, mvendorid/marchid/mimpid
 *   TIME "TIME"          set_timer: stimecmp under Sstc, else CLINT mtimecmp
 *   IPI  "sPI"           send_ipi to this hart: raise SSIP
 *   RFENCE "RFNC"        fence.i, sfence.vma (one hart: local fences)
 *   HSM  "HSM"           hart_get_status, hart_start (hart 0 is running),
 *                        retentive hart_suspend
 *   SRST "SRST"          shutdown/reboot through the sifive,test finisher
 *   DBCN "DBCN"          console write/read/write_byte on the NS16550A
 *   legacy 0x00-0x08     v0.1 set_timer, console_putchar/getchar, ipi,
 *                        fences, shutdown (earlycon=sbi uses putchar)
 *
 * Everything else traps straight to S-mode (medeleg/mideleg), so after boot
 * M-mode runs only for ecalls and, without Sstc, the machine timer.
 * Nothing here reads a clock or keeps state beyond the timer mode: it is as
 * deterministic as the hart that runs it.
 */
#include <stdint.h>

#define UART_BASE     0x10000000UL	/* NS16550A */
#define UART_RBR      0
#define UART_THR      0
#define UART_IER      1
#define UART_LCR      3
#define UART_LSR      5
#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20

#define FINISHER_BASE 0x100000UL	/* sifive,test */
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u
#define FINISHER_RESET 0x7777u

#define CLINT_MTIMECMP0 0x2004000UL

#define FW_DYNAMIC_MAGIC 0x4942534fUL	/* "OSBI", OpenSBI's fw_dynamic.h */
#define KERNEL_DEFAULT   0x80200000UL
#define FW_BASE          0x80000000UL
#define MEGAPAGE         0x200000UL

/* mip/mie bits (privileged spec 3.1.9) */
#define IP_SSIP (1UL << 1)
#define IP_MSIP (1UL << 3)
#define IP_STIP (1UL << 5)
#define IP_MTIP (1UL << 7)
#define IP_SEIP (1UL << 9)
#define IP_LCOFIP (1UL << 13)

#define ENVCFG_STCE  (1UL << 63)
#define ENVCFG_PBMTE (1UL << 62)
#define ENVCFG_CBZE  (1UL << 7)
#define ENVCFG_CBCFE (1UL << 6)
#define ENVCFG_CBIE_FLUSH (1UL << 4)

/* SBI v2.0 chapter 3: error codes */
#define SBI_SUCCESS            0
#define SBI_ERR_FAILED        -1
#define SBI_ERR_NOT_SUPPORTED -2
#define SBI_ERR_INVALID_PARAM -3
#define SBI_ERR_ALREADY_AVAILABLE -6

#define EXT_BASE   0x10
#define EXT_TIME   0x54494D45
#define EXT_IPI    0x735049
#define EXT_RFENCE 0x52464E43
#define EXT_HSM    0x48534D
#define EXT_SRST   0x53525354
#define EXT_DBCN   0x4442434E

#define SBI_SPEC_VERSION ((2UL << 24) | 0)	/* v2.0 */
#define SBI_IMPL_ID      0x65646776UL		/* "edgv": no registered id */
#define SBI_IMPL_VERSION 1

#define CAUSE_INTERRUPT (1UL << 63)
#define CAUSE_ECALL_S   9
#define IRQ_M_TIMER     7

struct frame {
	uint64_t regs[32]; /* x0..x31 by number: a0 = regs[10] */
};
enum { A0 = 10, A1, A2, A3, A4, A5, A6, A7 };

struct fw_dynamic_info {
	uint64_t magic, version, next_addr, next_mode, options, boot_hart;
};

extern char __fw_end[];
static int has_sstc;

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"rK"((uint64_t)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"rK"((uint64_t)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"rK"((uint64_t)(v)))
/* A CSR that may not exist: reads 0 when the probe vector skips the read. */
#define csr_probe(csr) ({ uint64_t v_; __asm__ volatile("li %0, 0\n\tcsrr %0, " #csr : "=&r"(v_) :: "t6"); v_; })
/* Writes a CSR that may not exist; true when the write trapped (boot only:
 * the probe vector sets t6). */
#define csr_missing(csr, v) ({ register uint64_t t6_ __asm__("t6") = 0; \
	__asm__ volatile("csrw " #csr ", %1" : "+r"(t6_) : "r"((uint64_t)(v))); t6_ != 0; })

static inline uint8_t mmio_read8(uint64_t a) { return *(volatile uint8_t *)a; }
static inline void mmio_write8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void mmio_write64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

/* --- console (polled; Linux's 8250 driver takes over the same UART) --- */

static void uart_putc(uint8_t c)
{
	while (!(mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE))
		;
	mmio_write8(UART_BASE + UART_THR, c);
}

static int uart_getc(void)
{
	if (!(mmio_read8(UART_BASE + UART_LSR) & UART_LSR_DR))
		return -1;
	return mmio_read8(UART_BASE + UART_RBR);
}

static void puts_m(const char *s)
{
	while (*s)
		uart_putc((uint8_t)*s++);
}

static void puthex_m(uint64_t v)
{
	for (int shift = 60; shift >= 0; shift -= 4)
		uart_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

/* --- poweroff --- */

static void __attribute__((noreturn)) finish(uint32_t value)
{
	mmio_write32(FINISHER_BASE, value);
	for (;;)
		__asm__ volatile("wfi");
}

static void __attribute__((noreturn)) power_off(uint32_t code)
{
	finish(code == 0 ? FINISHER_PASS : (code << 16) | FINISHER_FAIL);
}

/* --- the device tree: keep Linux off the firmware's memory ---
 * OpenSBI adds a reserved-memory node; editing in place is simpler: the
 * memory node's reg is moved to start at the first megapage after this
 * firmware (where the kernel loads), which changes no sizes in the blob. */

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;
	b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v;
}

static uint64_t get_cells(const uint8_t *p, uint32_t cells)
{
	return cells == 2 ? (uint64_t)be32(p) << 32 | be32(p + 4) : be32(p);
}

static void put_cells(uint8_t *p, uint32_t cells, uint64_t v)
{
	if (cells == 2) {
		put_be32(p, v >> 32);
		put_be32(p + 4, (uint32_t)v);
	} else {
		put_be32(p, (uint32_t)v);
	}
}

static int name_is(const char *s, const char *want)
{
	while (*want)
		if (*s++ != *want++)
			return 0;
	return 1;
}

static uint32_t align4(uint32_t n) { return (n + 3) & ~3u; }

/* Devicetree spec v0.4 chapter 5: the flattened blob's structure block. */
static void fdt_reserve_firmware(uint8_t *fdt, uint64_t reserve_end)
{
	enum { BEGIN_NODE = 1, END_NODE = 2, PROP = 3, NOP = 4, END = 9 };
	if (!fdt || be32(fdt) != 0xd00dfeed)
		return;
	uint8_t *p = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	uint32_t addr_cells = 2, size_cells = 1, depth = 0;
	int in_memory = 0;

	for (;;) {
		uint32_t token = be32(p);
		p += 4;
		if (token == BEGIN_NODE) {
			const char *name = (const char *)p;
			uint32_t len = 0;
			while (name[len])
				len++;
			depth++;
			in_memory = depth == 2 && name_is(name, "memory") &&
				    (name[6] == 0 || name[6] == '@');
			p += align4(len + 1);
		} else if (token == END_NODE) {
			depth--;
			in_memory = 0;
		} else if (token == PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			uint8_t *data = p + 8;
			const char *name = strings + nameoff;
			if (depth == 1 && name_is(name, "#address-cells") && name[14] == 0)
				addr_cells = be32(data);
			else if (depth == 1 && name_is(name, "#size-cells") && name[11] == 0)
				size_cells = be32(data);
			else if (in_memory && name_is(name, "reg") && name[3] == 0) {
				uint32_t entry = 4 * (addr_cells + size_cells);
				for (uint32_t off = 0; off + entry <= len; off += entry) {
					uint64_t base = get_cells(data + off, addr_cells);
					uint64_t size = get_cells(data + off + 4 * addr_cells, size_cells);
					if (base <= FW_BASE && FW_BASE < base + size && reserve_end < base + size) {
						put_cells(data + off, addr_cells, reserve_end);
						put_cells(data + off + 4 * addr_cells, size_cells,
							  base + size - reserve_end);
					}
				}
			}
			p += 8 + align4(len);
		} else if (token == NOP) {
			continue;
		} else {
			return; /* END, or a blob we do not understand */
		}
	}
}

/* --- the timer --- */

static void set_timer(uint64_t when)
{
	if (has_sstc) {
		/* menvcfg.STCE: STIP follows stimecmp; Linux may still ask us */
		csr_write(0x14d, when); /* stimecmp */
		return;
	}
	mmio_write64(CLINT_MTIMECMP0, when);
	csr_clear(mip, IP_STIP);
	csr_set(mie, IP_MTIP);
}

static void machine_timer_interrupt(void)
{
	/* pass the tick down: S-mode sees STIP until it sets a new timer */
	csr_clear(mie, IP_MTIP);
	csr_set(mip, IP_STIP);
}

/* --- the extensions --- */

struct ret {
	long error;
	unsigned long value;
};

static int extension_present(unsigned long id)
{
	switch (id) {
	case EXT_BASE: case EXT_TIME: case EXT_IPI: case EXT_RFENCE:
	case EXT_HSM: case EXT_SRST: case EXT_DBCN:
		return 1;
	default:
		return id <= 0x08; /* the legacy calls */
	}
}

static struct ret base_call(unsigned long fid, unsigned long a0)
{
	switch (fid) {
	case 0: return (struct ret){ SBI_SUCCESS, SBI_SPEC_VERSION };
	case 1: return (struct ret){ SBI_SUCCESS, SBI_IMPL_ID };
	case 2: return (struct ret){ SBI_SUCCESS, SBI_IMPL_VERSION };
	case 3: return (struct ret){ SBI_SUCCESS, (unsigned long)extension_present(a0) };
	case 4: return (struct ret){ SBI_SUCCESS, csr_read(mvendorid) };
	case 5: return (struct ret){ SBI_SUCCESS, csr_read(marchid) };
	case 6: return (struct ret){ SBI_SUCCESS, csr_read(mimpid) };
	default: return (struct ret){ SBI_ERR_NOT_SUPPORTED, 0 };
	}
}

/* hart_mask/hart_mask_base (SBI 3.1): does the set contain hart 0? */
static int mask_has_hart0(unsigned long mask, unsigned long base)
{
	if (base == (unsigned long)-1)
		return 1;
	return base == 0 && (mask & 1);
}

static struct ret ipi_call(unsigned long fid, unsigned long mask, unsigned long base)
{
	if (fid != 0)
		return (struct ret){ SBI_ERR_NOT_SUPPORTED, 0 };
	if (mask_has_hart0(mask, base))
		csr_set(mip, IP_SSIP);
	return (struct ret){ SBI_SUCCESS, 0 };
}

static struct ret rfence_call(unsigned long fid)
{
	switch (fid) {
	case 0: __asm__ volatile("fence.i"); break;
	/* a whole-TLB flush stands for any range or ASID: always enough */
	case 1: case 2: __asm__ volatile("sfence.vma"); break;
	default: return (struct ret){ SBI_ERR_NOT_SUPPORTED, 0 }; /* hfence: no H */
	}
	return (struct ret){ SBI_SUCCESS, 0 };
}

static struct ret hsm_call(unsigned long fid, unsigned long hartid)
{
	switch (fid) {
	case 0: /* hart_start */
		return (struct ret){ hartid == 0 ? SBI_ERR_ALREADY_AVAILABLE : SBI_ERR_INVALID_PARAM, 0 };
	case 2: /* hart_get_status: 0 = STARTED */
		return (struct ret){ hartid == 0 ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM, 0 };
	case 3: /* hart_suspend: only retentive (type 0) */
		if (hartid != 0) /* a0 is suspend_type here */
			return (struct ret){ SBI_ERR_NOT_SUPPORTED, 0 };
		__asm__ volatile("wfi");
		return (struct ret){ SBI_SUCCESS, 0 };
	default: /* hart_stop: the only hart cannot stop */
		return (struct ret){ SBI_ERR_NOT_SUPPORTED, 0 };
	}
}

/* SRST: type 0 shutdown, 1 cold and 2 warm reboot. Reason 1 (system
 * failure) powers off with status 1; the implementation-specific reasons
 * 0xF0000000 | N power off with status N (0..0xffff). */
static struct ret srst_call(unsigned long fid, unsigned long type, unsigned long reason)
{
	if (fid != 0 || type > 2)
		return (struct ret){ fid != 0 ? SBI_ERR_NOT_SUPPORTED : SBI_ERR_INVALID_PARAM, 0 };
	if (type != 0)
		finish(FINISHER_RESET);
	if (reason == 1)
		power_off(1);
	if ((reason & 0xffff0000UL) == 0xf0000000UL)
		power_off(reason & 0xffff);
	power_off(0);
}

/* DBCN: byte buffers by physical address (M-mode accesses are physical). */
static struct ret dbcn_call(unsigned long fid, unsigned long n, unsigned long lo, unsigned long hi)
{
	if (fid == 2) {
		uart_putc((uint8_t)n);
		return (struct ret){ SBI_SUCCESS, 0 };
	}
	if (fid > 1)
		return (struct ret){ SBI_ERR_NOT_SUPPORTED, 0 };
	if (hi != 0)
		return (struct ret){ SBI_ERR_INVALID_PARAM, 0 };
	uint8_t *buf = (uint8_t *)lo;
	unsigned long done = 0;
	if (fid == 0) {
		for (; done < n; done++)
			uart_putc(buf[done]);
	} else {
		for (; done < n; done++) {
			int c = uart_getc();
			if (c < 0)
				break;
			buf[done] = (uint8_t)c;
		}
	}
	return (struct ret){ SBI_SUCCESS, done };
}

/* The v0.1 calls return one value in a0 and leave a1 alone. */
static long legacy_call(unsigned long eid, unsigned long a0)
{
	switch (eid) {
	case 0x00: set_timer(a0); return 0;
	case 0x01: uart_putc((uint8_t)a0); return 0;
	case 0x02: return uart_getc();
	case 0x03: csr_clear(mip, IP_SSIP); return 0;
	case 0x04: csr_set(mip, IP_SSIP); return 0; /* the mask can only be us */
	case 0x05: __asm__ volatile("fence.i"); return 0;
	case 0x06: case 0x07: __asm__ volatile("sfence.vma"); return 0;
	case 0x08: power_off(0);
	default: return SBI_ERR_NOT_SUPPORTED;
	}
}

static void ecall(struct frame *f)
{
	unsigned long eid = f->regs[A7], fid = f->regs[A6];
	unsigned long a0 = f->regs[A0], a1 = f->regs[A1], a2 = f->regs[A2];
	struct ret r;

	f->regs[0] = 0;
	if (eid <= 0x08) {
		f->regs[A0] = (uint64_t)legacy_call(eid, a0);
		return;
	}
	switch (eid) {
	case EXT_BASE: r = base_call(fid, a0); break;
	case EXT_TIME:
		if (fid == 0) {
			set_timer(a0);
			r = (struct ret){ SBI_SUCCESS, 0 };
		} else {
			r = (struct ret){ SBI_ERR_NOT_SUPPORTED, 0 };
		}
		break;
	case EXT_IPI: r = ipi_call(fid, a0, a1); break;
	case EXT_RFENCE: r = rfence_call(fid); break;
	case EXT_HSM: r = hsm_call(fid, a0); break;
	case EXT_SRST: r = srst_call(fid, a0, a1); break;
	case EXT_DBCN: r = dbcn_call(fid, a0, a1, a2); break;
	default: r = (struct ret){ SBI_ERR_NOT_SUPPORTED, 0 }; break;
	}
	f->regs[A0] = (uint64_t)r.error;
	f->regs[A1] = r.value;
}

void sbi_trap(struct frame *f)
{
	uint64_t cause = csr_read(mcause);
	if (cause == (CAUSE_INTERRUPT | IRQ_M_TIMER)) {
		machine_timer_interrupt();
		return;
	}
	if (cause == CAUSE_ECALL_S) {
		ecall(f);
		csr_write(mepc, csr_read(mepc) + 4);
		return;
	}
	/* anything else is a bug here, or a trap medeleg does not send down */
	puts_m("\nedgevm-sbi: unexpected M-mode trap mcause=");
	puthex_m(cause);
	puts_m(" mepc=");
	puthex_m(csr_read(mepc));
	puts_m(" mtval=");
	puthex_m(csr_read(mtval));
	puts_m("\n");
	power_off(0xff);
}

/* --- boot --- */

static void setup_hart(void)
{
	/* Delegate every exception S-mode handles itself (privileged spec
	 * 3.1.8): misaligned, access faults, illegal instruction, breakpoint,
	 * U-mode ecall, page faults; and the S-level interrupts. */
	csr_write(medeleg, (1UL << 0) | (1UL << 1) | (1UL << 2) | (1UL << 3) |
			   (1UL << 4) | (1UL << 5) | (1UL << 6) | (1UL << 7) |
			   (1UL << 8) | (1UL << 12) | (1UL << 13) | (1UL << 15));
	csr_write(mideleg, IP_SSIP | IP_STIP | IP_SEIP | IP_LCOFIP);
	csr_write(mie, 0);
	/* time, cycle, instret readable from S (and U, if S allows) */
	csr_write(mcounteren, 7);
	/* PMP entry 0: all of memory for S and U (NAPOT, RWX); skipped when
	 * the hart has no PMP */
	(void)csr_missing(pmpaddr0, ~0UL >> 10);
	(void)csr_missing(pmpcfg0, 0x1fUL);
	/* menvcfg is WARL: ask for Sstc, Svpbmt and the cache-block ops, keep
	 * what the hart has (privileged spec 3.1.18). Sstc needs stimecmp too
	 * (QEMU 7.2 keeps STCE writable with sstc=off): without it, STCE goes
	 * and the CLINT drives the timer. */
	uint64_t envcfg = ENVCFG_STCE | ENVCFG_PBMTE | ENVCFG_CBZE | ENVCFG_CBCFE | ENVCFG_CBIE_FLUSH;
	if (!csr_missing(menvcfg, envcfg)) {
		/* stimecmp = all ones: no tick until Linux asks for one */
		has_sstc = (csr_probe(menvcfg) & ENVCFG_STCE) && !csr_missing(0x14d, ~0UL);
		if (!has_sstc)
			csr_clear(menvcfg, ENVCFG_STCE);
	}
	csr_write(satp, 0);
	/* the S-mode trap state Linux sets itself; clear what it may test */
	csr_write(stvec, 0);
	csr_write(sie, 0);
	csr_clear(mip, IP_SSIP | IP_STIP);
}

static void uart_init(void)
{
	mmio_write8(UART_BASE + UART_IER, 0);
	mmio_write8(UART_BASE + UART_LCR, 0x03); /* 8N1 */
}

uint64_t sbi_init(uint64_t hartid, uint8_t *fdt, const struct fw_dynamic_info *info)
{
	(void)hartid;
	uint64_t next = KERNEL_DEFAULT;
	if (info && info->magic == FW_DYNAMIC_MAGIC && info->next_addr)
		next = info->next_addr;
	setup_hart();
	uart_init();
	uint64_t fw_end = ((uint64_t)__fw_end + MEGAPAGE - 1) & ~(MEGAPAGE - 1);
	fdt_reserve_firmware(fdt, fw_end);
	return next;
}
