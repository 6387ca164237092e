// The snapshot manifest (format v1, docs/snapshot-format.md): everything about
// a machine except its memory contents, which it names by chunk id. Its
// canonical JSON bytes are what the snapshot id hashes.
import type { GuestMode, MachineStatus } from "../vm/guest-layer.ts";
import { decodeCanonical, encodeCanonical, type Canonical } from "./canonical-json.ts";
import { SnapshotError } from "./errors.ts";
import { fromBase64, fromHex, isObjectId, sha256, toBase64, toHex, type ObjectId } from "./hash.ts";

export const FORMAT = "edgevm-snapshot";
export const FORMAT_VERSION = 1;
/** What edgevm writes: 16 pages (docs/snapshot-format.md, "Chunk size"). */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;
export const MIN_CHUNK_BYTES = 4096;
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** The console transcript kept in a manifest: the last this many bytes of output. */
export const CONSOLE_TAIL_BYTES = 8192;

/** A chunk's id, or null for a chunk of zeros (never stored). */
export type ChunkRef = ObjectId | null;

/** A byte string cut into chunkBytes pieces (the last may be shorter). */
export interface ChunkedBytes {
  length: number;
  chunks: ChunkRef[];
}


export interface Manifest {
  chunkBytes: number;
  machine: { mode: GuestMode; ramBytes: number; stateVersion: number };
  /** The core's state record (stateSave), little-endian u64 fields. */
  core: Uint8Array;
  status: MachineStatus;
  /**
   * Total console bytes the machine ever wrote, and the last CONSOLE_TAIL_BYTES
   * of them; `input`: console input of a system-mode machine waiting behind
   * the core's full UART queue (empty when there is none).
   */
  console: { bytes: number; tail: Uint8Array; input: Uint8Array };
  /** The guest-OS layer's state (process mode); null for machines without one. */
  guest: { kind: string; state: ChunkedBytes } | null;
  /** Guest RAM, chunk by chunk from physical 0x8000_0000. */
  memory: ChunkRef[];
}

export function chunkCount(length: number, chunkBytes: number): number {
  return Math.ceil(length / chunkBytes);
}

// ---- encoding -------------------------------------------------------------

/** Chunk lists in JSON: ids, with each run of zero chunks as its length (a positive integer). */
export function encodeChunkList(chunks: readonly ChunkRef[]): Canonical[] {
  const out: Canonical[] = [];
  for (const ref of chunks) {
    const last = out.length - 1;
    if (ref !== null) out.push(ref);
    else if (last >= 0 && typeof out[last] === "number") (out[last] as number)++;
    else out.push(1);
  }
  return out;
}

export function manifestToJson(m: Manifest): Canonical {
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    chunkBytes: m.chunkBytes,
    machine: { mode: m.machine.mode, ramBytes: m.machine.ramBytes, stateVersion: m.machine.stateVersion },
    core: toHex(m.core),
    // Optional fields absent, not undefined: canonical JSON has no undefined.
    status: Object.fromEntries(Object.entries(m.status).filter(([, v]) => v !== undefined)) as Canonical,
    // Absent when empty, so that snapshots written before the field existed keep their ids.
    console: {
      bytes: m.console.bytes, tail: toBase64(m.console.tail), ...(m.console.input.length > 0 && { input: toBase64(m.console.input) }),
    },
    guest: m.guest && { kind: m.guest.kind, bytes: m.guest.state.length, chunks: encodeChunkList(m.guest.state.chunks) },
    memory: encodeChunkList(m.memory),
  };
}

export async function encodeManifest(m: Manifest): Promise<{ id: ObjectId; bytes: Uint8Array }> {
  const bytes = encodeCanonical(manifestToJson(m));
  return { id: await sha256(bytes), bytes };
}

// ---- decoding -------------------------------------------------------------

/** Reads manifest bytes stored under `id`: the hash first, then the version, then every field. */
export async function decodeManifest(bytes: Uint8Array, id: ObjectId): Promise<Manifest> {
  if ((await sha256(bytes)) !== id) {
    throw new SnapshotError("corrupt-object", `manifest ${id} does not match its id (${bytes.length} bytes)`);
  }
  const json = decodeCanonical(bytes);
  const bad = (why: string) => new SnapshotError("corrupt-object", `manifest ${id}: ${why}`);
  if (!isRecord(json)) throw bad("not a canonical JSON object");
  if (json.format !== FORMAT) throw bad(`format is ${JSON.stringify(json.format)}, not "${FORMAT}"`);
  if (json.version !== FORMAT_VERSION) {
    throw new SnapshotError(
      "unsupported-version",
      `snapshot ${id} has format version ${JSON.stringify(json.version)}; this edgevm reads version ${FORMAT_VERSION}`,
    );
  }
  try {
    return parseManifest(json);
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw bad((e as Error).message);
  }
}

function parseManifest(json: Record<string, Canonical>): Manifest {
  keysExactly(json, ["chunkBytes", "console", "core", "format", "guest", "machine", "memory", "status", "version"], "manifest");
  const chunkBytes = integer(json.chunkBytes, "chunkBytes");
  if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES || (chunkBytes & (chunkBytes - 1)) !== 0) {
    throw new Error(`chunkBytes ${chunkBytes} is not a power of two from ${MIN_CHUNK_BYTES} to ${MAX_CHUNK_BYTES}`);
  }
  const machine = record(json.machine, "machine", ["mode", "ramBytes", "stateVersion"]);
  if (machine.mode !== "system" && machine.mode !== "process") throw new Error(`machine.mode ${JSON.stringify(machine.mode)}`);
  const ramBytes = integer(machine.ramBytes, "machine.ramBytes");
  if (ramBytes <= 0 || ramBytes % 4096 !== 0) throw new Error(`machine.ramBytes ${ramBytes} is not a positive multiple of 4096`);
  const core = typeof json.core === "string" ? fromHex(json.core) : null;
  if (!core || core.length % 8 !== 0) throw new Error("core is not a hex record of u64 fields");
  const consoleJson = record(json.console, "console", isRecord(json.console) && "input" in json.console ? ["bytes", "input", "tail"] : ["bytes", "tail"]);
  const tail = typeof consoleJson.tail === "string" ? fromBase64(consoleJson.tail) : null;
  const consoleBytes = integer(consoleJson.bytes, "console.bytes");
  if (!tail || tail.length > CONSOLE_TAIL_BYTES || tail.length > consoleBytes) throw new Error("console.tail is not valid");
  const input = consoleInputBacklog(consoleJson.input, machine.mode, core);
  let guest: Manifest["guest"] = null;
  if (json.guest !== null) {
    const g = record(json.guest, "guest", ["bytes", "chunks", "kind"]);
    if (typeof g.kind !== "string" || g.kind === "") throw new Error("guest.kind is not a name");
    const length = integer(g.bytes, "guest.bytes");
    guest = { kind: g.kind, state: { length, chunks: decodeChunkList(g.chunks, chunkCount(length, chunkBytes), "guest.chunks") } };
  }
  return {
    chunkBytes,
    machine: { mode: machine.mode, ramBytes, stateVersion: integer(machine.stateVersion, "machine.stateVersion") },
    core,
    status: parseStatus(json.status),
    console: { bytes: consoleBytes, tail, input },
    guest,
    memory: decodeChunkList(json.memory, chunkCount(ramBytes, chunkBytes), "memory"),
  };
}

/** The state record's field of console input bytes the UART has not read yet (docs/snapshot-format.md). */
const RECORD_INPUT_PENDING_FIELD = 1038; // state record version 2 (version 1: 183)
/** The core's UART input queue (src/core/layout.ts CONSOLE_INPUT_SIZE). */
export const CORE_INPUT_QUEUE_BYTES = 256;

/**
 * `console.input`: one spelling per state, so it is absent when empty, only a
 * system-mode machine has it (process mode keeps stdin in its layer), and it
 * exists only behind a full core queue (the host tops the queue up before it
 * persists).
 */
function consoleInputBacklog(value: Canonical | undefined, mode: GuestMode, core: Uint8Array): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  const input = typeof value === "string" ? fromBase64(value) : null;
  if (!input || input.length === 0 || toBase64(input) !== value) throw new Error("console.input is not non-empty canonical base64");
  if (mode !== "system") throw new Error("console.input belongs to system-mode machines only");
  const at = RECORD_INPUT_PENDING_FIELD * 8;
  const queued = core.length >= at + 8 ? new DataView(core.buffer, core.byteOffset, core.byteLength).getBigUint64(at, true) : -1n;
  if (queued !== BigInt(CORE_INPUT_QUEUE_BYTES)) throw new Error("console.input is present while the core's input queue is not full");
  return input;
}

function parseStatus(value: Canonical | undefined): MachineStatus {
  if (!isRecord(value)) throw new Error("status is not an object");
  switch (value.kind) {
    case "running":
    case "waiting-input":
      keysExactly(value, ["kind"], "status");
      return { kind: value.kind };
    case "halted":
      keysExactly(value, ["exitCode", "kind"], "status");
      return { kind: value.kind, exitCode: integer(value.exitCode, "status.exitCode") };
    case "exited": {
      const killed = "signal" in value;
      keysExactly(value, killed ? ["exitCode", "kind", "reason", "signal"] : ["exitCode", "kind"], "status");
      const exitCode = integer(value.exitCode, "status.exitCode");
      if (!killed) return { kind: "exited", exitCode };
      const signal = integer(value.signal, "status.signal");
      if (signal < 1 || signal > 64 || exitCode !== 128 + signal) throw new Error(`status.signal ${signal} with exit code ${exitCode}`);
      if (typeof value.reason !== "string") throw new Error("status.reason is not a string");
      return { kind: "exited", exitCode, signal, reason: value.reason };
    }
    case "fault":
      keysExactly(value, ["kind", "reason"], "status");
      if (typeof value.reason !== "string") throw new Error("status.reason is not a string");
      return { kind: "fault", reason: value.reason };
    default:
      throw new Error(`status.kind ${JSON.stringify(value.kind)}`);
  }
}

export function decodeChunkList(value: Canonical | undefined, count: number, what: string): ChunkRef[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  const out: ChunkRef[] = [];
  let previousRun = false;
  for (const item of value) {
    if (typeof item === "string" && isObjectId(item)) {
      out.push(item);
      previousRun = false;
    } else if (typeof item === "number" && Number.isSafeInteger(item) && item > 0 && !previousRun) {
      // Runs are maximal: two in a row would be a second spelling of the same list.
      if (out.length + item > count) throw new Error(`${what} lists more than ${count} chunks`);
      for (let i = 0; i < item; i++) out.push(null);
      previousRun = true;
    } else {
      throw new Error(`${what} has an entry that is neither a chunk id nor a run of zero chunks`);
    }
    if (out.length > count) throw new Error(`${what} lists more than ${count} chunks`);
  }
  if (out.length !== count) throw new Error(`${what} lists ${out.length} chunks, expected ${count}`);
  return out;
}

function isRecord(v: Canonical | undefined): v is Record<string, Canonical> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function record(v: Canonical | undefined, what: string, keys: string[]): Record<string, Canonical> {
  if (!isRecord(v)) throw new Error(`${what} is not an object`);
  keysExactly(v, keys, what);
  return v;
}

function keysExactly(v: Record<string, Canonical>, keys: string[], what: string): void {
  const have = Object.keys(v).sort();
  if (have.length !== keys.length || have.some((k, i) => k !== keys[i])) {
    throw new Error(`${what} has fields ${have.join(", ")}; expected ${keys.join(", ")}`);
  }
}

function integer(v: Canonical | undefined, what: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new Error(`${what} is not a non-negative integer`);
  return v;
}
