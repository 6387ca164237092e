/* Output through the Linux write system call (no C library). */
#include "lib.h"

static long syscall3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

void put_bytes(const char *s, long n) { syscall3(64, 1, (long)s, n); }

void put_str(const char *s) {
  long n = 0;
  while (s[n]) n++;
  put_bytes(s, n);
}

void put_int(long v) {
  char buf[24];
  int i = 23;
  unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
  buf[i] = '\n';
  do {
    buf[--i] = '0' + u % 10;
    u /= 10;
  } while (u);
  if (v < 0) buf[--i] = '-';
  put_bytes(buf + i, 24 - i);
}
