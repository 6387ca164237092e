// The messages between the page and its machine's Web Worker. The page never
// runs guest code; the worker never touches the DOM.
import type { MachineStatus } from "../vm/guest-layer.ts";

export type ToWorker =
  | { op: "open"; origin: string; id: string; coreUrl: string }
  | { op: "boot"; program: Uint8Array; coreUrl: string }
  | { op: "run" }
  | { op: "pause" }
  | { op: "step"; cycles: number }
  | { op: "input"; bytes: Uint8Array; end?: boolean }
  | { op: "reset" }
  | { op: "bundle"; complete: boolean; tag: number };

export interface WorkerState {
  status: MachineStatus;
  /** Whether the worker is stepping quanta (the run button's state). */
  running: boolean;
  instructions: string;
  cycles: string;
  base: string | null;
  /** Bytes of objects fetched from the service so far. */
  fetched: number;
}

export type FromWorker =
  | { op: "ready"; mode: "process" | "system"; ramBytes: number; transcript: Uint8Array; snapshot: string; bootMs: number }
  | { op: "output"; bytes: Uint8Array; stream: "stdout" | "stderr" }
  | { op: "state"; state: WorkerState }
  | { op: "bundle"; tag: number; id: string; bytes: Uint8Array }
  | { op: "error"; message: string };
