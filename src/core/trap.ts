// Trap entry and return, interrupt selection, and the timers that raise
// interrupts (priv spec 3.1.6.1, 3.1.9, 3.3.2, 4.1).
import * as hart from "./hart";
import { CAUSE_INTERRUPT, EV_FLUSH_FETCH, signal } from "./events";
import { flushTlb } from "./mmu";

// Enter the trap handler; returns the new pc.
export function enterTrap(cause: u64, tval: u64, epc: u64): u64 {
  const interrupt = (cause & CAUSE_INTERRUPT) != 0;
  const code = cause & 63;
  const from = hart.priv;
  const delegated = from <= hart.PRIV_S && (((interrupt ? hart.mideleg : hart.medeleg) >> code) & 1) != 0;
  let s = hart.mstatus;
  let target: u64;
  if (delegated) {
    hart.sepc = epc;
    hart.scause = cause;
    hart.stval = tval;
    s = (s & ~hart.MSTATUS_SPIE) | ((s & hart.MSTATUS_SIE) << 4);
    s &= ~hart.MSTATUS_SIE;
    s = (s & ~hart.MSTATUS_SPP) | (<u64>from << 8);
    hart.priv = hart.PRIV_S;
    target = vectorTarget(hart.stvec, interrupt, code);
  } else {
    hart.mepc = epc;
    hart.mcause = cause;
    hart.mtval = tval;
    s = (s & ~hart.MSTATUS_MPIE) | ((s & hart.MSTATUS_MIE) << 4);
    s &= ~hart.MSTATUS_MIE;
    s = (s & ~hart.MSTATUS_MPP) | (<u64>from << hart.MSTATUS_MPP_SHIFT);
    hart.priv = hart.PRIV_M;
    target = vectorTarget(hart.mtvec, interrupt, code);
  }
  hart.mstatus = s;
  if (hart.priv != from) flushTlb();
  signal(EV_FLUSH_FETCH);
  return target;
}

@inline function vectorTarget(tvec: u64, interrupt: bool, code: u64): u64 {
  const base = tvec & ~<u64>3;
  return interrupt && (tvec & 1) != 0 ? base + (code << 2) : base;
}

// mret: returns the new pc.
export function returnFromM(): u64 {
  let s = hart.mstatus;
  const to = <u32>((s >> hart.MSTATUS_MPP_SHIFT) & 3);
  s = (s & ~hart.MSTATUS_MIE) | ((s & hart.MSTATUS_MPIE) >> 4);
  s |= hart.MSTATUS_MPIE;
  s &= ~hart.MSTATUS_MPP; // least-privileged mode: U
  if (to != hart.PRIV_M) s &= ~hart.MSTATUS_MPRV;
  changePriv(s, to);
  return hart.mepc;
}

// sret: returns the new pc.
export function returnFromS(): u64 {
  let s = hart.mstatus;
  const to = <u32>((s & hart.MSTATUS_SPP) >> 8);
  s = (s & ~hart.MSTATUS_SIE) | ((s & hart.MSTATUS_SPIE) >> 4);
  s |= hart.MSTATUS_SPIE;
  s &= ~hart.MSTATUS_SPP;
  s &= ~hart.MSTATUS_MPRV;
  changePriv(s, to);
  return hart.sepc;
}

function changePriv(status: u64, to: u32): void {
  hart.mstatus = status;
  hart.priv = to;
  flushTlb();
  signal(EV_FLUSH_FETCH);
}

// Reflect the timers, the software-interrupt register and the PLIC's lines in mip.
export function updateTimerBits(): void {
  const now = hart.mtimeNow();
  let p = hart.mip & ~(hart.MIP_MTIP | hart.MIP_MSIP | hart.MIP_MEIP | hart.MIP_SEIP);
  p |= hart.externalLines | hart.seipWritten;
  if (now >= hart.mtimecmp) p |= hart.MIP_MTIP;
  if (hart.msip != 0) p |= hart.MIP_MSIP;
  if ((hart.menvcfg & hart.MENVCFG_STCE) != 0) {
    p = now >= hart.stimecmp ? p | hart.MIP_STIP : p & ~hart.MIP_STIP;
  }
  hart.mip = p;
}

// Priority order of 3.1.9: MEI, MSI, MTI, SEI, SSI, STI.
@inline function highest(bits: u64): i32 {
  if ((bits & hart.MIP_MEIP) != 0) return hart.IRQ_MEI;
  if ((bits & hart.MIP_MSIP) != 0) return hart.IRQ_MSI;
  if ((bits & hart.MIP_MTIP) != 0) return hart.IRQ_MTI;
  if ((bits & hart.MIP_SEIP) != 0) return hart.IRQ_SEI;
  if ((bits & hart.MIP_SSIP) != 0) return hart.IRQ_SSI;
  if ((bits & hart.MIP_STIP) != 0) return hart.IRQ_STI;
  return -1;
}

// The interrupt to take now, or -1.
export function interruptToTake(): i32 {
  const pendingEnabled = hart.mip & hart.mie;
  if (pendingEnabled == 0) return -1;
  const m = pendingEnabled & ~hart.mideleg;
  if (m != 0 && (hart.priv < hart.PRIV_M || (hart.mstatus & hart.MSTATUS_MIE) != 0)) return highest(m);
  const s = pendingEnabled & hart.mideleg;
  if (s != 0 && (hart.priv < hart.PRIV_S || (hart.priv == hart.PRIV_S && (hart.mstatus & hart.MSTATUS_SIE) != 0))) {
    return highest(s);
  }
  return -1;
}

// Cycles until an enabled timer fires (u64 max when none is armed).
export function cyclesToNextTimer(): u64 {
  let next: u64 = 0xFFFF_FFFF_FFFF_FFFF;
  if ((hart.mie & hart.MIP_MTIP) != 0) next = cyclesUntil(hart.mtimecmp);
  if ((hart.mie & hart.MIP_STIP) != 0 && (hart.menvcfg & hart.MENVCFG_STCE) != 0) {
    const s = cyclesUntil(hart.stimecmp);
    if (s < next) next = s;
  }
  return next;
}

function cyclesUntil(deadline: u64): u64 {
  const now = hart.mtimeNow();
  if (now >= deadline) return 0;
  const ticks = deadline - now;
  if (ticks >= 0x0FFF_FFFF_FFFF_FFFF / hart.TIMER_DIVISOR) return 0xFFFF_FFFF_FFFF_FFFF;
  // The first cycle at which mtime (cycle / divisor) reaches the deadline.
  const cycle = hart.cycleNow();
  return (cycle / hart.TIMER_DIVISOR + ticks) * hart.TIMER_DIVISOR - cycle;
}
