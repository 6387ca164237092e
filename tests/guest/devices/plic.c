// PLIC: priorities, pending, per-context enables and thresholds,
// claim/complete, and the lines into mip.MEIP (context 0) and mip.SEIP
// (context 1), with the UART's THR-empty interrupt (source 10) as the source;
// finally one M-mode external interrupt taken through mtvec.
#include "board.h"
#include "rt.h"

static volatile uint64_t taken_cause;
static volatile uint32_t taken_claim;

void __attribute__((interrupt("machine"), aligned(4))) on_trap(void) {
  uint64_t cause;
  __asm__ volatile("csrr %0, mcause" : "=r"(cause));
  taken_cause = cause;
  taken_claim = *PLIC_CLAIM(0);
  UART[1] = 0;  // the source goes quiet, then the claim is completed
  *PLIC_CLAIM(0) = taken_claim;
}

int main(void) {
  check(*PLIC_PRIORITY(UART_IRQ) == 0, "priorities start at 0", 1);
  *PLIC_PRIORITY(UART_IRQ) = 0xff;
  check(*PLIC_PRIORITY(UART_IRQ) == 7, "priority keeps 3 bits", 2);
  *PLIC_PRIORITY(UART_IRQ) = 3;

  // The UART raises THR-empty as soon as it is enabled with THR empty.
  UART[1] = 0x02;
  check((PLIC_PENDING[0] >> UART_IRQ) & 1, "source 10 pending", 3);
  check((read_mip() & (MIP_MEIP | MIP_SEIP)) == 0, "no line while nothing is enabled", 4);

  PLIC_ENABLE(0)[0] = 1u << UART_IRQ;
  check(PLIC_ENABLE(0)[0] == (1u << UART_IRQ), "enable reads back", 5);
  *PLIC_THRESHOLD(0) = 0;  // QEMU 7.2 re-evaluates its lines on threshold writes, not on enables
  check(read_mip() & MIP_MEIP, "MEIP with source enabled in context 0", 6);
  check((read_mip() & MIP_SEIP) == 0, "no SEIP from context 0", 7);

  *PLIC_THRESHOLD(0) = 3;
  check((read_mip() & MIP_MEIP) == 0, "threshold 3 masks priority 3", 8);
  check(*PLIC_CLAIM(0) == 0, "claim below threshold gives 0", 9);
  *PLIC_THRESHOLD(0) = 2;
  check(read_mip() & MIP_MEIP, "threshold 2 lets priority 3 through", 10);

  uint32_t id = *PLIC_CLAIM(0);
  check(id == UART_IRQ, "claim returns source 10", 11);
  check(((PLIC_PENDING[0] >> UART_IRQ) & 1) == 0, "claim clears pending", 12);
  check((read_mip() & MIP_MEIP) == 0, "no MEIP while claimed", 13);
  // Writing THR makes THR empty again: the source re-asserts, but stays claimed.
  UART[0] = '.';
  check((PLIC_PENDING[0] >> UART_IRQ) & 1, "re-asserted while claimed", 14);
  check((read_mip() & MIP_MEIP) == 0, "a claimed source is not delivered", 15);
  *PLIC_CLAIM(0) = id;
  check(read_mip() & MIP_MEIP, "delivered again after complete", 16);

  // Context 1 (S-mode) drives SEIP.
  PLIC_ENABLE(0)[0] = 0;
  PLIC_ENABLE(1)[0] = 1u << UART_IRQ;
  *PLIC_THRESHOLD(0) = 0;
  *PLIC_THRESHOLD(1) = 0;
  check((read_mip() & (MIP_MEIP | MIP_SEIP)) == MIP_SEIP, "context 1 drives SEIP only", 17);
  check(*PLIC_CLAIM(1) == UART_IRQ, "claim in context 1", 18);
  check((read_mip() & MIP_SEIP) == 0, "SEIP drops on claim", 19);
  *PLIC_CLAIM(1) = UART_IRQ;
  PLIC_ENABLE(1)[0] = 0;

  // An M-mode external interrupt, taken.
  PLIC_ENABLE(0)[0] = 1u << UART_IRQ;
  UART[0] = '\n';
  __asm__ volatile("csrw mtvec, %0" ::"r"((uint64_t)on_trap));
  __asm__ volatile("csrs mie, %0" ::"r"(MIP_MEIP));
  __asm__ volatile("csrsi mstatus, 8");
  for (int i = 0; i < 1000 && taken_claim == 0; i++) {
  }
  __asm__ volatile("csrci mstatus, 8");
  check(taken_cause == 0x800000000000000bUL, "mcause is machine external interrupt", 20);
  check(taken_claim == UART_IRQ, "the handler claimed source 10", 21);
  check(*PLIC_CLAIM(0) == 0, "nothing left to claim", 22);
  // Registers that do not exist read as zero.
  check(*(volatile uint32_t *)(PLIC_BASE + 0x1f00) == 0, "a hole reads 0", 23);
  rt_puts("plic ok\n");
  poweroff(0);
}
