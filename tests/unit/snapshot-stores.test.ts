// The store contract against the in-memory and the directory store.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/snapshot/index.ts";
import { DirectoryStore } from "../../src/snapshot/store-directory.ts";
import { storeContract } from "./snapshot-contract.ts";

// The project's global types are Workers', where Module cannot be constructed; Node can.
const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const core = new compile(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const root = mkdtempSync(join(tmpdir(), "edgevm-store-"));
let next = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

storeContract("memory", () => new MemoryStore(), core);
storeContract("directory", () => new DirectoryStore(join(root, String(next++))), core);

describe("directory store layout", () => {
  it("fans objects out by the first two characters of their id and leaves no temporary files", async () => {
    const dir = join(root, "layout");
    const store = new DirectoryStore(dir);
    await store.put("chunks/abcdef", new Uint8Array([1]));
    await store.put("chunks/abcdef", new Uint8Array([1]));
    expect(readdirSync(join(dir, "chunks", "ab"))).toEqual(["abcdef"]);
  });

  it("rejects keys that could leave the directory", async () => {
    const store = new DirectoryStore(join(root, "keys"));
    await expect(store.get("../etc/passwd")).rejects.toThrow(/not an object key/);
    await expect(store.put("chunks/../../x", new Uint8Array(1))).rejects.toThrow(/not an object key/);
  });
});
