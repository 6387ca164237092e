// Reading snapshots on behalf of a request: ids from URLs and bodies, the
// manifest, and what the API answers when the store cannot give a snapshot.
import { objectKey, readManifest, SnapshotError, type Manifest, type ObjectId, type ObjectStore } from "../snapshot/index.ts";
import { ApiError } from "./errors.ts";
import { SnapshotId } from "./schemas.ts";

/** A snapshot id from a request; anything else names no snapshot (404). */
export function snapshotParam(id: string): ObjectId {
  if (!SnapshotId.safeParse(id).success) throw new ApiError(404, "snapshot_not_found", `${JSON.stringify(id)} is not a snapshot id`);
  return id;
}

/** The snapshot's manifest, checked against its id; store problems as API errors. */
export async function manifestOf(store: ObjectStore, id: ObjectId): Promise<Manifest> {
  try {
    return (await readManifest(store, id)).manifest;
  } catch (e) {
    throw await snapshotProblem(e, id, store);
  }
}

/**
 * A snapshot-layer failure as the API reports it. A missing manifest is an
 * unknown snapshot (404); anything else wrong with stored objects is a damaged
 * snapshot (422), which the service refuses to run rather than run something else.
 */
export async function snapshotProblem(e: unknown, id: ObjectId | null, store: ObjectStore): Promise<unknown> {
  if (!(e instanceof SnapshotError)) return e;
  switch (e.code) {
    case "missing-object":
      if (id !== null && !(await store.has(objectKey.manifest(id)).catch(() => true))) {
        return new ApiError(404, "snapshot_not_found", `there is no snapshot ${id}`);
      }
      return new ApiError(422, "snapshot_incomplete", e.message);
    case "corrupt-object":
      return new ApiError(422, "snapshot_corrupt", e.message);
    case "unsupported-version":
    case "incompatible-machine":
      return new ApiError(422, "snapshot_unsupported", e.message);
    case "invalid-id":
      return new ApiError(400, "invalid_snapshot_id", e.message);
    case "invalid-input":
      return new ApiError(400, "invalid_input", e.message);
    case "store-failure":
      return new ApiError(502, "store_failure", e.message);
  }
}
