// A core instance used for another machine (init() on an instance that ran
// one), and guest RAM that gets wasm memory only as it is used: neither may
// show through to a guest. A used instance made a new machine must equal a
// fresh one (state record, RAM, page flags) and run the same, and snapshots
// stepped on reused instances must have the ids and output of snapshots
// stepped on fresh ones, even after a machine that wrote much of a larger RAM.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSnapshot, LiveMachine, MemoryStore, step, type ObjectStore } from "../../src/snapshot/index.ts";
import { BareMachine } from "../../src/vm/bare/bare-machine.ts";
import { parseElf, type Elf } from "../../src/vm/elf.ts";
import { LinuxProcess } from "../../src/vm/linux/process.ts";
import { bootElf, drainConsole, EXIT, newCore, newInstance, saveRecord, type RawCore as Core } from "../support/bare-core.ts";
import { touchElf } from "./snapshot-guest.ts";

const RAM = 64 << 20;
const PAGES = RAM >> 12;
const RAM_BASE = 0x8000_0000;
const PAGE_DIRTY = 4;
const read = (path: string) => new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
// Writes about 6 MiB, with its stack at the top of 64 MiB.
const memoryElf = parseElf(read("bench/bin/memory-small.elf"));
const coremark = read("bench/bin/coremark-like-small.elf");
const coreBytes = read("build/core.wasm");
// The project's global types are Workers', where Module cannot be constructed; Node can.
const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;

function runAll(core: Core, budget = 1n << 40n): { reason: number; out: string } {
  let out = "";
  let left = budget;
  while (left > 0n) {
    const before = core.instret();
    const reason = core.run(left < 4_000_000n ? left : 4_000_000n);
    left -= core.instret() - before;
    out += drainConsole(core);
    if (reason !== EXIT.Budget && reason !== EXIT.ConsoleFull) return { reason, out };
  }
  return { reason: EXIT.Budget, out };
}

/** All of RAM as the guest sees it (backing it first: RAM without memory yet is zero). */
function allRam(core: Core, bytes = RAM): Uint8Array {
  expect(core.backRam(bytes)).toBe(1);
  return new Uint8Array(core.memory.buffer, core.ramOffset() >>> 0, bytes);
}

function firstNonZero(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return i * 4;
  return -1;
}

const flagsOf = (core: Core, pages = PAGES) => new Uint8Array(core.memory.buffer, core.pageFlags() >>> 0, pages);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const fingerprint = (core: Core) => `${hex(saveRecord(core))}:${firstNonZero(allRam(core))}:${hashOf(allRam(core))}`;

function hashOf(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  let h = 0;
  for (let i = 0; i < words.length; i++) h = (Math.imul(h, 31) + words[i]!) | 0;
  return h;
}

/** A core that has run part of memory-small and was then written by the host in each way a host announces it. */
function usedCore(): Core {
  const used = bootElf(memoryElf, RAM);
  expect(runAll(used, 3_000_000n).reason).toBe(EXIT.Budget);
  used.clearDirty(); // what it wrote so far is no longer dirty, only written
  expect(runAll(used, 1_000_000n).reason).toBe(EXIT.Budget);
  used.consoleInputPush(0x41);
  used.setEcallExits(1);
  used.setUserTrapExits(1);
  used.setPagesAbsent(200, 50);
  const ram = allRam(used);
  // A host write announced through codeWritten (loaders), ...
  ram.fill(0x5a, (PAGES - 10) << 12, (PAGES - 9) << 12);
  used.codeWritten(BigInt(RAM_BASE + ((PAGES - 10) << 12)), 4096);
  // ... a page filled on a lazy restore, ...
  ram.fill(0x6b, 5000 << 12, 5001 << 12);
  used.setPagePresent(5000);
  // ... and the dirty bit set by the host itself (process mode).
  ram.fill(0x7c, (PAGES - 20) << 12, (PAGES - 19) << 12);
  flagsOf(used)[PAGES - 20]! |= PAGE_DIRTY;
  return used;
}

describe("a used core made a new machine", () => {
  it("is a fresh one: same state record, RAM and page flags all zero, empty queues", () => {
    const used = usedCore();
    expect(firstNonZero(allRam(used))).toBeGreaterThanOrEqual(0);
    expect(used.init(RAM)).toBe(0);
    const fresh = newCore(RAM);
    expect(hex(saveRecord(used))).toBe(hex(saveRecord(fresh)));
    expect(firstNonZero(allRam(used))).toBe(-1);
    expect(flagsOf(used).findIndex((f) => f !== 0)).toBe(-1);
    expect(used.consoleLength()).toBe(0);
    expect(used.consoleInputPending()).toBe(0);
  });

  it("runs the next program exactly as a fresh core does", () => {
    const used = usedCore();
    bootElf(memoryElf, RAM, used);
    const fresh = bootElf(memoryElf, RAM);
    const a = runAll(used);
    const b = runAll(fresh);
    expect(a.reason).toBe(EXIT.Halt);
    expect(a).toEqual(b);
    expect(fingerprint(used)).toBe(fingerprint(fresh));
  });

  it("clears what a larger machine wrote, though a smaller machine came between", () => {
    const core = bootElf(parseElf(touchElf({ base: RAM - (1 << 20), pages: 256, writeEvery: 1, rounds: 2 })), RAM);
    expect(runAll(core).reason).toBe(EXIT.Halt);
    expect(firstNonZero(allRam(core).subarray(RAM - (1 << 20)))).toBeGreaterThanOrEqual(0);
    expect(core.init(4 << 20)).toBe(0);
    expect(core.init(RAM)).toBe(0);
    expect(firstNonZero(allRam(core))).toBe(-1);
  });
});

describe("guest RAM on demand", () => {
  const load = (elf: Elf) => {
    const machine = BareMachine.fromInstance(newInstance(), { ramBytes: RAM });
    machine.load(elf);
    return machine;
  };

  it("starts with memory for the loaded program only, and grows as far as the guest reaches", async () => {
    const machine = load(parseElf(touchElf({ base: 1 << 20, pages: 16, writeEvery: 1, rounds: 2 })));
    const core = machine.core as unknown as Core;
    expect(core.ramBacked()).toBeLessThanOrEqual(1 << 20);
    expect((await machine.run(1n << 30n)).status).toBe("halted");
    expect(core.ramBacked()).toBeGreaterThanOrEqual(2 << 20);
    expect(core.ramBacked()).toBeLessThanOrEqual(4 << 20);
    expect(core.memory.buffer.byteLength).toBeLessThan(16 << 20);
  });

  it("gives the same run and the same RAM as RAM reserved up front", async () => {
    const machine = load(memoryElf);
    let out = "";
    const r = await machine.run(1n << 40n, { onConsole: (b) => (out += Buffer.from(b).toString("latin1")) });
    const eager = bootElf(memoryElf, RAM);
    const reference = runAll(eager);
    expect(r.status).toBe("halted");
    expect(out).toBe(reference.out);
    expect(fingerprint(machine.core as unknown as Core)).toBe(fingerprint(eager));
  });

  it("a Linux hello world gets memory for what it uses, not for its memory limit", async () => {
    const module = new compile(coreBytes);
    const p = await LinuxProcess.create(module, read("tests/guest/linux/bin/hello"), { args: ["/bin/hello"], memoryLimit: 256 << 20 });
    const r = p.run(100_000_000n);
    expect(r.status).toBe("exited");
    expect(Buffer.from(r.stdout).toString()).toBe("Hello, world!\n");
    expect(p.core.memory.buffer.byteLength).toBeLessThan(16 << 20);
  });
});

describe("snapshots stepped on reused instances", () => {
  /** Steps a new machine in quanta until it stops; `module` is asked anew for every step. */
  async function quanta(program: Uint8Array, ramBytes: number, budget: bigint, module: () => WebAssembly.Module, store: ObjectStore = new MemoryStore()) {
    let id = await createSnapshot({ kind: "elf", program, ramBytes }, store, { core: module() });
    const ids = [id];
    let output = "";
    for (let n = 0; n < 1000; n++) {
      const r = await step(id, {}, budget, store, { core: module() });
      ids.push(r.snapshotId);
      output += Buffer.from(r.output).toString("latin1");
      id = r.snapshotId;
      if (r.status.kind !== "running") return { ids, output, status: r.status };
    }
    throw new Error("the guest did not stop");
  }

  it("have the ids and output of snapshots stepped on fresh instances", async () => {
    // A module of its own for every step: each quantum on a fresh instance.
    const fresh = await quanta(coremark, RAM, 1_000_000n, () => new compile(coreBytes));
    const shared = new compile(coreBytes);
    // First a machine with more RAM that writes 8 MiB of it, leaving its instance idle.
    const writer = await quanta(touchElf({ base: 8 << 20, pages: 2048, writeEvery: 1, rounds: 2 }), 128 << 20, 3_000_000n, () => shared);
    expect(writer.output).toBe("ok\n");
    const reused = await quanta(coremark, RAM, 1_000_000n, () => shared);
    expect(reused.status).toEqual({ kind: "halted", exitCode: 0 });
    expect(reused).toEqual(fresh);
  }, 60_000);

  it("a machine that handed its core back cannot run or persist", async () => {
    const store = new MemoryStore();
    const module = new compile(coreBytes);
    const id = await createSnapshot({ kind: "elf", program: coremark, ramBytes: RAM }, store, { core: module });
    const machine = await LiveMachine.restore(store, id, { core: module });
    machine.release();
    await expect(machine.run(10n)).rejects.toThrow(/released/);
    await expect(machine.persist(store, id)).rejects.toThrow(/released/);
  });
});
