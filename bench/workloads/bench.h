// Platform layer for the edgevm benchmark workloads.
//
// The same workload file builds two ways:
//   guest   bare-metal RISC-V ELF on tests/guest/rt (no libc): bench/build.sh
//   native  host program with gcc -O2 -DBENCH_NATIVE (printf/exit): bench/run.mjs
//
// Every workload prints the same lines on both:
//   <name> iters=<N>
//   checksum 0x<16 hex digits>
//   instret <retired instructions>          (guest only, read with rdinstret)
//   ok | MISMATCH expected 0x... | unchecked (no reference for iters=N)
// and exits 0 when the checksum matches the reference for that ITERS value.
//
// Portability rules the workloads follow so that the checksums are identical
// on RISC-V and on the host: fixed-width integer types only (no plain char
// arithmetic: char is unsigned on RISC-V, signed on x86), no undefined or
// implementation-defined behaviour, no libm beyond IEEE-exact operations
// (+ - * / sqrt, and explicit fma), and both builds use -ffp-contract=off so
// the compiler never fuses a*b+c on one side only.
#ifndef EDGEVM_BENCH_H
#define EDGEVM_BENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef BENCH_NATIVE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void bench_puts(const char *s) { fputs(s, stdout); }
static inline void bench_put_u64(uint64_t v) { printf("%llu", (unsigned long long)v); }
static inline void bench_put_hex(uint64_t v) { printf("0x%016llx", (unsigned long long)v); }
static inline int bench_has_instret(void) { return 0; }
static inline uint64_t bench_instret(void) { return 0; }
static inline void bench_flush(void) { fflush(stdout); }

#else  // bare-metal guest on tests/guest/rt

#include "rt.h"

static inline void bench_puts(const char *s) { rt_puts(s); }
static inline void bench_put_u64(uint64_t v) { rt_put_u64(v); }
static inline void bench_put_hex(uint64_t v) { rt_put_hex(v); }
static inline int bench_has_instret(void) { return 1; }
static inline uint64_t bench_instret(void) { return rt_rdinstret(); }
static inline void bench_flush(void) {}

// Freestanding versions live in bench_guest.c (GCC may emit calls to these).
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif

// ---- helpers shared by the workloads ---------------------------------------

// 64-bit finaliser (a bijective mixer), used to fold values into checksums.
static inline uint64_t bench_mix64(uint64_t x) {
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ULL;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dULL;
  x ^= x >> 33;
  return x;
}

static inline uint64_t bench_fold(uint64_t sum, uint64_t v) {
  return bench_mix64(sum ^ (v + 0x9e3779b97f4a7c15ULL + (sum << 6) + (sum >> 2)));
}

// xorshift64* generator: deterministic inputs without libc rand().
typedef struct {
  uint64_t s;
} bench_rng;

static inline uint64_t bench_next(bench_rng *r) {
  uint64_t x = r->s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  r->s = x;
  return x * 0x2545f4914f6cdd1dULL;
}

// Uniform-ish value in [0, n) without division (multiply-shift).
static inline uint32_t bench_below(bench_rng *r, uint32_t n) {
  return (uint32_t)(((bench_next(r) >> 32) * (uint64_t)n) >> 32);
}

typedef struct {
  uint32_t iters;
  uint64_t checksum;
} bench_expect;

// Prints the result lines and returns the exit code (0 = checksum matches).
static inline int bench_report(const char *name, uint32_t iters, uint64_t checksum,
                               const bench_expect *table, size_t n) {
  uint64_t instret = bench_instret();
  bench_puts(name);
  bench_puts(" iters=");
  bench_put_u64(iters);
  bench_puts("\nchecksum ");
  bench_put_hex(checksum);
  bench_puts("\n");
  if (bench_has_instret()) {
    bench_puts("instret ");
    bench_put_u64(instret);
    bench_puts("\n");
  }
  int code = 0;
  size_t i;
  for (i = 0; i < n; i++)
    if (table[i].iters == iters) break;
  if (i == n) {
    bench_puts("unchecked (no reference for iters=");
    bench_put_u64(iters);
    bench_puts(")\n");
  } else if (table[i].checksum == checksum) {
    bench_puts("ok\n");
  } else {
    bench_puts("MISMATCH expected ");
    bench_put_hex(table[i].checksum);
    bench_puts("\n");
    code = 1;
  }
  bench_flush();
  return code;
}

#define BENCH_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
