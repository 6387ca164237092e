// The core's snapshot hooks: saving and loading the state record, dirty-page
// tracking, and lazy restore through absent pages. A run split at any point
// and continued on a fresh core (eagerly or lazily restored) must end in the
// same state, with the same output, as the run in one go.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseElf, segmentData, findSymbol, RAM_BASE } from "../../src/vm/elf.ts";

interface Core {
  memory: WebAssembly.Memory;
  init(ramBytes: number): number;
  ramOffset(): number;
  reset(pc: bigint): void;
  setHtif(tohost: bigint, fromhost: bigint): void;
  codeWritten(paddr: bigint, len: number): void;
  run(budget: bigint): number;
  exitCode(): number;
  instret(): bigint;
  getPc(): bigint;
  consoleOffset(): number;
  consoleLength(): number;
  consoleClear(): void;
  stateBuffer(): number;
  stateSave(): number;
  stateLoad(length: number): number;
  pageFlags(): number;
  clearDirty(): void;
  setPagesAbsent(first: number, count: number): void;
  setPagePresent(page: number): void;
  absentPage(): number;
}

const EXIT_BUDGET = 0;
const EXIT_HALT = 1;
const EXIT_CONSOLE_FULL = 3;
const EXIT_PAGE_ABSENT = 7;
const PAGE_DIRTY = 4;
const RAM_BYTES = 64 << 20;
const PAGES = RAM_BYTES >> 12;

const wasm = new WebAssembly.Module(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const program = parseElf(readFileSync(new URL("../../bench/bin/memory-small.elf", import.meta.url)));

function freshCore(): Core {
  const core = new WebAssembly.Instance(wasm, {}).exports as unknown as Core;
  expect(core.init(RAM_BYTES)).toBe(0);
  return core;
}

function ram(core: Core): Uint8Array {
  return new Uint8Array(core.memory.buffer, core.ramOffset() >>> 0, RAM_BYTES);
}

function boot(): Core {
  const core = freshCore();
  core.reset(program.entry);
  for (const s of program.segments) {
    if (s.memsz === 0n) continue;
    ram(core).set(segmentData(program, s), Number(s.paddr - RAM_BASE));
    core.codeWritten(s.paddr, Number(s.memsz));
  }
  core.setHtif(findSymbol(program, "tohost")!.value, findSymbol(program, "fromhost")?.value ?? 0n);
  return core;
}

// Runs up to `budget` instructions (all of them when omitted), collecting console output.
function runFor(core: Core, budget = 1n << 40n, onAbsent?: (page: number) => void): { reason: number; out: string } {
  let out = "";
  let left = budget;
  while (left > 0n) {
    const before = core.instret();
    const reason = core.run(left < 4_000_000n ? left : 4_000_000n);
    left -= core.instret() - before;
    const n = core.consoleLength();
    out += Buffer.from(new Uint8Array(core.memory.buffer, core.consoleOffset(), n)).toString("latin1");
    core.consoleClear();
    if (reason === EXIT_PAGE_ABSENT && onAbsent) {
      onAbsent(core.absentPage());
      continue;
    }
    if (reason !== EXIT_BUDGET && reason !== EXIT_CONSOLE_FULL) return { reason, out };
  }
  return { reason: EXIT_BUDGET, out };
}

function saveRecord(core: Core): Uint8Array {
  const length = core.stateSave();
  return new Uint8Array(core.memory.buffer, core.stateBuffer(), length).slice();
}

function loadRecord(core: Core, record: Uint8Array): void {
  new Uint8Array(core.memory.buffer, core.stateBuffer(), record.length).set(record);
  expect(core.stateLoad(record.length)).toBe(1);
}

function fingerprint(core: Core): string {
  return Buffer.from(saveRecord(core)).toString("hex") + ":" + hashRam(core);
}

function hashRam(core: Core): number {
  const words = new Uint32Array(core.memory.buffer, core.ramOffset() >>> 0, RAM_BYTES / 4);
  let h = 0;
  for (let i = 0; i < words.length; i++) h = (Math.imul(h, 31) + words[i]!) | 0;
  return h;
}

describe("core state record", () => {
  const whole = boot();
  const reference = runFor(whole);
  const finalState = fingerprint(whole);

  it("the reference run ends by halting with its checksum line", () => {
    expect(reference.reason).toBe(EXIT_HALT);
    expect(whole.exitCode()).toBe(0);
    expect(reference.out).toMatch(/0x[0-9a-f]{16}/);
  });

  for (const split of [1n, 999n, 1_234_567n, 9_999_999n]) {
    it(`a run saved after ${split} instructions and loaded into a fresh core ends identically`, () => {
      const first = boot();
      const head = runFor(first, split);
      expect(head.reason).toBe(EXIT_BUDGET);
      const record = saveRecord(first);
      const memory = ram(first).slice();

      const second = freshCore();
      ram(second).set(memory);
      loadRecord(second, record);
      const tail = runFor(second);
      expect(tail.reason).toBe(EXIT_HALT);
      expect(head.out + tail.out).toBe(reference.out);
      expect(fingerprint(second)).toBe(finalState);
    });
  }

  it("lazily restored pages are fetched on first touch and give the same end state", () => {
    const first = boot();
    runFor(first, 5_000_000n);
    const record = saveRecord(first);
    const memory = ram(first).slice();

    const second = freshCore();
    loadRecord(second, record);
    second.setPagesAbsent(0, PAGES);
    const fetched = new Set<number>();
    const tail = runFor(second, undefined, (page) => {
      expect(fetched.has(page)).toBe(false); // each page is asked for once
      fetched.add(page);
      ram(second).set(memory.subarray(page << 12, (page + 1) << 12), page << 12);
      second.setPagePresent(page);
    });
    expect(tail.reason).toBe(EXIT_HALT);
    // Pages never touched stay absent and zero; fill them to compare RAM too.
    for (let page = 0; page < PAGES; page++) {
      if (!fetched.has(page)) ram(second).set(memory.subarray(page << 12, (page + 1) << 12), page << 12);
    }
    expect(fetched.size).toBeGreaterThan(10);
    expect(fetched.size).toBeLessThan(PAGES / 2);
    expect(fingerprint(second)).toBe(finalState);
  });

  it("marks exactly the pages that changed as dirty", () => {
    const core = boot();
    runFor(core, 2_000_000n);
    core.clearDirty();
    const before = ram(core).slice();
    runFor(core, 3_000_000n);
    const after = ram(core);
    const flags = new Uint8Array(core.memory.buffer, core.pageFlags(), PAGES);
    let dirty = 0;
    for (let page = 0; page < PAGES; page++) {
      const a = before.subarray(page << 12, (page + 1) << 12);
      const b = after.subarray(page << 12, (page + 1) << 12);
      const changed = a.some((v, i) => v !== b[i]);
      const isDirty = (flags[page]! & PAGE_DIRTY) !== 0;
      if (changed) expect(isDirty, `page ${page} changed but is not dirty`).toBe(true);
      if (isDirty) dirty++;
    }
    // Dirty may over-approximate (a store of an equal value), but not by much here.
    expect(dirty).toBeGreaterThan(0);
    expect(dirty).toBeLessThan(PAGES / 4);
  });

  it("refuses a record from another RAM size or a damaged header", () => {
    const core = boot();
    const record = saveRecord(core);
    const other = new WebAssembly.Instance(wasm, {}).exports as unknown as Core;
    expect(other.init(32 << 20)).toBe(0);
    new Uint8Array(other.memory.buffer, other.stateBuffer(), record.length).set(record);
    expect(other.stateLoad(record.length)).toBe(0);
    const damaged = record.slice();
    damaged[0] ^= 1;
    const fresh = freshCore();
    new Uint8Array(fresh.memory.buffer, fresh.stateBuffer(), damaged.length).set(damaged);
    expect(fresh.stateLoad(damaged.length)).toBe(0);
    expect(fresh.stateLoad(record.length - 8)).toBe(0);
  });
});
