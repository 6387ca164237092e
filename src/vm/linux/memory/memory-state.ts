// The address space's part of the layer state: the frame allocator (bump
// pointer and LIFO free list, in stack order), the commit count, the brk heap
// and the regions with how each is charged (address-space.ts). The page tables themselves are guest RAM, which the
// snapshot stores as memory chunks; their root is always frame 0 and the
// shared zero frame frame 1, as the AddressSpace constructor allocates them.
import { AddressSpace, MMAP_BASE, PAGE_SIZE, TASK_SIZE, type PhysicalMemory, type Vma } from "./address-space.ts";
import { StateError, type StateReader, type StateWriter } from "../state-bytes.ts";

const VMA_KINDS = ["elf", "heap", "mmap", "sigreturn", "stack"] as const;

/** The frame allocator every process's memory shares, and the first process's address space (its root frame 0, the zero frame 1). */
export function writeAddressSpace(w: StateWriter, mem: AddressSpace): void {
  if (mem.root !== 0 || mem.zeroFrame !== 1) throw new Error("the page-table root and the zero frame must be frames 0 and 1");
  w.int(mem.frames.next).int(mem.frames.free.length);
  for (const frame of mem.frames.free) w.int(frame);
  writeRegions(w, mem);
}

/** Another process's address space: its root frame, commit, brk and regions. */
export function writeSiblingSpace(w: StateWriter, mem: AddressSpace): void {
  w.int(mem.root);
  writeRegions(w, mem);
}

export function readSiblingSpace(r: StateReader, first: AddressSpace): AddressSpace {
  const frames = first.frames;
  const root = r.range("page-table root", 2, frames.next - 1);
  if (frames.free.includes(root)) throw new StateError(`page-table root ${root} is a free frame`);
  const mem = new AddressSpace(first.phys, frames.total * PAGE_SIZE, first.limitPages * PAGE_SIZE, first, root);
  readRegions(r, mem);
  return mem;
}

function writeRegions(w: StateWriter, mem: AddressSpace): void {
  w.int(mem.committedPages).int(mem.brkStart).int(mem.brk);
  w.int(mem.vmas.length);
  for (const v of mem.vmas) {
    const kind = VMA_KINDS.indexOf(v.kind as (typeof VMA_KINDS)[number]);
    if (kind < 0) throw new Error(`a region of unknown kind ${v.kind}`);
    w.int(v.start).int(v.end).int(v.prot).int(kind).int(v.lazy ? 2 : v.charged ? 1 : 0);
  }
}

export function readAddressSpace(r: StateReader, phys: PhysicalMemory, ramBytes: number, memoryLimit: number): AddressSpace {
  // On a fresh allocator the constructor takes frames 0 and 1 without writing RAM.
  const mem = new AddressSpace(phys, ramBytes, memoryLimit);
  const frames = mem.frames;
  frames.next = r.range("frames handed out", 2, frames.total);
  frames.free = r.list("free frames", () => r.range("a free frame", 2, frames.next - 1), frames.next);
  if (new Set(frames.free).size !== frames.free.length) throw new StateError("a frame is free twice");
  readRegions(r, mem);
  return mem;
}

function readRegions(r: StateReader, mem: AddressSpace): void {
  const frames = mem.frames;
  mem.committedPages = r.range("committed pages", 1, frames.total);
  if (mem.pool.committed > frames.total) throw new StateError("the processes commit more pages than RAM holds");
  mem.brkStart = r.range("brk start", 0, TASK_SIZE);
  mem.brk = r.range("brk", mem.brkStart, Math.max(mem.brkStart, MMAP_BASE));
  mem.vmas = r.list("regions", (): Vma => {
    const start = r.range("region start", 0, TASK_SIZE);
    const end = r.range("region end", 0, TASK_SIZE);
    const prot = r.range("region protection", 0, 7);
    const kind = VMA_KINDS[r.range("region kind", 0, VMA_KINDS.length - 1)]!;
    const accounting = r.range("region accounting", 0, 2);
    return { start, end, prot, kind, charged: accounting === 1, lazy: accounting === 2 };
  });
  let previousEnd = 0;
  for (const v of mem.vmas) {
    if (v.start % PAGE_SIZE !== 0 || v.end % PAGE_SIZE !== 0 || v.start >= v.end || v.start < previousEnd) {
      throw new StateError(`region [0x${v.start.toString(16)}, 0x${v.end.toString(16)}) is not page aligned, empty, or out of order`);
    }
    previousEnd = v.end;
  }
}
