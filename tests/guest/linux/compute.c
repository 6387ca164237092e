// Integer and floating-point computation: 128-bit arithmetic and division
// edge cases, RISC-V division semantics (by zero, overflow) through inline
// asm, C11 atomics on every width, deep recursion, setjmp/longjmp and libm.
#include <math.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

static void print_u128(const char *label, u128 v) {
  char buf[48];
  int i = 47;
  buf[i] = 0;
  do {
    buf[--i] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v);
  printf("%s%s\n", label, buf + i);
}

static void print_i128(const char *label, i128 v) {
  if (v < 0) {
    printf("%s-", label);
    print_u128("", -(u128)v);
  } else {
    print_u128(label, (u128)v);
  }
}

static void int128(void) {
  volatile u128 max = ~(u128)0;
  volatile i128 min = (i128)((u128)1 << 127);
  volatile u128 a = ((u128)0x0123456789abcdefull << 64) | 0xfedcba9876543210ull;
  volatile u128 b = 0xffffffffffffffffull;
  print_u128("u128 max = ", max);
  print_i128("i128 min = ", min);
  print_i128("i128 max = ", (i128)(max >> 1));
  print_u128("a * b = ", a * b);
  print_u128("a / b = ", a / b);
  print_u128("a % b = ", a % b);
  print_u128("max / 3 = ", max / 3);
  print_u128("max % 1000000007 = ", max % 1000000007u);
  print_i128("min / 7 = ", min / 7);
  print_i128("min % 7 = ", min % 7);
  print_i128("-100 / 7 = ", (i128)-100 / (volatile i128)7);
  print_i128("-100 % 7 = ", (i128)-100 % (volatile i128)7);
  print_u128("2^64 * 2^63 = ", ((u128)1 << 64) * ((u128)1 << 63));
  print_u128("a >> 67 = ", a >> 67);
  print_u128("a << 13 = ", a << 13);
  u128 f = 1;
  for (int i = 2; i <= 34; i++) f *= (u128)i;
  print_u128("34! = ", f);
  volatile uint64_t x = 0xffffffffffffffffull, y = 0xfffffffffffffffeull;
  u128 wide = (u128)x * y;
  printf("mulhu(%llx, %llx) = %llx\n", (unsigned long long)x, (unsigned long long)y, (unsigned long long)(wide >> 64));
  volatile int64_t s = -3;
  printf("mulh(-3, max) = %lld\n", (long long)(((i128)s * (i128)INT64_MAX) >> 64));
}

static int64_t rv_div(int64_t a, int64_t b) {
  int64_t r;
  __asm__ volatile("div %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static int64_t rv_rem(int64_t a, int64_t b) {
  int64_t r;
  __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static uint64_t rv_divu(uint64_t a, uint64_t b) {
  uint64_t r;
  __asm__ volatile("divu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
static int32_t rv_divw(int32_t a, int32_t b) {
  int64_t r;
  __asm__ volatile("divw %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return (int32_t)r;
}
static int32_t rv_remw(int32_t a, int32_t b) {
  int64_t r;
  __asm__ volatile("remw %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return (int32_t)r;
}

static void division(void) {
  printf("div by zero: %lld, rem by zero: %lld, divu by zero: %llx\n", (long long)rv_div(42, 0),
         (long long)rv_rem(42, 0), (unsigned long long)rv_divu(42, 0));
  printf("overflow: min/-1 = %lld, min%%-1 = %lld\n", (long long)rv_div(INT64_MIN, -1), (long long)rv_rem(INT64_MIN, -1));
  printf("32-bit: divw(min,-1) = %d, remw(min,-1) = %d, divw(7,0) = %d, remw(-7,0) = %d\n", rv_divw(INT32_MIN, -1),
         rv_remw(INT32_MIN, -1), rv_divw(7, 0), rv_remw(-7, 0));
  printf("truncation: -7/2 = %lld, -7%%2 = %lld, 7/-2 = %lld, 7%%-2 = %lld\n", (long long)rv_div(-7, 2),
         (long long)rv_rem(-7, 2), (long long)rv_div(7, -2), (long long)rv_rem(7, -2));
}

static void atomics(void) {
  static _Atomic uint8_t a8 = 250;
  static _Atomic uint16_t a16 = 65530;
  static _Atomic uint32_t a32 = 1;
  static _Atomic uint64_t a64 = 1;
  static atomic_flag flag = ATOMIC_FLAG_INIT;
  for (int i = 0; i < 10; i++) {
    atomic_fetch_add(&a8, 1);
    atomic_fetch_add_explicit(&a16, 1, memory_order_relaxed);
    atomic_fetch_xor(&a32, (uint32_t)i << 3);
    atomic_fetch_or(&a64, (uint64_t)1 << (i * 6));
  }
  printf("atomics: u8 %u (wrapped), u16 %u, u32 %u, u64 %llx\n", atomic_load(&a8), atomic_load(&a16), atomic_load(&a32),
         (unsigned long long)atomic_load(&a64));
  uint64_t expected = 5;
  int ok1 = atomic_compare_exchange_strong(&a64, &expected, 7);
  printf("cas with a stale value: %d, saw %llx\n", ok1, (unsigned long long)expected);
  int ok2 = atomic_compare_exchange_strong(&a64, &expected, 7);
  printf("cas again: %d, now %llu\n", ok2, (unsigned long long)atomic_load(&a64));
  uint32_t old = atomic_exchange(&a32, 99);
  uint32_t cur = atomic_load(&a32);
  while (!atomic_compare_exchange_weak(&a32, &cur, cur * 3)) {
  }
  printf("exchange returned %u, weak cas loop gives %u\n", old, atomic_load(&a32));
  int first = atomic_flag_test_and_set(&flag);
  int second = atomic_flag_test_and_set(&flag);
  atomic_flag_clear(&flag);
  printf("flag: %d %d %d\n", first, second, atomic_flag_test_and_set(&flag));
  atomic_fetch_and(&a16, 0x0ff0);
  atomic_fetch_sub(&a8, 10);
  printf("and/sub: u16 %u, u8 %u, lock-free 64: %d\n", atomic_load(&a16), atomic_load(&a8), atomic_is_lock_free(&a64));
  atomic_thread_fence(memory_order_seq_cst);
}

static long depth(long n, volatile char *prev) {
  volatile char frame[64];
  frame[0] = (char)n;
  frame[63] = prev ? prev[0] : 0;
  if (n == 0) return frame[0] + frame[63];
  return depth(n - 1, frame) + (frame[0] & 1);
}

static unsigned long ackermann(unsigned long m, unsigned long n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static jmp_buf env;
// Ends in longjmp, which GCC's -Winfinite-recursion does not count as a way out.
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static void jump(int n) {
  if (n > 0) jump(n - 1);
  longjmp(env, 42);
}

static void recursion(void) {
  printf("depth(50000) = %ld\n", depth(50000, NULL));
  printf("ackermann(2, 300) = %lu, ackermann(3, 6) = %lu\n", ackermann(2, 300), ackermann(3, 6));
  printf("fib(27) = %ld\n", fib(27));
  int r = setjmp(env);
  if (r == 0) jump(1000);
  printf("longjmp out of 1000 frames returned %d\n", r);
}

static void libm(void) {
  volatile double xs[] = {0.5, 1.0, 2.0, 10.0, 1e-10, 123.456};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    double x = xs[i];
    printf("x=%g sqrt %.17g sin %.17g cos %.17g exp %.17g log %.17g pow %.17g atan2 %.17g\n", x, sqrt(x), sin(x), cos(x),
           exp(x), log(x), pow(x, 1.5), atan2(x, 3.0));
  }
  volatile double m = 1e300;
  printf("fmod %.17g, hypot %.17g, cbrt %.17g, tanh %.17g, erf %.17g, lgamma %.17g\n", fmod(10.5, 3.2), hypot(3, 4),
         cbrt(-27.0), tanh(0.5), erf(0.5), lgamma(10.5));
  printf("round %g %g %g, floor %g, ceil %g, trunc %g, rint %g, nearbyint %g\n", round(2.5), round(-2.5), round(0.49999999999999994),
         floor(-1.5), ceil(-1.5), trunc(-1.7), rint(2.5), nearbyint(3.5));
  printf("overflow %g, fma %.17g, sqrtf %.9g, expf %.9g, sinf %.9g\n", m * m, fma(0.1, 10.0, -1.0), sqrtf(2.0f), expf(1.0f),
         sinf(1.0f));
  float fx = 0.1f;
  double sum = 0;
  for (int i = 0; i < 1000; i++) sum += fx * (float)i;
  printf("float accumulation %.17g, (int)3.99 = %d, (int)-3.99 = %d, (long)1e19 saturates? %lld\n", sum, (int)3.99,
         (int)-3.99, (long long)(volatile double){1e18});
}

int main(void) {
  int128();
  division();
  atomics();
  recursion();
  libm();
  return 0;
}
