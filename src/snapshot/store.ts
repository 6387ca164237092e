// Where snapshots live: a store of immutable objects by key. Chunks and
// manifests are content-addressed (their key ends in their id, and every read
// is checked against it); metadata sits beside its manifest under meta/<id>.
// Three stores implement the interface: MemoryStore (here), DirectoryStore
// (store-directory.ts, Node) and R2Store (store-r2.ts, Workers). Mutable refs
// (a machine's head snapshot) do not belong here: they need compare-and-swap
// and many writes per second to one key (docs/architecture.md, "Snapshots").
import { decodeChunkObject } from "./chunk-object.ts";
import { SnapshotError } from "./errors.ts";
import type { ObjectId } from "./hash.ts";
import { decodeManifest, type Manifest } from "./manifest.ts";

export interface ObjectStore {
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Stores an object. Objects are immutable: writing a key again writes the same content. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  has(key: string): Promise<boolean>;
  /**
   * Optional: true when this store knows, without asking its backend, that
   * `key` holds its object (it wrote it itself). Persist then skips
   * compressing and writing that chunk again. Only for content-addressed keys.
   */
  known?(key: string): boolean;
}

/** Object keys: lowercase ASCII path segments, so every store can map them to its own namespace. */
export const objectKey = {
  chunk: (id: ObjectId) => `chunks/${id}`,
  manifest: (id: ObjectId) => `manifests/${id}`,
  meta: (id: ObjectId) => `meta/${id}`,
};

const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** Throws unless `key` is a well-formed object key (no empty, "." or ".." segments, no uppercase). */
export function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key) || key.length > 512 || key.split("/").some((s) => s === "." || s === "..")) {
    throw new SnapshotError("store-failure", `${JSON.stringify(key)} is not an object key`);
  }
  return key;
}

/** Objects in a Map (tests, and hosts that keep a machine in one process). */
export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, Uint8Array>();

  async get(key: string): Promise<Uint8Array | null> {
    const bytes = this.objects.get(checkKey(key));
    return bytes ? bytes.slice() : null;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.objects.set(checkKey(key), bytes.slice());
  }

  async has(key: string): Promise<boolean> {
    return this.objects.has(checkKey(key));
  }
}

// ---- verified reads -------------------------------------------------------

/** store.get with store failures as SnapshotError, and absence as "missing-object". */
export async function getObject(store: ObjectStore, key: string, what: string): Promise<Uint8Array> {
  let bytes: Uint8Array | null;
  try {
    bytes = await store.get(key);
  } catch (e) {
    throw storeFailure(e, `reading ${what}`);
  }
  if (bytes === null) throw new SnapshotError("missing-object", `${what} is not in the store (${key})`);
  return bytes;
}

export async function putObject(store: ObjectStore, key: string, bytes: Uint8Array, what: string): Promise<void> {
  try {
    await store.put(key, bytes);
  } catch (e) {
    throw storeFailure(e, `writing ${what}`);
  }
}

function storeFailure(e: unknown, doing: string): SnapshotError {
  if (e instanceof SnapshotError) return e;
  return new SnapshotError("store-failure", `the store failed ${doing}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

export async function readManifest(store: ObjectStore, id: ObjectId): Promise<{ manifest: Manifest; bytes: number }> {
  const bytes = await getObject(store, objectKey.manifest(id), `snapshot ${id}`);
  return { manifest: await decodeManifest(bytes, id), bytes: bytes.length };
}

/** A chunk's content, checked against its id and expected length. */
export async function readChunk(store: ObjectStore, id: ObjectId, length: number): Promise<{ content: Uint8Array; bytes: number }> {
  const bytes = await getObject(store, objectKey.chunk(id), `chunk ${id}`);
  return { content: await decodeChunkObject(bytes, id, length), bytes: bytes.length };
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight (a Worker has
 * six simultaneous connections; more only queue), failing with the first error.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
