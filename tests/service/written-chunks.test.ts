// The service's memory of chunks it wrote: a second job of the same program
// neither compresses nor writes the image chunks again, and the snapshots it
// makes are the same as without that memory.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import coreModule from "../../build/core.wasm";
import { R2Store, step, WrittenChunks } from "../../src/snapshot/index.ts";
import { fixture } from "./support.ts";

const program = Uint8Array.from(atob(fixture("intloop")), (c) => c.charCodeAt(0));
const job = (store: R2Store) => step({ kind: "elf", program, ramBytes: 16 << 20 }, {}, 100_000n, store, { core: coreModule });

it("skips chunks written before, with the same snapshot ids", async () => {
  const written = new WrittenChunks();
  const first = await job(new R2Store(env.SNAPSHOTS, "written-a/", written));
  const second = await job(new R2Store(env.SNAPSHOTS, "written-a/", written));
  expect(second.snapshotId).toBe(first.snapshotId);
  expect(first.counters.chunksDirty).toBeGreaterThan(0);
  // Only the manifest and its metadata: every chunk was known.
  expect(second.counters.objectsWritten).toBe(2);
  expect(first.counters.objectsWritten).toBeGreaterThan(2);
  // Another prefix is another namespace: nothing is known there.
  const elsewhere = await job(new R2Store(env.SNAPSHOTS, "written-b/", written));
  expect(elsewhere.counters.objectsWritten).toBe(first.counters.objectsWritten);
});

it("forgets the oldest keys beyond its limit", () => {
  const w = new WrittenChunks(2);
  w.add("a");
  w.add("b");
  w.add("c");
  expect([w.has("a"), w.has("b"), w.has("c")]).toEqual([false, true, true]);
});
