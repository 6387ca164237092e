// The process address space (src/vm/linux/memory/address-space.ts) over a plain
// byte array standing in for guest RAM: Sv39 tables as the hardware walks
// them, demand paging, the regions' bookkeeping, strict commit accounting,
// the shared zero frame, and host copies that fail cleanly (EFAULT).
import { describe, expect, it } from "vitest";
import {
  AddressSpace,
  MMAP_BASE,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  type PhysicalMemory,
} from "../../src/vm/linux/memory/address-space.ts";
import { RAM_BASE_NUMBER as RAM_BASE } from "../../src/vm/core-abi.ts";

const MiB = 1 << 20;
const RW = PROT_READ | PROT_WRITE;

function fakeRam(bytes = 16 * MiB) {
  const ram = new Uint8Array(bytes);
  const events = { flushes: 0, codeWrites: [] as number[], written: new Set<number>() };
  const phys: PhysicalMemory = {
    bytes: () => ram,
    codeWritten: (paddr) => void events.codeWrites.push(paddr),
    flushTranslations: () => void events.flushes++,
    wrote: (offset, len) => {
      for (let p = Math.floor(offset / PAGE_SIZE); p <= Math.floor((offset + len - 1) / PAGE_SIZE); p++) events.written.add(p);
    },
  };
  return { ram, phys, events };
}

function space(limit = 16 * MiB, ramBytes = 16 * MiB) {
  const r = fakeRam(ramBytes);
  return { ...r, mem: new AddressSpace(r.phys, ramBytes, limit) };
}

/** An Sv39 walk written from the privileged spec, independent of the code under test. */
function walk(ram: Uint8Array, satp: bigint, va: number): { pte: bigint; pa: number } | undefined {
  expect(satp >> 60n).toBe(8n);
  const view = new DataView(ram.buffer);
  let table = Number(satp & ((1n << 44n) - 1n)) * PAGE_SIZE;
  for (let level = 2; level >= 0; level--) {
    const index = Math.floor(va / 2 ** (12 + 9 * level)) % 512;
    const pte = view.getBigUint64(table - RAM_BASE + index * 8, true);
    if (!(pte & 1n)) return undefined;
    const ppn = Number(pte >> 10n);
    if (pte & 0xan) {
      expect(level, "no superpages").toBe(0);
      return { pte, pa: ppn * PAGE_SIZE + (va % PAGE_SIZE) };
    }
    table = ppn * PAGE_SIZE;
  }
  throw new Error("a leaf must be found by level 0");
}

describe("AddressSpace", () => {
  it("maps lazily and builds Sv39 leaves with V R W U A D as the core expects", () => {
    const { mem, ram } = space();
    const base = 0x4000_0000;
    expect(mem.map(base, base + 4 * PAGE_SIZE, RW, "mmap")).toBe(0);
    expect(walk(ram, mem.satp, base), "nothing until the first touch").toBeUndefined();
    expect(mem.populate(base + 5, "write")).toBe("ok");
    const leaf = walk(ram, mem.satp, base + 5)!;
    // V R W U A D, no X.
    expect(Number(leaf.pte & 0xffn)).toBe(0b1101_0111);
    expect(leaf.pa).toBeGreaterThanOrEqual(RAM_BASE);
    expect(mem.populate(base + 5, "write"), "a present page is not faulted in twice").toBe("segv");
    expect(mem.populate(base + 4 * PAGE_SIZE, "read"), "outside every region").toBe("segv");
  });

  it("copies in and out through the tables, across page boundaries", () => {
    const { mem, ram } = space();
    const base = 0x10_0000;
    mem.map(base, base + 3 * PAGE_SIZE, RW, "mmap");
    const data = Uint8Array.from({ length: 6000 }, (_, i) => i & 0xff);
    expect(mem.write(base + 3000, data)).toBe(true);
    expect(mem.read(base + 3000, 6000)).toEqual(data);
    const second = walk(ram, mem.satp, base + PAGE_SIZE)!;
    expect(ram[second.pa - RAM_BASE]).toBe((PAGE_SIZE - 3000) & 0xff);
    expect(mem.read(base + 2 * PAGE_SIZE + 2000, 100)).toEqual(new Uint8Array(100));
  });

  it("fails host copies with EFAULT on unmapped or read-only memory, writing nothing", () => {
    const { mem } = space();
    const base = 0x20_0000;
    mem.map(base, base + PAGE_SIZE, RW, "mmap");
    mem.map(base + PAGE_SIZE, base + 2 * PAGE_SIZE, PROT_READ, "mmap");
    expect(mem.read(base + PAGE_SIZE - 4, 8)).not.toBeNull();
    expect(mem.read(base + 2 * PAGE_SIZE - 4, 8), "runs off the end").toBeNull();
    expect(mem.write(base + PAGE_SIZE - 4, new Uint8Array(8).fill(9)), "second page read-only").toBe(false);
    expect(mem.read(base + PAGE_SIZE - 4, 4)).toEqual(new Uint8Array(4));
    expect(mem.read(2 ** 60, 1), "beyond the user half").toBeNull();
    expect(mem.readCString(0x1234)).toBe(-14);
  });

  it("reads C strings across pages and reports ENAMETOOLONG", () => {
    const { mem } = space();
    const base = 0x30_0000;
    mem.map(base, base + 2 * PAGE_SIZE, RW, "mmap");
    const text = new TextEncoder().encode("spans two pages\0");
    mem.write(base + PAGE_SIZE - 5, text);
    expect(new TextDecoder().decode(mem.readCString(base + PAGE_SIZE - 5) as Uint8Array)).toBe("spans two pages");
    mem.write(base, new Uint8Array(2 * PAGE_SIZE).fill(65));
    expect(mem.readCString(base, 4096)).toBe(-36);
  });

  it("places mappings top-down below MMAP_BASE, honours free hints", () => {
    const { mem } = space();
    const a = mem.findFree(2 * PAGE_SIZE);
    expect(a).toBe(MMAP_BASE - 2 * PAGE_SIZE);
    mem.map(a, a + 2 * PAGE_SIZE, RW, "mmap");
    const b = mem.findFree(PAGE_SIZE);
    expect(b).toBe(a - PAGE_SIZE);
    expect(mem.findFree(PAGE_SIZE, 0x5000_0000)).toBe(0x5000_0000);
    expect(mem.findFree(PAGE_SIZE, a), "a taken hint falls back to top-down").toBe(b);
  });

  it("splits regions on partial munmap and mprotect, and merges equal neighbours", () => {
    const { mem, events } = space();
    const base = 0x40_0000;
    mem.map(base, base + 8 * PAGE_SIZE, RW, "mmap");
    mem.map(base + 8 * PAGE_SIZE, base + 10 * PAGE_SIZE, RW, "mmap");
    expect(mem.vmas).toHaveLength(1);
    for (let i = 0; i < 10; i++) mem.populate(base + i * PAGE_SIZE, "write");
    const used = mem.frames.used;
    const flushes = events.flushes;
    mem.unmap(base + 2 * PAGE_SIZE, base + 4 * PAGE_SIZE);
    expect(mem.vmas.map((v) => [v.start - base, v.end - base])).toEqual([
      [0, 2 * PAGE_SIZE],
      [4 * PAGE_SIZE, 10 * PAGE_SIZE],
    ]);
    expect(mem.frames.used).toBe(used - 2);
    expect(events.flushes).toBeGreaterThan(flushes);
    expect(mem.protect(base + 5 * PAGE_SIZE, base + 6 * PAGE_SIZE, PROT_READ)).toBe(0);
    expect(mem.vmas.map((v) => v.prot)).toEqual([RW, RW, PROT_READ, RW]);
    expect(mem.populate(base + 5 * PAGE_SIZE, "write")).toBe("segv");
    expect(Number(walk(mem.phys.bytes(), mem.satp, base + 5 * PAGE_SIZE)!.pte & 0x4n), "W cleared in the PTE").toBe(0);
    expect(mem.protect(base + 5 * PAGE_SIZE, base + 6 * PAGE_SIZE, RW)).toBe(0);
    expect(mem.vmas).toHaveLength(2);
    expect(mem.protect(base, base + 4 * PAGE_SIZE, PROT_READ), "a hole in the range").toBe(-12);
  });

  it("keeps PROT_NONE pages' contents without making them accessible", () => {
    const { mem, ram } = space();
    const base = 0x50_0000;
    mem.map(base, base + PAGE_SIZE, RW, "mmap");
    mem.write(base, new Uint8Array([1, 2, 3]));
    mem.protect(base, base + PAGE_SIZE, PROT_NONE);
    expect(walk(ram, mem.satp, base), "V is clear").toBeUndefined();
    expect(mem.read(base, 3)).toBeNull();
    mem.protect(base, base + PAGE_SIZE, PROT_READ | PROT_EXEC);
    expect(mem.read(base, 3)).toEqual(new Uint8Array([1, 2, 3]));
    expect(Number(walk(ram, mem.satp, base)!.pte & 0xen)).toBe(0b1010);
  });

  it("charges writable mappings against the memory limit, and not address-space reservations", () => {
    const { mem } = space(4 * MiB);
    expect(mem.map(0x100_0000, 0x100_0000 + 8 * MiB, RW, "mmap"), "larger than the limit").toBe(-12);
    expect(mem.map(0x100_0000, 0x100_0000 + 2 * MiB, RW, "mmap")).toBe(0);
    expect(mem.map(0x4000_0000, 0x4000_0000 + 2 * MiB, RW, "mmap"), "the two together exceed it").toBe(-12);
    const reserve = 0x10_0000_0000;
    expect(mem.map(reserve, reserve + 64 * MiB, PROT_NONE, "mmap"), "PROT_NONE is free").toBe(0);
    expect(mem.protect(reserve, reserve + 16 * MiB, RW), "making it writable is charged").toBe(-12);
    expect(mem.protect(reserve, reserve + 64 * 1024, RW)).toBe(0);
    expect(mem.populate(reserve + 100, "write")).toBe("ok");
    mem.unmap(0x100_0000, 0x100_0000 + 2 * MiB);
    expect(mem.map(0x4000_0000, 0x4000_0000 + 2 * MiB, RW, "mmap"), "after munmap it fits again").toBe(0);
  });

  it("charges thread stacks (lazy regions) page by page as they are touched, and frees the charge with the frames", () => {
    const { mem } = space(4 * MiB);
    const stacks = [0x10_0000_0000, 0x10_0100_0000, 0x10_0200_0000];
    // glibc's pthread stacks: PROT_NONE with MAP_STACK, then the part under the guard page made writable.
    for (const at of stacks) {
      expect(mem.map(at, at + 8 * MiB, PROT_NONE, "mmap", false, true)).toBe(0);
      expect(mem.protect(at + PAGE_SIZE, at + 8 * MiB, RW), "eight times the limit, reserved for free").toBe(0);
    }
    const before = mem.committedPages;
    expect(mem.populate(stacks[0]! + 8 * MiB - 8, "write")).toBe("ok");
    expect(mem.committedPages, "the page and its two page-table pages").toBe(before + 3);
    expect(mem.populate(stacks[0]! + 8 * MiB - PAGE_SIZE - 8, "read")).toBe("ok");
    expect(mem.committedPages).toBe(before + 4);
    mem.discard(stacks[0]!, stacks[0]! + 8 * MiB);
    expect(mem.committedPages, "madvise(DONTNEED) gives the pages back, not the tables").toBe(before + 2);
    expect(mem.map(0x100_0000, 0x100_0000 + 3 * MiB, RW, "mmap"), "charged memory still fits").toBe(0);
    let touched = 0;
    while (mem.populate(stacks[1]! + 8 * MiB - (touched + 1) * PAGE_SIZE, "write") === "ok") touched++;
    expect(mem.committedPages, "a touch past the limit is out of memory").toBe(mem.limitPages);
    mem.unmap(stacks[1]!, stacks[1]! + 8 * MiB);
    expect(mem.committedPages, "munmap gives the touched pages back").toBe(mem.limitPages - touched);
    expect(mem.vmas.filter((v) => v.lazy).every((v) => !v.charged)).toBe(true);
  });

  it("backs reads of read-only anonymous memory with one zero frame, copied on write", () => {
    const { mem } = space();
    const base = 0x60_0000;
    mem.map(base, base + 64 * PAGE_SIZE, PROT_READ, "mmap");
    expect(mem.populate(base, "read")).toBe("ok");
    // The first fault built the region's page tables (uncharged regions get them lazily).
    const used = mem.frames.used;
    for (let i = 1; i < 64; i++) expect(mem.populate(base + i * PAGE_SIZE, "read")).toBe("ok");
    expect(mem.frames.used, "no data frames").toBe(used);
    expect(mem.frameAt(base / PAGE_SIZE)).toBe(mem.zeroFrame);
    expect(mem.protect(base, base + PAGE_SIZE, RW)).toBe(0);
    expect(Number(walk(mem.phys.bytes(), mem.satp, base)!.pte & 0x4n), "still read-only in the PTE").toBe(0);
    expect(mem.populate(base, "write")).toBe("ok");
    expect(mem.frameAt(base / PAGE_SIZE)).not.toBe(mem.zeroFrame);
    mem.write(base, new Uint8Array([7]));
    expect(mem.read(base + PAGE_SIZE, 1), "the zero frame is untouched").toEqual(new Uint8Array([0]));
    mem.unmap(base, base + 64 * PAGE_SIZE);
    expect(mem.frames.used, "only the copied page was freed").toBe(used);
  });

  it("recycles freed frames zeroed and tells the core they may have held code", () => {
    const { mem, events } = space();
    const base = 0x70_0000;
    mem.map(base, base + PAGE_SIZE, RW | PROT_EXEC, "mmap");
    mem.write(base, new Uint8Array(16).fill(0xee));
    mem.unmap(base, base + PAGE_SIZE);
    events.codeWrites.length = 0;
    mem.map(base, base + PAGE_SIZE, RW, "mmap");
    mem.populate(base, "write");
    expect(mem.read(base, 16)).toEqual(new Uint8Array(16));
    expect(events.codeWrites.length).toBeGreaterThan(0);
  });

  it("discards pages (MADV_DONTNEED) and moves them (mremap)", () => {
    const { mem } = space();
    const base = 0x80_0000;
    mem.map(base, base + 2 * PAGE_SIZE, RW, "mmap");
    mem.write(base, new Uint8Array(2 * PAGE_SIZE).fill(5));
    mem.discard(base, base + PAGE_SIZE);
    expect(mem.read(base, 1)).toEqual(new Uint8Array([0]));
    expect(mem.read(base + PAGE_SIZE, 1)).toEqual(new Uint8Array([5]));
    const to = 0x90_0000;
    expect(mem.canCommit(to, to + 2 * PAGE_SIZE)).toBe(true);
    mem.move(base, to, 2 * PAGE_SIZE);
    expect(mem.vmaAt(base)).toBeUndefined();
    expect(mem.read(to + PAGE_SIZE, 2)).toEqual(new Uint8Array([5, 5]));
  });

  it("implements brk: grow, shrink, and failure returning the old break", () => {
    const { mem } = space(2 * MiB);
    mem.initBrk(0x20_0000);
    expect(mem.setBrk(0)).toBe(0x20_0000);
    expect(mem.setBrk(0x20_0100)).toBe(0x20_0100);
    expect(mem.write(0x20_0000, new Uint8Array(4096))).toBe(true);
    expect(mem.write(0x20_1000, new Uint8Array(1)), "beyond the page-rounded break").toBe(false);
    expect(mem.setBrk(0x20_0000 + 64 * MiB), "over the limit").toBe(0x20_0100);
    mem.map(0x21_0000, 0x21_1000, RW, "mmap");
    expect(mem.setBrk(0x21_0800), "into another mapping").toBe(0x20_0100);
    expect(mem.setBrk(0x20_0000)).toBe(0x20_0000);
    expect(mem.vmaAt(0x20_0000)).toBeUndefined();
  });

  it("reports every RAM page it changes (for snapshot dirty tracking)", () => {
    const { mem, ram, events } = space();
    const base = 0xa0_0000;
    mem.map(base, base + 8 * PAGE_SIZE, RW, "mmap");
    mem.write(base + 100, new Uint8Array(3 * PAGE_SIZE).fill(1));
    mem.poke(base + 5 * PAGE_SIZE, Uint8Array.from([9]));
    mem.protect(base, base + PAGE_SIZE, PROT_READ);
    mem.unmap(base + 7 * PAGE_SIZE, base + 8 * PAGE_SIZE);
    for (let page = 0; page < ram.length / PAGE_SIZE; page++) {
      const touched = ram.subarray(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).some((b) => b !== 0);
      if (touched) expect(events.written.has(page), `page ${page} changed unreported`).toBe(true);
    }
    expect(events.written.size).toBeGreaterThan(5);
  });

  it("places MAP_FIXED and MAP_FIXED_NOREPLACE requests", () => {
    const { mem } = space();
    mem.map(0x40_0000, 0x40_2000, RW, "mmap");
    expect(mem.place(0x40_1000, PAGE_SIZE, true, false)).toBe(0x40_1000);
    expect(mem.place(0x40_1000, PAGE_SIZE, false, true)).toBe(-17);
    expect(mem.place(0x40_1001, PAGE_SIZE, true, false)).toBe(-22);
    expect(mem.place(0, PAGE_SIZE, true, false), "below mmap_min_addr").toBe(-22);
  });
});
