// The write-behind store of grading requests: reads see what was written,
// nothing reaches the backend before flush(), and flush() writes chunks
// before manifests before metadata.
import { describe, expect, it } from "vitest";
import { BufferedStore } from "../../src/grade/buffered-store.ts";
import { MemoryStore } from "../../src/snapshot/index.ts";

class RecordingStore extends MemoryStore {
  readonly order: string[] = [];
  override async put(key: string, bytes: Uint8Array): Promise<void> {
    this.order.push(key);
    await super.put(key, bytes);
  }
}

describe("BufferedStore", () => {
  it("holds writes until flush, then writes them in the snapshot layer's order", async () => {
    const backend = new RecordingStore();
    await backend.put("chunks/old", new Uint8Array([9]));
    backend.order.length = 0;
    const store = new BufferedStore(backend, 2);
    await store.put("meta/a", new Uint8Array([1]));
    await store.put("manifests/a", new Uint8Array([2]));
    await store.put("chunks/b", new Uint8Array([3]));
    await store.put("chunks/c", new Uint8Array([4]));
    expect(await store.get("manifests/a")).toEqual(new Uint8Array([2]));
    expect(await store.get("chunks/old")).toEqual(new Uint8Array([9]));
    expect(await store.has("chunks/c")).toBe(true);
    expect(store.known("chunks/c")).toBe(true);
    expect(backend.order).toEqual([]);
    await store.flush();
    expect(backend.order.slice(0, 2).sort()).toEqual(["chunks/b", "chunks/c"]);
    expect(backend.order.slice(2)).toEqual(["manifests/a", "meta/a"]);
    expect(await backend.get("meta/a")).toEqual(new Uint8Array([1]));
    await store.flush();
    expect(backend.order).toHaveLength(4);
  });

  it("flushes before holding more than its limit", async () => {
    const backend = new RecordingStore();
    const store = new BufferedStore(backend, 2, 10);
    await store.put("chunks/a", new Uint8Array(6));
    await store.put("manifests/a", new Uint8Array(3));
    expect(backend.order).toEqual([]);
    await store.put("chunks/b", new Uint8Array(6));
    expect(backend.order).toEqual(["chunks/a", "manifests/a"]);
    expect(await store.get("chunks/b")).toEqual(new Uint8Array(6));
  });
});
