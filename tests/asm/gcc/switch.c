/* A dense switch (a jump table in .rodata) and a state machine. */
#include "lib.h"

static long op(int code, long a, long b) {
  switch (code) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return b ? a / b : 0;
    case 4: return a & b;
    case 5: return a | b;
    case 6: return a ^ b;
    case 7: return a << (b & 63);
    case 8: return a >> (b & 63);
    default: return -1;
  }
}

int main(void) {
  long acc = 1;
  for (int i = 0; i < 12; i++) {
    acc = op(i % 10, acc + i, i + 2);
    put_int(acc);
  }
  return (int)(acc & 0x7f);
}
