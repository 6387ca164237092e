// Decoded-instruction cache keyed by physical page. Stores reach a cached
// page only through the MMU's slow path (write-TLB entries are never made for
// such pages), which drops the page's decoded entries: block instruction
// counts span many entries, so partial invalidation could leave stale counts.
import {
  DCACHE, DCACHE_ENTRIES_BYTES, DCACHE_SLOTS, DCACHE_SLOT_BYTES, DCACHE_TAGS, PAGE_CODE, PAGE_FLAGS, RAM_HOST,
  TLB_EMPTY, TLB_ENTRIES, TLB_WRITE,
} from "./layout";
import { OP_PAGE_END } from "./ops";
import { EV_FLUSH_FETCH, signal } from "./events";

// Empty every slot. Only the tags: a slot is cleared, and gets its sentinel,
// when a page claims it, so a new machine touches none of the 8 MiB of slots
// (writing 512 sentinels up front cost a fresh instance ~1 ms of page faults).
export function dcacheInit(): void {
  memory.fill(DCACHE_TAGS, 0, DCACHE_SLOTS << 2);
}

// Tags hold page index + 1, so 0 means empty.
export function dcacheSlot(page: u32): usize {
  const s = page & (DCACHE_SLOTS - 1);
  const tagAddr = DCACHE_TAGS + (<usize>s << 2);
  const slot = DCACHE + <usize>s * DCACHE_SLOT_BYTES;
  const tag = load<u32>(tagAddr);
  if (tag == page + 1) return slot;
  if (tag != 0) setCodeFlag(tag - 1, false);
  memory.fill(slot, 0, DCACHE_ENTRIES_BYTES);
  store<u64>(slot + DCACHE_ENTRIES_BYTES, <u64>OP_PAGE_END);
  store<u32>(tagAddr, page + 1);
  setCodeFlag(page, true);
  dropWriteMappings(page);
  return slot;
}

// A store into a code page: its decoded entries are re-made on the next
// fetch, and the run loop must leave the block it is in.
export function invalidateCodePage(page: u32): void {
  const s = page & (DCACHE_SLOTS - 1);
  if (load<u32>(DCACHE_TAGS + (<usize>s << 2)) != page + 1) return;
  memory.fill(DCACHE + <usize>s * DCACHE_SLOT_BYTES, 0, DCACHE_ENTRIES_BYTES);
  signal(EV_FLUSH_FETCH);
}

export function invalidateAllCode(): void {
  for (let s: u32 = 0; s < DCACHE_SLOTS; s++) {
    const tagAddr = DCACHE_TAGS + (<usize>s << 2);
    const tag = load<u32>(tagAddr);
    if (tag != 0) {
      setCodeFlag(tag - 1, false);
      store<u32>(tagAddr, 0);
    }
  }
}

function setCodeFlag(page: u32, on: bool): void {
  const p = PAGE_FLAGS + <usize>page;
  const f = load<u8>(p);
  store<u8>(p, on ? f | PAGE_CODE : f & ~PAGE_CODE);
}

function dropWriteMappings(page: u32): void {
  for (let i: u32 = 0; i < TLB_ENTRIES; i++) {
    const e = TLB_WRITE + (<usize>i << 4);
    const tag = load<u64>(e);
    if (tag == TLB_EMPTY) continue;
    const host = <usize>(tag + load<u64>(e, 8));
    if (((host - RAM_HOST) >> 12) == <usize>page) store<u64>(e, TLB_EMPTY);
  }
}
