// memory: memory-bound work over a working set of about 6 MiB, far larger
// than an L1 cache (and than the emulator's TLB reach). Each iteration runs
//   1. a dependent pointer chase through a 4 MiB array of 32-bit indices that
//      form a single pseudo-random cycle (every load depends on the last),
//   2. a 1 MiB word copy (memcpy-like) and a 1 MiB fill (memset-like), with
//      byte and half-word tails so narrow loads/stores are exercised too,
//   3. strided reads across the whole chase array (one word per 64 bytes),
//   4. a histogram of pseudo-random increments over 256 KiB of counters.
// The loops are written out (built with -fno-tree-loop-distribute-patterns on
// both sides) so they are not replaced by library calls.
#include "bench.h"

#ifndef ITERS
#define ITERS 45
#endif

#define CHASE_LOG2 20u
#define CHASE_N (1u << CHASE_LOG2)  // 4 MiB of uint32_t
#define CHASE_STEPS (1u << 18)
#define BLOCK_WORDS (1u << 17)      // 1 MiB of uint64_t
#define HIST_N (1u << 16)           // 256 KiB of uint32_t
#define HIST_STEPS (1u << 17)

// Half-word view of dst, declared may_alias (dst is an array of uint64_t).
typedef uint16_t __attribute__((may_alias)) u16_alias;

static uint32_t chase[CHASE_N];
static uint64_t src[BLOCK_WORDS];
static uint64_t dst[BLOCK_WORDS];
static uint32_t hist[HIST_N];

// next(x) = (a*x + c) mod 2^k is a single cycle through all 2^k values when c
// is odd and a = 1 (mod 4) (Hull-Dobell); the successor of index x is stored
// at chase[x], so walking it visits every element in a scattered order.
static void chase_init(void) {
  const uint32_t a = 0x2c9277b5u, c = 0x6a09e667u | 1u;
  for (uint32_t x = 0; x < CHASE_N; x++) chase[x] = (a * x + c) & (CHASE_N - 1);
}

static uint64_t chase_walk(uint32_t *pos, uint32_t steps) {
  uint32_t x = *pos;
  uint64_t sum = 0;
  for (uint32_t i = 0; i < steps; i++) {
    x = chase[x];
    sum += x;
  }
  *pos = x;
  return sum;
}

static uint64_t copy_fill(uint32_t it) {
  uint64_t pattern = bench_mix64(it + 1);
  // memcpy-like: 64-bit words, unrolled by 4.
  for (uint32_t i = 0; i < BLOCK_WORDS; i += 4) {
    dst[i] = src[i];
    dst[i + 1] = src[i + 1];
    dst[i + 2] = src[i + 2];
    dst[i + 3] = src[i + 3];
  }
  // Byte and half-word copies over an odd-aligned window (narrow accesses).
  uint8_t *db = (uint8_t *)dst + 1 + (it & 7);
  const uint8_t *sb = (const uint8_t *)src + 3;
  for (uint32_t i = 0; i < 4096; i++) db[i] = (uint8_t)(sb[i] + 1);
  u16_alias *dh = (u16_alias *)dst + 8192;
  for (uint32_t i = 0; i < 4096; i++) dh[i] = (uint16_t)(dh[i] ^ (uint16_t)i);
  // Fold a sample of the copy before src is overwritten.
  uint64_t sum = 0;
  for (uint32_t i = 0; i < BLOCK_WORDS; i += 61) sum += dst[i] ^ (sum >> 3);
  // memset-like fill of src with a new pattern, then derive it again.
  for (uint32_t i = 0; i < BLOCK_WORDS; i++) src[i] = pattern;
  for (uint32_t i = 0; i < BLOCK_WORDS; i += 2) src[i] ^= dst[i] + i;
  return sum;
}

static uint64_t strided(void) {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < CHASE_N; i += 16) sum += chase[i];
  for (uint32_t i = 7; i < CHASE_N; i += 16 * 17) sum ^= (uint64_t)chase[i] << 20;
  return sum;
}

static uint64_t histogram(bench_rng *rng) {
  for (uint32_t i = 0; i < HIST_STEPS; i++) {
    uint64_t r = bench_next(rng);
    hist[r & (HIST_N - 1)] += 1;
    hist[(r >> 32) & (HIST_N - 1)] += (uint32_t)(r >> 60);
  }
  uint64_t sum = 0;
  for (uint32_t i = 0; i < HIST_N; i += 3) sum = sum * 31 + hist[i];
  return sum;
}

int main(void) {
  bench_rng rng = {0x9d2c5680a5a5a5a5ULL};
  chase_init();
  for (uint32_t i = 0; i < BLOCK_WORDS; i++) src[i] = bench_next(&rng);
  uint64_t sum = 0;
  uint32_t pos = 12345;
  for (uint32_t it = 0; it < ITERS; it++) {
    sum = bench_fold(sum, chase_walk(&pos, CHASE_STEPS));
    sum = bench_fold(sum, copy_fill(it));
    sum = bench_fold(sum, strided());
    sum = bench_fold(sum, histogram(&rng));
    // Perturb the chase array so every iteration walks different data:
    // swapping the successors of x and y keeps a permutation (maybe splitting
    // the cycle, which only changes where the walk goes).
    uint32_t x = pos, y = chase[chase[pos]];
    uint32_t t = chase[x];
    chase[x] = chase[y];
    chase[y] = t;
  }
  // Reference checksums for the small and full variants (bench/workloads/workloads.txt).
  static const bench_expect expect[] = {
      {1, 0xb20eabb9886303e1ULL},
      {45, 0xe39f02196fffa6d2ULL},
  };
  return bench_report("memory", ITERS, sum, expect, BENCH_COUNT(expect));
}
