// Reads the UART until a '.' and writes each byte back upper-cased: console
// input must reach a polling guest in order, across any number of run() calls.
#include "rt.h"

#define UART ((volatile uint8_t *)0x10000000UL)
#define LSR_DATA_READY 0x01

static int read_byte(void) {
  while ((UART[5] & LSR_DATA_READY) == 0) {
  }
  return UART[0];
}

int main(void) {
  for (;;) {
    int c = read_byte();
    if (c == '.') break;
    if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
    rt_putc((char)c);
  }
  rt_puts("\n");
  return 0;
}
