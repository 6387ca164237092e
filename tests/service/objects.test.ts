// Immutable objects over HTTP (what the machine page restores from), whole
// snapshots as one file, and storing one (the page's share): cacheable
// forever where content-addressed, verified object by object on the way in.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import coreModule from "../../build/core.wasm";
import { exportBundle } from "../../src/snapshot/bundle.ts";
import { createSnapshot, MemoryStore, readManifest } from "../../src/snapshot/index.ts";
import { api, fixture, TOKEN } from "./support.ts";

const BUNDLE = "application/vnd.edgevm.bundle";
const get = (path: string, headers: Record<string, string> = {}) => exports.default.fetch(`http://edgevm.test${path}`, { headers });
const post = (bytes: Uint8Array, token: string | null = TOKEN, type = BUNDLE) =>
  exports.default.fetch("http://edgevm.test/v1/snapshots", {
    method: "POST", body: bytes as Uint8Array<ArrayBuffer>, headers: { "content-type": type, ...(token && { authorization: `Bearer ${token}` }) },
  });
const bytesOf = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** A snapshot made outside the service (as a browser makes one), in its own store. */
let made = 0;
async function foreignSnapshot(program = "echo"): Promise<{ store: MemoryStore; id: string }> {
  const store = new MemoryStore();
  // Console input waiting for the UART makes each one a different machine.
  const console = new TextEncoder().encode(`input ${made++} `);
  const id = await createSnapshot({ kind: "elf", program: bytesOf(fixture(program)), ramBytes: 2 << 20, console }, store, { core: coreModule });
  // Without metadata, a bundle's last record is a chunk object.
  store.objects.delete(`meta/${id}`);
  return { store, id };
}

describe("GET /o/:kind/:id", () => {
  it("serves manifests and chunks as stored, immutable, with the id as a strong ETag", async () => {
    const job = await api("POST", "/v1/jobs", { program: fixture("hello") });
    const id: string = job.body.snapshot;
    const r = await get(`/o/manifests/${id}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(r.headers.get("etag")).toBe(`"${id}"`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(digest).toBe(id);
    expect((await get(`/o/manifests/${id}`, { "if-none-match": `"${id}"` })).status).toBe(304);
    const manifest = JSON.parse(new TextDecoder().decode(bytes));
    const chunk = manifest.memory.find((c: unknown) => typeof c === "string");
    const c = await get(`/o/chunks/${chunk}`);
    expect(c.status).toBe(200);
    expect(c.headers.get("etag")).toBe(`"${chunk}"`);
    expect(new TextDecoder().decode(new Uint8Array(await c.arrayBuffer()).subarray(0, 3))).toBe("evc");
    const meta = await get(`/o/meta/${id}`);
    expect(meta.status).toBe(200);
    expect(meta.headers.get("cache-control")).toBe("public, max-age=60");
    expect(meta.headers.get("etag")).toBeNull();
  });

  it("answers 404 for an unknown object or a malformed id", async () => {
    const r = await get(`/o/chunks/${"1".repeat(64)}`);
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: { code: "object_not_found" } });
    expect((await get("/o/chunks/../manifests")).status).toBe(404);
    expect((await get(`/o/chunks/${"A".repeat(64)}`)).status).toBe(404);
  });
});

describe("snapshot bundles", () => {
  it("GET /s/:id/bundle is the whole snapshot; POST /v1/snapshots stores one made elsewhere", async () => {
    const { store, id } = await foreignSnapshot();
    expect((await get(`/o/manifests/${id}`)).status).toBe(404);
    const r = await post(await exportBundle(store, id));
    expect(r.status).toBe(201);
    const body = await r.json<{ snapshot: string; url: string; chunks: number }>();
    expect(body).toMatchObject({ snapshot: id, url: `/s/${id}` });
    expect(body.chunks).toBeGreaterThan(0);
    expect((await api("GET", `/s/${id}`, undefined, { token: null })).body).toMatchObject({ id, mode: "system" });
    // And back out as one file, byte for byte the same objects.
    const out = await get(`/s/${id}/bundle`);
    expect(out.status).toBe(200);
    expect(out.headers.get("content-type")).toBe(BUNDLE);
    const again = new MemoryStore();
    const back = new Uint8Array(await out.arrayBuffer());
    const { importBundle } = await import("../../src/snapshot/bundle.ts");
    expect((await importBundle(back, again)).snapshot).toBe(id);
    expect((await readManifest(again, id)).manifest.memory).toEqual((await readManifest(store, id)).manifest.memory);
  });

  it("a share carries only what the service lacks; a manifest whose chunks are nowhere is refused", async () => {
    // A program no other test here uploads, so that the service has none of its chunks.
    const { store, id } = await foreignSnapshot("printThenSpin");
    const manifestOnly = await exportBundle(store, id, () => false);
    const refused = await post(manifestOnly);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { code: "snapshot_incomplete" } });
    expect((await get(`/o/manifests/${id}`)).status).toBe(404);
    expect((await post(await exportBundle(store, id))).status).toBe(201);
    // Now the service has the chunks: the manifest alone is enough.
    const r = await post(manifestOnly);
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ snapshot: id, chunks: 0 });
  });

  it("refuses damaged bundles, other media types and missing tokens", async () => {
    const { store, id } = await foreignSnapshot();
    const good = await exportBundle(store, id);
    const damaged = good.slice();
    damaged[damaged.length - 1]! ^= 0xff; // inside the last chunk object
    const r = await post(damaged);
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ error: { code: "snapshot_corrupt" } });
    expect((await get(`/o/manifests/${id}`)).status).toBe(404);
    expect((await post(new TextEncoder().encode("not a bundle"))).status).toBe(422);
    expect((await post(good, null)).status).toBe(401);
    expect((await post(good, TOKEN, "application/json")).status).toBe(415);
  });
});
