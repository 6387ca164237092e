/*
 * sbi-check: an S-mode payload that calls every SBI function edgevm-sbi
 * offers and prints one line per check, then shuts down through SRST with
 * status 42 (edgevm-sbi's reason 0xF0000000 | status). Loaded where a
 * kernel goes (0x8020_0000); runs with paging off, so buffers are physical.
 */
#include <stdint.h>

struct sbiret { long error; long value; };

static struct sbiret ecall(long eid, long fid, long a0, long a1, long a2)
{
	register long r0 __asm__("a0") = a0, r1 __asm__("a1") = a1, r2 __asm__("a2") = a2;
	register long r6 __asm__("a6") = fid, r7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ r0, r1 };
}

static long legacy(long eid, long a0)
{
	register long r0 __asm__("a0") = a0, r7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(r0) : "r"(r7) : "memory", "a1");
	return r0;
}

#define EXT_BASE 0x10
#define EXT_TIME 0x54494D45
#define EXT_IPI 0x735049
#define EXT_RFENCE 0x52464E43
#define EXT_HSM 0x48534D
#define EXT_SRST 0x53525354
#define EXT_DBCN 0x4442434E

static unsigned long strlen_s(const char *s) { unsigned long n = 0; while (s[n]) n++; return n; }

static void print(const char *s)
{
	ecall(EXT_DBCN, 0, (long)strlen_s(s), (long)s, 0);
}

static void print_num(long v)
{
	char buf[24];
	int i = 23;
	int neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
	buf[i] = 0;
	do { buf[--i] = '0' + u % 10; u /= 10; } while (u);
	if (neg) buf[--i] = '-';
	print(buf + i);
}

static void check(const char *name, long got, long want)
{
	print(got == want ? "ok   " : "FAIL ");
	print(name);
	print(" = ");
	print_num(got);
	print("\n");
}

static volatile int ticks;

void s_trap(void)
{
	unsigned long cause;
	__asm__ volatile("csrr %0, scause" : "=r"(cause));
	if (cause == ((1UL << 63) | 5)) { /* supervisor timer */
		ticks++;
		ecall(EXT_TIME, 0, -1, 0, 0); /* no further tick: clears STIP */
	}
}

extern void s_trap_entry(void);

void s_main(void)
{
	struct sbiret r = ecall(EXT_BASE, 0, 0, 0, 0);
	check("base.spec_version", r.value, 2L << 24);
	check("base.impl_id", ecall(EXT_BASE, 1, 0, 0, 0).value, 0x65646776);
	static const long exts[] = { EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM, EXT_SRST, EXT_DBCN, 0x01 };
	static const char *names[] = { "TIME", "IPI", "RFENCE", "HSM", "SRST", "DBCN", "legacy putchar" };
	for (int i = 0; i < 7; i++) {
		print("probe ");
		check(names[i], ecall(EXT_BASE, 3, exts[i], 0, 0).value, 1);
	}
	check("probe PMU (absent)", ecall(EXT_BASE, 3, 0x504D55, 0, 0).value, 0);
	check("unknown extension error", ecall(0x12345678, 0, 0, 0, 0).error, -2);

	legacy(0x01, 'L'); legacy(0x01, '\n');
	const char msg[] = "dbcn write\n";
	check("dbcn.write count", ecall(EXT_DBCN, 0, sizeof msg - 1, (long)msg, 0).value, sizeof msg - 1);
	ecall(EXT_DBCN, 2, 'B', 0, 0); ecall(EXT_DBCN, 2, '\n', 0, 0);
	check("dbcn.write high address", ecall(EXT_DBCN, 0, 1, (long)msg, 1).error, -3);

	check("hsm.get_status(0)", ecall(EXT_HSM, 2, 0, 0, 0).value, 0);
	check("hsm.get_status(5) error", ecall(EXT_HSM, 2, 5, 0, 0).error, -3);
	check("hsm.hart_start(0) error", ecall(EXT_HSM, 0, 0, 0x80200000, 0).error, -6);

	check("rfence.fence_i", ecall(EXT_RFENCE, 0, 1, 0, 0).error, 0);
	check("rfence.sfence_vma", ecall(EXT_RFENCE, 1, 1, 0, 0).error, 0);

	unsigned long sip;
	check("ipi.send_ipi(self)", ecall(EXT_IPI, 0, 1, 0, 0).error, 0);
	__asm__ volatile("csrr %0, sip" : "=r"(sip));
	check("sip.SSIP after ipi", (long)((sip >> 1) & 1), 1);
	__asm__ volatile("csrc sip, %0" ::"r"(2UL));
	check("ipi.send_ipi(hart 3 only)", ecall(EXT_IPI, 0, 1, 3, 0).error, 0);
	__asm__ volatile("csrr %0, sip" : "=r"(sip));
	check("sip.SSIP stays clear", (long)((sip >> 1) & 1), 0);

	/* TIME: a tick arrives as a supervisor timer interrupt */
	__asm__ volatile("csrw stvec, %0" ::"r"(s_trap_entry));
	__asm__ volatile("csrs sie, %0" ::"r"(1UL << 5));
	unsigned long now;
	__asm__ volatile("rdtime %0" : "=r"(now));
	check("time.set_timer", ecall(EXT_TIME, 0, (long)(now + 10000), 0, 0).error, 0);
	__asm__ volatile("csrs sstatus, %0" ::"r"(2UL));
	for (long spins = 0; !ticks && spins < 100000000; spins++)
		__asm__ volatile("wfi");
	__asm__ volatile("csrc sstatus, %0" ::"r"(2UL));
	check("timer ticks", ticks, 1);
	unsigned long later;
	__asm__ volatile("rdtime %0" : "=r"(later));
	check("tick not before its time", later >= now + 10000, 1);

	print("shutting down with status 42\n");
	ecall(EXT_SRST, 0, 0, 0xF0000000L | 42, 0);
	print("FAIL srst returned\n");
	for (;;)
		;
}
