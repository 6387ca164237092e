// Address translation (Sv39/Sv48, priv spec 4.4-4.5), the software TLBs, and
// the slow paths of loads, stores and fetches that the run loop falls back to
// when its inline TLB probe misses.
import * as hart from "./hart";
import {
  PAGE_ABSENT, PAGE_CODE, PAGE_DIRTY, PAGE_FLAGS, PAGE_WATCHED, RAM_BASE, RAM_HOST,
  TLB_EMPTY, TLB_ENTRIES, TLB_FETCH, TLB_LOG, TLB_LOG_SIZE, TLB_READ, TLB_WRITE,
} from "./layout";
import {
  CAUSE_FETCH_ACCESS, CAUSE_FETCH_PAGE, CAUSE_LOAD_ACCESS, CAUSE_LOAD_MISALIGNED, CAUSE_LOAD_PAGE,
  CAUSE_STORE_ACCESS, CAUSE_STORE_MISALIGNED, CAUSE_STORE_PAGE, EV_TRAP, FAULT_NO_MEMORY, pending, raise, raiseAbsent, raiseFault,
} from "./events";
import { backRam, ramBacked, ramSize } from "./ram";
import { mmioRead, mmioWrite } from "./bus";
import { dcacheSlot, invalidateCodePage } from "./dcache";
import { htifStored } from "./devices/htif";

export const ACCESS_READ: u32 = 0;
export const ACCESS_WRITE: u32 = 1;
export const ACCESS_FETCH: u32 = 2;
const NO_ADDRESS: u64 = 0xFFFF_FFFF_FFFF_FFFF;

const PTE_V: u64 = 1 << 0;
const PTE_R: u64 = 1 << 1;
const PTE_W: u64 = 1 << 2;
const PTE_X: u64 = 1 << 3;
const PTE_U: u64 = 1 << 4;
const PTE_A: u64 = 1 << 6;
const PTE_D: u64 = 1 << 7;
const PTE_RESERVED: u64 = 0xFFC0_0000_0000_0000; // N, PBMT and reserved bits: unsupported, so must be zero
const PPN_MASK: u64 = 0xFFF_FFFF_FFFF; // 44 bits

@inline export function ramHost(pa: u64): usize {
  return RAM_HOST + <usize>(pa - RAM_BASE);
}

@inline function inRam(pa: u64, size: u64): bool {
  return pa - RAM_BASE < ramSize && pa - RAM_BASE + size <= ramSize;
}

// Lazy restore: a RAM page the host has not filled yet. The access stops the
// run (EXIT_PAGE_ABSENT) before the instruction has any effect; the host
// loads the page and runs the instruction again. Every slow-path access to
// RAM asks this first, so it is also where RAM gets its wasm memory (ram.ts).
function absent(pa: u64): bool {
  if (pa - RAM_BASE >= ramBacked && !backRam(pa - RAM_BASE + 1)) {
    raiseFault(FAULT_NO_MEMORY);
    return true;
  }
  const page = <u32>((pa - RAM_BASE) >> 12);
  if ((load<u8>(PAGE_FLAGS + <usize>page) & PAGE_ABSENT) == 0) return false;
  raiseAbsent(page);
  return true;
}

// Entries filled since the last flush; past TLB_LOG_SIZE only a full flush will do.
let tlbLogged: u32 = TLB_LOG_SIZE + 1;

export function flushTlb(): void {
  if (tlbLogged > TLB_LOG_SIZE) {
    for (let i: u32 = 0; i < TLB_ENTRIES; i++) {
      const off = <usize>i << 4;
      store<u64>(TLB_READ + off, TLB_EMPTY);
      store<u64>(TLB_WRITE + off, TLB_EMPTY);
      store<u64>(TLB_FETCH + off, TLB_EMPTY);
    }
  } else {
    for (let i: u32 = 0; i < tlbLogged; i++) store<u64>(<usize>load<u32>(TLB_LOG + (<usize>i << 2)), TLB_EMPTY);
  }
  tlbLogged = 0;
}

// The write TLB doubles as the dirty-page tracker, so clearing dirty bits must drop it.
export function flushWriteTlb(): void {
  for (let i: u32 = 0; i < TLB_ENTRIES; i++) store<u64>(TLB_WRITE + (<usize>i << 4), TLB_EMPTY);
}

// Loads and stores use MPP's privilege when MPRV is set in M-mode (priv spec 3.1.6.3).
@inline function dataPriv(): u32 {
  if (hart.priv == hart.PRIV_M && (hart.mstatus & hart.MSTATUS_MPRV) != 0) {
    return <u32>((hart.mstatus >> hart.MSTATUS_MPP_SHIFT) & 3);
  }
  return hart.priv;
}

function pageFault(access: u32, va: u64): u64 {
  raise(access == ACCESS_FETCH ? CAUSE_FETCH_PAGE : access == ACCESS_WRITE ? CAUSE_STORE_PAGE : CAUSE_LOAD_PAGE, va);
  return NO_ADDRESS;
}

function accessFault(access: u32, va: u64): u64 {
  raise(access == ACCESS_FETCH ? CAUSE_FETCH_ACCESS : access == ACCESS_WRITE ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS, va);
  return NO_ADDRESS;
}

// Returns the physical address, or NO_ADDRESS with the exception raised.
export function translate(va: u64, access: u32, priv: u32): u64 {
  const mode = <u32>(hart.satp >> 60);
  if (priv == hart.PRIV_M || mode == 0) return va;
  const levels: i32 = mode == 9 ? 4 : 3;
  const vaBits = <u64>(levels * 9 + 12);
  // Virtual addresses must be sign-extended from their top bit (4.4.1).
  if (<u64>((<i64>(va << (64 - vaBits))) >> (64 - vaBits)) != va) return pageFault(access, va);

  let table = (hart.satp & PPN_MASK) << 12;
  for (let level = levels - 1; level >= 0; level--) {
    const pteAddr = table + (((va >> (12 + 9 * <u64>level)) & 511) << 3);
    if (!inRam(pteAddr, 8)) return accessFault(access, va);
    if (absent(pteAddr)) return NO_ADDRESS;
    const host = ramHost(pteAddr);
    let pte = load<u64>(host);
    if ((pte & PTE_V) == 0 || ((pte & PTE_R) == 0 && (pte & PTE_W) != 0) || (pte & PTE_RESERVED) != 0) {
      return pageFault(access, va);
    }
    if ((pte & (PTE_R | PTE_X)) == 0) {
      table = ((pte >> 10) & PPN_MASK) << 12;
      continue;
    }
    if (!permits(pte, access, priv)) return pageFault(access, va);
    const ppn = (pte >> 10) & PPN_MASK;
    const lowMask: u64 = (<u64>1 << (9 * <u64>level)) - 1;
    if ((ppn & lowMask) != 0) return pageFault(access, va); // misaligned superpage
    // Hardware A/D update (Svadu behaviour, as QEMU does).
    const want = PTE_A | (access == ACCESS_WRITE ? PTE_D : 0);
    if ((pte & want) != want) {
      pte |= want;
      store<u64>(host, pte);
      const flags = pageFlagsAddr(pteAddr);
      store<u8>(flags, load<u8>(flags) | PAGE_DIRTY);
    }
    return ((ppn | ((va >> 12) & lowMask)) << 12) | (va & 0xFFF);
  }
  return pageFault(access, va);
}

function permits(pte: u64, access: u32, priv: u32): bool {
  if (priv == hart.PRIV_U) {
    if ((pte & PTE_U) == 0) return false;
  } else if ((pte & PTE_U) != 0) {
    // S-mode never executes user pages and reads/writes them only with SUM (4.3.1).
    if (access == ACCESS_FETCH || (hart.mstatus & hart.MSTATUS_SUM) == 0) return false;
  }
  if (access == ACCESS_FETCH) return (pte & PTE_X) != 0;
  if (access == ACCESS_WRITE) return (pte & PTE_W) != 0;
  return (pte & PTE_R) != 0 || ((hart.mstatus & hart.MSTATUS_MXR) != 0 && (pte & PTE_X) != 0);
}

@inline function tlbEntry(base: usize, va: u64): usize {
  return base + ((<usize>(va >> 12) & (TLB_ENTRIES - 1)) << 4);
}

function fill(base: usize, va: u64, pa: u64): void {
  const e = tlbEntry(base, va);
  if (tlbLogged < TLB_LOG_SIZE) store<u32>(TLB_LOG + (<usize>tlbLogged << 2), <u32>e);
  if (tlbLogged <= TLB_LOG_SIZE) tlbLogged++;
  const vpage = va & ~<u64>0xFFF;
  store<u64>(e, vpage);
  store<u64>(e, <u64>ramHost(pa & ~<u64>0xFFF) - vpage, 8);
}

@inline function pageFlagsAddr(pa: u64): usize {
  return PAGE_FLAGS + <usize>((pa - RAM_BASE) >> 12);
}

// ---- loads -------------------------------------------------------------

// Zero-extended value of a `size`-byte load; 0 with an exception raised on failure.
export function loadSlow(va: u64, size: u32): u64 {
  if ((va & <u64>(size - 1)) != 0 && ((va & 0xFFF) + <u64>size) > 4096) return loadAcrossPages(va, size);
  const pa = translate(va, ACCESS_READ, dataPriv());
  if (pa == NO_ADDRESS) return 0;
  if (inRam(pa, size)) {
    if (absent(pa)) return 0;
    fill(TLB_READ, va, pa);
    return loadHost(ramHost(pa), size);
  }
  if ((pa & <u64>(size - 1)) != 0) {
    raise(CAUSE_LOAD_ACCESS, va); // devices take aligned accesses only
    return 0;
  }
  return mmioRead(pa, size, va);
}

function loadAcrossPages(va: u64, size: u32): u64 {
  let v: u64 = 0;
  for (let i: u32 = 0; i < size; i++) {
    const b = loadSlow(va + i, 1);
    if ((pending & EV_TRAP) != 0) return 0;
    v |= b << (<u64>i << 3);
  }
  return v;
}

@inline function loadHost(host: usize, size: u32): u64 {
  if (size == 8) return load<u64>(host);
  if (size == 4) return <u64>load<u32>(host);
  if (size == 2) return <u64>load<u16>(host);
  return <u64>load<u8>(host);
}

// ---- stores ------------------------------------------------------------

export function storeSlow(va: u64, size: u32, value: u64): void {
  if ((va & <u64>(size - 1)) != 0 && ((va & 0xFFF) + <u64>size) > 4096) {
    storeAcrossPages(va, size, value);
    return;
  }
  const pa = translate(va, ACCESS_WRITE, dataPriv());
  if (pa == NO_ADDRESS) return;
  if (inRam(pa, size)) {
    if (!absent(pa)) storeRam(va, pa, size, value);
    return;
  }
  if ((pa & <u64>(size - 1)) != 0) {
    raise(CAUSE_STORE_ACCESS, va);
    return;
  }
  mmioWrite(pa, size, value, va);
}

function storeRam(va: u64, pa: u64, size: u32, value: u64): void {
  const flagsAddr = pageFlagsAddr(pa);
  const flags = load<u8>(flagsAddr);
  const host = ramHost(pa);
  if (size == 8) store<u64>(host, value);
  else if (size == 4) store<u32>(host, <u32>value);
  else if (size == 2) store<u16>(host, <u16>value);
  else store<u8>(host, <u8>value);
  store<u8>(flagsAddr, flags | PAGE_DIRTY);
  if ((flags & (PAGE_CODE | PAGE_WATCHED)) == 0) {
    fill(TLB_WRITE, va, pa);
    return;
  }
  const page = <u32>((pa - RAM_BASE) >> 12);
  if ((flags & PAGE_CODE) != 0) invalidateCodePage(page);
  if ((flags & PAGE_WATCHED) != 0) htifStored(pa, size);
}

// A misaligned store across a page boundary: translate both pages before
// writing anything, so a fault leaves memory untouched.
function storeAcrossPages(va: u64, size: u32, value: u64): void {
  // A fault on the second page reports that page's first byte: the part of
  // the access that faulted (priv spec 3.1.16: mtval is a faulting address).
  const secondPage = (va + <u64>size - 1) & ~<u64>0xFFF;
  const priv = dataPriv();
  const first = translate(va, ACCESS_WRITE, priv);
  if (first == NO_ADDRESS) return;
  const second = translate(secondPage, ACCESS_WRITE, priv);
  if (second == NO_ADDRESS) return;
  if ((inRam(first, 1) && absent(first)) || (inRam(second, 1) && absent(second))) return;
  for (let i: u32 = 0; i < size; i++) {
    storeSlow(va + i, 1, value >> (<u64>i << 3));
    if ((pending & EV_TRAP) != 0) return;
  }
}

// ---- atomics -----------------------------------------------------------

// Host address for an aligned atomic access (AMOs and SC need write
// permission, LR read permission); 0 with an exception raised otherwise.
export function atomicHost(va: u64, size: u32, write: bool): usize {
  if ((va & <u64>(size - 1)) != 0) {
    raise(write ? CAUSE_STORE_MISALIGNED : CAUSE_LOAD_MISALIGNED, va);
    return 0;
  }
  const pa = translate(va, write ? ACCESS_WRITE : ACCESS_READ, dataPriv());
  if (pa == NO_ADDRESS) return 0;
  if (!inRam(pa, size)) {
    raise(write ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS, va);
    return 0;
  }
  if (absent(pa)) return 0;
  if (write) {
    const flagsAddr = pageFlagsAddr(pa);
    const flags = load<u8>(flagsAddr);
    store<u8>(flagsAddr, flags | PAGE_DIRTY);
    if ((flags & PAGE_CODE) != 0) invalidateCodePage(<u32>((pa - RAM_BASE) >> 12));
  }
  return ramHost(pa);
}

// Called after an atomic wrote through atomicHost(), for the HTIF mailbox.
export function atomicStored(host: usize, size: u32): void {
  const pa = <u64>(host - RAM_HOST) + RAM_BASE;
  if ((load<u8>(pageFlagsAddr(pa)) & PAGE_WATCHED) != 0) htifStored(pa, size);
}

// ---- instruction fetch -------------------------------------------------

// Host address of the RAM page holding the fetched instruction (set by fetchSlot).
export let fetchPageHost: usize = 0;

// Decoded-instruction slot for the page of `va`, or 0 with an exception raised.
export function fetchSlot(va: u64): usize {
  const e = tlbEntry(TLB_FETCH, va);
  let host: usize;
  if (load<u64>(e) == (va & ~<u64>0xFFF)) {
    host = <usize>(va + load<u64>(e, 8));
  } else {
    const pa = translate(va, ACCESS_FETCH, hart.priv);
    if (pa == NO_ADDRESS) return 0;
    if (!inRam(pa, 2)) {
      raise(CAUSE_FETCH_ACCESS, va);
      return 0;
    }
    if (absent(pa)) return 0;
    fill(TLB_FETCH, va, pa);
    host = ramHost(pa);
  }
  fetchPageHost = host & ~<usize>0xFFF;
  return dcacheSlot(<u32>((fetchPageHost - RAM_HOST) >> 12));
}

// The upper half of a 32-bit instruction that starts in the last halfword of a page.
export function fetchUpperHalf(va: u64): u32 {
  const next = (va + 2);
  const pa = translate(next, ACCESS_FETCH, hart.priv);
  if (pa == NO_ADDRESS) return 0;
  if (!inRam(pa, 2)) {
    raise(CAUSE_FETCH_ACCESS, next);
    return 0;
  }
  if (absent(pa)) return 0;
  return <u32>load<u16>(ramHost(pa));
}
