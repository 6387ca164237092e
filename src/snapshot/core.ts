// The wasm core as the snapshot layer drives it: the bare-machine exports plus
// the state record, page flags and lazy-restore hooks (docs/core.md).
import { checkedExports, RunExit, type CoreExports } from "../vm/bare-machine.ts";

export interface SnapshotCore extends CoreExports {
  stateBuffer(): number;
  stateSave(): number;
  stateLoad(length: number): number;
  pageFlags(): number;
  clearDirty(): void;
  setPagesAbsent(first: number, count: number): void;
  setPagePresent(page: number): void;
  absentPage(): number;
  runCycles(): bigint;
  setPriv(p: number): void;
  setEcallExits(on: number): void;
  /** 1 when the byte joined the UART's input queue, 0 when the queue is full. */
  consoleInputPush(byte: number): number;
  consoleInputPending(): number;
}

/** run()'s exit reasons (src/core/events.ts). */
export const CoreExit = RunExit;

/** Page flag bits (src/core/layout.ts). */
export const PageFlag = { Code: 1, Watched: 2, Dirty: 4, Absent: 8, Written: 16 } as const;

export const PAGE_BYTES = 4096;

const SNAPSHOT_FUNCTIONS = [
  "init", "ramOffset", "ramSize", "ramBacked", "backRam", "reset", "getPc", "run", "exitCode", "instret", "cycle", "consoleOffset",
  "consoleLength", "consoleClear", "codeWritten", "setHtif", "stateBuffer", "stateSave", "stateLoad", "pageFlags",
  "clearDirty", "setPagesAbsent", "setPagePresent", "absentPage", "runCycles", "setPriv", "setEcallExits",
  "consoleInputPush", "consoleInputPending",
] as const;

export interface CoreInstance {
  instance: WebAssembly.Instance;
  core: SnapshotCore;
}

/** A fresh instance of the core module, checked to have the snapshot hooks. */
export async function instantiateCore(module: WebAssembly.Module): Promise<CoreInstance> {
  const instance = await WebAssembly.instantiate(module, {});
  return { instance, core: checkedExports<SnapshotCore>(instance, SNAPSHOT_FUNCTIONS) };
}

// Instances that ran a quantum and may run the next one, by module. A new
// instance costs a quantum more than its run: instantiating, growing a memory
// of the guest's size (which makes V8 collect garbage), and faulting in every
// page it touches. init() makes a used instance an empty machine again,
// clearing only the pages its last machine wrote (docs/core.md). One idle
// instance per module is kept: a host runs one quantum at a time per
// isolate or process, and each holds its guest's memory.
const idle = new WeakMap<WebAssembly.Module, CoreInstance>();

/**
 * An instance for a new machine: an idle one when there is one, else a fresh
 * one. The caller calls init() before anything else, and gives it back with
 * releaseCore() only once the quantum ended without an error.
 */
export async function acquireCore(module: WebAssembly.Module): Promise<CoreInstance> {
  const reused = idle.get(module);
  if (reused) {
    idle.delete(module);
    return reused;
  }
  return instantiateCore(module);
}

/** An instance whose machine is done with it (nothing may use it afterwards but acquireCore). */
export function releaseCore(module: WebAssembly.Module, instance: CoreInstance): void {
  if (!idle.has(module)) idle.set(module, instance);
}

/** The state record's version: its second u64 (src/core/state.ts). */
export function stateRecordVersion(record: Uint8Array): number {
  if (record.length < 24) return -1;
  return Number(new DataView(record.buffer, record.byteOffset, record.byteLength).getBigUint64(8, true));
}

export function saveStateRecord(core: SnapshotCore): Uint8Array {
  const length = core.stateSave() >>> 0;
  return new Uint8Array(core.memory.buffer, core.stateBuffer() >>> 0, length).slice();
}

/** Loads a record into the core; false when the core refuses it (another magic, version, RAM size or length). */
export function loadStateRecord(core: SnapshotCore, record: Uint8Array): boolean {
  new Uint8Array(core.memory.buffer, core.stateBuffer() >>> 0, record.length).set(record);
  return core.stateLoad(record.length) !== 0;
}
