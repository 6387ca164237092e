// NS16550A at 0x1000_0000 as on QEMU virt, polled: the transmitter is always
// empty, received bytes come from the console input queue. No interrupts yet
// (they need the PLIC).
import { consoleInputAvailable, consoleInputPop, consolePut } from "./console";
import { field } from "../state-cursor";

export const UART_BASE: u64 = 0x1000_0000;
export const UART_SIZE: u64 = 0x100;

const LSR_DR: u32 = 0x01;
const LSR_THRE: u32 = 0x20;
const LSR_TEMT: u32 = 0x40;
const LCR_DLAB: u32 = 0x80;

let ier: u32 = 0;
let lcr: u32 = 0;
let mcr: u32 = 0;
let scr: u32 = 0;
let dll: u32 = 0;
let dlm: u32 = 0;

export function uartReset(): void {
  ier = 0;
  lcr = 0;
  mcr = 0;
  scr = 0;
  dll = 0;
  dlm = 0;
}

export function uartState(): void {
  ier = <u32>field(ier);
  lcr = <u32>field(lcr);
  mcr = <u32>field(mcr);
  scr = <u32>field(scr);
  dll = <u32>field(dll);
  dlm = <u32>field(dlm);
}

export function uartRead(offset: u32): u32 {
  const dlab = (lcr & LCR_DLAB) != 0;
  switch (offset) {
    case 0: return dlab ? dll : consoleInputPop();
    case 1: return dlab ? dlm : ier;
    case 2: return 0xC1; // IIR: FIFOs enabled, no interrupt pending
    case 3: return lcr;
    case 4: return mcr;
    case 5: return LSR_THRE | LSR_TEMT | (consoleInputAvailable() ? LSR_DR : 0);
    case 6: return 0xB0; // MSR: DCD, DSR, CTS asserted
    case 7: return scr;
  }
  return 0;
}

export function uartWrite(offset: u32, value: u32): void {
  const dlab = (lcr & LCR_DLAB) != 0;
  switch (offset) {
    case 0: if (dlab) dll = value & 0xFF; else consolePut(value & 0xFF); break;
    case 1: if (dlab) dlm = value & 0xFF; else ier = value & 0x0F; break;
    case 3: lcr = value & 0xFF; break;
    case 4: mcr = value & 0x1F; break;
    case 7: scr = value & 0xFF; break;
  }
}
