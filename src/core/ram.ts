// Guest RAM in the wasm memory: how much of it exists yet, and handing a used
// instance over to the next machine.
//
// Backing on demand: a machine may start with none of its RAM in the wasm
// memory, which then grows as RAM is used. A short job touches a few MiB of
// its 128, and growing a memory by tens of MiB makes V8 collect garbage
// (external memory pressure): that alone cost a hello world ~4 ms. RAM past
// `ramBacked` is zero; the MMU's slow paths back a page before its first
// access (so no TLB entry ever points past it), and a host backs RAM before
// writing it (backRam).
//
// Reuse: a fresh instance's memory is all zero. Every page the guest or the
// host wrote since init is flagged (PAGE_DIRTY, or PAGE_WRITTEN once a
// dirty epoch has ended, or by the host's own hooks), so returning an
// instance to an empty machine clears those pages and nothing else.
import { PAGE_DIRTY, PAGE_FLAGS, PAGE_WRITTEN, RAM_HOST } from "./layout";

export let ramSize: u64 = 0;
export let ramBacked: u64 = 0;

// Growing in steps keeps the number of grows (each a call into V8 that
// replaces the memory's ArrayBuffer) small without reserving much ahead.
const BACKING_STEP: u64 = 1 << 20;

// Sets the RAM size of a new machine; false when the host cannot give the memory.
export function setRam(bytes: u64, onDemand: bool): bool {
  ramSize = bytes;
  ramBacked = 0;
  return grow(onDemand ? 0 : bytes);
}

// Makes RAM offsets below `bytes` (at most ramSize) usable; false when the host refuses the memory.
export function backRam(bytes: u64): bool {
  if (bytes <= ramBacked) return true;
  const stepped = (bytes + BACKING_STEP - 1) & ~(BACKING_STEP - 1);
  return grow(stepped < ramSize ? stepped : ramSize);
}

function grow(bytes: u64): bool {
  const needed = <u64>RAM_HOST + bytes;
  const have = <u64>memory.size() << 16;
  if (needed > have && memory.grow(<i32>((needed - have + 0xFFFF) >> 16)) < 0) return false;
  // Memory the instance already has (a reused one) is backing for free.
  const capacity = (<u64>memory.size() << 16) - <u64>RAM_HOST;
  ramBacked = capacity < ramSize ? capacity : ramSize;
  return true;
}

const WRITTEN_MASK: u8 = PAGE_DIRTY | PAGE_WRITTEN;
const WRITTEN_MASK8: u64 = 0x0101_0101_0101_0101 * <u64>WRITTEN_MASK;
const DIRTY8: u64 = 0x0101_0101_0101_0101 * <u64>PAGE_DIRTY;

// Clears what the last machine left: the pages it may have written, then
// every page flag. Leaves the whole RAM area zero, as in a fresh instance.
export function wipeRam(): void {
  const pages = <usize>(ramBacked >> 12); // nothing past ramBacked was ever written
  let p: usize = 0;
  while (p < pages) {
    // Eight flags at a time: most pages of a large machine were never written.
    if (p + 8 <= pages && (load<u64>(PAGE_FLAGS + p) & WRITTEN_MASK8) == 0) {
      p += 8;
      continue;
    }
    if ((load<u8>(PAGE_FLAGS + p) & WRITTEN_MASK) == 0) {
      p++;
      continue;
    }
    let end = p + 1;
    while (end < pages && (load<u8>(PAGE_FLAGS + end) & WRITTEN_MASK) != 0) end++;
    memory.fill(RAM_HOST + (p << 12), 0, (end - p) << 12);
    p = end;
  }
  memory.fill(PAGE_FLAGS, 0, <usize>(ramSize >> 12));
}

// Ends a dirty epoch: dirty pages become merely written (still to be wiped).
// PAGE_WRITTEN is PAGE_DIRTY shifted left by two, inside the same byte.
export function endDirtyEpoch(): void {
  const pages = <usize>(ramSize >> 12);
  let p: usize = 0;
  for (; p + 8 <= pages; p += 8) {
    const w = load<u64>(PAGE_FLAGS + p);
    if ((w & DIRTY8) != 0) store<u64>(PAGE_FLAGS + p, (w & ~DIRTY8) | ((w & DIRTY8) << 2));
  }
  for (; p < pages; p++) {
    const f = load<u8>(PAGE_FLAGS + p);
    if ((f & PAGE_DIRTY) != 0) store<u8>(PAGE_FLAGS + p, (f & ~PAGE_DIRTY) | PAGE_WRITTEN);
  }
}

// The host wrote RAM [offset, offset + len): those pages must be wiped too.
export function markWritten(offset: u64, len: u64): void {
  if (len == 0 || offset >= ramSize) return;
  const end = offset + len < ramSize ? offset + len : ramSize;
  for (let p = <usize>(offset >> 12); p <= <usize>((end - 1) >> 12); p++) {
    store<u8>(PAGE_FLAGS + p, load<u8>(PAGE_FLAGS + p) | PAGE_WRITTEN);
  }
}
