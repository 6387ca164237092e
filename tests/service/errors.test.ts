// Every class of bad input gets its own error code and a 4xx JSON body, and
// none of them changes stored state; damaged snapshots in R2 are refused.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import coreModule from "../../build/core.wasm";
import { MemoryStore } from "../../src/snapshot/index.ts";
import { DEFAULTS } from "../../src/service/config.ts";
import { initialMachine } from "../../src/service/program.ts";
import { runQuanta } from "../../src/service/runner.ts";
import { api, fixture } from "./support.ts";

function expectError(r: { status: number; body: any }, status: number, code: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(typeof r.body.error.message).toBe("string");
}

describe("bad requests", () => {
  it("refuses write routes without a valid token", async () => {
    expectError(await api("POST", "/v1/jobs", { program: fixture("hello") }, { token: null }), 401, "unauthorized");
    expectError(await api("POST", "/v1/jobs", { program: fixture("hello") }, { token: "wrong" }), 401, "unauthorized");
  });

  it("names malformed JSON, a non-JSON body and schema violations apart", async () => {
    expectError(await api("POST", "/v1/jobs", undefined, { raw: "{not json", headers: { "content-type": "application/json" } }), 400, "malformed_json");
    expectError(await api("POST", "/v1/jobs", undefined, { raw: "x=1", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "unsupported_media_type");
    expectError(await api("POST", "/v1/jobs", { program: 42 }), 400, "invalid_request");
    expectError(await api("POST", "/v1/jobs", { program: fixture("hello"), surprise: true }), 400, "invalid_request");
    expectError(await api("POST", "/v1/jobs", { program: "###" }), 400, "invalid_request");
  });

  it("refuses a program that is not an ELF", async () => {
    expectError(await api("POST", "/v1/jobs", { program: btoa("#!/bin/sh\necho hi\n") }), 400, "not_elf");
  });

  it("enforces every limit with its own code", async () => {
    const big = "A".repeat(DEFAULTS.maxBodyBytes + 10);
    expectError(await api("POST", "/v1/jobs", undefined, { raw: `{"program":"${big}"}`, headers: { "content-type": "application/json" } }), 413, "body_too_large");
    const tooBigProgram = btoa("\u007fELF" + "\0".repeat(DEFAULTS.maxProgramBytes));
    expectError(await api("POST", "/v1/jobs", { program: tooBigProgram }), 413, "program_too_large");
    expectError(await api("POST", "/v1/jobs", { program: fixture("hello"), memoryMiB: DEFAULTS.guestMemoryMiB + 1 }), 400, "memory_too_large");
    expectError(await api("POST", "/v1/jobs", { program: fixture("hello"), maxInstructions: DEFAULTS.maxInstructionsPerRequest + 1 }), 400, "budget_too_large");
    const files = Object.fromEntries(Array.from({ length: DEFAULTS.maxFiles + 1 }, (_, i) => [`/f${i}`, ""]));
    expectError(await api("POST", "/v1/jobs", { program: fixture("hello"), files }), 400, "too_many_files");
  });

  it("caps the output of a request and says so", async () => {
    const options = { core: coreModule };
    const ctx = { store: new MemoryStore(), options, config: { ...DEFAULTS, maxOutputBytes: 5 } };
    const initial = await initialMachine({ program: fixture("hello") }, { stdin: new Uint8Array(0), stdinClosed: true }, ctx.config, options);
    const r = await runQuanta(initial, {}, 1_000_000, ctx);
    expect(r).toMatchObject({ stdout: "hello", outputTruncated: true });
  });

  it("answers unknown snapshots with 404 on every route that takes one", async () => {
    const unknown = "0".repeat(64);
    expectError(await api("GET", `/s/${unknown}`, undefined, { token: null }), 404, "snapshot_not_found");
    expectError(await api("GET", "/s/not-an-id", undefined, { token: null }), 404, "snapshot_not_found");
    expectError(await api("POST", `/s/${unknown}/run`, {}), 404, "snapshot_not_found");
    expectError(await api("POST", "/v1/machines", { snapshot: unknown }), 404, "snapshot_not_found");
  });

  it("leaves a machine as it was after bad steps", async () => {
    const m = (await api("POST", "/v1/machines", { program: fixture("intloop") })).body;
    expectError(await api("POST", `/v1/machines/${m.id}/step`, { maxInstructions: -1 }), 400, "invalid_request");
    expectError(await api("POST", `/v1/machines/${m.id}/step`, undefined, { raw: "[", headers: { "content-type": "application/json" } }), 400, "malformed_json");
    expectError(await api("POST", `/v1/machines/${m.id}/step`, { stdinBase64: "not base64!" }), 400, "invalid_request");
    expectError(await api("POST", `/v1/machines/${m.id}/step`, { stdin: "x", stdinBase64: "eA==" }), 400, "invalid_request");
    expect((await api("GET", `/v1/machines/${m.id}`)).body).toMatchObject({ head: m.head, version: 0 });
  });
});

describe("damaged snapshots in R2", () => {
  const bucket = env.SNAPSHOTS;

  /** A machine stepped to a state of its own, and one memory chunk of its head that no other test shares. */
  async function machineWithChunk() {
    const m = (await api("POST", "/v1/machines", { program: fixture("intloop") })).body;
    const head = (await api("POST", `/v1/machines/${m.id}/step`, { maxInstructions: 123_457 })).body.snapshot;
    const manifest = JSON.parse(await (await bucket.get(`manifests/${head}`))!.text());
    const parentManifest = JSON.parse(await (await bucket.get(`manifests/${m.head}`))!.text());
    const fresh = manifest.memory.filter((c: unknown) => typeof c === "string" && !parentManifest.memory.includes(c));
    expect(fresh.length).toBeGreaterThan(0);
    return { id: m.id, head, key: `chunks/${fresh[0]}` };
  }

  async function withObject(key: string, damage: (bytes: Uint8Array) => Uint8Array | null, check: () => Promise<void>) {
    const original = new Uint8Array(await (await bucket.get(key))!.arrayBuffer());
    const damaged = damage(original.slice());
    if (damaged) await bucket.put(key, damaged);
    else await bucket.delete(key);
    try {
      await check();
    } finally {
      await bucket.put(key, original);
    }
  }

  it("detects a corrupted chunk on restore and keeps the machine's head", async () => {
    const { id, head, key } = await machineWithChunk();
    await withObject(key, (b) => ((b[b.length - 1] ^= 0xff), b), async () => {
      expectError(await api("POST", `/v1/machines/${id}/step`, { maxInstructions: 1_000_000 }), 422, "snapshot_corrupt");
      expectError(await api("POST", `/s/${head}/run`, { maxInstructions: 1_000_000 }), 422, "snapshot_corrupt");
    });
    expect((await api("GET", `/v1/machines/${id}`)).body.head).toBe(head);
    expect((await api("POST", `/v1/machines/${id}/step`, { maxInstructions: 1000 })).status).toBe(200);
  });

  it("detects a truncated or missing chunk", async () => {
    const { id, key } = await machineWithChunk();
    await withObject(key, (b) => b.subarray(0, b.length >> 1), async () => {
      expectError(await api("POST", `/v1/machines/${id}/step`, { maxInstructions: 1_000_000 }), 422, "snapshot_corrupt");
    });
    await withObject(key, () => null, async () => {
      expectError(await api("POST", `/v1/machines/${id}/step`, { maxInstructions: 1_000_000 }), 422, "snapshot_incomplete");
    });
  });

  it("detects a corrupted manifest", async () => {
    const { head } = await machineWithChunk();
    await withObject(`manifests/${head}`, (b) => ((b[10] ^= 1), b), async () => {
      expectError(await api("GET", `/s/${head}`, undefined, { token: null }), 422, "snapshot_corrupt");
    });
  });
});
