// NS16550A interrupts: THR-empty (raised on enable with THR empty, cleared
// by reading IIR), then receive-data-available, woken from wfi by the PLIC:
// the host queues "hi!" before the run; the guest configures the UART
// (input is held until it enables the receive interrupt) and echoes what it
// receives, reversed in case, until '!'.
#include "board.h"
#include "rt.h"

#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define LSR 5
#define SCR 7

static void plic_route(void) {
  *PLIC_PRIORITY(UART_IRQ) = 1;
  *PLIC_THRESHOLD(0) = 0;
  PLIC_ENABLE(0)[0] = 1u << UART_IRQ;
  __asm__ volatile("csrs mie, %0" ::"r"(MIP_MEIP));
}

int main(void) {
  // Divisor latch and scratch register.
  UART[LCR] = 0x80;
  UART[0] = 0x03;
  UART[1] = 0x00;
  check(UART[0] == 0x03, "DLL reads back under DLAB", 1);
  UART[LCR] = 0x03;
  UART[SCR] = 0x5a;
  check(UART[SCR] == 0x5a, "scratch register", 2);

  // Configured but not receiving: the host's input is held.
  UART[IER] = 0x00;
  UART[FCR] = 0x07;  // enable and reset the FIFOs: held input survives
  check((UART[LSR] & 0x01) == 0, "input held until the receive interrupt is on", 3);
  check((UART[IIR] & 0xcf) == 0xc1, "IIR: FIFOs on, nothing pending", 4);

  plic_route();
  UART[IER] = 0x02;  // THR-empty
  check((UART[IIR] & 0x0f) == 0x02, "IIR reports THR empty", 5);
  check((UART[IIR] & 0x0f) == 0x01, "reading IIR cleared it", 6);
  *PLIC_CLAIM(0) = *PLIC_CLAIM(0);
  UART[0] = '>';  // THR empties at once: pending again
  check((UART[IIR] & 0x0f) == 0x02, "THR empty after a write", 7);
  UART[IER] = 0x00;
  (void)*PLIC_CLAIM(0);
  *PLIC_CLAIM(0) = UART_IRQ;

  UART[IER] = 0x01;  // receive-data-available: input appears
  for (;;) {
    // Sleep until the PLIC says the UART wants attention (mstatus.MIE off: wfi just returns).
    while ((read_mip() & MIP_MEIP) == 0) __asm__ volatile("wfi");
    uint32_t id = *PLIC_CLAIM(0);
    check(id == UART_IRQ, "claimed the UART", 8);
    check((UART[IIR] & 0x0f) == 0x04, "IIR reports received data", 9);
    int done = 0;
    while (UART[LSR] & 0x01) {
      char c = (char)UART[0];
      if (c == '!') done = 1;
      if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
      rt_putc(c);
    }
    *PLIC_CLAIM(0) = id;
    if (done) break;
  }
  rt_puts("\nuart ok\n");
  poweroff(0);
}
