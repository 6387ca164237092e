// The one loop that drives the core's run() for every machine without a
// process-mode kernel of its own: bare-metal machines (bare/bare-machine.ts)
// and snapshot machines (src/snapshot/machine.ts). It cuts a budget into
// slices (RUN_SLICE, or shorter when a hook asks), drains the console after
// each, and turns the exits it does not leave to its caller into statuses
// with the same words everywhere.
import { describeFault, RUN_SLICE, RunExit, type CoreExports } from "./core-abi.ts";

/** What a hook says: go on (with the next slice at most `maxCycles`), or end the run with `status`. */
export type SliceVerdict<S> = { kind: "continue"; maxCycles?: bigint } | { kind: "stop"; status: S };

export interface SliceHooks<S> {
  /** Before every slice: the chance to act between two stretches of guest code and to bound the next slice. */
  beforeSlice?(): SliceVerdict<S> | Promise<SliceVerdict<S>>;
  /** Console bytes (UART, HTIF putchar) the core buffered during a slice; a copy. */
  console(bytes: Uint8Array): void;
  /**
   * An exit other than Budget and ConsoleFull (which the loop handles): what
   * it means for this machine. Return undefined to let the loop say it
   * (stopExit's wording).
   */
  exit(reason: number): SliceVerdict<S> | undefined | Promise<SliceVerdict<S> | undefined>;
  /** The status for an exit nobody handled: stopExit() as this machine reports it. */
  unhandled(stop: ExitStop): S;
}

/** Why the core stopped, for exits no machine handles itself. */
export type ExitStop = { kind: "halted"; exitCode: number } | { kind: "idle"; reason: string } | { kind: "fault"; reason: string };

export interface LoopResult<S> {
  /** The stop, or "budget" when the budget was spent. */
  status: S | "budget";
  /** Budget units spent: cycles or instructions retired, as `unit` says. */
  spent: bigint;
  /** Instructions retired (bounded by the budget: a guest may write minstret). */
  retired: bigint;
  /** Time inside run() (0 where the clock is frozen, as in Workers). */
  seconds: number;
}

/**
 * Runs at most `budget` of `unit`: "cycles" (instructions plus the cycles
 * wfi skips, the core's own budget unit) or "instructions" (retired only, so
 * a guest idling on a timer does not use up its budget).
 */
export async function runSlices<S>(core: CoreExports, budget: bigint, unit: "cycles" | "instructions", hooks: SliceHooks<S>): Promise<LoopResult<S>> {
  const instretBefore = core.instret();
  let remaining = budget;
  let seconds = 0;
  let status: S | "budget" = "budget";
  while (remaining > 0n) {
    let slice = remaining < RUN_SLICE ? remaining : RUN_SLICE;
    if (hooks.beforeSlice) {
      const gate = await hooks.beforeSlice();
      if (gate.kind === "stop") {
        status = gate.status;
        break;
      }
      if (gate.maxCycles !== undefined && gate.maxCycles > 0n && gate.maxCycles < slice) slice = gate.maxCycles;
    }
    const before = unit === "cycles" ? core.cycle() : core.instret();
    const started = performance.now();
    const reason = core.run(slice) >>> 0;
    seconds += (performance.now() - started) / 1000;
    // A spent slice is exactly `slice`; otherwise count by the counter, bounded because the guest may write it.
    const after = unit === "cycles" ? core.cycle() : core.instret();
    remaining -= reason === RunExit.Budget ? slice : clampBig(after - before, 0n, slice);
    drainConsole(core, hooks);
    if (reason === RunExit.Budget || reason === RunExit.ConsoleFull) continue;
    const verdict = (await hooks.exit(reason)) ?? { kind: "stop", status: hooks.unhandled(stopExit(core, reason)) };
    if (verdict.kind === "continue") continue;
    status = verdict.status;
    break;
  }
  const spent = budget - remaining;
  return { status, spent, retired: clampBig(core.instret() - instretBefore, 0n, spent), seconds };
}

/** What an exit means when the machine has nothing of its own to say about it. */
export function stopExit(core: CoreExports, reason: number): ExitStop {
  switch (reason) {
    case RunExit.Halt:
      return { kind: "halted", exitCode: core.exitCode() >>> 0 };
    case RunExit.Idle:
      return { kind: "idle", reason: "idle: the guest waits in wfi with no interrupt that could wake it" };
    case RunExit.Ecall:
      return { kind: "fault", reason: "the core stopped for an ecall, which only process mode handles" };
    case RunExit.Fault:
      return { kind: "fault", reason: describeFault(core.faultReason() >>> 0) };
    default:
      return { kind: "fault", reason: `the core returned unknown exit reason ${reason}` };
  }
}

function drainConsole<S>(core: CoreExports, hooks: SliceHooks<S>): void {
  const length = core.consoleLength() >>> 0;
  if (length === 0) return;
  const bytes = new Uint8Array(core.memory.buffer, core.consoleOffset() >>> 0, length).slice();
  core.consoleClear();
  hooks.console(bytes);
}

/** `v` bounded to [lo, hi]: counters the guest can write (minstret) are clamped before the host trusts them. */
export function clampBig(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}
