// Physical address map outside RAM (QEMU virt layout). RAM itself is reached
// directly by the MMU through host addresses; this is the device side.
import { CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS, raise } from "./events";
import { CLINT_BASE, CLINT_SIZE, clintRead, clintWrite } from "./devices/clint";
import { UART_BASE, UART_SIZE, uartRead, uartWrite } from "./devices/uart";
import { FINISHER_BASE, FINISHER_SIZE, finisherWrite } from "./devices/test-finisher";

// PLIC: present so that firmware probing it does not fault; no sources yet.
const PLIC_BASE: u64 = 0x0C00_0000;
const PLIC_SIZE: u64 = 0x60_0000;

export function mmioRead(pa: u64, size: u32, va: u64): u64 {
  if (pa - CLINT_BASE < CLINT_SIZE) return clintRead(<u32>(pa - CLINT_BASE), size);
  if (pa - UART_BASE < UART_SIZE) return <u64>uartRead(<u32>(pa - UART_BASE));
  if (pa - PLIC_BASE < PLIC_SIZE) return 0;
  if (pa - FINISHER_BASE < FINISHER_SIZE) return 0;
  raise(CAUSE_LOAD_ACCESS, va);
  return 0;
}

export function mmioWrite(pa: u64, size: u32, value: u64, va: u64): void {
  if (pa - CLINT_BASE < CLINT_SIZE) clintWrite(<u32>(pa - CLINT_BASE), size, value);
  else if (pa - UART_BASE < UART_SIZE) uartWrite(<u32>(pa - UART_BASE), <u32>value);
  else if (pa - PLIC_BASE < PLIC_SIZE) return;
  else if (pa - FINISHER_BASE < FINISHER_SIZE) finisherWrite(<u32>(pa - FINISHER_BASE), value);
  else raise(CAUSE_STORE_ACCESS, va);
}
