// One machine running on the reader's CPU: restored lazily from the service
// (or booted from a program the reader gave), run quantum by quantum, fed
// console input, and persisted on request into the page's own store. It is
// the page's Web Worker's engine and is platform-neutral, so Node runs the
// very same code in the tests and the benchmark.
//
// Determinism (docs/architecture.md, invariants 1-2): the machine between two
// persists is the LiveMachine of src/snapshot, whose quanta of any size reach
// the same state, so a state shared from here has the id the CLI or the
// Worker reaches with the same input at the same points (for a program that
// waits for input, "the same points" are its reads).
import { exportBundle } from "../snapshot/bundle.ts";
import { LiveMachine, type InitialMachine, type SnapshotOptions } from "../snapshot/machine.ts";
import { objectKey, type ObjectStore } from "../snapshot/store.ts";
import type { ObjectId } from "../snapshot/hash.ts";
import type { MachineStatus, OutputSegment } from "../vm/guest-layer.ts";
import { OverlayStore } from "./overlay-store.ts";

/** Cycles per quantum between two looks at the page's messages: about 10 ms of guest work. */
export const QUANTUM_CYCLES = 1_000_000n;

export interface SessionState {
  status: MachineStatus;
  /** Retired instructions in the machine's whole life (the core's instret). */
  instructions: bigint;
  /** Cycles in the machine's whole life (instructions plus idle cycles): guest time at the nominal 100 MHz. */
  cycles: bigint;
  /** The snapshot this session started from or last persisted; null for a machine booted here and not yet persisted. */
  base: ObjectId | null;
}

export class Session {
  private machine: LiveMachine;
  private baseId: ObjectId | null;

  private constructor(
    machine: LiveMachine,
    base: ObjectId | null,
    /** Objects this page wrote over the service's. */
    readonly store: OverlayStore,
    private readonly options: SnapshotOptions,
    private origin: ObjectId,
  ) {
    this.machine = machine;
    this.baseId = base;
  }

  /** Restores snapshot `id` from `service` (lazily: chunks come as the guest touches them). */
  static async restore(service: ObjectStore, id: ObjectId, options: SnapshotOptions): Promise<Session> {
    const store = new OverlayStore(service);
    return new Session(await LiveMachine.restore(store, id, options), id, store, options, id);
  }

  /** A machine that has no snapshot yet (a program the reader gave the landing page). */
  static async boot(initial: () => Promise<InitialMachine>, options: SnapshotOptions): Promise<Session> {
    const store = new OverlayStore(null);
    const machine = await initial();
    const session = new Session(await LiveMachine.boot(machine, options), null, store, options, "");
    // Its starting point is a snapshot too, so that reset has something to go back to.
    session.baseId = await session.machine.persist(store, null);
    session.origin = session.baseId;
    return session;
  }

  get state(): SessionState {
    return { status: this.machine.status, instructions: this.machine.core.instret(), cycles: this.machine.core.cycle(), base: this.baseId };
  }

  get mode(): "process" | "system" {
    return this.machine.mode;
  }

  get ramBytes(): number {
    return this.machine.ramBytes;
  }

  /** Whether running now can make progress (a stopped machine or one waiting for input cannot). */
  get runnable(): boolean {
    return this.machine.status.kind === "running";
  }

  input(bytes: Uint8Array, end = false): void {
    const stopped = ["halted", "exited", "fault"].includes(this.machine.status.kind);
    if (!stopped) this.machine.input(bytes, end);
  }

  /** Runs at most `cycles`; the output it produced, stream by stream. */
  async run(cycles: bigint = QUANTUM_CYCLES): Promise<OutputSegment[]> {
    if (!this.runnable) return [];
    await this.machine.run(cycles);
    return this.machine.takeOutputSegments();
  }

  /** Persists the current state into the page's store; its snapshot id. Unchanged states keep their id. */
  async persist(): Promise<ObjectId> {
    this.baseId = await this.machine.persist(this.store, this.baseId);
    return this.baseId;
  }

  /**
   * The current state as a bundle. `complete`: every chunk (a file `edgevm
   * import` reads without the service); otherwise only the chunks this page
   * wrote (a share: the service has the rest).
   */
  async bundle(complete: boolean): Promise<{ id: ObjectId; bytes: Uint8Array }> {
    const id = await this.persist();
    const bytes = await exportBundle(this.store, id, (chunk) => complete || this.store.wroteLocally(objectKey.chunk(chunk)));
    return { id, bytes };
  }

  /** Back to the snapshot the session started from (a shared state, or a program's first instruction). */
  async reset(): Promise<void> {
    this.machine.release();
    this.machine = await LiveMachine.restore(this.store, this.origin, this.options);
    this.baseId = this.origin;
  }

  /** The machine's own transcript and bytes the page fetched, for the benchmark and the status line. */
  release(): void {
    this.machine.release();
  }
}
