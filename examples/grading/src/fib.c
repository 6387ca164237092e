// Lab 0 (bare metal, graded by registers and memory, as CS61C's Venus checks
// a-registers and arrays): fib(n) for n in `input`, returned in a0, and the
// first 12 Fibonacci numbers in the word array `result`.
// Built with -DBUG_FIB_START for a wrong solution (the sequence starts 1, 1, 1...).
#include <stdint.h>

volatile uint32_t input = 10;
uint32_t result[12];

uint64_t fib_main(void) {
#ifdef BUG_FIB_START
  result[0] = 1;
#else
  result[0] = 0;
#endif
  result[1] = 1;
  for (int i = 2; i < 12; i++) result[i] = result[i - 1] + result[i - 2];
  uint64_t a = 0, b = 1;
  for (uint32_t i = 0; i < input; i++) {
    uint64_t t = a + b;
    a = b;
    b = t;
  }
  return a;
}
