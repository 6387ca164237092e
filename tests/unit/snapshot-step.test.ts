// step() over real guests: running in one go and running as many quanta, with
// a full persist and a fresh (lazy) restore between every two, give the same
// output and the same final snapshot id — for quanta of 1,000 and 100,000
// instructions, and for quanta that end inside LR/SC and FP sequences.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  createSnapshot, LiveMachine, MemoryStore, objectKey, readChunk, readManifest, readMeta, step,
  type ObjectStore, type StepResult,
} from "../../src/snapshot/index.ts";
import type { GuestHost, GuestLayer, GuestLayerCodec, LayerVerdict } from "../../src/vm/guest-layer.ts";
import { instantiateCore } from "../../src/vm/core-pool.ts";
import { BareMachine } from "../../src/vm/bare/bare-machine.ts";
import { parseElf } from "../../src/vm/elf.ts";
import { touchElf } from "./snapshot-guest.ts";

// The project's global types are Workers', where Module cannot be constructed; Node can.
const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const core = new compile(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const RAM = 64 << 20;
const read = (path: string) => new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
const elfMachine = (program: Uint8Array) => ({ kind: "elf", program, ramBytes: RAM }) as const;

async function oneGo(program: Uint8Array): Promise<{ id: string; output: string; status: unknown }> {
  const r = await step(elfMachine(program), {}, 1n << 40n, new MemoryStore(), { core });
  return { id: r.snapshotId, output: Buffer.from(r.output).toString("latin1"), status: r.status };
}

/** Steps with the given budgets in turn (the last one repeated) until the guest stops. */
async function inQuanta(program: Uint8Array, budgets: readonly bigint[], store: ObjectStore = new MemoryStore()) {
  let id = await createSnapshot(elfMachine(program), store, { core });
  let output = "";
  let quanta = 0;
  let last: StepResult;
  for (;;) {
    last = await step(id, {}, budgets[Math.min(quanta, budgets.length - 1)]!, store, { core });
    quanta++;
    output += Buffer.from(last.output).toString("latin1");
    id = last.snapshotId;
    if (last.status.kind !== "running") break;
    if (quanta > 100_000) throw new Error("the guest did not stop");
  }
  return { id, output, status: last.status, quanta };
}

const GUESTS = [
  "tests/guest/bin/a.elf", "tests/guest/bin/c.elf", "tests/guest/bin/csr.elf", "tests/guest/bin/fd.elf",
  "tests/guest/bin/m.elf", "tests/guest/bin/misaligned.elf", "tests/guest/bin/rv64i.elf", "tests/guest/bin/sv39.elf",
  "tests/guest/bin/sv48.elf", "tests/guest/bin/traps.elf", "tests/guest/bin/zicntr.elf", "tests/guest/cli/hello.elf",
];

describe("determinism: one go and many quanta end in the same snapshot", () => {
  for (const path of GUESTS) {
    it(`${path}, quanta of 1,000 and 100,000`, async () => {
      const program = read(path);
      const whole = await oneGo(program);
      expect(whole.status).toMatchObject({ kind: "halted" });
      for (const quantum of [1000n, 100_000n]) {
        const split = await inQuanta(program, [quantum]);
        expect(split.output).toBe(whole.output);
        expect(split.status).toEqual(whole.status);
        expect(split.id, `quantum ${quantum}`).toBe(whole.id);
      }
    });
  }

  for (const path of ["bench/bin/memory-small.elf", "bench/bin/float-small.elf"]) {
    it(`${path}, quanta of 1,000,000 and 3,333,333`, async () => {
      const program = read(path);
      const whole = await oneGo(program);
      expect(whole.output).toMatch(/checksum 0x[0-9a-f]{16}/);
      for (const quantum of [1_000_000n, 3_333_333n]) {
        const split = await inQuanta(program, [quantum]);
        expect(split.output).toBe(whole.output);
        expect(split.id).toBe(whole.id);
      }
    });
  }

  // A budget that ends while the hart sleeps in wfi (once a core bug: the hart
  // woke at the next run()).
  it("tests/guest/bin/interrupts.elf, quanta of 1,000 (wfi across a quantum boundary)", async () => {
    const program = read("tests/guest/bin/interrupts.elf");
    expect((await inQuanta(program, [1000n])).id).toBe((await oneGo(program)).id);
  });

  for (const [path, what] of [["tests/guest/bin/a.elf", "LR/SC"], ["tests/guest/bin/fd.elf", "FP"]] as const) {
    it(`${path}: quanta ending inside ${what} sequences`, async () => {
      const program = read(path);
      const cuts = awkwardCuts(program, what === "LR/SC" ? isLrSc : isFp, 120);
      expect(cuts.length).toBeGreaterThan(10);
      const budgets = cuts.map((c, i) => c - (i > 0 ? cuts[i - 1]! : 0n));
      const split = await inQuanta(program, [...budgets, 1n << 40n]);
      const whole = await oneGo(program);
      expect(split.quanta).toBeGreaterThan(cuts.length);
      expect(split.output).toBe(whole.output);
      expect(split.id).toBe(whole.id);
    });
  }
});

const isLrSc = (insn: number) => (insn & 0x7f) === 0x2f && ((insn >>> 27) === 2 || (insn >>> 27) === 3);
const FP_OPCODES = new Set([0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53]);
const isFp = (insn: number) =>
  (insn & 3) === 3 ? FP_OPCODES.has(insn & 0x7f) : [0x2000, 0xa000, 0x2002, 0xa002].includes(insn & 0xe003);

/**
 * Single-steps the program and returns instruction counts at which a quantum
 * should end: right after an instruction of interest whose successor is also
 * one (inside an FP sequence), or which is an LR (before its SC), and right
 * before each SC. At most `limit`, spread over the run.
 */
function awkwardCuts(program: Uint8Array, interesting: (insn: number) => boolean, limit: number): bigint[] {
  const machine = BareMachine.fromInstance(new WebAssembly.Instance(core, {}), { ramBytes: RAM });
  machine.load(parseElf(program));
  const c = machine.core;
  const insnAt = (pc: bigint) => {
    const ram = machine.ram();
    const at = Number(pc - 0x8000_0000n);
    const low = ram[at]! | (ram[at + 1]! << 8);
    return (low & 3) === 3 ? (low | (ram[at + 2]! << 16) | (ram[at + 3]! << 24)) >>> 0 : low;
  };
  const cuts: bigint[] = [];
  let previous = -1;
  for (let n = 0n; n < 200_000n; n++) {
    const insn = insnAt(c.getPc());
    const here = interesting(insn);
    if (here && (insn & 0x7f) === 0x2f && insn >>> 27 === 3) cuts.push(n); // before an SC
    else if (here && previous >= 0 && interesting(previous)) cuts.push(n); // between two of a sequence
    previous = insn;
    const reason = c.run(1n) >>> 0;
    c.consoleClear();
    if (reason !== 0 && reason !== 3) break;
  }
  const stride = Math.max(1, Math.ceil(cuts.length / limit));
  return [...new Set(cuts.filter((_, i) => i % stride === 0))].filter((n) => n > 0n);
}

describe("lazy restore and incremental persist", () => {
  // 4 MiB of RAM filled with data before the first snapshot; the guest walks 8 pages of it.
  const walk = { base: 2 << 20, pages: 8, writeEvery: 4, rounds: 1000 };

  async function filledMachine(store: ObjectStore): Promise<string> {
    const { instance, core: c } = await instantiateCore(core);
    const machine = BareMachine.fromInstance(instance, { ramBytes: RAM });
    machine.load(parseElf(touchElf(walk)));
    const ram = machine.ram();
    for (let i = 1 << 20; i < 5 << 20; i++) ram[i] = (i * 2654435761) >>> 27;
    return createSnapshot({ kind: "prepared", mode: "system", core: c, layer: null }, store, { core });
  }

  it("fetches only the chunks the quantum touches, and writes only those that changed", async () => {
    const store = new MemoryStore();
    const start = await filledMachine(store);
    const first = await step(start, {}, 500n, store, { core });
    // The code chunk and the one data chunk holding the 8 walked pages, of 65 non-zero chunks.
    expect(first.counters.chunksFetched).toBe(2);
    expect(first.counters.pageFaults).toBe(2);
    expect(first.counters.chunksChanged).toBe(1);
    expect(first.counters.objectsWritten).toBe(3); // one chunk, the manifest, the metadata
    const meta = await readMeta(store, first.snapshotId);
    expect(meta?.parent).toBe(start);
    expect(meta?.workingSet).toEqual([0, 32]);
    // The next restore brings the working set in one batch: no fetch waits on a fault.
    const second = await step(first.snapshotId, {}, 500n, store, { core });
    expect(second.counters.chunksPrefetched).toBe(2);
    expect(second.counters.chunksFetched).toBe(2);
  });

  it("restores a snapshot whose metadata is missing or damaged (hints only)", async () => {
    const store = new MemoryStore();
    const start = await filledMachine(store);
    const first = await step(start, {}, 500n, store, { core });
    await store.put(objectKey.meta(first.snapshotId), new TextEncoder().encode("{nonsense"));
    const a = await step(first.snapshotId, {}, 5000n, store, { core });
    store.objects.delete(objectKey.meta(first.snapshotId));
    const b = await step(first.snapshotId, {}, 5000n, store, { core });
    expect(a.snapshotId).toBe(b.snapshotId);
    expect(a.counters.chunksPrefetched).toBe(0);
  });

  it("a machine kept in memory and persisted after every quantum ends in the same ids as restored ones", async () => {
    const store = new MemoryStore();
    const start = await filledMachine(store);
    const machine = await LiveMachine.restore(store, start, { core });
    let id = start;
    const restored: string[] = [];
    const kept: string[] = [];
    for (let i = 0; i < 5; i++) {
      id = (await step(id, {}, 3000n, store, { core })).snapshotId;
      restored.push(id);
      machine.resetCounters();
      await machine.run(3000n);
      machine.takeOutput();
      kept.push(await machine.persist(store, null));
    }
    expect(kept).toEqual(restored);
  });

});

// ---- the guest-layer hook (process mode) ------------------------------------

/**
 * A toy guest-OS layer. Its system call is a U-mode ecall that returns to the
 * host (the core's Ecall exit, pc at the ecall), run without page tables:
 * a7=2 reads a console byte into a0 (waiting for input when there is none),
 * a7=1 writes a0, a7=3 exits with a0. It counts calls in its state and also
 * in guest RAM at COUNTER, written from the host.
 */
const COUNTER = 0x8030_0000;
class ToyLayer implements GuestLayer {
  readonly kind = "toy";
  constructor(
    public calls = 0,
    public pending: number[] = [],
  ) {}
  encode(): Uint8Array {
    return new Uint8Array([this.calls & 0xff, this.calls >> 8, ...this.pending]);
  }
  input(bytes: Uint8Array): void {
    this.pending.push(...bytes);
  }
  async handleExit(reason: number, host: GuestHost): Promise<LayerVerdict> {
    if (reason !== 4) return { kind: "fault", reason: `exit ${reason}` };
    const c = host.core;
    const call = Number(c.getX(17));
    // Left on the ecall, the call is made again once input comes.
    if (call === 2 && this.pending.length === 0) return { kind: "waiting-input" };
    c.setPc(c.getPc() + 4n);
    this.calls++;
    await host.resident(COUNTER, 8);
    new DataView(c.memory.buffer, (c.ramOffset() >>> 0) + (COUNTER - 0x8000_0000), 8).setUint32(0, this.calls, true);
    host.wrote(COUNTER, 8);
    if (call === 1) host.output(new Uint8Array([Number(c.getX(10)) & 0xff]));
    if (call === 2) c.setX(10, BigInt(this.pending.shift()!));
    if (call === 3) return { kind: "exited", exitCode: Number(c.getX(10)) };
    return { kind: "continue" };
  }
}
const toyCodec: GuestLayerCodec = {
  kind: "toy",
  decode: async (state) => new ToyLayer(state[0]! | (state[1]! << 8), [...state.subarray(2)]),
};

// loop: a7=2 ecall; a7=1 ecall; if a0 != 'q' goto loop; a7=3 a0=7 ecall
const TOY_CODE = [0x00200893, 0x00000073, 0x00100893, 0x00000073, 0x07100293, 0xfe5516e3, 0x00300893, 0x00700513, 0x00000073];

async function toyMachine(store: ObjectStore): Promise<string> {
  const { core: c } = await instantiateCore(core);
  c.init(RAM);
  const ram = new DataView(c.memory.buffer, c.ramOffset() >>> 0, RAM);
  TOY_CODE.forEach((w, i) => ram.setUint32(i * 4, w, true));
  c.reset(0x8000_0000n);
  c.setPriv(0);
  c.setEcallExits(1);
  return createSnapshot({ kind: "prepared", mode: "process", core: c, layer: new ToyLayer() }, store, { core, layers: [toyCodec] });
}

describe("guest-layer hook", () => {
  it("carries the layer's state and host writes through snapshots, and waits for input", async () => {
    const store = new MemoryStore();
    const options = { core, layers: [toyCodec] };
    let r = await step(await toyMachine(store), {}, 10_000n, store, options);
    expect(r.status).toEqual({ kind: "waiting-input" });
    const waiting = r.snapshotId;
    expect((await step(waiting, {}, 10_000n, store, options)).snapshotId).toBe(waiting); // nothing to do
    r = await step(waiting, { console: new TextEncoder().encode("hi") }, 10_000n, store, options);
    expect(new TextDecoder().decode(r.output)).toBe("hi");
    expect(r.status).toEqual({ kind: "waiting-input" });
    r = await step(r.snapshotId, { console: new TextEncoder().encode("q") }, 10_000n, store, options);
    expect(r.status).toEqual({ kind: "exited", exitCode: 7 });
    const { manifest } = await readManifest(store, r.snapshotId);
    expect(manifest.guest?.kind).toBe("toy");
    expect(new TextDecoder().decode(manifest.console.tail)).toBe("hiq");
    // The host's write reached the snapshot: 7 calls (3 reads, 3 writes, exit).
    const chunk = manifest.memory[(COUNTER - 0x8000_0000) / manifest.chunkBytes]!;
    const content = (await readChunk(store, chunk, manifest.chunkBytes)).content;
    expect(new DataView(content.buffer, content.byteOffset).getUint32(0, true)).toBe(7);
    // All input at once: the same output, without the waits (so another instret, another id).
    const once = await step(waiting, { console: new TextEncoder().encode("hiq") }, 10_000n, store, options);
    expect(new TextDecoder().decode(once.output)).toBe("hiq");
    expect(once.status).toEqual({ kind: "exited", exitCode: 7 });
  });

  it("a process-mode snapshot needs its layer's codec", async () => {
    const store = new MemoryStore();
    const start = await toyMachine(store);
    await expect(step(start, {}, 100n, store, { core })).rejects.toMatchObject({ code: "incompatible-machine" });
  });
});
