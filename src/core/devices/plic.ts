// The platform-level interrupt controller of QEMU's virt board (SiFive PLIC
// layout, riscv-plic-spec 1.0): sources 1..95, priorities 0..7, a pending
// bit per source, and two contexts for hart 0: 0 = M-mode (drives mip.MEIP),
// 1 = S-mode (drives mip.SEIP). Registers that do not exist read as zero.
//
// As QEMU 7.2's sifive_plic does, a device raising its line (at the moments
// the device updates it) sets the source's pending bit, and only a claim
// clears it: the line going low does not. So a device that keeps its line
// high without updating it is not claimed again (xv6's UART driver relies on
// this), and a source that went quiet may still be claimed once (drivers
// find nothing to do). A claimed source is not delivered again until it is
// completed.
import * as hart from "../hart";
import { EV_RECHECK, signal } from "../events";
import { field } from "../state-cursor";
import { PLIC_PRIORITY } from "../layout";

export const PLIC_SOURCES: u32 = 96; // source 0 does not exist
const PRIORITY_MASK: u32 = 7;
const CONTEXTS: u32 = 2;

const PENDING_BASE: u32 = 0x1000;
const ENABLE_BASE: u32 = 0x2000;
const ENABLE_STRIDE: u32 = 0x80;
const CONTEXT_BASE: u32 = 0x20_0000;
const CONTEXT_STRIDE: u32 = 0x1000;

// Bit sets of 96 sources in two u64 halves; priorities in a u32 array in linear memory.
let pending0: u64 = 0, pending1: u64 = 0;
let claimed0: u64 = 0, claimed1: u64 = 0;
let enableM0: u64 = 0, enableM1: u64 = 0;
let enableS0: u64 = 0, enableS1: u64 = 0;
let thresholdM: u32 = 0, thresholdS: u32 = 0;

@inline function priorityOf(source: u32): u32 {
  return load<u32>(PLIC_PRIORITY + (<usize>source << 2));
}

@inline function setPriority(source: u32, p: u32): void {
  store<u32>(PLIC_PRIORITY + (<usize>source << 2), p & PRIORITY_MASK);
}

export function plicReset(): void {
  pending0 = 0; pending1 = 0;
  claimed0 = 0; claimed1 = 0;
  enableM0 = 0; enableM1 = 0;
  enableS0 = 0; enableS1 = 0;
  thresholdM = 0; thresholdS = 0;
  memory.fill(PLIC_PRIORITY, 0, PLIC_SOURCES * 4);
  hart.externalLines = 0;
}

export function plicState(): void {
  pending0 = field(pending0); pending1 = field(pending1);
  claimed0 = field(claimed0); claimed1 = field(claimed1);
  enableM0 = field(enableM0); enableM1 = field(enableM1);
  enableS0 = field(enableS0); enableS1 = field(enableS1);
  thresholdM = <u32>field(thresholdM); thresholdS = <u32>field(thresholdS);
  // Eight 8-bit priorities to a field.
  for (let i: u32 = 0; i < PLIC_SOURCES; i += 8) {
    let word: u64 = 0;
    for (let k: u32 = 0; k < 8; k++) word |= <u64>priorityOf(i + k) << (<u64>k << 3);
    word = field(word);
    for (let k: u32 = 0; k < 8; k++) setPriority(i + k, <u32>(word >> (<u64>k << 3)));
  }
  hart.externalLines = field(hart.externalLines);
}

// A device updated its interrupt line: high sets the source pending.
export function plicSetLevel(source: u32, level: bool): void {
  if (source == 0 || source >= PLIC_SOURCES || !level) return;
  const bit: u64 = <u64>1 << <u64>(source & 63);
  if (source < 64) pending0 |= bit;
  else pending1 |= bit;
  update();
}

export function plicPending(source: u32): bool {
  if (source == 0 || source >= PLIC_SOURCES) return false;
  return (((source < 64 ? pending0 : pending1) >> <u64>(source & 63)) & 1) != 0;
}

// The source a claim by `context` would return: the highest priority above
// the threshold among pending, enabled, unclaimed sources (lowest id on ties); 0 for none.
function best(context: u32): u32 {
  const en0 = context == 0 ? enableM0 : enableS0;
  const en1 = context == 0 ? enableM1 : enableS1;
  const threshold = context == 0 ? thresholdM : thresholdS;
  let c0 = pending0 & ~claimed0 & en0 & ~<u64>1;
  let c1 = pending1 & ~claimed1 & en1;
  let found: u32 = 0;
  let top: u32 = threshold;
  while (c0 != 0) {
    const s = <u32>ctz(c0);
    c0 &= c0 - 1;
    const p = priorityOf(s);
    if (p > top) { top = p; found = s; }
  }
  while (c1 != 0) {
    const s = <u32>ctz(c1) + 64;
    c1 &= c1 - 1;
    const p = priorityOf(s);
    if (p > top) { top = p; found = s; }
  }
  return found;
}

function update(): void {
  let lines: u64 = 0;
  if (best(0) != 0) lines |= hart.MIP_MEIP;
  if (best(1) != 0) lines |= hart.MIP_SEIP;
  if (lines != hart.externalLines) {
    hart.externalLines = lines;
    signal(EV_RECHECK);
  }
}

function setClaimed(source: u32, on: bool): void {
  const bit: u64 = <u64>1 << <u64>(source & 63);
  if (source < 64) claimed0 = on ? claimed0 | bit : claimed0 & ~bit;
  else claimed1 = on ? claimed1 | bit : claimed1 & ~bit;
}

export function plicRead(offset: u32, size: u32): u64 {
  if (size != 4) return 0;
  if (offset < PLIC_SOURCES * 4) return <u64>priorityOf(offset >> 2);
  if (offset >= PENDING_BASE && offset < PENDING_BASE + 12) return word32(pending0, pending1, (offset - PENDING_BASE) >> 2);
  if (offset >= ENABLE_BASE && offset < ENABLE_BASE + CONTEXTS * ENABLE_STRIDE) {
    const context = (offset - ENABLE_BASE) / ENABLE_STRIDE;
    const w = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >> 2;
    if (w >= 3) return 0;
    return context == 0 ? word32(enableM0, enableM1, w) : word32(enableS0, enableS1, w);
  }
  if (offset >= CONTEXT_BASE && offset < CONTEXT_BASE + CONTEXTS * CONTEXT_STRIDE) {
    const context = (offset - CONTEXT_BASE) / CONTEXT_STRIDE;
    const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (reg == 0) return <u64>(context == 0 ? thresholdM : thresholdS);
    if (reg == 4) {
      // Claim (riscv-plic-spec 1.0 "Interrupt Claim Process").
      const source = best(context);
      if (source != 0) {
        setClaimed(source, true);
        const bit: u64 = <u64>1 << <u64>(source & 63);
        if (source < 64) pending0 &= ~bit;
        else pending1 &= ~bit;
        update();
      }
      return <u64>source;
    }
  }
  return 0;
}

export function plicWrite(offset: u32, size: u32, value: u64): void {
  if (size != 4) return;
  const v = <u32>value;
  if (offset < PLIC_SOURCES * 4) {
    if (offset != 0) setPriority(offset >> 2, v);
  } else if (offset >= ENABLE_BASE && offset < ENABLE_BASE + CONTEXTS * ENABLE_STRIDE) {
    const context = (offset - ENABLE_BASE) / ENABLE_STRIDE;
    const w = ((offset - ENABLE_BASE) % ENABLE_STRIDE) >> 2;
    if (w >= 3) return;
    const bits = w == 0 ? v & ~1 : v; // source 0 does not exist
    if (context == 0) {
      if (w == 2) enableM1 = (enableM1 & 0xFFFF_FFFF) | (<u64>bits << 32);
      else if (w == 1) enableM0 = (enableM0 & 0xFFFF_FFFF) | (<u64>bits << 32);
      else enableM0 = (enableM0 & 0xFFFF_FFFF_0000_0000) | <u64>bits;
    } else {
      if (w == 2) enableS1 = (enableS1 & 0xFFFF_FFFF) | (<u64>bits << 32);
      else if (w == 1) enableS0 = (enableS0 & 0xFFFF_FFFF) | (<u64>bits << 32);
      else enableS0 = (enableS0 & 0xFFFF_FFFF_0000_0000) | <u64>bits;
    }
  } else if (offset >= CONTEXT_BASE && offset < CONTEXT_BASE + CONTEXTS * CONTEXT_STRIDE) {
    const context = (offset - CONTEXT_BASE) / CONTEXT_STRIDE;
    const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (reg == 0) {
      if (context == 0) thresholdM = v & PRIORITY_MASK;
      else thresholdS = v & PRIORITY_MASK;
    } else if (reg == 4) {
      // Completion: the gateway may forward the source again.
      if (v != 0 && v < PLIC_SOURCES) setClaimed(v, false);
    } else {
      return;
    }
  } else {
    return;
  }
  update();
}

// Word `w` (0..2) of a 96-bit set held as two u64 halves.
function word32(lo: u64, hi: u64, w: u32): u64 {
  if (w == 0) return lo & 0xFFFF_FFFF;
  if (w == 1) return lo >> 32;
  return hi & 0xFFFF_FFFF;
}
