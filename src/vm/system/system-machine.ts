// A system-mode machine: the wasm core with the virt board's devices, virtio
// backends on its transports, and a kernel ELF loaded as QEMU's
// `-bios none -kernel FILE` loads it (entered in M-mode at its entry point).
// Platform-neutral (no Node imports): the CLI, Workers and tests use it alike.
//
// Queue notifications stop the core's run(); the backend serves the queue and
// raises the interrupt before the next instruction, so device timing is a
// function of retired instructions. Console input goes to the UART through
// the core's input queue, which holds it until the guest's driver is ready
// (src/core/devices/uart.ts); what does not fit waits here, in order.
import { BareMachine, MachineError, RunExit, RUN_SLICE } from "../bare-machine.ts";
import { RAM_BASE, type Elf } from "../elf.ts";
import { DiskImage } from "./disk-image.ts";
import { DmaError, GuestMemory } from "./guest-memory.ts";
import { EXIT_NOTIFY, HaltKind, systemCoreExports, type SystemCoreExports } from "./system-core.ts";
import { attachBackend, type VirtioBackend } from "./virtio-device.ts";
import { VirtioBlk } from "./virtio-blk.ts";
import { VirtioRng } from "./virtio-rng.ts";

/** QEMU virt has eight virtio-mmio transports. */
export const VIRTIO_SLOTS = 8;
/** The RTC's time at guest time zero unless the caller sets one: 2025-01-01T00:00:00Z. */
export const DEFAULT_RTC_EPOCH_NS = 1_735_689_600n * 1_000_000_000n;

export interface SystemConfig {
  ramBytes: number;
  /** Disk images, attached as virtio-blk on the first free slots in order (copied: the caller's bytes are never changed). */
  drives?: readonly Uint8Array[];
  /** Attach a virtio-rng on the next free slot, whose bytes derive from this seed. */
  rngSeed?: bigint;
  /** The goldfish RTC's time at guest time zero, in ns since 1970 (default DEFAULT_RTC_EPOCH_NS). */
  rtcEpochNs?: bigint;
}

/** A machine as bytes (capture/resume): what a snapshot of it must hold. */
export interface MachineImage {
  record: Uint8Array;
  ram: Uint8Array;
  disks: Uint8Array[];
}

export type SystemStatus = "halted" | "budget" | "idle" | "fault";

export interface SystemRunResult {
  status: SystemStatus;
  /** The poweroff code when halted. */
  exitCode: number;
  /** Halted by a reboot request (the finisher's reset), rather than a poweroff. */
  reboot: boolean;
  /** Instructions retired by this call. */
  instructions: bigint;
  /** Cycles used (instructions plus idle time in wfi). */
  cycles: bigint;
  /** Wall time inside the core's run() (0 where the clock is frozen). */
  seconds: number;
  fault?: string;
}

export interface SystemRunOptions {
  onConsole?: (bytes: Uint8Array) => void;
  /** Called between slices; returning false stops the run with status "budget" (an interrupt from the user). */
  between?: () => boolean;
}

export class SystemMachine {
  readonly memory: GuestMemory;
  readonly disks: DiskImage[] = [];
  private readonly backends: (VirtioBackend | null)[] = new Array<VirtioBackend | null>(VIRTIO_SLOTS).fill(null);
  private backlog: number[] = [];
  private backlogStart = 0;
  /** Requests that could not be carried out (a malformed chain): the guest's bug, counted rather than fatal. */
  dmaErrors = 0;

  private constructor(
    readonly bare: BareMachine,
    readonly core: SystemCoreExports,
  ) {
    this.memory = new GuestMemory(core);
  }

  static async create(module: WebAssembly.Module, config: SystemConfig): Promise<SystemMachine> {
    return SystemMachine.fromInstance(await WebAssembly.instantiate(module, {}), config);
  }

  static fromInstance(instance: WebAssembly.Instance, config: SystemConfig): SystemMachine {
    const bare = BareMachine.fromInstance(instance, { ramBytes: config.ramBytes });
    const machine = new SystemMachine(bare, systemCoreExports(instance));
    machine.core.rtcSetEpoch(config.rtcEpochNs ?? DEFAULT_RTC_EPOCH_NS);
    for (const image of config.drives ?? []) {
      const disk = new DiskImage(image);
      machine.disks.push(disk);
      machine.attach(new VirtioBlk(disk));
    }
    if (config.rngSeed !== undefined) machine.attach(new VirtioRng(config.rngSeed));
    return machine;
  }

  /** Puts a device on the first free transport; returns its slot. */
  attach(backend: VirtioBackend): number {
    const slot = this.backends.indexOf(null);
    if (slot < 0) throw new MachineError("config", `the board has only ${VIRTIO_SLOTS} virtio-mmio transports`);
    this.backends[slot] = backend;
    attachBackend(this.core, slot, backend);
    return slot;
  }

  /**
   * The whole machine as bytes: the core's state record (hart, devices,
   * queues, pending interrupts), RAM and the disks. Console input still
   * waiting here (beyond the core's queue) is not part of it: capture after
   * it has drained (inputWaiting counts both).
   */
  capture(): MachineImage {
    if (this.backlog.length > this.backlogStart) throw new MachineError("config", "console input is still waiting outside the core");
    const length = this.core.stateSave() >>> 0;
    const record = new Uint8Array(this.core.memory.buffer, this.core.stateBuffer() >>> 0, length).slice();
    return { record, ram: this.bare.ram().slice(), disks: this.disks.map((d) => d.bytes.slice()) };
  }

  /** A machine continuing `image` on `instance`, with the devices of `config` (whose drives the image's disks replace). */
  static resume(instance: WebAssembly.Instance, config: SystemConfig, image: MachineImage): SystemMachine {
    const machine = SystemMachine.fromInstance(instance, { ...config, drives: image.disks });
    const ram = machine.bare.ram();
    ram.set(image.ram);
    machine.core.codeWritten(RAM_BASE, ram.length);
    new Uint8Array(machine.core.memory.buffer, machine.core.stateBuffer() >>> 0, image.record.length).set(image.record);
    if (machine.core.stateLoad(image.record.length) === 0) {
      throw new MachineError("core", "the state record does not fit this core (another version or RAM size)");
    }
    return machine;
  }

  /** Loads a kernel ELF at its physical addresses and points the hart at its entry in M-mode. */
  load(elf: Elf): void {
    this.bare.load(elf);
  }

  /** Console input for the UART, after what is already waiting. */
  input(bytes: Uint8Array): void {
    for (const b of bytes) this.backlog.push(b);
    this.pumpInput();
  }

  /** Input bytes not yet in the core's queue (the core holds up to 256 more). */
  get inputWaiting(): number {
    return this.backlog.length - this.backlogStart + (this.core.consoleInputPending() >>> 0);
  }

  private pumpInput(): void {
    while (this.backlogStart < this.backlog.length && this.core.consoleInputPush(this.backlog[this.backlogStart]!) !== 0) {
      this.backlogStart++;
    }
    if (this.backlogStart === this.backlog.length) {
      this.backlog = [];
      this.backlogStart = 0;
    }
  }

  /**
   * Runs at most `maxCycles` (instructions plus idle cycles), in slices,
   * serving queue notifications and draining the console as it goes.
   */
  run(maxCycles: bigint, options: SystemRunOptions = {}): SystemRunResult {
    const core = this.core;
    const result: SystemRunResult = { status: "budget", exitCode: 0, reboot: false, instructions: 0n, cycles: 0n, seconds: 0 };
    const startInstret = core.instret();
    const done = (status: SystemStatus, fault?: string): SystemRunResult => {
      result.status = status;
      result.instructions = core.instret() - startInstret;
      if (fault !== undefined) result.fault = fault;
      return result;
    };
    let sliceLeft = RUN_SLICE;
    for (;;) {
      const remaining = maxCycles - result.cycles;
      if (remaining <= 0n) return done("budget");
      const budget = remaining < sliceLeft ? remaining : sliceLeft;
      const started = performance.now();
      const reason = core.run(budget) >>> 0;
      result.seconds += (performance.now() - started) / 1000;
      const used = core.runCycles();
      result.cycles += used;
      sliceLeft -= used;
      this.drainConsole(options.onConsole);
      switch (reason) {
        case EXIT_NOTIFY:
          this.serveNotify();
          if (sliceLeft > 0n) continue;
          break;
        case RunExit.Budget:
        case RunExit.ConsoleFull:
          break;
        case RunExit.Halt:
          result.exitCode = core.exitCode() >>> 0;
          result.reboot = (core.haltKind() >>> 0) === HaltKind.Reboot;
          return done("halted");
        case RunExit.Idle:
          return done("idle");
        case RunExit.Fault:
          return done("fault", `the core stopped the machine (fault reason ${core.faultReason() >>> 0})`);
        default:
          return done("fault", `the core returned exit reason ${reason}, which system mode does not expect`);
      }
      // A slice ended: the moment to take more input and to let the caller look around.
      sliceLeft = RUN_SLICE;
      this.pumpInput();
      if (options.between && !options.between()) return done("budget");
    }
  }

  private serveNotify(): void {
    const slot = this.core.virtioNotifySlot() >>> 0;
    const queue = this.core.virtioNotifyQueue() >>> 0;
    const backend = this.backends[slot];
    if (!backend) return;
    try {
      backend.serve(this.core, this.memory, slot, queue);
    } catch (e) {
      if (!(e instanceof DmaError)) throw e;
      this.dmaErrors++;
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
