// The core's snapshot hooks: saving and loading the state record, dirty-page
// tracking, and lazy restore through absent pages. A run split at any point
// and continued on a fresh core (eagerly or lazily restored) must end in the
// same state, with the same output, as the run in one go.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseElf } from "../../src/vm/elf.ts";
import { bootElf, drainConsole, EXIT, loadRecord, newCore, ramOf, saveRecord, type RawCore as Core } from "../support/bare-core.ts";

const PAGE_DIRTY = 4;
const PAGE_ABSENT = 8;
const RAM_BYTES = 64 << 20;
const PAGES = RAM_BYTES >> 12;
const program = parseElf(readFileSync(new URL("../../bench/bin/memory-small.elf", import.meta.url)));

const freshCore = () => newCore(RAM_BYTES);
const boot = () => bootElf(program, RAM_BYTES);
const ram = (core: Core) => ramOf(core, RAM_BYTES);

// Runs up to `budget` instructions (all of them when omitted), collecting console output.
function runFor(core: Core, budget = 1n << 40n, onAbsent?: (page: number) => void): { reason: number; out: string } {
  let out = "";
  let left = budget;
  while (left > 0n) {
    const before = core.instret();
    const reason = core.run(left < 4_000_000n ? left : 4_000_000n);
    left -= core.instret() - before;
    out += drainConsole(core);
    if (reason === EXIT.PageAbsent && onAbsent) {
      onAbsent(core.absentPage());
      continue;
    }
    if (reason !== EXIT.Budget && reason !== EXIT.ConsoleFull) return { reason, out };
  }
  return { reason: EXIT.Budget, out };
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
    expect(reference.reason).toBe(EXIT.Halt);
    expect(whole.exitCode()).toBe(0);
    expect(reference.out).toMatch(/0x[0-9a-f]{16}/);
  });

  for (const split of [1n, 999n, 1_234_567n, 9_999_999n]) {
    it(`a run saved after ${split} instructions and loaded into a fresh core ends identically`, () => {
      const first = boot();
      const head = runFor(first, split);
      expect(head.reason).toBe(EXIT.Budget);
      const record = saveRecord(first);
      const memory = ram(first).slice();

      const second = freshCore();
      ram(second).set(memory);
      expect(loadRecord(second, record)).toBe(true);
      const tail = runFor(second);
      expect(tail.reason).toBe(EXIT.Halt);
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
    expect(loadRecord(second, record)).toBe(true);
    second.setPagesAbsent(0, PAGES);
    // The core keeps the HTIF mailbox pages resident: the host fills those now.
    const flags = new Uint8Array(second.memory.buffer, second.pageFlags(), PAGES);
    const resident = [...flags.keys()].filter((page) => (flags[page]! & PAGE_ABSENT) === 0);
    expect(resident.length).toBeGreaterThan(0);
    expect(resident.length).toBeLessThanOrEqual(2);
    for (const page of resident) ram(second).set(memory.subarray(page << 12, (page + 1) << 12), page << 12);
    const fetched = new Set<number>(resident);
    const tail = runFor(second, undefined, (page) => {
      expect(fetched.has(page)).toBe(false); // each page is asked for once, and never a resident one
      fetched.add(page);
      ram(second).set(memory.subarray(page << 12, (page + 1) << 12), page << 12);
      second.setPagePresent(page);
    });
    expect(tail.reason).toBe(EXIT.Halt);
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
    expect(loadRecord(newCore(32 << 20), record)).toBe(false);
    const damaged = record.slice();
    damaged[0] ^= 1;
    expect(loadRecord(freshCore(), damaged)).toBe(false);
    expect(loadRecord(freshCore(), record.slice(0, record.length - 8))).toBe(false);
  });

  it("keeps a hart waiting in wfi across run() calls, so any slicing gives the same run", () => {
    const interrupts = parseElf(readFileSync(new URL("../guest/bin/interrupts.elf", import.meta.url)));
    const whole = bootElf(interrupts, RAM_BYTES);
    expect(runFor(whole).reason).toBe(EXIT.Halt);
    const expected = fingerprint(whole);
    for (const slice of [1n, 7n, 100n, 1000n]) {
      const core = bootElf(interrupts, RAM_BYTES);
      let reason: number = EXIT.Budget;
      let cycles = 0n;
      for (let i = 0; i < 100_000 && reason === EXIT.Budget; i++) {
        reason = core.run(slice);
        cycles += core.runCycles();
        if (reason === EXIT.Budget) expect(core.runCycles()).toBe(slice);
      }
      drainConsole(core);
      expect(reason, `slices of ${slice}`).toBe(EXIT.Halt);
      expect(fingerprint(core), `slices of ${slice}`).toBe(expected);
      expect(core.instret()).toBe(whole.instret());
      expect(cycles).toBeGreaterThan(core.instret()); // the program sleeps in wfi
    }
  });
});

describe("process-mode exits", () => {
  it("returns to the host at a U-mode ecall, with pc at the ecall", () => {
    const core = newCore(RAM_BYTES);
    // addi a7, x0, 93 ; ecall ; j . (run in M-mode-less U without paging: bare satp maps pa = va)
    const code = new Uint32Array([0x05d00893, 0x00000073, 0x0000006f]);
    ramOf(core, RAM_BYTES).set(new Uint8Array(code.buffer), 0);
    core.codeWritten(0x8000_0000n, code.byteLength);
    core.reset(0x8000_0000n);
    core.setPriv(0);
    core.setEcallExits(1);
    core.setUserTrapExits(1);
    expect(core.run(100n)).toBe(EXIT.Ecall);
    expect(core.getPc()).toBe(0x8000_0004n);
    expect(core.getX(17)).toBe(93n);
    expect(core.instret()).toBe(1n);
  });

  it("returns to the host at any other U-mode exception", () => {
    const core = newCore(RAM_BYTES);
    const code = new Uint32Array([0x00000000]); // an illegal instruction
    ramOf(core, RAM_BYTES).set(new Uint8Array(code.buffer), 0);
    core.codeWritten(0x8000_0000n, code.byteLength);
    core.reset(0x8000_0000n);
    core.setPriv(0);
    core.setUserTrapExits(1);
    expect(core.run(100n)).toBe(EXIT.Trap);
    expect(core.trapCause()).toBe(2n);
    expect(core.getPc()).toBe(0x8000_0000n);
  });
});
