// A snapshot as one file: its manifest, the chunks it names and its
// metadata, so that a machine can be downloaded from a page, carried to
// another host and imported into any store (`edgevm import`, the share route).
// docs/snapshot-format.md, "Bundles", is the contract:
//
//   bytes 0-7   "EVMBNDL1"
//   records     u8 kind (1 manifest, 2 chunk, 3 metadata), 32-byte raw id,
//               u32 little-endian length, that many bytes (the stored object)
//
// The first record is the manifest of the snapshot the bundle holds. Every
// object is verified against its id on import, exactly as a store read
// verifies it; metadata is a hint and is kept only when it parses.
import { decodeChunkObject } from "./chunk-object.ts";
import { SnapshotError } from "./errors.ts";
import { fromHex, toHex, type ObjectId } from "./hash.ts";
import { decodeManifest, type Manifest } from "./manifest.ts";
import { readMeta } from "./metadata.ts";
import { mapLimit, MemoryStore, objectKey, putObject, readManifest, type ObjectStore } from "./store.ts";

const MAGIC = new TextEncoder().encode("EVMBNDL1");
const RECORD_HEADER = 1 + 32 + 4;
const Kind = { Manifest: 1, Chunk: 2, Meta: 3 } as const;

/** Ids of the chunks a manifest names (RAM and the guest layer's blob), once each, in order. */
export function chunkIdsOf(manifest: Manifest): ObjectId[] {
  const ids = new Set<ObjectId>();
  for (const c of manifest.memory) if (c !== null) ids.add(c);
  for (const c of manifest.guest?.state.chunks ?? []) if (c !== null) ids.add(c);
  return [...ids];
}

/**
 * The bundle of snapshot `id` as `store` holds it. `include` picks the chunks
 * (default: all, a self-contained file); a share upload leaves out those the
 * server has already.
 */
export async function exportBundle(store: ObjectStore, id: ObjectId, include: (chunk: ObjectId) => boolean = () => true): Promise<Uint8Array> {
  const { manifest } = await readManifest(store, id);
  const manifestBytes = (await store.get(objectKey.manifest(id)))!;
  const chunks = chunkIdsOf(manifest).filter(include);
  const objects = await mapLimit(chunks, 6, async (c) => {
    const bytes = await store.get(objectKey.chunk(c));
    if (!bytes) throw new SnapshotError("missing-object", `chunk ${c} of snapshot ${id} is not in the store`);
    return bytes;
  });
  const meta = await store.get(objectKey.meta(id)).catch(() => null);
  const records: [number, ObjectId, Uint8Array][] = [[Kind.Manifest, id, manifestBytes]];
  chunks.forEach((c, i) => records.push([Kind.Chunk, c, objects[i]!]));
  if (meta) records.push([Kind.Meta, id, meta]);
  const size = MAGIC.length + records.reduce((n, [, , b]) => n + RECORD_HEADER + b.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  let at = MAGIC.length;
  for (const [kind, objectId, bytes] of records) {
    out[at] = kind;
    out.set(fromHex(objectId)!, at + 1);
    view.setUint32(at + 33, bytes.length, true);
    out.set(bytes, at + RECORD_HEADER);
    at += RECORD_HEADER + bytes.length;
  }
  return out;
}

export interface ImportResult {
  snapshot: ObjectId;
  manifest: Manifest;
  /** Chunk objects the bundle carried (all verified and written). */
  chunks: number;
  /** Chunks the manifest names that the store had already. */
  present: number;
}

/**
 * Verifies a bundle and writes it to `store`: chunks first, then (once every
 * chunk the manifest names is in the bundle or already in the store) the
 * manifest, then the metadata, so a reader never sees a manifest whose chunks
 * are missing. A bundle that fails any check writes no manifest.
 */
export async function importBundle(bytes: Uint8Array, store: ObjectStore): Promise<ImportResult> {
  const records = parseRecords(bytes);
  const first = records[0];
  if (!first || first.kind !== Kind.Manifest) throw corrupt("its first record is not a manifest");
  const id = first.id;
  const manifest = await decodeManifest(first.bytes, id);
  const wanted = new Set(chunkIdsOf(manifest));
  const carried = new Map<ObjectId, Uint8Array>();
  let meta: Uint8Array | null = null;
  for (const r of records.slice(1)) {
    if (r.kind === Kind.Chunk) {
      if (!wanted.has(r.id)) throw corrupt(`chunk ${r.id} is not named by its manifest`);
      carried.set(r.id, r.bytes);
    } else if (r.kind === Kind.Meta && r.id === id) {
      meta = r.bytes;
    } else {
      throw corrupt(`a record of kind ${r.kind} for ${r.id} is out of place`);
    }
  }
  // The stated length is checked against chunkBytes; the hash check inside decodeChunkObject does the rest.
  await mapLimit([...carried], 6, async ([chunk, object]) => {
    const stated = object.length >= 8 ? new DataView(object.buffer, object.byteOffset, 8).getUint32(4, true) : -1;
    if (stated <= 0 || stated > manifest.chunkBytes) throw corrupt(`chunk ${chunk} states ${stated} bytes`);
    await decodeChunkObject(object, chunk, stated);
  });
  await mapLimit([...carried], 6, ([chunk, object]) => putObject(store, objectKey.chunk(chunk), object, `chunk ${chunk}`));
  const missing = (await mapLimit([...wanted].filter((c) => !carried.has(c)), 6, async (c) => ((await store.has(objectKey.chunk(c))) ? null : c)))
    .filter((c) => c !== null);
  if (missing.length > 0) {
    throw new SnapshotError("missing-object", `the bundle of ${id} lacks ${missing.length} chunk(s) that the store does not have either (first: ${missing[0]})`);
  }
  await putObject(store, objectKey.manifest(id), first.bytes, `snapshot ${id}`);
  if (meta && (await usableMeta(meta, id))) await putObject(store, objectKey.meta(id), meta, `metadata of ${id}`);
  return { snapshot: id, manifest, chunks: carried.size, present: wanted.size - carried.size };
}

/** Metadata is a hint: kept only when it reads as metadata of this snapshot (readMeta's checks). */
async function usableMeta(bytes: Uint8Array, id: ObjectId): Promise<boolean> {
  const scratch = new MemoryStore();
  await scratch.put(objectKey.meta(id), bytes);
  return (await readMeta(scratch, id)) !== null;
}

interface BundleRecord {
  kind: number;
  id: ObjectId;
  bytes: Uint8Array;
}

function parseRecords(bytes: Uint8Array): BundleRecord[] {
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) throw corrupt("it does not start with EVMBNDL1");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const records: BundleRecord[] = [];
  for (let at = MAGIC.length; at < bytes.length; ) {
    if (bytes.length - at < RECORD_HEADER) throw corrupt(`a record header at byte ${at} is truncated`);
    const length = view.getUint32(at + 33, true);
    const end = at + RECORD_HEADER + length;
    if (end > bytes.length) throw corrupt(`the record at byte ${at} is truncated`);
    records.push({ kind: bytes[at]!, id: toHex(bytes.subarray(at + 1, at + 33)), bytes: bytes.subarray(at + RECORD_HEADER, end) });
    at = end;
  }
  return records;
}

function corrupt(why: string): SnapshotError {
  return new SnapshotError("corrupt-object", `not a snapshot bundle: ${why}`);
}
