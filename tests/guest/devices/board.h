// The QEMU virt board's devices as the device test guests use them.
#ifndef EDGEVM_BOARD_H
#define EDGEVM_BOARD_H
#include <stdint.h>

#define UART ((volatile uint8_t *)0x10000000UL)
#define UART_IRQ 10
#define FINISHER ((volatile uint32_t *)0x100000UL)
#define RTC ((volatile uint32_t *)0x101000UL)
#define PLIC_BASE 0x0c000000UL
#define PLIC_PRIORITY(src) ((volatile uint32_t *)(PLIC_BASE + 4 * (src)))
#define PLIC_PENDING ((volatile uint32_t *)(PLIC_BASE + 0x1000))
#define PLIC_ENABLE(ctx) ((volatile uint32_t *)(PLIC_BASE + 0x2000 + 0x80 * (ctx)))
#define PLIC_THRESHOLD(ctx) ((volatile uint32_t *)(PLIC_BASE + 0x200000 + 0x1000 * (ctx)))
#define PLIC_CLAIM(ctx) ((volatile uint32_t *)(PLIC_BASE + 0x200004 + 0x1000 * (ctx)))
#define VIRTIO(n) ((volatile uint32_t *)(0x10001000UL + 0x1000UL * (n)))
#define VIRTIO_IRQ(n) (1 + (n))

#define MIP_SEIP (1UL << 9)
#define MIP_MEIP (1UL << 11)

static inline uint64_t read_mip(void) {
  uint64_t v;
  __asm__ volatile("csrr %0, mip" : "=r"(v));
  return v;
}

// Powers the board off through the test finisher: 0 passes, anything else fails with that code.
__attribute__((noreturn)) static inline void poweroff(uint32_t code) {
  *FINISHER = code == 0 ? 0x5555 : (code << 16) | 0x3333;
  for (;;) {
  }
}

// Prints "FAIL <what>" and powers off with `code` when `ok` is false.
void check(int ok, const char *what, uint32_t code);
#endif
