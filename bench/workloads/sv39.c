// sv39: an MMU-heavy system-mode workload. On bare metal the program sets up
// Sv39 page tables (priv spec 4.4), enters S-mode with translation on, and
// each iteration
//   1. rewrites 2048 leaf PTEs so a 8 MiB virtual window maps a new
//      permutation of a 8 MiB physical pool (4 KiB pages), then sfence.vma,
//   2. touches the window's pages in pseudo-random order (a read-modify-write
//      of eight words per touch), so almost every touch misses the TLB and
//      walks three levels of tables,
// while the CLINT's machine timer interrupts every millisecond of mtime and
// an M-mode handler re-arms it (the checksum never depends on the interrupts,
// whose timing differs between machines). At the end S-mode ecalls to M-mode,
// which reports.
// The native and Linux builds (-DBENCH_NATIVE) do the same work on the same
// pool with the permutation applied in software, so the checksum proves the
// MMU translated every access as the page tables said.
#include "bench.h"

#ifndef ITERS
#define ITERS 300
#endif

#define PAGE 4096u
#define POOL_PAGES 2048u  // 8 MiB: a power of two, so (a*i + b) mod N with odd a is a permutation
#define TOUCHES (POOL_PAGES * 4u)

static uint8_t pool[POOL_PAGES * PAGE] __attribute__((aligned(4096)));

// Window page i maps to pool page (a*i + b) mod N for this round's a (odd) and b.
static inline uint32_t permute(uint32_t i, uint32_t a, uint32_t b) { return (a * i + b) & (POOL_PAGES - 1); }

static void pool_init(void) {
  bench_rng r = {0x5eed5eed12345678ULL};
  uint64_t *w = (uint64_t *)pool;
  for (uint32_t i = 0; i < POOL_PAGES * PAGE / 8; i++) w[i] = bench_next(&r);
}

#ifdef BENCH_NATIVE

static void remap(uint32_t a, uint32_t b) { (void)a, (void)b; }
static inline uint64_t *window_page(uint32_t page, uint32_t a, uint32_t b) {
  return (uint64_t *)(pool + (size_t)permute(page, a, b) * PAGE);
}

#else  // bare metal: M-mode set-up, S-mode work

#define WINDOW_VA 0x100000000ULL  // root index 4: its own level-1 and level-0 tables
#define PTE_V 1u
#define PTE_R 2u
#define PTE_W 4u
#define PTE_X 8u
#define PTE_A 64u
#define PTE_D 128u
#define CLINT_MTIMECMP ((volatile uint64_t *)0x2004000UL)
#define CLINT_MTIME ((volatile uint64_t *)0x200bff8UL)
#define TIMER_PERIOD 10000u  // 1 ms at the virt board's 10 MHz timebase

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t level1[512] __attribute__((aligned(4096)));
static uint64_t level0[POOL_PAGES] __attribute__((aligned(4096)));  // four level-0 tables, back to back
static uint8_t trap_stack[4096] __attribute__((aligned(16)));
static volatile uint64_t timer_interrupts;

static inline uint64_t pte_table(const void *next) { return (((uint64_t)(uintptr_t)next >> 12) << 10) | PTE_V; }

// Rewrites the window's leaf PTEs for this round's permutation (S-mode, through the identity map).
static void remap(uint32_t a, uint32_t b) {
  for (uint32_t i = 0; i < POOL_PAGES; i++) {
    uint64_t pa = (uint64_t)(uintptr_t)(pool + (size_t)permute(i, a, b) * PAGE);
    level0[i] = ((pa >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
  }
  __asm__ volatile("sfence.vma" ::: "memory");
}

static inline uint64_t *window_page(uint32_t page, uint32_t a, uint32_t b) {
  (void)a, (void)b;
  return (uint64_t *)(uintptr_t)(WINDOW_VA + (uint64_t)page * PAGE);
}

#endif

static uint64_t work(void) {
  bench_rng r = {0x0123456789abcdefULL};
  uint64_t sum = 0;
  for (uint32_t round = 0; round < ITERS; round++) {
    uint32_t a = ((uint32_t)bench_next(&r) | 1u) & (POOL_PAGES - 1);
    uint32_t b = (uint32_t)bench_next(&r) & (POOL_PAGES - 1);
    remap(a, b);
    for (uint32_t t = 0; t < TOUCHES; t++) {
      uint32_t page = bench_below(&r, POOL_PAGES);
      uint64_t *p = window_page(page, a, b) + ((t * 8u) & (PAGE / 8 - 8));
      uint64_t x = p[0] ^ p[1] ^ p[2] ^ p[3] ^ p[4] ^ p[5] ^ p[6] ^ p[7];
      p[t & 7] = bench_mix64(x + t);
      sum = bench_fold(sum, x);
    }
  }
  return sum;
}

static const bench_expect expected[] = {
    {300, 0xdc1a5f6cde483ebfull},
    {10, 0x52952988354bb617ull},
};

#ifdef BENCH_NATIVE

int main(void) {
  pool_init();
  return bench_report("sv39", ITERS, work(), expected, sizeof expected / sizeof expected[0]);
}

#else

static uint64_t result;

// S-mode: the measured work, then back to M-mode with ecall.
__attribute__((noreturn)) void sv39_supervisor(void) {
  result = work();
  __asm__ volatile("ecall");
  for (;;) {
  }
}

// Called from trap_entry (below) with mcause.
void sv39_trap(uint64_t cause) {
  if (cause == ((1ULL << 63) | 7)) {  // machine timer interrupt
    *CLINT_MTIMECMP = *CLINT_MTIME + TIMER_PERIOD;
    timer_interrupts++;
    return;
  }
  if (cause == 9) {  // ecall from S-mode: the work is done
    bench_puts("timer interrupts ");
    bench_put_u64(timer_interrupts);
    bench_puts("\n");
    rt_exit(bench_report("sv39", ITERS, result, expected, sizeof expected / sizeof expected[0]));
  }
  uint64_t tval;
  __asm__ volatile("csrr %0, mtval" : "=r"(tval));
  bench_puts("unexpected trap, mcause ");
  bench_put_hex(cause);
  bench_puts(" mtval ");
  bench_put_hex(tval);
  bench_puts("\n");
  rt_exit(3);
}

// M-mode trap entry: switch to trap_stack (mscratch), save the caller-saved
// registers, call sv39_trap(mcause), restore, mret.
__asm__(
    "  .text\n"
    "  .align 4\n"
    "sv39_trap_entry:\n"
    "  csrrw sp, mscratch, sp\n"
    "  addi sp, sp, -128\n"
    "  sd ra, 0(sp)\n  sd t0, 8(sp)\n  sd t1, 16(sp)\n  sd t2, 24(sp)\n"
    "  sd a0, 32(sp)\n  sd a1, 40(sp)\n  sd a2, 48(sp)\n  sd a3, 56(sp)\n"
    "  sd a4, 64(sp)\n  sd a5, 72(sp)\n  sd a6, 80(sp)\n  sd a7, 88(sp)\n"
    "  sd t3, 96(sp)\n  sd t4, 104(sp)\n  sd t5, 112(sp)\n  sd t6, 120(sp)\n"
    "  csrr a0, mcause\n"
    "  call sv39_trap\n"
    "  ld ra, 0(sp)\n  ld t0, 8(sp)\n  ld t1, 16(sp)\n  ld t2, 24(sp)\n"
    "  ld a0, 32(sp)\n  ld a1, 40(sp)\n  ld a2, 48(sp)\n  ld a3, 56(sp)\n"
    "  ld a4, 64(sp)\n  ld a5, 72(sp)\n  ld a6, 80(sp)\n  ld a7, 88(sp)\n"
    "  ld t3, 96(sp)\n  ld t4, 104(sp)\n  ld t5, 112(sp)\n  ld t6, 120(sp)\n"
    "  addi sp, sp, 128\n"
    "  csrrw sp, mscratch, sp\n"
    "  mret\n");
extern char sv39_trap_entry[];

int main(void) {
  pool_init();
  // Identity-map the gigapage holding RAM (0x8000_0000..0xbfff_ffff) for S-mode code, data and the tables.
  root[2] = ((0x80000000ULL >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
  root[WINDOW_VA >> 30] = pte_table(level1);
  for (uint32_t t = 0; t < POOL_PAGES / 512; t++) level1[t] = pte_table(&level0[t * 512]);
  // PMP entry 0: all of memory, RWX, so S-mode may access it (priv spec 3.7; QEMU enforces this).
  __asm__ volatile("csrw pmpaddr0, %0" ::"r"(~0ULL >> 10));
  __asm__ volatile("csrw pmpcfg0, %0" ::"r"(0x1fULL));
  __asm__ volatile("csrw mscratch, %0" ::"r"(trap_stack + sizeof trap_stack));
  __asm__ volatile("csrw mtvec, %0" ::"r"(sv39_trap_entry));
  *CLINT_MTIMECMP = *CLINT_MTIME + TIMER_PERIOD;
  __asm__ volatile("csrs mie, %0" ::"r"(1ULL << 7));  // MTIE: taken in S-mode whatever mstatus.MIE says
  __asm__ volatile("csrw satp, %0" ::"r"((8ULL << 60) | ((uint64_t)(uintptr_t)root >> 12)));
  __asm__ volatile("sfence.vma" ::: "memory");
  // mret to S-mode (MPP = 1) at sv39_supervisor, on the same stack (identity-mapped).
  uint64_t mstatus;
  __asm__ volatile("csrr %0, mstatus" : "=r"(mstatus));
  mstatus = (mstatus & ~(3ULL << 11)) | (1ULL << 11);
  __asm__ volatile("csrw mstatus, %0" ::"r"(mstatus));
  __asm__ volatile("csrw mepc, %0\n mret" ::"r"(sv39_supervisor));
  return 0;
}

#endif
