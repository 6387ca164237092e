// malloc-strings: C library work for the Linux (process mode) benchmark.
// Each iteration
//   1. builds a pool of pseudo-random strings, each in its own malloc'd block
//      (lengths 3..60, copied in with memcpy from a scratch buffer),
//   2. sorts the pointers with qsort and a strcmp comparator,
//   3. walks the sorted pool: strlen, a byte hash, duplicates counted with
//      strcmp, adjacent pairs joined into a fresh block (memcpy) and freed,
//   4. frees a pseudo-random half of the pool and refills it (fragmentation),
//      then sorts and hashes again,
// and frees everything. Only string contents, lengths and comparison signs go
// into the checksum (never addresses or strcmp magnitudes, which differ
// between C libraries), so the result is the same under glibc on riscv64 and
// on the host. Built only as a Linux program (needs libc): with -DBENCH_NATIVE.
#include "bench.h"

#ifndef BENCH_NATIVE
#error "malloc-strings needs a C library: build it with -DBENCH_NATIVE"
#endif

#ifndef ITERS
#define ITERS 24
#endif

#define POOL 3000u
#define MAXLEN 60u

static char *pool[POOL];

static char *make_string(bench_rng *r) {
  char tmp[MAXLEN + 1];
  uint32_t len = 3 + bench_below(r, MAXLEN - 2);
  // A small alphabet and a few shared prefixes, so strcmp often goes deep.
  uint32_t prefix = bench_below(r, 4);
  for (uint32_t i = 0; i < len; i++)
    tmp[i] = (char)('a' + (i < prefix * 3 ? (uint8_t)(prefix + i) % 6u : bench_below(r, 12)));
  tmp[len] = 0;
  char *s = malloc(len + 1);
  if (!s) exit(2);
  memcpy(s, tmp, len + 1);
  return s;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint64_t hash_str(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001b3ULL;
  return h;
}

static uint64_t walk(uint64_t sum) {
  uint32_t dups = 0;
  for (uint32_t i = 0; i < POOL; i++) {
    size_t n = strlen(pool[i]);
    sum = bench_fold(sum, hash_str(pool[i], n) + n);
    if (i > 0) {
      int c = strcmp(pool[i - 1], pool[i]);
      if (c > 0) sum = bench_fold(sum, 0xbad);  // not sorted: changes the checksum
      if (c == 0) dups++;
    }
    if (i & 1) {
      size_t m = strlen(pool[i - 1]);
      char *joined = malloc(m + n + 2);
      if (!joined) exit(2);
      memcpy(joined, pool[i - 1], m);
      joined[m] = '-';
      memcpy(joined + m + 1, pool[i], n + 1);
      sum = bench_fold(sum, hash_str(joined, strlen(joined)));
      free(joined);
    }
  }
  return bench_fold(sum, dups);
}

int main(void) {
  bench_rng r = {0x6d616c6c6f632121ULL};
  uint64_t sum = 0;
  for (uint32_t it = 0; it < ITERS; it++) {
    for (uint32_t i = 0; i < POOL; i++) pool[i] = make_string(&r);
    qsort(pool, POOL, sizeof pool[0], cmp);
    sum = walk(sum);
    for (uint32_t i = 0; i < POOL; i++)
      if (bench_below(&r, 2)) {
        free(pool[i]);
        pool[i] = make_string(&r);
      }
    qsort(pool, POOL, sizeof pool[0], cmp);
    sum = walk(sum);
    for (uint32_t i = 0; i < POOL; i++) free(pool[i]);
  }
  static const bench_expect expect[] = {
      {1, 0x49e24df8266df340ULL},
      {24, 0x3b67d065f47b8687ULL},
  };
  return bench_report("malloc-strings", ITERS, sum, expect, BENCH_COUNT(expect));
}
