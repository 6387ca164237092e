// A machine's first persist: what the boot loader wrote is all that can
// differ from zero, so only those chunks are looked at; the snapshot is the
// same as when every page of RAM is examined.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { createSnapshot, MemoryStore, readManifest, step } from "../../src/snapshot/index.ts";
import { instantiateCore } from "../../src/vm/core-pool.ts";
import { BareMachine } from "../../src/vm/bare/bare-machine.ts";
import { parseElf } from "../../src/vm/elf.ts";

const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const core = new compile(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const RAM = 64 << 20;
const program = new Uint8Array(readFileSync(new URL("../../bench/bin/memory-small.elf", import.meta.url)));

it("persists a booted ELF exactly as a machine whose every page counts as written", async () => {
  const store = new MemoryStore();
  const booted = await step({ kind: "elf", program, ramBytes: RAM }, {}, 0n, store, { core });
  // The same load, handed over as a prepared machine that does not say what it wrote.
  const { instance, core: prepared } = await instantiateCore(core);
  BareMachine.fromInstance(instance, { ramBytes: RAM }).load(parseElf(program));
  const everyPage = await createSnapshot({ kind: "prepared", mode: "system", core: prepared, layer: null }, new MemoryStore(), { core });
  expect(booted.snapshotId).toBe(everyPage);
  const { manifest } = await readManifest(store, booted.snapshotId);
  expect(manifest.memory.filter((c) => c !== null).length).toBeGreaterThan(0);
  // Only the chunks under the ELF's segments were examined: a handful, not 1,024.
  expect(booted.counters.chunksDirty).toBeLessThan(8);
});

it("persists a prepared machine that marks its writes by its dirty pages only", async () => {
  const { instance, core: prepared } = await instantiateCore(core);
  BareMachine.fromInstance(instance, { ramBytes: RAM }).load(parseElf(program));
  const marked = await step({ kind: "prepared", mode: "system", core: prepared, layer: null, marksWrites: true }, {}, 0n, new MemoryStore(), { core });
  // BareMachine.load does not mark its writes, so claiming it does loses the image: the id differs.
  const booted = await createSnapshot({ kind: "elf", program, ramBytes: RAM }, new MemoryStore(), { core });
  expect(marked.snapshotId).not.toBe(booted);
  expect(marked.counters.chunksDirty).toBe(0);
});
