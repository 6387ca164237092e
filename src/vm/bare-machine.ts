// A system-mode machine for bare-metal ELFs (riscv-tests, C on tests/guest/rt,
// firmware): one instance of the wasm core, its RAM filled from the ELF's
// segments, run in bounded slices. Platform-neutral: no Node imports, so the
// same class runs in the CLI, in Workers and in a browser.
import { checkFitsRam, findSymbol, physicalEntry, RAM_BASE, segmentData, type Elf } from "./elf.ts";

/** The wasm core's exports (src/core); u64 values cross as bigint. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  /** A new machine (on a fresh or a used instance); `onDemand` 1: grow the wasm memory as RAM gets used (docs/core.md). */
  init(ramBytes: number, onDemand?: number): number;
  ramOffset(): number;
  ramSize(): number;
  /** Bytes of RAM the wasm memory holds yet; RAM past them is zero. */
  ramBacked(): number;
  /** Backs RAM offsets below `bytes` (growing the memory, which detaches views of it); 0 when it cannot grow. */
  backRam(bytes: number): number;
  reset(pc: bigint): void;
  getPc(): bigint;
  setPc(v: bigint): void;
  getX(i: number): bigint;
  setX(i: number, v: bigint): void;
  setHtif(tohost: bigint, fromhost: bigint): void;
  run(budget: bigint): number;
  exitCode(): number;
  instret(): bigint;
  cycle(): bigint;
  consoleOffset(): number;
  consoleLength(): number;
  consoleClear(): void;
  codeWritten(paddr: bigint, len: number): void;
  faultReason(): number;
}

/** Exit reasons of the core's run() (src/core/events.ts), for every host of the core. */
export const RunExit = {
  Budget: 0,
  Halt: 1,
  /** wfi with no wake-up source armed: the guest can never continue. */
  Idle: 2,
  /** The console buffer is full: drain it and call run() again. */
  ConsoleFull: 3,
  /** Process mode: an ecall from U-mode; pc is at the ecall. */
  Ecall: 4,
  /** The core stopped the machine (faultReason() says why). */
  Fault: 5,
  /** Process mode: another exception in U-mode; trapCause()/trapValue() say which. */
  Trap: 6,
  /** Lazy restore: absentPage() must be loaded before run() goes on. */
  PageAbsent: 7,
} as const;

const CORE_FUNCTIONS = [
  "init", "ramOffset", "ramSize", "ramBacked", "backRam", "reset", "getPc", "setPc", "getX", "setX", "setHtif", "run",
  "exitCode", "instret", "cycle", "consoleOffset", "consoleLength", "consoleClear", "codeWritten", "faultReason",
] as const;

/**
 * V8 optimises a wasm function only when it returns, so run() is called in
 * slices this long (about a millisecond or two each) whatever the caller's budget.
 */
export const RUN_SLICE = 4_000_000n;

/**
 * A machine that cannot be set up: `config` is the caller's request (RAM too
 * large), `core` is a wasm module that is not the core this host expects.
 */
export class MachineError extends Error {
  override name = "MachineError";
  constructor(
    readonly kind: "config" | "core",
    message: string,
  ) {
    super(message);
  }
}

export type BareStatus = "halted" | "budget" | "idle" | "fault";

export interface BareRunResult {
  status: BareStatus;
  /** The guest's exit code when halted (HTIF code or syscon poweroff), else 0. */
  exitCode: number;
  /** Instructions executed by this call. */
  instructions: bigint;
  /** Time spent inside the core's run(), excluding console callbacks (0 where the clock is frozen, as in Workers). */
  seconds: number;
  /** Why the run stopped, when status is "fault". */
  fault?: string;
}

export interface BareRunOptions {
  /** Called with the console bytes (UART and HTIF putchar) drained after each slice; the array is a copy. */
  onConsole?: (bytes: Uint8Array) => void;
}

export class BareMachine {
  private constructor(readonly core: CoreExports) {}

  static async create(module: WebAssembly.Module, { ramBytes }: { ramBytes: number }): Promise<BareMachine> {
    return BareMachine.fromInstance(await WebAssembly.instantiate(module, {}), { ramBytes });
  }

  /**
   * For hosts that instantiate the core themselves. The instance may have run
   * another machine: init() returns it to an empty one.
   */
  static fromInstance(instance: WebAssembly.Instance, { ramBytes }: { ramBytes: number }): BareMachine {
    if (!Number.isInteger(ramBytes) || ramBytes <= 0 || ramBytes > 0xffff_ffff) {
      throw new MachineError("config", `guest RAM size ${ramBytes} is not a size in bytes between 1 and 4 GiB`);
    }
    const core = coreExports(instance);
    // On demand: a short program uses little of its RAM, and reserving all of it costs more than running it.
    if (core.init(ramBytes, 1) !== 0) {
      throw new MachineError("config", `guest RAM of ${formatBytes(ramBytes)} is too large for the core`);
    }
    return new BareMachine(core);
  }

  get ramBase(): bigint {
    return RAM_BASE;
  }

  // wasm has no unsigned i32: a u32 result reaches JS as a signed number, hence the `>>> 0`s.
  get ramBytes(): number {
    return this.core.ramSize() >>> 0;
  }

  /** Guest RAM as bytes (all of it backed first). A fresh view each time: growing the wasm memory detaches old ones. */
  ram(): Uint8Array {
    return this.backed(this.ramBytes);
  }

  /** The first `bytes` of RAM, backed (and perhaps more). */
  private backed(bytes: number): Uint8Array {
    if (this.core.backRam(bytes) === 0) {
      throw new MachineError("config", `the host has no memory for ${formatBytes(bytes)} of guest RAM`);
    }
    return new Uint8Array(this.core.memory.buffer, this.core.ramOffset() >>> 0, this.core.ramBacked() >>> 0);
  }

  /**
   * Loads a bare-metal ELF into a fresh machine at its physical addresses
   * (throws ElfError, changing nothing, when it does not fit RAM), resets the
   * hart to its entry point in M-mode and points HTIF at its `tohost` and
   * `fromhost` symbols (none when absent).
   */
  load(elf: Elf): void {
    checkFitsRam(elf, RAM_BASE, BigInt(this.ramBytes));
    // Reset first, so nothing the reset may clear (caches, device state) is lost.
    this.core.reset(physicalEntry(elf));
    const end = elf.segments.reduce((max, s) => (s.memsz === 0n ? max : Math.max(max, Number(s.paddr - RAM_BASE + s.memsz))), 0);
    const ram = this.backed(end);
    for (const s of elf.segments) {
      if (s.memsz === 0n) continue;
      const at = Number(s.paddr - RAM_BASE);
      const end = at + Number(s.memsz);
      ram.set(segmentData(elf, s), at);
      ram.fill(0, at + s.filesz, end);
      this.core.codeWritten(s.paddr, end - at);
    }
    const tohost = findSymbol(elf, "tohost")?.value ?? 0n;
    const fromhost = findSymbol(elf, "fromhost")?.value ?? 0n;
    this.core.setHtif(tohost, fromhost);
  }

  /**
   * Runs at most `maxInstructions`, in RUN_SLICE slices, draining the console
   * after every slice so output streams while the guest runs.
   */
  run(maxInstructions: bigint, options: BareRunOptions = {}): BareRunResult {
    const core = this.core;
    let remaining = maxInstructions;
    let executed = 0n;
    let seconds = 0;
    for (;;) {
      if (remaining <= 0n) return { status: "budget", exitCode: 0, instructions: executed, seconds };
      const budget = remaining < RUN_SLICE ? remaining : RUN_SLICE;
      const before = core.instret();
      const started = performance.now();
      const reason = core.run(budget) >>> 0;
      seconds += (performance.now() - started) / 1000;
      // A spent slice is exactly `budget`; otherwise count by instret, bounded
      // because the guest may write minstret.
      const done = reason === RunExit.Budget ? budget : clamp(core.instret() - before, 0n, budget);
      executed += done;
      remaining -= done;
      this.drainConsole(options.onConsole);
      const stop = (status: BareStatus, exitCode = 0, fault?: string): BareRunResult => ({
        status, exitCode, instructions: executed, seconds, ...(fault !== undefined && { fault }),
      });
      switch (reason) {
        case RunExit.Budget:
        case RunExit.ConsoleFull:
          continue;
        case RunExit.Halt:
          return stop("halted", core.exitCode() >>> 0);
        case RunExit.Idle:
          return stop("idle");
        case RunExit.Ecall:
          return stop("fault", 0, "the core stopped for an ecall, which only process mode handles");
        case RunExit.Fault:
          return stop("fault", 0, describeFault(core.faultReason() >>> 0));
        default:
          return stop("fault", 0, `the core returned unknown exit reason ${reason}`);
      }
    }
  }

  private drainConsole(onConsole: ((bytes: Uint8Array) => void) | undefined): void {
    const length = this.core.consoleLength() >>> 0;
    if (length === 0) return;
    const bytes = new Uint8Array(this.core.memory.buffer, this.core.consoleOffset() >>> 0, length).slice();
    this.core.consoleClear();
    onConsole?.(bytes);
  }
}

function coreExports(instance: WebAssembly.Instance): CoreExports {
  return checkedExports<CoreExports>(instance, CORE_FUNCTIONS);
}

/**
 * The exports of a core instance as `T`, after checking that they include its
 * memory and the functions `names` (each host of the core lists what it uses).
 */
export function checkedExports<T>(instance: WebAssembly.Instance, names: readonly string[]): T {
  const exports = instance.exports as Record<string, unknown>;
  if (!(exports.memory instanceof WebAssembly.Memory)) {
    throw new MachineError("core", "the wasm module does not export its memory; is it edgevm's core?");
  }
  const missing = names.filter((name) => typeof exports[name] !== "function");
  if (missing.length > 0) {
    throw new MachineError("core", `the wasm core lacks ${missing.join(", ")}; rebuild it (npm run build)`);
  }
  return exports as unknown as T;
}

function clamp(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}

function formatBytes(n: number): string {
  return n % (1 << 20) === 0 ? `${n / (1 << 20)} MiB` : `${n} bytes`;
}

/** The core's faultReason() codes (src/core/events.ts). */
function describeFault(reason: number): string {
  switch (reason) {
    case 1:
      return "the guest trapped to a handler address it cannot fetch from (a trap loop; is mtvec set?)";
    case 2:
      return "the host has no memory left for the guest's RAM (the wasm memory could not grow)";
    default:
      return `the core reported a fault (reason ${reason})`;
  }
}
