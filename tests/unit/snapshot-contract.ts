// The contract every snapshot store passes (MemoryStore, DirectoryStore in
// Node; R2Store inside workerd): objects round-trip, machines persist and
// restore to the same ids, and every kind of damage is its own typed error.
import { describe, expect, it } from "vitest";
import {
  createSnapshot, FORMAT_VERSION, objectKey, readManifest, sha256, SnapshotError, step, manifestToJson,
  type ObjectStore, type SnapshotErrorCode,
} from "../../src/snapshot/index.ts";
import { encodeCanonical } from "../../src/snapshot/canonical-json.ts";
import { touchElf } from "./snapshot-guest.ts";

const RAM = 1 << 20;
// 24 pages from 256 KiB (two chunks), every other page written, 40 rounds: a few thousand instructions.
const PROGRAM = touchElf({ base: 256 << 10, pages: 24, writeEvery: 2, rounds: 40 });
const INITIAL = { kind: "elf", program: PROGRAM, ramBytes: RAM } as const;
/**
 * The final snapshot of PROGRAM, the same on every host (Node and workerd run
 * this suite). It changes only with the format or the core's state record:
 * then update it here, and say so in the commit.
 */
const FINAL_ID = "388fa80042b4c9dd297b60e5de3c173e662ecc481a46986e20f88ae98f305f80"; // core state record version 2 (the board's devices)

async function expectCode(promise: Promise<unknown>, code: SnapshotErrorCode): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, `expected a SnapshotError ${code}`).toBeInstanceOf(SnapshotError);
  expect((error as SnapshotError).code).toBe(code);
}

async function runToEnd(store: ObjectStore, core: WebAssembly.Module, start: string, quantum: bigint) {
  let id = start;
  let output = "";
  for (let i = 0; i < 10_000; i++) {
    const r = await step(id, {}, quantum, store, { core });
    output += new TextDecoder().decode(r.output);
    if (r.status.kind !== "running") return { id: r.snapshotId, output, status: r.status };
    id = r.snapshotId;
  }
  throw new Error("the guest did not stop");
}

export function storeContract(name: string, makeStore: () => Promise<ObjectStore> | ObjectStore, core: WebAssembly.Module): void {
  describe(`snapshot store contract: ${name}`, () => {
    it("round-trips objects and says which exist", async () => {
      const store = await makeStore();
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      expect(await store.has("chunks/abc")).toBe(false);
      expect(await store.get("chunks/abc")).toBeNull();
      await store.put("chunks/abc", bytes);
      expect(await store.has("chunks/abc")).toBe(true);
      expect([...(await store.get("chunks/abc"))!]).toEqual([...bytes]);
      await store.put("chunks/abc", bytes); // immutable objects may be written again
      expect([...(await store.get("chunks/abc"))!]).toEqual([...bytes]);
      expect(await store.get("manifests/abc")).toBeNull();
    });

    it("runs a machine in quanta to the same final snapshot as in one go", async () => {
      const store = await makeStore();
      const whole = await step(INITIAL, {}, 1n << 32n, store, { core });
      expect(whole.status).toEqual({ kind: "halted", exitCode: 0 });
      expect(new TextDecoder().decode(whole.output)).toBe("ok\n");
      const start = await createSnapshot(INITIAL, store, { core });
      const split = await runToEnd(store, core, start, 777n);
      expect(split.output).toBe("ok\n");
      expect(split.id).toBe(whole.snapshotId);
      expect(whole.snapshotId, "the same id on every host").toBe(FINAL_ID);
      // A stopped machine steps to itself.
      const again = await step(split.id, {}, 1000n, store, { core });
      expect(again.snapshotId).toBe(split.id);
      expect(again.status).toEqual({ kind: "halted", exitCode: 0 });
    });

    it("reports a missing snapshot and a malformed id", async () => {
      const store = await makeStore();
      await expectCode(step("0".repeat(64), {}, 10n, store, { core }), "missing-object");
      await expectCode(step("not-an-id", {}, 10n, store, { core }), "invalid-id");
    });

    it("detects a flipped byte in a chunk", async () => {
      const store = await makeStore();
      const id = (await step(INITIAL, {}, 2000n, store, { core })).snapshotId;
      const { manifest } = await readManifest(store, id);
      const chunk = manifest.memory.find((c) => c !== null)!;
      const bytes = (await store.get(objectKey.chunk(chunk)))!;
      bytes[bytes.length - 1] ^= 0x40;
      await store.put(objectKey.chunk(chunk), bytes);
      await expectCode(step(id, {}, 1n << 32n, store, { core }), "corrupt-object");
    });

    it("detects a truncated manifest", async () => {
      const store = await makeStore();
      const id = (await step(INITIAL, {}, 2000n, store, { core })).snapshotId;
      const bytes = (await store.get(objectKey.manifest(id)))!;
      await store.put(objectKey.manifest(id), bytes.subarray(0, bytes.length >> 1));
      await expectCode(step(id, {}, 100n, store, { core }), "corrupt-object");
    });

    it("detects a missing chunk", async () => {
      const store = await makeStore();
      const id = (await step(INITIAL, {}, 2000n, store, { core })).snapshotId;
      const { manifest } = await readManifest(store, id);
      // A fresh store with everything but one chunk (stores have no delete).
      const other = await makeStore();
      const missing = manifest.memory.find((c) => c !== null)!;
      await other.put(objectKey.manifest(id), (await store.get(objectKey.manifest(id)))!);
      for (const c of manifest.memory) {
        if (c !== null && c !== missing) await other.put(objectKey.chunk(c), (await store.get(objectKey.chunk(c)))!);
      }
      await expectCode(step(id, {}, 1n << 32n, other, { core }), "missing-object");
    });

    it("refuses an unknown format version, stored under its correct id", async () => {
      const store = await makeStore();
      const id = (await step(INITIAL, {}, 2000n, store, { core })).snapshotId;
      const { manifest } = await readManifest(store, id);
      const json = manifestToJson(manifest) as Record<string, unknown>;
      json.version = FORMAT_VERSION + 1;
      const bytes = encodeCanonical(json as never);
      const futureId = await sha256(bytes);
      await store.put(objectKey.manifest(futureId), bytes);
      await expectCode(step(futureId, {}, 100n, store, { core }), "unsupported-version");
    });
  });
}
