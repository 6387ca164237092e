// A process's virtual memory, as the kernel keeps it: physical frames of guest
// RAM, Sv39 page tables built in that RAM for the core to walk, the list of
// mapped regions (VMAs), the brk heap and the mmap area. Anonymous memory is
// demand-paged: a region reserves address space, and its pages get frames on
// first touch (a page fault the process turns into populate()).
//
// Addresses are JS numbers: the Sv39 user half ends at 2^38, well inside 2^53.
//
// Memory accounting follows Linux's strict overcommit mode
// (vm.overcommit_memory=2): writable private mappings, and mappings filled
// with file contents, are *charged* in full when they are made, together with
// their page tables, so a fault in them can never find RAM exhausted; a
// mapping beyond the memory limit fails with ENOMEM. Read-only and PROT_NONE
// anonymous mappings are not charged (reserving address space is free), and
// reading them maps one shared zero frame, as Linux maps its zero page.
// Thread stacks (MAP_STACK) and MAP_NORESERVE mappings are the exception:
// charged page by page as their pages get frames, as Linux's default
// heuristic overcommit would let them be, since a process with dozens of
// threads reserves 8 MiB of stack for each and touches a few pages; a touch
// that finds the limit reached kills the process (the OOM killer).
import { concatBytes } from "../../bytes.ts";
import { RAM_BASE_NUMBER as RAM_BASE } from "../../core-abi.ts";
import { EEXIST, EFAULT, EINVAL, ENAMETOOLONG, ENOMEM } from "../entry/errno.ts";

export const PAGE_SIZE = 4096;
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

/** Linux TASK_SIZE with Sv39: the user half of the address space (256 GiB). */
export const TASK_SIZE = 0x40_0000_0000;
/** The stack ends at TASK_SIZE (no randomization: every run has the same layout). */
export const STACK_TOP = TASK_SIZE;
/** RLIMIT_STACK's default soft limit; the whole stack is one lazily backed region. */
export const STACK_SIZE = 8 << 20;
/** Linux mmap_base without randomization: TASK_SIZE minus the minimum 128 MiB stack gap. */
export const MMAP_BASE = TASK_SIZE - (128 << 20);
/** Nothing is mapped below this (Linux's vm.mmap_min_addr is 4096; 64 KiB catches more NULL+offset bugs). */
export const MMAP_MIN = 0x1_0000;

/** Where guest physical memory starts (the virt board's RAM). */

const RAM_BASE_PPN = RAM_BASE / PAGE_SIZE;

// Sv39 PTE bits (privileged spec 4.3.1 / 4.4.1).
const PTE_V = 1 << 0;
const PTE_R = 1 << 1;
const PTE_W = 1 << 2;
const PTE_X = 1 << 3;
const PTE_U = 1 << 4;
const PTE_A = 1 << 6;
const PTE_D = 1 << 7;
/**
 * Software bits (RSW, ignored by the hardware walk). FRAME: the PTE holds a
 * frame, even with V clear (PROT_NONE pages keep their contents). ZERO: the
 * frame is the shared zero frame, never writable (a write copies it).
 */
const PTE_FRAME = 1 << 8;
const PTE_ZERO = 1 << 9;

/** Guest RAM as the address space sees it: the bytes, and the core's caches to keep coherent. */
export interface PhysicalMemory {
  /** Guest RAM from physical RAM_BASE. */
  bytes(): Uint8Array;
  /** The host wrote [paddr, paddr+len) of RAM: drop decoded instructions there. */
  codeWritten(paddr: number, len: number): void;
  /** Page tables lost or narrowed a mapping: drop cached translations. */
  flushTranslations(): void;
  /** The host changed [offset, offset+len) of RAM (offsets from RAM_BASE): mark it dirty for snapshots. */
  wrote(offset: number, len: number): void;
  /** RAM offsets below `end` are about to be used: give them memory (which may replace what bytes() returns). */
  provide?(end: number): void;
}

/** A mapped region [start, end), page aligned. */
export interface Vma {
  start: number;
  end: number;
  /** PROT_READ | PROT_WRITE | PROT_EXEC */
  prot: number;
  /** What it is, for diagnostics and for which regions merge: "stack", "heap", "elf", "mmap", "sigreturn". */
  kind: string;
  /** Whether its pages count against the memory limit (see the top of this file). */
  charged: boolean;
  /** Charged page by page, as its pages get frames, instead (thread stacks, MAP_NORESERVE); never with `charged`. */
  lazy: boolean;
}

export type Access = "read" | "write" | "exec";

/** What a page fault came to: served, an invalid access (SIGSEGV), or no RAM left for a page table. */
export type FaultResult = "ok" | "segv" | "oom";

export function pageDown(v: number): number {
  return v - (v % PAGE_SIZE);
}

export function pageUp(v: number): number {
  return pageDown(v + PAGE_SIZE - 1);
}

/** Physical frames of guest RAM: a bump pointer over never-used (still zero) frames and a free list. */
export class FrameAllocator {
  next = 0;
  free: number[] = [];
  constructor(readonly total: number) {}

  get used(): number {
    return this.next - this.free.length;
  }

  /** A frame index and whether its bytes may be non-zero (recycled); undefined when RAM is full. */
  alloc(): { frame: number; recycled: boolean } | undefined {
    const reused = this.free.pop();
    if (reused !== undefined) return { frame: reused, recycled: true };
    if (this.next >= this.total) return undefined;
    return { frame: this.next++, recycled: false };
  }

  release(frame: number): void {
    this.free.push(frame);
  }
}

export class AddressSpace {
  readonly frames: FrameAllocator;
  readonly root: number;
  /** The shared zero frame behind read faults of uncharged regions. */
  readonly zeroFrame: number;
  /** Sorted by start, non-overlapping. */
  vmas: Vma[] = [];
  /** The commit of every address space on this RAM: the memory limit bounds the sum, as it bounds the machine. */
  readonly pool: { committed: number };
  private own = 0;
  readonly limitPages: number;
  brkStart = 0;
  brk = 0;
  private ramView: { bytes: Uint8Array; view: DataView } | undefined;

  constructor(
    readonly phys: PhysicalMemory,
    ramBytes: number,
    memoryLimit: number,
    /** Another process's address space on the same RAM: frames, zero frame and commit are shared with it (fork). */
    sibling?: AddressSpace,
    /** Page tables already in RAM (a decoded state): their root, nothing allocated. */
    root?: number,
  ) {
    this.frames = sibling?.frames ?? new FrameAllocator(Math.floor(ramBytes / PAGE_SIZE));
    this.pool = sibling?.pool ?? { committed: 0 };
    this.limitPages = Math.min(this.frames.total, Math.floor(memoryLimit / PAGE_SIZE));
    this.root = root ?? this.newFrame(true);
    this.zeroFrame = sibling ? sibling.zeroFrame : this.newFrame(true);
  }

  /** Charged pages plus page-table pages of this address space (the zero frame counts in the first one's). */
  get committedPages(): number {
    return this.own;
  }

  set committedPages(pages: number) {
    this.pool.committed += pages - this.own;
    this.own = pages;
  }

  /** The satp value that selects these page tables (Sv39, ASID 0). */
  get satp(): bigint {
    return (8n << 60n) | BigInt(RAM_BASE_PPN + this.root);
  }

  get committedBytes(): number {
    return this.committedPages * PAGE_SIZE;
  }

  // ---- frames and page tables ------------------------------------------------

  /** RAM bytes and a DataView on them, refreshed if the wasm memory was replaced. */
  private ram(): { bytes: Uint8Array; view: DataView } {
    const bytes = this.phys.bytes();
    if (!this.ramView || this.ramView.bytes !== bytes) {
      this.ramView = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    }
    return this.ramView;
  }

  /** A zeroed frame, counted as committed when `count`; -1 when RAM is full. */
  private newFrame(count: boolean): number {
    const got = this.frames.alloc();
    if (!got) return -1;
    if (got.recycled) {
      this.ram().bytes.fill(0, got.frame * PAGE_SIZE, (got.frame + 1) * PAGE_SIZE);
      this.phys.wrote(got.frame * PAGE_SIZE, PAGE_SIZE);
      this.phys.codeWritten(RAM_BASE + got.frame * PAGE_SIZE, PAGE_SIZE);
    } else {
      this.phys.provide?.((got.frame + 1) * PAGE_SIZE);
    }
    if (count) this.committedPages++;
    return got.frame;
  }

  /**
   * RAM offset of the leaf PTE of `vpn`. Missing tables are created when
   * `create` (counted as committed; -2 when the limit or RAM is exhausted),
   * else -1 is returned.
   */
  private leafPte(vpn: number, create: boolean): number {
    let table = this.root;
    for (let shift = 18; shift >= 9; shift -= 9) {
      const view = this.ram().view; // newFrame() may have replaced the memory
      const at = table * PAGE_SIZE + ((vpn >>> shift) & 511) * 8;
      const pte = view.getUint32(at, true);
      if (pte & PTE_V) {
        table = (pte >>> 10) - RAM_BASE_PPN;
        continue;
      }
      if (!create) return -1;
      const next = this.pool.committed < this.limitPages ? this.newFrame(true) : -1;
      if (next < 0) return -2;
      this.ram().view.setUint32(at, (((RAM_BASE_PPN + next) << 10) >>> 0) | PTE_V, true);
      this.phys.wrote(at, 8);
      table = next;
    }
    return table * PAGE_SIZE + (vpn & 511) * 8;
  }

  /** Page-table pages that mapping [start, end) would add. */
  private tablesNeeded(start: number, end: number): number {
    let needed = 0;
    const view = this.ram().view;
    for (let giga = Math.floor(start / 2 ** 30); giga * 2 ** 30 < end; giga++) {
      const l2 = view.getUint32(this.root * PAGE_SIZE + (giga & 511) * 8, true);
      const lo = Math.max(start, giga * 2 ** 30);
      const hi = Math.min(end, (giga + 1) * 2 ** 30);
      if (!(l2 & PTE_V)) {
        needed += 1 + Math.ceil(hi / 2 ** 21) - Math.floor(lo / 2 ** 21);
        continue;
      }
      const l1 = (l2 >>> 10) - RAM_BASE_PPN;
      for (let mega = Math.floor(lo / 2 ** 21); mega * 2 ** 21 < hi; mega++) {
        if (!(view.getUint32(l1 * PAGE_SIZE + (mega & 511) * 8, true) & PTE_V)) needed++;
      }
    }
    return needed;
  }

  private buildTables(start: number, end: number): void {
    for (let vpn = start / PAGE_SIZE; vpn < end / PAGE_SIZE; vpn = (Math.floor(vpn / 512) + 1) * 512) {
      if (this.leafPte(vpn, true) < 0) throw new Error("page tables exceed the commit that was checked");
    }
  }

  /** The raw leaf PTE of `vpn` (0 when none). */
  private pte(vpn: number): number {
    const at = this.leafPte(vpn, false);
    return at < 0 ? 0 : this.ram().view.getUint32(at, true);
  }

  /** The frame mapped at `vpn`, or -1. */
  frameAt(vpn: number): number {
    const pte = this.pte(vpn);
    return pte & PTE_FRAME ? (pte >>> 10) - RAM_BASE_PPN : -1;
  }

  /** Writes a leaf PTE (creating tables); false when a table could not be had. */
  private setLeaf(vpn: number, frame: number, prot: number, zero = false): boolean {
    const at = this.leafPte(vpn, true);
    if (at < 0) return false;
    const flags = zero ? pteFlags(prot & ~PROT_WRITE) | PTE_ZERO : pteFlags(prot);
    this.ram().view.setUint32(at, (((RAM_BASE_PPN + frame) << 10) >>> 0) | flags, true);
    this.phys.wrote(at, 8);
    return true;
  }

  /** Clears a leaf PTE; returns its frame (or -1) and whether it was the zero frame. */
  private clearLeaf(vpn: number): { frame: number; zero: boolean } {
    const at = this.leafPte(vpn, false);
    if (at < 0) return { frame: -1, zero: false };
    const view = this.ram().view;
    const pte = view.getUint32(at, true);
    if (!(pte & PTE_FRAME)) return { frame: -1, zero: false };
    view.setUint32(at, 0, true);
    this.phys.wrote(at, 8);
    return { frame: (pte >>> 10) - RAM_BASE_PPN, zero: (pte & PTE_ZERO) !== 0 };
  }

  /** Calls fn(vpn) for each page of [start, end) that has a frame, skipping missing tables 2 MiB at a time. */
  private forEachPresent(start: number, end: number, fn: (vpn: number, pte: number) => void): void {
    for (let vpn = start / PAGE_SIZE; vpn < end / PAGE_SIZE; ) {
      const at = this.leafPte(vpn, false);
      if (at < 0) {
        vpn = (Math.floor(vpn / 512) + 1) * 512;
        continue;
      }
      const pte = this.ram().view.getUint32(at, true);
      if (pte & PTE_FRAME) fn(vpn, pte);
      vpn++;
    }
  }

  /**
   * Frees the frames of [start, end) (keeping the regions), uncharging them
   * when the range is `lazy`; whether any translation went away.
   */
  private dropPages(start: number, end: number, lazy: boolean): boolean {
    let dropped = false;
    this.forEachPresent(start, end, (vpn) => {
      const { frame, zero } = this.clearLeaf(vpn);
      if (!zero) {
        this.frames.release(frame);
        if (lazy) this.committedPages--;
      }
      dropped = true;
    });
    return dropped;
  }

  // ---- regions -------------------------------------------------------------

  vmaAt(addr: number): Vma | undefined {
    let lo = 0;
    let hi = this.vmas.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const v = this.vmas[mid];
      if (addr < v.start) hi = mid;
      else if (addr >= v.end) lo = mid + 1;
      else return v;
    }
    return undefined;
  }

  /** Whether [start, end) overlaps no region. */
  isFree(start: number, end: number): boolean {
    return this.vmas.every((v) => v.end <= start || v.start >= end);
  }

  /** Pages of [start, end) covered by regions (charged ones only, when `charged`). */
  private overlapPages(start: number, end: number, chargedOnly: boolean): number {
    let pages = 0;
    for (const v of this.vmas) {
      if (chargedOnly && !v.charged) continue;
      const lo = Math.max(v.start, start);
      const hi = Math.min(v.end, end);
      if (hi > lo) pages += (hi - lo) / PAGE_SIZE;
    }
    return pages;
  }

  /** Pages of [start, end) in lazily charged regions. */
  private lazyPages(start: number, end: number): number {
    let pages = 0;
    for (const v of this.vmas) {
      if (!v.lazy) continue;
      const lo = Math.max(v.start, start);
      const hi = Math.min(v.end, end);
      if (hi > lo) pages += (hi - lo) / PAGE_SIZE;
    }
    return pages;
  }

  /** Whether charging `pages` more, plus the tables [start, end) needs, stays within the limit. */
  private fits(pages: number, start: number, end: number): boolean {
    if (pages > this.limitPages) return false;
    return this.pool.committed + pages + this.tablesNeeded(start, end) <= this.limitPages;
  }

  /** Whether a charged mapping of [start, end) over what is there now stays within the memory limit. */
  canCommit(start: number, end: number): boolean {
    return this.fits((end - start) / PAGE_SIZE - this.overlapPages(start, end, true), start, end);
  }

  /**
   * Maps [start, end) (page aligned, inside the user half) with `prot`,
   * replacing whatever was there (MAP_FIXED semantics). Pages get frames on
   * first touch. `content`: the caller fills the pages (so they are charged
   * even when read-only). Returns 0 or -ENOMEM.
   */
  map(start: number, end: number, prot: number, kind: string, content = false, lazy = false): number {
    const charged = !lazy && (content || (prot & PROT_WRITE) !== 0);
    if (charged && !this.canCommit(start, end)) return -ENOMEM;
    this.unmap(start, end);
    if (charged) {
      this.buildTables(start, end);
      this.committedPages += (end - start) / PAGE_SIZE;
    }
    this.insert({ start, end, prot, kind, charged, lazy });
    return 0;
  }

  /** Removes [start, end) from every region, freeing the frames; unmapped parts are ignored. */
  unmap(start: number, end: number): void {
    const removed = this.carve(start, end);
    let dropped = false;
    for (const piece of removed) {
      if (piece.charged) this.committedPages -= (piece.end - piece.start) / PAGE_SIZE;
      dropped = this.dropPages(piece.start, piece.end, piece.lazy) || dropped;
    }
    if (dropped) this.phys.flushTranslations();
  }

  /** mprotect: every page of [start, end) must be mapped (else -ENOMEM), and newly writable parts must fit the limit. */
  protect(start: number, end: number, prot: number): number {
    if (this.overlapPages(start, end, false) !== (end - start) / PAGE_SIZE) return -ENOMEM;
    const newlyCharged = prot & PROT_WRITE ? (end - start) / PAGE_SIZE - this.overlapPages(start, end, true) - this.lazyPages(start, end) : 0;
    if (newlyCharged > 0 && !this.fits(newlyCharged, start, end)) return -ENOMEM;
    for (const piece of this.carve(start, end)) {
      const charge = !piece.charged && !piece.lazy && (prot & PROT_WRITE) !== 0;
      if (charge) {
        this.buildTables(piece.start, piece.end);
        this.committedPages += (piece.end - piece.start) / PAGE_SIZE;
      }
      this.insert({ ...piece, prot, charged: piece.charged || charge });
    }
    this.forEachPresent(start, end, (vpn, pte) => this.setLeaf(vpn, (pte >>> 10) - RAM_BASE_PPN, prot, (pte & PTE_ZERO) !== 0));
    this.phys.flushTranslations();
    return 0;
  }

  /** madvise(MADV_DONTNEED): mapped pages of [start, end) read as zero again (their frames are freed). */
  discard(start: number, end: number): void {
    let dropped = false;
    for (const v of this.vmas) {
      const lo = Math.max(v.start, start);
      const hi = Math.min(v.end, end);
      if (hi > lo) dropped = this.dropPages(lo, hi, v.lazy) || dropped;
    }
    if (dropped) this.phys.flushTranslations();
  }

  /**
   * mremap's move: [from, from+len), inside one region, now lives at
   * [to, to+len) with its frames; `to` must be free, and committable when
   * the region is charged.
   */
  move(from: number, to: number, len: number): void {
    const vma = this.vmaAt(from)!;
    const pages: [number, number][] = [];
    this.forEachPresent(from, from + len, (vpn, pte) => pages.push([vpn, pte]));
    for (const [vpn] of pages) this.clearLeaf(vpn);
    for (const piece of this.carve(from, from + len)) {
      if (piece.charged) this.committedPages -= (piece.end - piece.start) / PAGE_SIZE;
    }
    this.map(to, to + len, vma.prot, vma.kind, vma.charged, vma.lazy);
    for (const [vpn, pte] of pages) {
      this.setLeaf(vpn - from / PAGE_SIZE + to / PAGE_SIZE, (pte >>> 10) - RAM_BASE_PPN, vma.prot, (pte & PTE_ZERO) !== 0);
    }
    this.phys.flushTranslations();
  }

  /** Removes [start, end) from the region list; returns the removed pieces. */
  private carve(start: number, end: number): Vma[] {
    const kept: Vma[] = [];
    const removed: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) {
        kept.push(v);
        continue;
      }
      if (v.start < start) kept.push({ ...v, end: start });
      removed.push({ ...v, start: Math.max(v.start, start), end: Math.min(v.end, end) });
      if (v.end > end) kept.push({ ...v, start: end });
    }
    this.vmas = kept;
    return removed;
  }

  /** Inserts a region into a free range, merging with equal neighbours. */
  private insert(vma: Vma): void {
    let i = 0;
    while (i < this.vmas.length && this.vmas[i].start < vma.start) i++;
    this.vmas.splice(i, 0, { ...vma });
    const same = (a: Vma, b: Vma) => a.end === b.start && a.prot === b.prot && a.kind === b.kind && a.charged === b.charged && a.lazy === b.lazy;
    if (i + 1 < this.vmas.length && same(this.vmas[i], this.vmas[i + 1])) {
      this.vmas[i].end = this.vmas[i + 1].end;
      this.vmas.splice(i + 1, 1);
    }
    if (i > 0 && same(this.vmas[i - 1], this.vmas[i])) {
      this.vmas[i - 1].end = this.vmas[i].end;
      this.vmas.splice(i, 1);
    }
  }

  /**
   * Where a new mapping of `len` bytes goes: at `hint` when that range is free,
   * else the highest free range below MMAP_BASE (top-down, as Linux does).
   * Returns -ENOMEM when nothing fits.
   */
  findFree(len: number, hint = 0): number {
    if (hint >= MMAP_MIN && hint + len <= MMAP_BASE && hint % PAGE_SIZE === 0 && this.isFree(hint, hint + len)) {
      return hint;
    }
    let top = MMAP_BASE;
    for (let i = this.vmas.length - 1; i >= -1; i--) {
      const v = i >= 0 ? this.vmas[i] : { start: MMAP_MIN, end: MMAP_MIN };
      if (v.start >= top) continue;
      if (v.end <= top - len) return top - len;
      top = Math.min(top, v.start);
    }
    return -ENOMEM;
  }

  // ---- demand paging -------------------------------------------------------

  /** A page fault at `addr`: gives the page a frame when its region allows `access`. */
  populate(addr: number, access: Access): FaultResult {
    const vma = this.vmaAt(addr);
    if (!vma || !permits(vma.prot, access)) return "segv";
    const vpn = Math.floor(addr / PAGE_SIZE);
    const pte = this.pte(vpn);
    if (pte & PTE_FRAME) {
      // Only a write to the zero frame of a now writable page is a fault to serve (copy on write).
      if (!(pte & PTE_ZERO) || !(vma.prot & PROT_WRITE)) return "segv";
      this.clearLeaf(vpn);
      this.phys.flushTranslations();
    }
    if (!(vma.prot & PROT_WRITE)) return this.setLeaf(vpn, this.zeroFrame, vma.prot, true) ? "ok" : "oom";
    if (vma.lazy) return this.populateLazy(vpn, vma.prot);
    // Charged: the frame was accounted for when the region was mapped.
    const frame = this.newFrame(false);
    if (frame < 0) throw new Error("guest RAM exhausted despite commit accounting");
    this.setLeaf(vpn, frame, vma.prot);
    return "ok";
  }

  /** A page of a lazily charged region gets a frame, charged now, and its page tables: "oom" past the limit. */
  private populateLazy(vpn: number, prot: number): FaultResult {
    if (this.pool.committed >= this.limitPages) return "oom";
    const frame = this.newFrame(true);
    if (frame < 0) return "oom";
    if (this.setLeaf(vpn, frame, prot)) return "ok";
    this.frames.release(frame);
    this.committedPages--;
    return "oom";
  }

  /** The frame behind `vpn` for a host write (copy_to_user), populating it; -1 when not writable. */
  private writableFrame(vpn: number): number {
    const vma = this.vmaAt(vpn * PAGE_SIZE);
    if (!vma || !(vma.prot & PROT_WRITE)) return -1;
    const pte = this.pte(vpn);
    if (pte & PTE_FRAME && !(pte & PTE_ZERO)) return (pte >>> 10) - RAM_BASE_PPN;
    return this.populate(vpn * PAGE_SIZE, "write") === "ok" ? this.frameAt(vpn) : -1;
  }

  // ---- fork and exit ---------------------------------------------------------

  /**
   * fork: a copy with the same regions and its own frames holding the same
   * bytes (no copy-on-write: a copy costs little next to the bookkeeping it
   * would need). Charged as the original is, so undefined (ENOMEM) when the
   * copy does not fit in the memory limit.
   */
  fork(): AddressSpace | undefined {
    // The copy's main stack is charged page by page, as Linux charges a stack as it grows: charged in full, each
    // child would cost 8 MiB, and a parent with a few children would run out of memory where Linux does not.
    const copies = this.vmas.map((v) => (v.kind === "stack" && v.charged ? { ...v, charged: false, lazy: true } : { ...v }));
    let present = 0;
    let lazyPresent = 0;
    let charged = 0;
    for (const v of copies) {
      if (v.charged) charged += (v.end - v.start) / PAGE_SIZE;
      this.forEachPresent(v.start, v.end, (_vpn, pte) => {
        if (pte & PTE_ZERO) return;
        present++;
        if (v.lazy) lazyPresent++;
      });
    }
    // The copy needs at most as many page tables as the original holds (its commit less its charged pages).
    const tables = Math.max(this.own - this.overlapPages(0, TASK_SIZE, true), 1);
    if (this.pool.committed + charged + lazyPresent + tables > this.limitPages) return undefined;
    if (this.frames.total - this.frames.used < present + tables) return undefined;
    const child = new AddressSpace(this.phys, this.frames.total * PAGE_SIZE, this.limitPages * PAGE_SIZE, this);
    child.brkStart = this.brkStart;
    child.brk = this.brk;
    for (const v of copies) {
      child.insert(v);
      if (v.charged) {
        child.buildTables(v.start, v.end);
        child.committedPages += (v.end - v.start) / PAGE_SIZE;
      }
      this.forEachPresent(v.start, v.end, (vpn, pte) => {
        const frameFlags = pte & 0x3ff;
        if (pte & PTE_ZERO) {
          child.writeLeaf(vpn, this.zeroFrame, frameFlags);
          return;
        }
        const frame = child.newFrame(v.lazy);
        const ram = this.ram().bytes;
        const from = ((pte >>> 10) - RAM_BASE_PPN) * PAGE_SIZE;
        ram.copyWithin(frame * PAGE_SIZE, from, from + PAGE_SIZE);
        this.phys.wrote(frame * PAGE_SIZE, PAGE_SIZE);
        this.phys.codeWritten(RAM_BASE + frame * PAGE_SIZE, PAGE_SIZE);
        child.writeLeaf(vpn, frame, frameFlags);
      });
    }
    return child;
  }

  /** A leaf PTE with the flags of another's (fork keeps PROT_NONE and zero-frame pages as they are). */
  private writeLeaf(vpn: number, frame: number, flags: number): void {
    const at = this.leafPte(vpn, true);
    if (at < 0) throw new Error("page tables exceed the commit that was checked");
    this.ram().view.setUint32(at, (((RAM_BASE_PPN + frame) << 10) >>> 0) | flags, true);
    this.phys.wrote(at, 8);
  }

  /** The process is gone: every frame it holds, page tables included, goes back to the allocator and the pool. */
  destroy(): void {
    this.unmap(0, TASK_SIZE);
    const view = this.ram().view;
    for (let i = 0; i < 512; i++) {
      const l2 = view.getUint32(this.root * PAGE_SIZE + i * 8, true);
      if (!(l2 & PTE_V)) continue;
      const l1 = (l2 >>> 10) - RAM_BASE_PPN;
      for (let j = 0; j < 512; j++) {
        const pte = view.getUint32(l1 * PAGE_SIZE + j * 8, true);
        if (pte & PTE_V) this.frames.release((pte >>> 10) - RAM_BASE_PPN);
      }
      this.frames.release(l1);
    }
    this.frames.release(this.root);
    this.committedPages = 0;
  }

  // ---- host access (copy_from_user / copy_to_user) ------------------------

  /** Copies guest memory out; null (EFAULT) when any byte is unmapped or unreadable. */
  read(va: number, len: number): Uint8Array | null {
    if (!validRange(va, len)) return null;
    // Check every page before allocating: a bad length must not cost a large host buffer.
    for (let page = pageDown(va); page < va + len; ) {
      const vma = this.vmaAt(page);
      if (!vma || !(vma.prot & PROT_READ)) return null;
      page = vma.end;
    }
    const out = new Uint8Array(len);
    const ram = this.ram().bytes;
    for (let done = 0; done < len; ) {
      const addr = va + done;
      const n = Math.min(len - done, PAGE_SIZE - (addr % PAGE_SIZE));
      const frame = this.frameAt(Math.floor(addr / PAGE_SIZE));
      // An untouched page reads as zeros without taking a frame.
      if (frame >= 0) {
        const at = frame * PAGE_SIZE + (addr % PAGE_SIZE);
        out.set(ram.subarray(at, at + n), done);
      }
      done += n;
    }
    return out;
  }

  /** Copies bytes into guest memory; false (EFAULT) when any page is unmapped or read-only, and then nothing is written. */
  write(va: number, bytes: Uint8Array): boolean {
    if (!validRange(va, bytes.length)) return false;
    for (let page = pageDown(va); page < va + bytes.length; ) {
      const vma = this.vmaAt(page);
      if (!vma || !(vma.prot & PROT_WRITE)) return false;
      page = vma.end;
    }
    for (let done = 0; done < bytes.length; ) {
      const addr = va + done;
      const n = Math.min(bytes.length - done, PAGE_SIZE - (addr % PAGE_SIZE));
      const frame = this.writableFrame(Math.floor(addr / PAGE_SIZE));
      const at = frame * PAGE_SIZE + (addr % PAGE_SIZE);
      this.ram().bytes.set(bytes.subarray(done, done + n), at);
      this.phys.wrote(at, n);
      if (this.vmaAt(addr)!.prot & PROT_EXEC) this.phys.codeWritten(RAM_BASE + at, n);
      done += n;
    }
    return true;
  }

  /**
   * Fills pages regardless of their protection (the loader, file-backed
   * mmap). The range must lie in charged regions.
   */
  poke(va: number, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) {
      const addr = va + done;
      const vpn = Math.floor(addr / PAGE_SIZE);
      const n = Math.min(bytes.length - done, PAGE_SIZE - (addr % PAGE_SIZE));
      const vma = this.vmaAt(addr);
      if (!vma || !vma.charged) throw new Error(`poke outside a charged region at 0x${addr.toString(16)}`);
      let frame = this.frameAt(vpn);
      if (frame < 0 || frame === this.zeroFrame) {
        frame = this.newFrame(false);
        if (frame < 0) throw new Error("guest RAM exhausted despite commit accounting");
        this.setLeaf(vpn, frame, vma.prot);
      }
      const at = frame * PAGE_SIZE + (addr % PAGE_SIZE);
      this.ram().bytes.set(bytes.subarray(done, done + n), at);
      this.phys.wrote(at, n);
      this.phys.codeWritten(RAM_BASE + at, n);
      done += n;
    }
  }

  /** A NUL-terminated string of fewer than `max` bytes (without the NUL), or -EFAULT / -ENAMETOOLONG. */
  readCString(va: number, max = 4096): Uint8Array | number {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let addr = va; total < max; ) {
      const n = Math.min(PAGE_SIZE - (addr % PAGE_SIZE), max - total);
      const chunk = this.read(addr, n);
      if (!chunk) return -EFAULT;
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        return concatBytes(parts);
      }
      parts.push(chunk);
      total += n;
      addr += n;
    }
    return -ENAMETOOLONG;
  }

  readU64(va: number): bigint | null {
    const b = this.read(va, 8);
    return b ? new DataView(b.buffer).getBigUint64(0, true) : null;
  }

  writeU64(va: number, v: bigint): boolean {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    return this.write(va, b);
  }

  // ---- brk -----------------------------------------------------------------

  /** Sets where the heap starts (just past the program's last segment). */
  initBrk(at: number): void {
    this.brkStart = at;
    this.brk = at;
  }

  /** brk(2): the new break on success, the old one on failure (the Linux contract). */
  setBrk(addr: number): number {
    if (addr < this.brkStart || addr > MMAP_BASE) return this.brk;
    const oldTop = pageUp(this.brk);
    const newTop = pageUp(addr);
    if (newTop > oldTop) {
      if (!this.isFree(oldTop, newTop)) return this.brk;
      if (this.map(oldTop, newTop, PROT_READ | PROT_WRITE, "heap") !== 0) return this.brk;
    } else if (newTop < oldTop) {
      this.unmap(newTop, oldTop);
    }
    this.brk = addr;
    return addr;
  }

  // ---- mmap placement ------------------------------------------------------

  /** The address for a new mapping, or a negative errno. */
  place(addr: number, len: number, fixed: boolean, noReplace: boolean): number {
    if (fixed || noReplace) {
      if (addr % PAGE_SIZE !== 0 || addr < MMAP_MIN || addr + len > TASK_SIZE) return -EINVAL;
      if (noReplace && !this.isFree(addr, addr + len)) return -EEXIST;
      return addr;
    }
    return this.findFree(len, pageDown(addr));
  }
}

function validRange(va: number, len: number): boolean {
  return Number.isSafeInteger(va) && va >= 0 && len >= 0 && va + len <= TASK_SIZE;
}

export function permits(prot: number, access: Access): boolean {
  if (access === "write") return (prot & PROT_WRITE) !== 0;
  if (access === "exec") return (prot & PROT_EXEC) !== 0;
  return (prot & PROT_READ) !== 0;
}

/**
 * Leaf PTE bits for a protection. Sv39 reserves W without R, so writable
 * pages are also readable (as on Linux/riscv); A and D are preset so the
 * core never has to update them. PROT_NONE leaves V clear (a PTE with V and
 * no R/W/X would point to another table).
 */
function pteFlags(prot: number): number {
  if ((prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) === 0) return PTE_FRAME;
  let f = PTE_V | PTE_U | PTE_A | PTE_D | PTE_FRAME;
  if (prot & (PROT_READ | PROT_WRITE)) f |= PTE_R;
  if (prot & PROT_WRITE) f |= PTE_W;
  if (prot & PROT_EXEC) f |= PTE_X;
  return f;
}
