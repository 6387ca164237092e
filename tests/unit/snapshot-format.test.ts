// Format v1 pieces: canonical JSON, the LZ4 codec, chunk objects and the manifest.
import { describe, expect, it } from "vitest";
import { decodeCanonical, encodeCanonical } from "../../src/snapshot/canonical-json.ts";
import { decodeChunkObject, encodeChunkObject } from "../../src/snapshot/chunk-object.ts";
import { fromBase64, toBase64, toHex } from "../../src/snapshot/hash.ts";
import { Lz4Error, lz4Compress, lz4Decompress } from "../../src/snapshot/lz4.ts";
import {
  decodeChunkList, decodeManifest, encodeChunkList, encodeManifest, manifestToJson, type Manifest,
} from "../../src/snapshot/manifest.ts";
import { sha256, SnapshotError } from "../../src/snapshot/index.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

/** Data with every kind of redundancy: runs, repeats at many distances, noise. */
function sample(length: number, seed: number): Uint8Array {
  const next = random(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; ) {
    const kind = next() % 4;
    const n = Math.min(length - i, 1 + (next() % 300));
    for (let j = 0; j < n; j++, i++) {
      if (kind === 0) out[i] = 0;
      else if (kind === 1) out[i] = next() & 0xff;
      else if (kind === 2 && i >= 100) out[i] = out[i - 1 - (next() % 5) * 20]!;
      else out[i] = (i * 7) & 0xff;
    }
  }
  return out;
}

describe("canonical JSON", () => {
  it("sorts keys, has no whitespace and accepts only integers", () => {
    expect(text(encodeCanonical({ b: 1, a: [true, null, "x\u0001é"], c: {} }))).toBe('{"a":[true,null,"x\\u0001é"],"b":1,"c":{}}');
    expect(() => encodeCanonical({ a: 1.5 })).toThrow(/integers only/);
    expect(() => encodeCanonical({ a: 2 ** 60 })).toThrow(/integers only/);
  });

  it("reads only canonical bytes", () => {
    const ok = encodeCanonical({ a: 1, b: "z" });
    expect(decodeCanonical(ok)).toEqual({ a: 1, b: "z" });
    for (const bad of ['{"b":"z","a":1}', '{"a": 1,"b":"z"}', '{"a":1.0,"b":"z"}', '{"a":1,"a":1,"b":"z"}', '\ufeff{"a":1}', '{"a":"\\u0041"}']) {
      expect(decodeCanonical(new TextEncoder().encode(bad)), bad).toBeNull();
    }
    expect(decodeCanonical(new Uint8Array([0x7b, 0xff, 0x7d]))).toBeNull(); // invalid UTF-8
  });

  it("base64 is strict", () => {
    for (const n of [0, 1, 2, 3, 4, 100]) {
      const bytes = sample(n, n);
      expect([...fromBase64(toBase64(bytes))!]).toEqual([...bytes]);
    }
    expect(fromBase64("QQ")).toBeNull();
    expect(fromBase64("QR==")).toBeNull(); // non-zero padding bits: a second spelling of "A"
  });
});

describe("LZ4 block codec", () => {
  it("round-trips data of every shape and size", () => {
    for (const length of [0, 1, 5, 12, 13, 100, 4096, 65536]) {
      for (const seed of [1, 2, 3]) {
        const data = sample(length, seed * 7919 + length);
        expect([...lz4Decompress(lz4Compress(data), length)]).toEqual([...data]);
      }
    }
    const zeros = new Uint8Array(65536);
    const packed = lz4Compress(zeros);
    expect(packed.length).toBeLessThan(300);
    expect(lz4Decompress(packed, 65536).every((b) => b === 0)).toBe(true);
  });

  it("rejects damaged blocks with Lz4Error and never another exception", () => {
    const data = sample(65536, 42);
    const packed = lz4Compress(data);
    const next = random(99);
    let rejected = 0;
    for (let trial = 0; trial < 300; trial++) {
      const damaged = packed.slice(0, trial % 3 === 0 ? next() % packed.length : packed.length);
      if (trial % 3 !== 0) damaged[next() % damaged.length] ^= 1 << (next() % 8);
      try {
        lz4Decompress(damaged, data.length);
      } catch (e) {
        expect(e).toBeInstanceOf(Lz4Error);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100); // the rest decode to other bytes, which the chunk hash catches
    expect(() => lz4Decompress(packed, data.length + 1)).toThrow(Lz4Error);
  });
});

describe("chunk objects", () => {
  const content = sample(65536, 5);

  for (const codec of ["stored", "lz4", "deflate-raw"] as const) {
    it(`round-trip with codec ${codec}, checked against the content id`, async () => {
      const id = await sha256(content);
      const object = await encodeChunkObject(content, codec);
      expect([...(await decodeChunkObject(object, id, content.length))]).toEqual([...content]);
      const other = await sha256(new Uint8Array(1));
      await expect(decodeChunkObject(object, other, content.length)).rejects.toMatchObject({ code: "corrupt-object" });
      await expect(decodeChunkObject(object, id, content.length - 1)).rejects.toMatchObject({ code: "corrupt-object" });
      await expect(decodeChunkObject(object.subarray(0, object.length - 9), id, content.length)).rejects.toMatchObject({
        code: "corrupt-object",
      });
    });
  }

  it("stores incompressible content as is, and refuses an unknown codec", async () => {
    const next = random(3);
    const noise = new Uint8Array(4096).map(() => next() >>> 24);
    const object = await encodeChunkObject(noise, "lz4");
    expect(object[3]).toBe(0);
    expect(object.length).toBe(4096 + 8);
    object[3] = 9;
    await expect(decodeChunkObject(object, await sha256(noise), 4096)).rejects.toMatchObject({ code: "unsupported-version" });
  });

  it("stops inflating a deflate bomb at the expected size", async () => {
    const big = new Uint8Array(4 << 20);
    const object = await encodeChunkObject(big, "deflate-raw");
    new DataView(object.buffer).setUint32(4, 65536, true);
    await expect(decodeChunkObject(object, await sha256(big.subarray(0, 65536)), 65536)).rejects.toMatchObject({
      code: "corrupt-object",
    });
  });
});

describe("manifest", () => {
  const id = (n: number) => n.toString(16).padStart(64, "0");
  const manifest: Manifest = {
    chunkBytes: 65536,
    machine: { mode: "system", ramBytes: 8 * 65536, stateVersion: 1 },
    core: new Uint8Array([0x45, 0x47, 0x56, 0x4d, 0x53, 0x31, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0]),
    status: { kind: "halted", exitCode: 3 },
    console: { bytes: 5, tail: new TextEncoder().encode("hello"), input: new Uint8Array(0) },
    guest: null,
    memory: [id(1), null, null, null, id(2), id(1), null, null],
  };

  it("lists chunks with maximal runs of zero chunks", () => {
    expect(encodeChunkList(manifest.memory)).toEqual([id(1), 3, id(2), id(1), 2]);
    expect(decodeChunkList([id(1), 3, id(2), id(1), 2], 8, "m")).toEqual(manifest.memory);
    expect(() => decodeChunkList([id(1), 1, 2, id(2), id(1), 2], 8, "m")).toThrow(/neither/);
    expect(() => decodeChunkList([id(1), 3], 8, "m")).toThrow(/expected 8/);
    expect(() => decodeChunkList([id(1), 9], 8, "m")).toThrow(/more than/);
    expect(() => decodeChunkList([id(0xab).toUpperCase(), 7], 8, "m")).toThrow(/neither/);
  });

  it("round-trips and hashes its canonical bytes", async () => {
    const { id: mid, bytes } = await encodeManifest(manifest);
    expect(mid).toBe(await sha256(bytes));
    expect(await decodeManifest(bytes, mid)).toEqual(manifest);
    expect(text(bytes)).toContain('"memory":["' + id(1) + '",3,');
  });

  // A state record (version 2: 1075 fields) whose UART input queue (field 1038) holds `queued` bytes.
  function recordWithQueue(queued: number): Uint8Array {
    const record = new Uint8Array(1075 * 8);
    record.set(manifest.core);
    new DataView(record.buffer).setBigUint64(1038 * 8, BigInt(queued), true);
    return record;
  }

  it("carries console input behind a full UART queue, and refuses it anywhere else", async () => {
    const withInput: Manifest = { ...manifest, core: recordWithQueue(256), console: { ...manifest.console, input: new TextEncoder().encode("more") } };
    const { id: mid, bytes } = await encodeManifest(withInput);
    expect(text(bytes)).toContain('"console":{"bytes":5,"input":"bW9yZQ==","tail":"aGVsbG8="}');
    expect(await decodeManifest(bytes, mid)).toEqual(withInput);
    const cases: [string, (j: Record<string, unknown>) => void][] = [
      ["empty", (j) => ((j.console as Record<string, unknown>).input = "")],
      ["not canonical base64", (j) => ((j.console as Record<string, unknown>).input = "bW9yZR==")],
      ["queue not full", (j) => (j.core = toHex(recordWithQueue(255)))],
      ["process mode", (j) => ((j.machine as Record<string, unknown>).mode = "process")],
    ];
    for (const [what, change] of cases) {
      const json = manifestToJson(withInput) as Record<string, unknown>;
      change(json);
      const changed = encodeCanonical(json as never);
      const error = await decodeManifest(changed, await sha256(changed)).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(SnapshotError);
      expect((error as SnapshotError).code, what).toBe("corrupt-object");
    }
  });

  it("refuses extra fields, bad values and another format", async () => {
    const cases: [string, (j: Record<string, unknown>) => void][] = [
      ["extra field", (j) => (j.comment = "x")],
      ["chunk size", (j) => (j.chunkBytes = 65535)],
      ["status", (j) => (j.status = { kind: "sleeping" })],
      ["format", (j) => (j.format = "other")],
      ["console tail longer than the total", (j) => ((j.console as Record<string, unknown>).bytes = 1)],
    ];
    for (const [what, change] of cases) {
      const json = manifestToJson(manifest) as Record<string, unknown>;
      change(json);
      const bytes = encodeCanonical(json as never);
      const error = await decodeManifest(bytes, await sha256(bytes)).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(SnapshotError);
      expect((error as SnapshotError).code, what).toBe("corrupt-object");
    }
  });
});
