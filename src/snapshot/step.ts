// step(snapshot, input, budget) -> (snapshot', output, status): the one
// function the CLI, the service and the tests run machines with (docs/architecture.md).
import { concatBytes } from "../vm/bytes.ts";
import { SnapshotError } from "./errors.ts";
import { checkObjectId, type ObjectId } from "./hash.ts";
import { LiveMachine, type InitialMachine, type QuantumTimings, type SnapshotOptions } from "./machine.ts";
import type { MachineStatus, OutputSegment } from "../vm/guest-layer.ts";
import type { QuantumCounters } from "./metadata.ts";
import type { ObjectStore } from "./store.ts";

export interface StepInput {
  /** Bytes for the guest's console input: a process's stdin, or the UART's receive queue (system mode). */
  console?: Uint8Array;
  /** No console input follows `console`: the guest's reads at the end see end-of-file (process mode; a UART has none, so system mode ignores it). */
  consoleEnd?: boolean;
}

export interface StepResult {
  /** The snapshot after the quantum (the same id when nothing ran). */
  snapshotId: ObjectId;
  /** The snapshot the quantum started from; null for a new machine. */
  parent: ObjectId | null;
  /** Console output of this quantum. */
  output: Uint8Array;
  /** The same bytes, stream by stream in the order written: a process-mode guest's stdout and stderr apart. */
  segments: OutputSegment[];
  status: MachineStatus;
  counters: QuantumCounters;
  timings: QuantumTimings;
}

/**
 * Restores `source` (a snapshot id, or a machine that has none yet), gives it
 * `input`, runs it for at most `budget` cycles (retired instructions plus idle
 * cycles) and persists the result. A machine that has stopped (halted, exited,
 * fault), or waits for input and gets none, is returned as it is.
 */
export async function step(
  source: ObjectId | InitialMachine,
  input: StepInput,
  budget: bigint,
  store: ObjectStore,
  options: SnapshotOptions,
): Promise<StepResult> {
  if (budget < 0n) throw new RangeError(`budget ${budget} is negative`);
  const parent = typeof source === "string" ? checkObjectId(source) : null;
  const machine =
    typeof source === "string" ? await LiveMachine.restore(store, source, options) : await LiveMachine.boot(source, options);
  const consoleInput = input.console ?? new Uint8Array(0);
  const consoleEnd = input.consoleEnd ?? false;
  const unchanged = (): StepResult => {
    machine.release();
    return {
      snapshotId: parent!, parent, output: new Uint8Array(0), segments: [], status: machine.status,
      counters: machine.counters, timings: machine.timings,
    };
  };
  if (parent !== null) {
    const stopped = machine.status.kind === "halted" || machine.status.kind === "exited" || machine.status.kind === "fault";
    if (stopped) return unchanged();
    if (consoleInput.length === 0 && !consoleEnd && (budget === 0n || machine.status.kind === "waiting-input")) return unchanged();
  }
  machine.input(consoleInput, consoleEnd);
  const status = budget > 0n ? await machine.run(budget) : machine.status;
  const segments = machine.takeOutputSegments();
  const output = concatBytes(segments.map((s) => s.bytes));
  const snapshotId = await machine.persist(store, parent);
  // Only now: a quantum that threw leaves its instance to the garbage collector.
  machine.release();
  return { snapshotId, parent, output, segments, status, counters: machine.counters, timings: machine.timings };
}

/** The snapshot of a machine before it runs (a shareable starting point). */
export async function createSnapshot(initial: InitialMachine, store: ObjectStore, options: SnapshotOptions): Promise<ObjectId> {
  return (await step(initial, {}, 0n, store, options)).snapshotId;
}

export function isStopped(status: MachineStatus): boolean {
  return status.kind === "halted" || status.kind === "exited" || status.kind === "fault";
}
