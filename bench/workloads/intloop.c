// intloop: integer, branch-heavy work. Each iteration runs
//   1. a sieve of Eratosthenes over 64 Ki bytes (stores, nested loops),
//   2. Collatz trajectories for a window of starting values (unpredictable
//      branches, 64-bit multiply/shift),
//   3. a hash/dispatch loop: a pseudo-random opcode stream drives a switch
//      over arithmetic, rotates, popcount-by-loop and Euclid's gcd (div/rem),
// and folds every result into a 64-bit checksum.
#include "bench.h"

#ifndef ITERS
#define ITERS 60
#endif

#define SIEVE_N 65536u
#define COLLATZ_SPAN 2048u
#define DISPATCH_STEPS 40000u

static uint8_t sieve_buf[SIEVE_N];

static uint32_t sieve(uint32_t n) {
  for (uint32_t i = 0; i < n; i++) sieve_buf[i] = 1;
  sieve_buf[0] = sieve_buf[1] = 0;
  for (uint32_t i = 2; i * i < n; i++) {
    if (!sieve_buf[i]) continue;
    for (uint32_t j = i * i; j < n; j += i) sieve_buf[j] = 0;
  }
  uint32_t count = 0;
  for (uint32_t i = 0; i < n; i++) count += sieve_buf[i];
  return count;
}

static uint64_t collatz(uint64_t base, uint32_t span) {
  uint64_t total = 0, longest = 0, peak = 0;
  for (uint64_t n0 = base; n0 < base + span; n0++) {
    uint64_t n = n0, steps = 0;
    while (n != 1) {
      if (n & 1)
        n = 3 * n + 1;
      else
        n >>= 1;
      if (n > peak) peak = n;
      steps++;
    }
    total += steps;
    if (steps > longest) longest = steps;
  }
  return total ^ (longest << 32) ^ (peak * 31);
}

static inline uint64_t rotl64(uint64_t x, unsigned r) { return (x << r) | (x >> ((64 - r) & 63)); }

static uint32_t bitcount(uint64_t x) {
  uint32_t c = 0;
  while (x) {
    x &= x - 1;
    c++;
  }
  return c;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
  while (b) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static uint64_t dispatch(uint64_t seed, uint32_t steps) {
  bench_rng rng = {seed | 1};
  uint64_t h = 0xcbf29ce484222325ULL, acc = 1;
  uint32_t a32 = 7;
  for (uint32_t i = 0; i < steps; i++) {
    uint64_t x = bench_next(&rng);
    switch ((x >> 59) & 7) {
      case 0:  // FNV-1a over the low 4 bytes
        for (int k = 0; k < 4; k++) {
          h ^= (x >> (8 * k)) & 0xff;
          h *= 0x100000001b3ULL;
        }
        break;
      case 1:
        h = rotl64(h, (unsigned)(x & 63)) + x;
        break;
      case 2:
        acc += bitcount(x & 0xffff0000ffffULL);
        break;
      case 3:
        acc += gcd((x & 0xfffff) + 1, (x >> 20 & 0xffff) + 1);
        break;
      case 4:  // 32-bit arithmetic (addw/mulw/sraw paths on RV64)
        a32 = a32 * 1103515245u + (uint32_t)x;
        h += (uint64_t)(int64_t)((int32_t)a32 >> 7);
        break;
      case 5:
        h ^= (x % 1000003u) * (acc | 1);
        break;
      case 6:
        if ((int64_t)x < 0)
          acc -= x >> 40;
        else
          acc += x >> 44;
        break;
      default:
        h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL;
        acc ^= h;
        break;
    }
  }
  return h ^ rotl64(acc, 17);
}

int main(void) {
  uint64_t sum = 0;
  for (uint32_t it = 0; it < ITERS; it++) {
    uint32_t primes = sieve(SIEVE_N - (it & 7) * 1024);
    sum = bench_fold(sum, primes);
    sum = bench_fold(sum, collatz(1000000u + (uint64_t)it * COLLATZ_SPAN, COLLATZ_SPAN));
    sum = bench_fold(sum, dispatch(0x1234567ULL + it, DISPATCH_STEPS));
  }
  // Reference checksums for the small and full variants (bench/workloads/workloads.txt).
  static const bench_expect expect[] = {
      {3, 0xc719c4a20564ddf5ULL},
      {60, 0xce657b5621239e74ULL},
  };
  return bench_report("intloop", ITERS, sum, expect, BENCH_COUNT(expect));
}
