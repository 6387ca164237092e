// Process-mode machines through snapshots: the Linux kernel state as the
// guest-OS layer of src/snapshot (GuestLayer), so that step() runs a Linux
// program quantum by quantum, persisted and restored in between, exactly as
// LinuxProcess runs it in one go (both drive the core through KernelEntry).
//
// The snapshot runner calls layers through the interface of
// src/vm/guest-layer.ts, which this module implements; process mode knows
// nothing of snapshots.
import { acquireCore } from "../core-pool.ts";
import {
  LayerStateError, type GuestHost, type GuestLayer, type GuestLayerCodec, type LayerVerdict, type MachineStatus, type PreparedMachine,
} from "../guest-layer.ts";
import { bootProcess, type LinuxConfig } from "./boot.ts";
import { MachineError, RAM_BASE_NUMBER, type CoreExports } from "../core-abi.ts";
import type { Kernel } from "./kernel.ts";
import { PAGE_SIZE } from "./memory/address-space.ts";
import { KernelEntry, type Stop } from "./entry/kernel-entry.ts";
import { decodeLinuxState, encodeLinuxState, LINUX_STATE_VERSION, StateError } from "./state-codec.ts";

/** The layer's name in manifests; a new state encoding gets a new name. */
export const LINUX_LAYER_KIND = `linux/${LINUX_STATE_VERSION}`;

export class LinuxLayer implements GuestLayer {
  readonly kind = LINUX_LAYER_KIND;
  private readonly entry: KernelEntry;
  private boundTo: GuestHost | undefined;

  constructor(core: CoreExports, kernel: Kernel, final?: Stop) {
    this.entry = new KernelEntry(core, kernel);
    this.entry.final = final;
  }

  get kernel(): Kernel {
    return this.entry.kernel;
  }

  /** How the process ended; undefined while it runs or waits for input. */
  get final(): Stop | undefined {
    return this.entry.final;
  }

  encode(): Uint8Array {
    return encodeLinuxState({ kernel: this.entry.kernel, final: this.entry.final });
  }

  input(bytes: Uint8Array, end = false): void {
    this.kernel.stdin.push(bytes);
    if (end) this.kernel.stdin.close();
  }

  async beforeRun(host: GuestHost): Promise<LayerVerdict> {
    this.bind(host);
    if (this.entry.final) return this.stop(this.entry.final);
    const stop = this.entry.returnToUser();
    if (stop) return this.stop(stop);
    const event = this.entry.cyclesUntilEvent();
    return event === undefined ? { kind: "continue" } : { kind: "continue", maxCycles: event };
  }

  async handleExit(reason: number, host: GuestHost): Promise<LayerVerdict> {
    this.bind(host);
    const stop = this.entry.enter(reason);
    return stop ? this.stop(stop) : { kind: "continue" };
  }

  private stop(stop: Stop): LayerVerdict {
    const status = machineStatusOf(this.entry.settle(stop));
    if (status.kind === "running" || status.kind === "halted") throw new Error(`a process cannot stop as ${status.kind}`);
    return status;
  }

  /** The guest's stdout and stderr go to the runner as they are written, each tagged with its stream. */
  private bind(host: GuestHost): void {
    if (this.boundTo === host) return;
    this.boundTo = host;
    this.kernel.stdout.listener = (bytes) => host.output(bytes, "stdout");
    this.kernel.stderr.listener = (bytes) => host.output(bytes, "stderr");
  }
}

/**
 * A run's Stop as a snapshot status: a process killed by signal N exits with
 * 128 + N as a shell reports it, keeping the signal and its cause; hitting
 * an output cap or a deadlock is a fault.
 */
export function machineStatusOf(stop: Stop): MachineStatus {
  switch (stop.status) {
    case "exited":
      return { kind: "exited", exitCode: stop.exitCode };
    case "killed":
      return { kind: "exited", exitCode: 128 + stop.signal, signal: stop.signal, reason: stop.reason ?? "" };
    case "output-limit":
      return { kind: "fault", reason: `output limit: ${stop.reason ?? "exceeded"}` };
    case "fault":
      return { kind: "fault", reason: stop.reason ?? "the process faulted" };
    case "waiting-input":
      return { kind: "waiting-input" };
    case "budget":
      return { kind: "running" };
  }
}

export const linuxLayerCodec: GuestLayerCodec = {
  kind: LINUX_LAYER_KIND,
  // The kernel reads and writes guest RAM from the host everywhere (syscall
  // buffers, signal frames, page tables), so the runner makes every stored
  // chunk resident before the first call rather than each access asking.
  eagerRestore: true,
  async decode(state: Uint8Array, host: GuestHost): Promise<GuestLayer> {
    const core = host.core;
    try {
      const { kernel, final } = decodeLinuxState(state, core);
      // Every frame handed out so far may be read by the kernel: give them memory (new frames get it as they are handed out).
      await host.resident(RAM_BASE_NUMBER, kernel.mem.frames.next * PAGE_SIZE);
      return new LinuxLayer(core, kernel, final);
    } catch (e) {
      if (e instanceof StateError) throw new LayerStateError("corrupt-object", `process-mode layer state: ${e.message}`, { cause: e });
      throw e;
    }
  },
};

/**
 * A new process-mode machine for step(): `program` loaded on a fresh instance
 * of `module` (which must also be the snapshot options' core). Throws
 * LoadError or MachineError on a bad program or config, as LinuxProcess.create.
 */
export async function prepareLinuxMachine(module: WebAssembly.Module, program: Uint8Array, config: LinuxConfig): Promise<PreparedMachine> {
  checkEncodable(config);
  const { instance, core } = await acquireCore(module);
  const { kernel } = bootProcess(instance, program, config);
  // The host marks every page it writes (loader, page tables, syscalls) dirty, so only those are persisted.
  return { kind: "prepared", mode: "process", core, instance, layer: new LinuxLayer(core, kernel), marksWrites: true };
}

/** Config values the layer state holds as integers must be integers. */
function checkEncodable(config: LinuxConfig): void {
  // The layer state does not record the ABI yet: a restored machine would make Linux syscalls.
  if (config.abi !== undefined && config.abi !== "linux") throw new MachineError("config", `--abi ${config.abi} does not run through snapshots yet`);
  const integers: [string, number | undefined][] = [
    ["outputLimit", config.outputLimit], ["fileSystemLimit", config.fileSystemLimit], ["epochSeconds", config.epochSeconds],
    ["identity.pid", config.identity?.pid], ["identity.ppid", config.identity?.ppid],
    ["identity.uid", config.identity?.uid], ["identity.gid", config.identity?.gid],
  ];
  for (const [name, value] of integers) {
    if (value === undefined) continue;
    const unsigned = name === "outputLimit" || name === "fileSystemLimit";
    if (!Number.isSafeInteger(value) || (unsigned && value < 0)) {
      throw new MachineError("config", `${name} must be ${unsigned ? "a non-negative" : "an"} integer, not ${value}`);
    }
  }
}
