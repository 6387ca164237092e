// A static riscv64 Linux program running in process mode (like
// qemu-riscv64): the core runs it in U-mode on Sv39 page tables this host
// builds, every ecall comes back here as a syscall, every other exception as
// a page fault to serve or a signal (kernel-entry.ts, shared with the
// snapshot layer). Platform-neutral (no Node imports): the same class runs in
// the CLI, in Workers and in a browser.
//
// Determinism: nothing here reads a host clock or host randomness (guest time
// comes from the cycle counter, randomness from the seed) and every
// iteration order is fixed, so the same program, config and input give the
// same output and the same final guest state, however run() is sliced.
import { bootProcess, type LinuxConfig } from "./boot.ts";
import { clampBig as clamp } from "../run-loop.ts";
import type { CoreExports } from "../core-abi.ts";
import type { Kernel } from "./kernel.ts";
import { KernelEntry, type LinuxStatus, type Stop } from "./entry/kernel-entry.ts";

export { DEFAULT_MEMORY_LIMIT, DEFAULT_OUTPUT_LIMIT, type LinuxConfig } from "./boot.ts";
export type { LinuxStatus } from "./entry/kernel-entry.ts";

export interface LinuxRunResult {
  status: LinuxStatus;
  /** The exit code (0-255) when exited. */
  exitCode: number;
  /** The signal that killed the process when killed, else 0. */
  signal: number;
  /** Instructions executed by this call. */
  instructions: bigint;
  /** Output produced during this call (empty for a stream given to onStdout / onStderr). */
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** Syscalls made since the start, by name, in name order. */
  syscallCounts: Record<string, number>;
  /** Syscalls answered with ENOSYS because they are not implemented, by name. */
  unsupported: Record<string, number>;
  /** Why: the fault for "fault", the signal's cause for "killed", which stream for "output-limit". */
  reason?: string;
  /** Time inside the core's run() (0 where the clock is frozen, as in Workers). */
  seconds: number;
}

export interface LinuxRunOptions {
  /** Receives stdout as the guest writes it (then it is not collected in the result). */
  onStdout?: (bytes: Uint8Array) => void;
  onStderr?: (bytes: Uint8Array) => void;
}

export class LinuxProcess {
  /** Instructions executed since the start. */
  totalInstructions = 0n;
  private readonly entry: KernelEntry;

  private constructor(
    readonly core: CoreExports,
    readonly kernel: Kernel,
  ) {
    this.entry = new KernelEntry(core, kernel);
  }

  /** Instantiates a fresh core and loads the program. Throws LoadError or MachineError on bad input. */
  static async create(module: WebAssembly.Module, program: Uint8Array, config: LinuxConfig): Promise<LinuxProcess> {
    return LinuxProcess.fromInstance(await WebAssembly.instantiate(module, {}), program, config);
  }

  static fromInstance(instance: WebAssembly.Instance, program: Uint8Array, config: LinuxConfig): LinuxProcess {
    const { core, kernel } = bootProcess(instance, program, config);
    return new LinuxProcess(core, kernel);
  }

  /** More stdin for a process that is (or will be) waiting for input. */
  pushStdin(data: Uint8Array): void {
    this.kernel.stdin.push(data);
  }

  /** No more stdin: reads at the end return EOF. */
  closeStdin(): void {
    this.kernel.stdin.close();
  }

  /** Runs at most `maxInstructions` (in RUN_SLICE slices), serving syscalls and page faults. */
  run(maxInstructions: bigint, options: LinuxRunOptions = {}): LinuxRunResult {
    const k = this.kernel;
    const entry = this.entry;
    k.stdout.listener = options.onStdout;
    k.stderr.listener = options.onStderr;
    let executed = 0n;
    let seconds = 0;
    const finish = (stop: Stop): LinuxRunResult => {
      entry.settle(stop);
      this.totalInstructions += executed;
      return {
        ...stop,
        instructions: executed,
        stdout: k.stdout.take(),
        stderr: k.stderr.take(),
        syscallCounts: sortedRecord(k.counts),
        unsupported: sortedRecord(k.unsupported),
        seconds,
      };
    };
    if (entry.final) return finish(entry.final);
    for (;;) {
      const ended = entry.returnToUser();
      if (ended) return finish(ended);
      if (executed >= maxInstructions) return finish({ status: "budget", exitCode: 0, signal: 0 });
      const budget = entry.sliceBudget(maxInstructions - executed);
      const started = performance.now();
      const reason = this.core.run(budget) >>> 0;
      seconds += (performance.now() - started) / 1000;
      executed += clamp(this.core.runCycles(), 0n, budget);
      const stop = entry.enter(reason);
      if (stop) return finish(stop);
    }
  }
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

