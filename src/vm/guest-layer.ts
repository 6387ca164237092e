// The hook for guest-OS layers (process mode's Linux layer): state that lives
// outside guest RAM (file system, fd table, console buffers) and the core
// exits that the layer, not the machine's run loop, handles (ecall, traps).
// System-mode machines have no layer. The vm layer defines this interface and
// implements it (src/vm/linux/linux-layer.ts); the snapshot runner
// (src/snapshot/machine.ts) calls it, so the dependency points downward.
import type { CoreExports } from "./core-abi.ts";

/** Where a machine stands after a run: the status a snapshot records (docs/snapshot-format.md). */
export type MachineStatus =
  | { kind: "running" }
  /** HTIF exit or the test finisher (system mode). */
  | { kind: "halted"; exitCode: number }
  /**
   * The process ended (process mode): exit_group, or killed by `signal`, then
   * with the shell's exit code 128 + signal and `reason`, what raised it.
   */
  | { kind: "exited"; exitCode: number; signal?: number; reason?: string }
  /** The guest blocked on an empty console. */
  | { kind: "waiting-input" }
  /** The host stopped the machine (a resource cap, a core fault). */
  | { kind: "fault"; reason: string };

/** "system": the virt board (bare-metal programs, kernels); "process": a Linux program over the syscall layer. */
export type GuestMode = "system" | "process";

/**
 * A layer's encoded state cannot be rebuilt: `incompatible-machine` when the
 * core is not the one it needs, `corrupt-object` when the bytes break the
 * encoding. The snapshot runner reports it as a SnapshotError of that code.
 */
export class LayerStateError extends Error {
  override name = "LayerStateError";
  constructor(
    readonly code: "incompatible-machine" | "corrupt-object",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A machine a host set up on a core instance itself (process mode: the Linux
 * loader builds page tables and the layer), ready to become a snapshot. With
 * `marksWrites`, the host set the dirty flag of every page it wrote (the Linux
 * host does), and only those are persisted; otherwise every page counts as
 * written, which costs a scan of all of RAM at the first persist.
 */
export interface PreparedMachine {
  kind: "prepared";
  mode: GuestMode;
  core: CoreExports;
  layer: GuestLayer | null;
  marksWrites?: boolean;
  /** The instance of `core` when it came from acquireCore(): the machine gives it back when done. */
  instance?: WebAssembly.Instance;
}

/** A layer's state as canonical bytes: equal states give equal bytes (no Map order, clocks or floats). */
export interface GuestLayerState {
  encode(): Uint8Array;
}

/**
 * What a layer says after a core exit or before a run slice: go on, or stop
 * the quantum with a status. From beforeRun, `maxCycles` bounds the next
 * slice (the cycles until an event the layer must see, e.g. a timer).
 */
export type LayerVerdict =
  | { kind: "continue"; maxCycles?: bigint }
  | Extract<MachineStatus, { kind: "exited" | "waiting-input" | "fault" }>;

/** Which stream of the guest's console a write went to: system-mode consoles have only stdout. */
export type OutputStream = "stdout" | "stderr";

/** Console output in the order it was written, each part tagged with its stream. */
export interface OutputSegment {
  stream: OutputStream;
  bytes: Uint8Array;
}

/** What the runner offers a layer while a quantum runs. */
export interface GuestHost {
  readonly core: CoreExports;
  /**
   * Makes guest RAM [paddr, paddr + length) resident: a lazily restored
   * machine fetches those chunks. Call it before reading or writing guest RAM
   * from the host; untouched pages may still hold zeros.
   */
  resident(paddr: number, length: number): Promise<void>;
  /** The layer wrote guest RAM itself: the core only tracks the guest's own stores as dirty. */
  wrote(paddr: number, length: number): void;
  /** Console output the layer produced (the guest's writes to stdout and stderr), tagged with its stream (default stdout). */
  output(bytes: Uint8Array, stream?: OutputStream): void;
}

export interface GuestLayer extends GuestLayerState {
  /** The name stored in the manifest; picks the codec on restore. */
  readonly kind: string;
  /**
   * Console input from step(); the layer keeps what the guest has not read
   * yet in its state. `end`: no more input will follow (reads at the end see
   * end-of-file).
   */
  input(bytes: Uint8Array, end?: boolean): void;
  /** A core exit the runner does not handle: Ecall, Trap, Idle (RunExit, src/vm/core-abi.ts). */
  handleExit(reason: number, host: GuestHost): Promise<LayerVerdict>;
  /**
   * Optional: called before every slice of the core's run(), after any exit:
   * the layer's chance to act between two stretches of guest code (deliver
   * signals, end the quantum) and to bound the next slice.
   */
  beforeRun?(host: GuestHost): Promise<LayerVerdict>;
}

/** Rebuilds a layer from its encoded state when a snapshot is restored. */
export interface GuestLayerCodec {
  readonly kind: string;
  /**
   * Needs every stored chunk resident before its first call (a layer that
   * reads guest RAM without resident()). RAM above the last stored chunk is
   * zero and has no memory yet: decode() asks resident() for the part the
   * layer itself may touch.
   */
  readonly eagerRestore?: boolean;
  decode(state: Uint8Array, host: GuestHost): Promise<GuestLayer>;
}
