// Lineage beside a manifest, under meta/<id>: where the state came from and
// what the quantum that produced it touched. Not part of the snapshot id (equal
// states have equal ids however they were reached), so it is only ever a hint:
// a missing or unreadable metadata object costs a slower restore, nothing else.
import { decodeCanonical, encodeCanonical, type Canonical } from "./canonical-json.ts";
import { isObjectId, type ObjectId } from "./hash.ts";
import { objectKey, type ObjectStore } from "./store.ts";

export const META_FORMAT = "edgevm-snapshot-meta";

/** Counters of one quantum (integers only, so the object stays canonical JSON). */
export interface QuantumCounters {
  /** Instructions retired and cycles spent (retired plus idle; the budget's unit). */
  instructions: number;
  cycles: number;
  /** Objects read from the store (manifest, metadata, chunks) and their stored bytes. */
  objectsRead: number;
  bytesRead: number;
  /** Objects written (chunks, manifest, metadata) and their stored bytes. */
  objectsWritten: number;
  bytesWritten: number;
  /** Memory chunks fetched, and how many of them the previous quantum's hints brought in ahead of time. */
  chunksFetched: number;
  chunksPrefetched: number;
  /** Memory chunks whose pages were dirty at persist, and how many of those changed content (new ids). */
  chunksDirty: number;
  chunksChanged: number;
  /** Times run() stopped on an absent page. */
  pageFaults: number;
}

export interface SnapshotMeta {
  snapshot: ObjectId;
  parent: ObjectId | null;
  quantum: QuantumCounters;
  /** Chunk indices the quantum touched or wrote: what the next restore fetches in one batch. */
  workingSet: number[];
}

export function encodeMeta(meta: SnapshotMeta): Uint8Array {
  return encodeCanonical({
    format: META_FORMAT,
    version: 1,
    snapshot: meta.snapshot,
    parent: meta.parent,
    quantum: { ...meta.quantum } as unknown as Canonical,
    workingSet: meta.workingSet,
  });
}

/** The metadata of `id`, or null when it is missing or not readable (it is only a hint). */
export async function readMeta(store: ObjectStore, id: ObjectId): Promise<SnapshotMeta | null> {
  let bytes: Uint8Array | null;
  try {
    bytes = await store.get(objectKey.meta(id));
  } catch {
    return null;
  }
  if (!bytes) return null;
  const json = decodeCanonical(bytes) as Record<string, Canonical> | null;
  if (!json || json.format !== META_FORMAT || json.version !== 1 || json.snapshot !== id) return null;
  const parent = json.parent;
  const workingSet = json.workingSet;
  if (!(parent === null || (typeof parent === "string" && isObjectId(parent)))) return null;
  if (!Array.isArray(workingSet) || !workingSet.every((c) => typeof c === "number" && Number.isSafeInteger(c) && c >= 0)) return null;
  return { snapshot: id, parent, quantum: json.quantum as unknown as QuantumCounters, workingSet: workingSet as number[] };
}
