// NS16550A at 0x1000_0000 (IRQ 10) as on QEMU virt, as Linux's 8250 driver
// and xv6 drive it. Transmission is instantaneous: a byte written to THR
// goes to the console queue and THR is empty again at once. Received bytes
// come from the console input queue (console.ts), which stands in for the
// receive FIFO.
//
// Interrupts (16550 datasheet, "Interrupt Identification Register"): receive
// data available (IER bit 0, while input is visible) and transmitter holding
// register empty (IER bit 1: raised when THR empties or the interrupt is
// enabled with THR empty, cleared by reading IIR when it is the reported
// source or by writing THR). As in QEMU's serial model, the line to the PLIC
// is updated on register accesses that can change it, and on input arrival.
//
// Held input (the rule docs/core.md states): input the host queued stays
// invisible (LSR.DR clear) while the guest has configured the UART (written
// IER or FCR) but has not yet enabled the receive-data interrupt; a guest
// that never configures it (a polling program) sees input at once. Once the
// receive interrupt has been enabled, input stays visible until the machine
// is reset. A FIFO reset (FCR bit 1) never discards queued input. So input
// given up front is not lost while a driver probes and resets the UART.
import { consoleInputAvailable, consoleInputPop, consolePut } from "./console";
import { plicSetLevel } from "./plic";
import { field } from "../state-cursor";

const LSR_DR: u32 = 0x01;
const LSR_THRE: u32 = 0x20;
const LSR_TEMT: u32 = 0x40;
const LCR_DLAB: u32 = 0x80;
const IER_RDI: u32 = 0x01;
const IER_THRI: u32 = 0x02;
const IIR_NONE: u32 = 0x01;
const IIR_THRI: u32 = 0x02;
const IIR_RDI: u32 = 0x04;
const IIR_FIFOS: u32 = 0xC0;
const FCR_ENABLE: u32 = 0x01;
const MSR_CONNECTED: u32 = 0xB0; // DCD, DSR, CTS asserted (no loopback)
const MCR_LOOP: u32 = 0x10;

export let uartIrq: u32 = 10;

let ier: u32 = 0;
let lcr: u32 = 0;
let mcr: u32 = 0;
let scr: u32 = 0;
let dll: u32 = 0;
let dlm: u32 = 0;
let fcr: u32 = 0;
let thrPending: u32 = 0; // the THR-empty interrupt is pending
let configured: u32 = 0; // the guest has written IER or FCR
let receiving: u32 = 0; // the guest has enabled the receive-data interrupt

export function uartReset(): void {
  ier = 0;
  lcr = 0;
  mcr = 0;
  scr = 0;
  dll = 0;
  dlm = 0;
  fcr = 0;
  thrPending = 0;
  configured = 0;
  receiving = 0;
  uartIrq = 10;
}

export function uartState(): void {
  ier = <u32>field(ier);
  lcr = <u32>field(lcr);
  mcr = <u32>field(mcr);
  scr = <u32>field(scr);
  dll = <u32>field(dll);
  dlm = <u32>field(dlm);
  fcr = <u32>field(fcr);
  thrPending = <u32>field(thrPending);
  configured = <u32>field(configured);
  receiving = <u32>field(receiving);
  uartIrq = <u32>field(uartIrq);
}

// Whether waiting input is shown to the guest (the held-input rule above).
function inputVisible(): bool {
  return (receiving != 0 || configured == 0) && consoleInputAvailable();
}

// In loopback the modem outputs appear on the inputs: OUT2 -> DCD, OUT1 -> RI,
// RTS -> CTS, DTR -> DSR (drivers test for a UART this way).
function loopbackMsr(): u32 {
  return ((mcr & 0x08) << 4) | ((mcr & 0x04) << 4) | ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5);
}

function identify(): u32 {
  if ((ier & IER_RDI) != 0 && inputVisible()) return IIR_RDI;
  if ((ier & IER_THRI) != 0 && thrPending != 0) return IIR_THRI;
  return IIR_NONE;
}

function updateLine(): void {
  plicSetLevel(uartIrq, identify() != IIR_NONE);
}

// The host queued input: the receive interrupt may now be due.
export function uartInputArrived(): void {
  updateLine();
}

export function uartRead(offset: u32): u32 {
  const dlab = (lcr & LCR_DLAB) != 0;
  switch (offset) {
    case 0: {
      if (dlab) return dll;
      const b = inputVisible() ? consoleInputPop() : 0;
      updateLine();
      return b;
    }
    case 1: return dlab ? dlm : ier;
    case 2: {
      const iir = identify();
      if (iir == IIR_THRI) {
        thrPending = 0;
        updateLine();
      }
      return iir | ((fcr & FCR_ENABLE) != 0 ? IIR_FIFOS : 0);
    }
    case 3: return lcr;
    case 4: return mcr;
    case 5: return LSR_THRE | LSR_TEMT | (inputVisible() ? LSR_DR : 0);
    case 6: return (mcr & MCR_LOOP) != 0 ? loopbackMsr() : MSR_CONNECTED;
    case 7: return scr;
  }
  return 0;
}

export function uartWrite(offset: u32, value: u32): void {
  const dlab = (lcr & LCR_DLAB) != 0;
  switch (offset) {
    case 0:
      if (dlab) {
        dll = value & 0xFF;
        return;
      }
      consolePut(value & 0xFF);
      thrPending = 1; // sent at once: THR is empty again
      break;
    case 1: {
      if (dlab) {
        dlm = value & 0xFF;
        return;
      }
      const was = ier;
      ier = value & 0x0F;
      configured = 1;
      if ((ier & IER_RDI) != 0) receiving = 1;
      // Enabling the THR-empty interrupt with THR empty raises it (as QEMU does).
      if ((ier & IER_THRI) != 0 && (was & IER_THRI) == 0) thrPending = 1;
      break;
    }
    case 2:
      fcr = value & 0xC9; // FIFO enable, DMA mode, trigger level; the reset bits act and read as 0
      configured = 1;
      break;
    case 3: lcr = value & 0xFF; return;
    case 4: mcr = value & 0x1F; return;
    case 7: scr = value & 0xFF; return;
    default: return;
  }
  updateLine();
}
