// Architectural state of the single hart, and the counters time derives from.
import { XREGS, FREGS, REGION_BASE } from "./layout";

export const PRIV_U: u32 = 0;
export const PRIV_S: u32 = 1;
export const PRIV_M: u32 = 3;

export let pc: u64 = 0;
export let priv: u32 = PRIV_M;

// mstatus fields (priv spec 3.1.6)
export const MSTATUS_SIE: u64 = 1 << 1;
export const MSTATUS_MIE: u64 = 1 << 3;
export const MSTATUS_SPIE: u64 = 1 << 5;
export const MSTATUS_MPIE: u64 = 1 << 7;
export const MSTATUS_SPP: u64 = 1 << 8;
export const MSTATUS_MPP_SHIFT: u64 = 11;
export const MSTATUS_MPP: u64 = 3 << 11;
export const MSTATUS_FS: u64 = 3 << 13;
export const MSTATUS_FS_DIRTY: u64 = 3 << 13;
export const MSTATUS_MPRV: u64 = 1 << 17;
export const MSTATUS_SUM: u64 = 1 << 18;
export const MSTATUS_MXR: u64 = 1 << 19;
export const MSTATUS_TVM: u64 = 1 << 20;
export const MSTATUS_TW: u64 = 1 << 21;
export const MSTATUS_TSR: u64 = 1 << 22;
export const MSTATUS_UXL_SXL: u64 = (2 << 32) | (2 << 34); // XLEN 64 in U and S, read-only
export const MSTATUS_SD: u64 = 1 << 63;

// mip / mie bits
export const IRQ_SSI: u32 = 1;
export const IRQ_MSI: u32 = 3;
export const IRQ_STI: u32 = 5;
export const IRQ_MTI: u32 = 7;
export const IRQ_SEI: u32 = 9;
export const IRQ_MEI: u32 = 11;
export const MIP_SSIP: u64 = 1 << IRQ_SSI;
export const MIP_MSIP: u64 = 1 << IRQ_MSI;
export const MIP_STIP: u64 = 1 << IRQ_STI;
export const MIP_MTIP: u64 = 1 << IRQ_MTI;
export const MIP_SEIP: u64 = 1 << IRQ_SEI;
export const MIP_MEIP: u64 = 1 << IRQ_MEI;
export const S_INTERRUPTS: u64 = MIP_SSIP | MIP_STIP | MIP_SEIP;

// RV64 with I M A F D C S U (priv spec 3.1.1: misa is WARL; ours is read-only).
export const MISA: u64 = (2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

export let mstatus: u64 = MSTATUS_UXL_SXL;
export let medeleg: u64 = 0;
export let mideleg: u64 = 0;
export let mie: u64 = 0;
export let mip: u64 = 0; // software-visible pending bits; MTIP/STIP are recomputed from the timers, MEIP/SEIP from the PLIC
// The PLIC's interrupt lines into this hart (MIP_MEIP | MIP_SEIP bits), and
// the SEIP bit M-mode software wrote: mip.SEIP reads as their OR (priv spec 3.1.9).
export let externalLines: u64 = 0;
export let seipWritten: u64 = 0;
export let mtvec: u64 = 0;
export let stvec: u64 = 0;
export let mepc: u64 = 0;
export let sepc: u64 = 0;
export let mcause: u64 = 0;
export let scause: u64 = 0;
export let mtval: u64 = 0;
export let stval: u64 = 0;
export let mscratch: u64 = 0;
export let sscratch: u64 = 0;
export let satp: u64 = 0;
export let mcounteren: u32 = 0;
export let scounteren: u32 = 0;
export let mcountinhibit: u32 = 0;
export let menvcfg: u64 = 0;
export let senvcfg: u64 = 0;
export let stimecmp: u64 = 0xFFFF_FFFF_FFFF_FFFF;
export let frm: u32 = 0;
export let tselect: u64 = 0;
export let tdata1: u64 = 0;
export let tdata2: u64 = 0;
export let mseccfg: u64 = 0;
export const MENVCFG_STCE: u64 = 1 << 63;

// PMP registers are present (firmware probes them) but not enforced.
export const PMPCFG: usize = REGION_BASE + 0x4000; // 8 x u64 (pmpcfg0, 2, ..., 14)
export const PMPADDR: usize = REGION_BASE + 0x4040; // 64 x u64

// A wfi retired and no interrupt has been pending-and-enabled since: the hart
// sleeps (guest time moves on) until one is, across run() calls.
export let waiting: bool = false;

// LR/SC reservation: a physical address, or -1 when none is held.
export let reservation: u64 = 0xFFFF_FFFF_FFFF_FFFF;

// Counters. `retired` holds instructions retired before the current run
// slice; the run loop keeps its own count in a local and publishes it in
// `liveRetired` before every call that may read the counters.
export let retired: u64 = 0;
export let liveRetired: u64 = 0;
// Cycles spent idle in wfi (time passes, nothing retires).
export let idleCycles: u64 = 0;
export let mcycleOffset: u64 = 0;

// Guest time: the CLINT's mtime ticks once every TIMER_DIVISOR cycles, i.e. a
// 10 MHz timebase for a nominal 100 MHz hart (DESIGN.md: no host clock).
export const TIMER_DIVISOR: u64 = 10;
export let mtimeOffset: u64 = 0;
export let mtimecmp: u64 = 0xFFFF_FFFF_FFFF_FFFF;
export let msip: u32 = 0;

@inline export function instretNow(): u64 {
  return retired + liveRetired;
}

@inline export function cycleNow(): u64 {
  return retired + liveRetired + idleCycles;
}

@inline export function mtimeNow(): u64 {
  return cycleNow() / TIMER_DIVISOR + mtimeOffset;
}

@inline export function getX(r: u32): u64 {
  return load<u64>(XREGS + (<usize>r << 3));
}

@inline export function setX(r: u32, v: u64): void {
  store<u64>(XREGS + (<usize>r << 3), v);
}

@inline export function getF(r: u32): u64 {
  return load<u64>(FREGS + (<usize>r << 3));
}

@inline export function setF(r: u32, v: u64): void {
  store<u64>(FREGS + (<usize>r << 3), v);
}

export function resetHart(entry: u64): void {
  memory.fill(XREGS, 0, 33 * 8);
  memory.fill(FREGS, 0, 32 * 8);
  memory.fill(PMPCFG, 0, 0x240);
  pc = entry;
  priv = PRIV_M;
  mstatus = MSTATUS_UXL_SXL;
  medeleg = 0;
  mideleg = 0;
  mie = 0;
  mip = 0;
  externalLines = 0;
  seipWritten = 0;
  mtvec = 0;
  stvec = 0;
  mepc = 0;
  sepc = 0;
  mcause = 0;
  scause = 0;
  mtval = 0;
  stval = 0;
  mscratch = 0;
  sscratch = 0;
  satp = 0;
  mcounteren = 0;
  scounteren = 0;
  mcountinhibit = 0;
  menvcfg = 0;
  senvcfg = 0;
  stimecmp = 0xFFFF_FFFF_FFFF_FFFF;
  frm = 0;
  tselect = 0;
  tdata1 = 0;
  tdata2 = 0;
  mseccfg = 0;
  reservation = 0xFFFF_FFFF_FFFF_FFFF;
  waiting = false;
  retired = 0;
  liveRetired = 0;
  idleCycles = 0;
  mcycleOffset = 0;
  mtimeOffset = 0;
  mtimecmp = 0xFFFF_FFFF_FFFF_FFFF;
  msip = 0;
}
