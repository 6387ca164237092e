#include "rt.h"

#define UART_BASE 0x10000000UL
#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

extern volatile uint64_t tohost;

void rt_putc(char c) {
  volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
  while ((uart[UART_LSR] & UART_LSR_THRE) == 0) {
  }
  uart[UART_THR] = (uint8_t)c;
}

void rt_puts(const char *s) {
  while (*s) rt_putc(*s++);
}

void rt_put_u64(uint64_t v) {
  char buf[21];
  int i = 20;
  buf[i] = 0;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  rt_puts(&buf[i]);
}

void rt_put_i64(int64_t v) {
  if (v < 0) {
    rt_putc('-');
    rt_put_u64((uint64_t)0 - (uint64_t)v);
  } else {
    rt_put_u64((uint64_t)v);
  }
}

void rt_put_hex(uint64_t v) {
  rt_puts("0x");
  for (int shift = 60; shift >= 0; shift -= 4) rt_putc("0123456789abcdef"[(v >> shift) & 15]);
}

// Exit through HTIF (an odd value, code << 1 | 1, where code 0 means success),
// which edgevm and spike honour, then through the virt board's test finisher
// (syscon poweroff), which QEMU virt honours, so the same ELF runs on both.
#define FINISHER_BASE 0x100000UL
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

void rt_exit(int code) {
  tohost = ((uint64_t)(uint32_t)code << 1) | 1;
  volatile uint32_t *finisher = (volatile uint32_t *)FINISHER_BASE;
  *finisher = code == 0 ? FINISHER_PASS : (((uint32_t)code << 16) | FINISHER_FAIL);
  for (;;) {
  }
}

uint64_t rt_rdinstret(void) {
  uint64_t v;
  __asm__ volatile("rdinstret %0" : "=r"(v));
  return v;
}
