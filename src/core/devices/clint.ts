// CLINT (ACLINT MSWI + MTIMER) at 0x0200_0000 as on QEMU virt.
import * as hart from "../hart";
import { EV_RECHECK, signal } from "../events";

export const CLINT_BASE: u64 = 0x0200_0000;
export const CLINT_SIZE: u64 = 0x1_0000;
const MSIP: u32 = 0x0;
const MTIMECMP: u32 = 0x4000;
const MTIME: u32 = 0xBFF8;

export function clintRead(offset: u32, size: u32): u64 {
  if (offset == MSIP) return <u64>hart.msip;
  if (offset >= MTIMECMP && offset < MTIMECMP + 8) return slice(hart.mtimecmp, offset - MTIMECMP, size);
  if (offset >= MTIME && offset < MTIME + 8) return slice(hart.mtimeNow(), offset - MTIME, size);
  return 0;
}

export function clintWrite(offset: u32, size: u32, value: u64): void {
  if (offset == MSIP) {
    hart.msip = <u32>value & 1;
  } else if (offset >= MTIMECMP && offset < MTIMECMP + 8) {
    hart.mtimecmp = merge(hart.mtimecmp, offset - MTIMECMP, size, value);
  } else if (offset >= MTIME && offset < MTIME + 8) {
    const now = hart.mtimeNow();
    hart.mtimeOffset += merge(now, offset - MTIME, size, value) - now;
  }
  signal(EV_RECHECK);
}

// 32-bit halves of the 64-bit registers are accessible on their own (RV32 firmware does that).
function slice(reg: u64, byteOffset: u32, size: u32): u64 {
  const v = reg >> (<u64>byteOffset << 3);
  return size >= 8 ? v : v & ((<u64>1 << (<u64>size << 3)) - 1);
}

function merge(reg: u64, byteOffset: u32, size: u32, value: u64): u64 {
  if (size >= 8) return value;
  const shift = <u64>byteOffset << 3;
  const mask = ((<u64>1 << (<u64>size << 3)) - 1) << shift;
  return (reg & ~mask) | ((value << shift) & mask);
}
