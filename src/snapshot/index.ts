// The snapshot layer (docs/architecture.md, "Snapshots"; docs/snapshot-format.md).
// Platform-neutral: DirectoryStore is imported from ./store-directory.ts by Node hosts only.
export { step, createSnapshot, isStopped, type StepInput, type StepResult } from "./step.ts";
export { LiveMachine, type InitialMachine, type SnapshotOptions, type QuantumTimings } from "./machine.ts";
export { SnapshotError, type SnapshotErrorCode } from "./errors.ts";
export { MemoryStore, objectKey, readManifest, readChunk, type ObjectStore } from "./store.ts";
export { R2Store, WrittenChunks } from "./store-r2.ts";
export { readMeta, type SnapshotMeta, type QuantumCounters } from "./metadata.ts";
export {
  FORMAT, FORMAT_VERSION, DEFAULT_CHUNK_BYTES, CONSOLE_TAIL_BYTES, decodeManifest, encodeManifest, manifestToJson,
  type Manifest, type ChunkRef,
} from "./manifest.ts";
export { checkObjectId, isObjectId, sha256, type ObjectId } from "./hash.ts";
export { encodeChunkObject, decodeChunkObject, type ChunkCodec } from "./chunk-object.ts";
