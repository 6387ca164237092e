// Console input of system-mode machines through step(): tests/guest/cli/echo.c
// reads the UART until '.' and echoes upper-cased. More input than the core's
// 256-byte UART queue waits in the host and, at persist, in the manifest's
// console.input; however the input and the budget are cut into steps, as long
// as the guest never finds the UART empty before its input arrived, the run
// ends in the same snapshot as one step with all of it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSnapshot, MemoryStore, objectKey, readManifest, step, type ObjectStore, type StepInput } from "../../src/snapshot/index.ts";
import { CORE_INPUT_QUEUE_BYTES } from "../../src/snapshot/manifest.ts";

const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const core = new compile(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const options = { core };
const echo = new Uint8Array(readFileSync(new URL("../guest/cli/echo.elf", import.meta.url)));
const machine = { kind: "elf", program: echo, ramBytes: 64 << 20 } as const;

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => Buffer.from(b).toString("latin1");

// 779 bytes: three times the UART queue, then the '.' that ends the guest and
// bytes after it that the guest never reads (they stay pending in the snapshot).
const BODY = "the quick brown fox jumps over the lazy dog; ".repeat(17) + "end";
const INPUT = bytes(BODY + ".left over");
const EXPECTED = BODY.toUpperCase() + "\n";

async function unsplit(store: ObjectStore = new MemoryStore()) {
  const r = await step(machine, { console: INPUT }, 1n << 40n, store, options);
  return { id: r.snapshotId, output: text(r.output), status: r.status };
}

/** Steps of `budget` cycles from a new machine, with `inputs[i]` given to step i, until the guest stops. */
async function stepped(inputs: readonly StepInput[], budget: bigint, store: ObjectStore = new MemoryStore()) {
  let id = await createSnapshot(machine, store, options);
  let output = "";
  const backlogs: number[] = [];
  for (let i = 0; ; i++) {
    const r = await step(id, inputs[i] ?? {}, budget, store, options);
    output += text(r.output);
    id = r.snapshotId;
    const { manifest } = await readManifest(store, id);
    backlogs.push(manifest.console.input.length);
    if (r.status.kind !== "running") return { id, output, status: r.status, backlogs };
    if (i > 100_000) throw new Error("the guest did not stop");
  }
}

function pieces(input: Uint8Array, size: number): StepInput[] {
  const out: StepInput[] = [];
  for (let at = 0; at < input.length; at += size) out.push({ console: input.subarray(at, at + size) });
  return out;
}

describe("UART console input through snapshots", () => {
  it("one step with all input halts with the echo, larger than the UART queue", async () => {
    expect(INPUT.length).toBeGreaterThan(3 * CORE_INPUT_QUEUE_BYTES);
    const whole = await unsplit();
    expect(whole.status).toEqual({ kind: "halted", exitCode: 0 });
    expect(whole.output).toBe(EXPECTED);
  });

  it("all input in the first step, then quanta of 1,000 (ending with bytes queued and backlogged)", async () => {
    const whole = await unsplit();
    const split = await stepped([{ console: INPUT }], 1000n);
    expect(split.output).toBe(whole.output);
    expect(split.id).toBe(whole.id);
    // The first quantum read some input and ended with the queue full and the rest in the manifest.
    expect(split.backlogs[0]).toBeGreaterThan(0);
    expect(split.backlogs[0]).toBeLessThan(INPUT.length - CORE_INPUT_QUEUE_BYTES);
    expect(split.backlogs.filter((n) => n > 0).length).toBeGreaterThan(5);
  });

  it("input in pieces of 100 bytes over steps of 1,000 cycles, faster than the guest reads", async () => {
    const whole = await unsplit();
    const split = await stepped(pieces(INPUT, 100), 1000n);
    expect(split.output).toBe(whole.output);
    expect(split.id).toBe(whole.id);
    expect(Math.max(...split.backlogs)).toBeGreaterThan(0);
  });

  it("input a byte at a time in steps of no budget is the same state as all of it at once", async () => {
    const store = new MemoryStore();
    let id = await createSnapshot(machine, store, options);
    for (let at = 0; at < INPUT.length; at++) {
      id = (await step(id, { console: INPUT.subarray(at, at + 1) }, 0n, store, options)).snapshotId;
    }
    const atOnce = await step(await createSnapshot(machine, store, options), { console: INPUT }, 0n, store, options);
    expect(id).toBe(atOnce.snapshotId);
    const { manifest } = await readManifest(store, id);
    expect(text(manifest.console.input)).toBe(text(INPUT.subarray(CORE_INPUT_QUEUE_BYTES)));
    const rest = await step(id, {}, 1n << 40n, store, options);
    expect(text(rest.output)).toBe(EXPECTED);
    expect(rest.snapshotId).toBe((await unsplit()).id);
  });

  it("unread input survives persist and restore", async () => {
    const store = new MemoryStore();
    const first = await step(machine, { console: INPUT }, 5000n, store, options);
    expect(first.status).toEqual({ kind: "running" });
    const { manifest } = await readManifest(store, first.snapshotId);
    expect(manifest.console.input.length).toBeGreaterThan(0);
    expect(text((await store.get(objectKey.manifest(first.snapshotId)))!)).toContain('"input":"');
    const rest = await step(first.snapshotId, {}, 1n << 40n, store, options);
    expect(text(first.output) + text(rest.output)).toBe(EXPECTED);
    expect(rest.snapshotId).toBe((await unsplit()).id);
    // What the guest never read ('left over') is part of the halted state; nothing is in the host backlog.
    expect((await readManifest(store, rest.snapshotId)).manifest.console.input.length).toBe(0);
  });

  it("ignores the end of input: a UART has none", async () => {
    const store = new MemoryStore();
    const start = await createSnapshot(machine, store, options);
    const withEnd = await step(start, { console: INPUT, consoleEnd: true }, 20_000n, store, options);
    const without = await step(start, { console: INPUT }, 20_000n, store, options);
    expect(withEnd.snapshotId).toBe(without.snapshotId);
    expect((await step(start, { consoleEnd: true }, 0n, store, options)).snapshotId).toBe(start);
  });

  it("a machine given no input has no console.input field (ids of older snapshots do not change)", async () => {
    const store = new MemoryStore();
    const r = await step(machine, {}, 10_000n, store, options);
    const bytes = (await store.get(objectKey.manifest(r.snapshotId)))!;
    expect(text(bytes)).not.toContain('"input"');
    expect(text(bytes)).toContain('"console":{"bytes":0,"tail":""}');
  });
});
