// Freestanding memory functions for the bare-metal guest builds (no libc is
// linked). GCC may call these for struct copies and zeroing. Compiled with
// -fno-tree-loop-distribute-patterns so these loops are not turned back into
// calls to themselves.
#include "bench.h"

typedef uint64_t __attribute__((may_alias)) word64;

void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src;
  if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
    for (; n >= 8; n -= 8, d += 8, s += 8) *(word64 *)d = *(const word64 *)s;
  }
  for (; n; n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src;
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) return memcpy(dst, src, n);
  while (n--) d[n] = s[n];
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = (uint8_t *)dst;
  uint8_t b = (uint8_t)c;
  if (((uintptr_t)d & 7) == 0) {
    uint64_t w = b * 0x0101010101010101ULL;
    for (; n >= 8; n -= 8, d += 8) *(word64 *)d = w;
  }
  for (; n; n--) *d++ = b;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}
