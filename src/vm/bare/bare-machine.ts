// A system-mode machine for bare-metal ELFs (riscv-tests, C on tests/guest/rt,
// firmware): one instance of the wasm core, its RAM filled from the ELF's
// segments, run in bounded slices. Platform-neutral: no Node imports, so the
// same class runs in the CLI, in Workers and in a browser.
import { coreExports, MachineError, RAM_BASE, type CoreExports } from "../core-abi.ts";
import { checkFitsRam, findSymbol, physicalEntry, segmentData, type Elf } from "../elf.ts";
import { runSlices } from "../run-loop.ts";

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
   * Runs at most `maxInstructions` (retired: wfi's idle cycles are free), in
   * slices, handing the console to onConsole after every slice so output
   * streams while the guest runs.
   */
  async run(maxInstructions: bigint, options: BareRunOptions = {}): Promise<BareRunResult> {
    const result = await runSlices<{ status: BareStatus; exitCode: number; fault?: string }>(this.core, maxInstructions, "instructions", {
      console: (bytes) => options.onConsole?.(bytes),
      exit: () => undefined,
      unhandled: (stop) =>
        stop.kind === "halted" ? { status: "halted", exitCode: stop.exitCode } : stop.kind === "idle" ? { status: "idle", exitCode: 0 } : { status: "fault", exitCode: 0, fault: stop.reason },
    });
    const end = result.status === "budget" ? { status: "budget" as const, exitCode: 0 } : result.status;
    return { ...end, instructions: result.spent, seconds: result.seconds };
  }
}

function formatBytes(n: number): string {
  return n % (1 << 20) === 0 ? `${n / (1 << 20)} MiB` : `${n} bytes`;
}
