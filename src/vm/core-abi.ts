// The wasm core's host contract, stated once (src/core/index.ts is the other
// side; docs/core.md explains it). Every host of the core (bare-metal and
// system machines, process mode, the snapshot runner, the tests) imports its
// view of the core, its exit codes, page flags, trap causes and memory map
// from here. u64 values cross the boundary as bigint; u32 results reach JS as
// signed numbers, hence the `>>> 0` wherever one is read.

/** Every export of build/core.wasm that a host calls. */
export interface CoreExports {
  memory: WebAssembly.Memory;

  // ---- machine and RAM -------------------------------------------------------
  /** A new machine (on a fresh or a used instance); `onDemand` 1: grow the wasm memory as RAM gets used (docs/core.md). */
  init(ramBytes: number, onDemand?: number): number;
  ramOffset(): number;
  ramSize(): number;
  /** Bytes of RAM the wasm memory holds yet; RAM past them is zero. */
  ramBacked(): number;
  /** Backs RAM offsets below `bytes` (growing the memory, which detaches views of it); 0 when it cannot grow. */
  backRam(bytes: number): number;
  /** The host wrote instructions (or anything) at [paddr, paddr + len): drop decoded code there. */
  codeWritten(paddr: bigint, len: number): void;

  // ---- the hart ----------------------------------------------------------------
  reset(pc: bigint): void;
  getPc(): bigint;
  setPc(v: bigint): void;
  getX(i: number): bigint;
  setX(i: number, v: bigint): void;
  getF(i: number): bigint;
  setF(i: number, v: bigint): void;
  /** fcsr as the F extension lays it out (frm << 5 | fflags). */
  getFcsr(): number;
  setFcsr(v: number): void;
  getPriv(): number;
  setPriv(p: number): void;
  getSatp(): bigint;
  setSatp(v: bigint): void;
  /** Drops the LR reservation, as a kernel's trap return does. */
  clearReservation(): void;
  /** Process mode: FPU and counters on for U-mode, as a kernel sets up a new task. */
  enableUserFeatures(): void;
  flushTranslations(): void;
  instret(): bigint;
  cycle(): bigint;

  // ---- running -------------------------------------------------------------------
  /** Runs at most `budget` cycles; returns a RunExit code. */
  run(budget: bigint): number;
  /** Cycles the last run() used: in U-mode, the instructions it retired. */
  runCycles(): bigint;
  /** The guest's exit code after RunExit.Halt. */
  exitCode(): number;
  /** A FaultReason after RunExit.Fault. */
  faultReason(): number;
  /** Process mode: an ecall from U-mode ends run() with RunExit.Ecall. */
  setEcallExits(on: number): void;
  /** Process mode: any other U-mode exception ends run() with RunExit.Trap. */
  setUserTrapExits(on: number): void;
  /** The exception behind RunExit.Trap (mcause / mtval encoding, TrapCause). */
  trapCause(): bigint;
  trapValue(): bigint;

  // ---- console and HTIF --------------------------------------------------------
  setHtif(tohost: bigint, fromhost: bigint): void;
  consoleOffset(): number;
  consoleLength(): number;
  consoleClear(): void;
  /** 1 when the byte joined the UART's input queue, 0 when the queue is full. */
  consoleInputPush(byte: number): number;
  consoleInputPending(): number;

  // ---- snapshots -------------------------------------------------------------------
  stateBuffer(): number;
  stateSave(): number;
  stateLoad(length: number): number;
  /** Offset in memory of one PageFlag byte per RAM page. */
  pageFlags(): number;
  clearDirty(): void;
  setPagesAbsent(first: number, count: number): void;
  setPagePresent(page: number): void;
  /** The page whose absence ended run() with RunExit.PageAbsent. */
  absentPage(): number;

  // ---- the board's devices (system mode, src/core/devices; docs/core.md "Devices") --------
  /** Why the last RunExit.Halt happened: a HaltKind. */
  haltKind(): number;
  /** Replaces the default (QEMU virt) device map: clear, then deviceMap each device (a CoreDeviceKind). */
  deviceMapClear(): void;
  /** 1 when mapped, 0 when the table is full or the request is invalid. */
  deviceMap(kind: number, base: bigint, size: bigint, unit: number, irq: number): number;
  /** The goldfish RTC reads this epoch (ns since 1970) plus guest time. */
  rtcSetEpoch(epochNs: bigint): void;
  /** A device line into the PLIC (1 raises the source; the line going low does not clear a pending source). */
  irqSetLevel(source: number, level: number): void;
  irqPending(source: number): number;
  /** Puts a device (virtio id, 0 for none) on a virtio-mmio slot with its features, queue count and maximum queue size. */
  virtioSetDevice(slot: number, deviceId: number, features: bigint, queues: number, queueNumMax: number): void;
  /** Offset in memory of a slot's 256-byte device configuration space. */
  virtioConfig(slot: number): number;
  /** After RunExit.Notify: the slot and queue the driver notified. */
  virtioNotifySlot(): number;
  virtioNotifyQueue(): number;
  /** A queue's registers by VirtqueueField. */
  virtioQueue(slot: number, queue: number, field: number): bigint;
  /** The available-ring index the host serves next (VirtqueueField.HostIndex). */
  virtioSetHostIndex(slot: number, queue: number, index: number): void;
  /** Four words per slot a backend keeps in the state record. */
  virtioHostWord(slot: number, i: number): bigint;
  virtioSetHostWord(slot: number, i: number, v: bigint): void;
  virtioDriverFeatures(slot: number): bigint;
  virtioStatus(slot: number): number;
  /** Sets InterruptStatus bits (1 used buffer, 2 configuration change) and raises the slot's interrupt. */
  virtioInterrupt(slot: number, bits: number): void;
  /** A device wrote guest RAM [paddr, paddr + len): the pages are dirty, decoded code there is dropped. */
  dmaWritten(paddr: bigint, len: number): void;
}

type CoreFunction = Exclude<keyof CoreExports, "memory">;

/** The functions checked on every instance; the type below fails to compile if one is missing here. */
const CORE_FUNCTIONS = [
  "init", "ramOffset", "ramSize", "ramBacked", "backRam", "codeWritten",
  "reset", "getPc", "setPc", "getX", "setX", "getF", "setF", "getFcsr", "setFcsr", "getPriv", "setPriv", "getSatp", "setSatp",
  "clearReservation", "enableUserFeatures", "flushTranslations", "instret", "cycle",
  "run", "runCycles", "exitCode", "faultReason", "setEcallExits", "setUserTrapExits", "trapCause", "trapValue",
  "setHtif", "consoleOffset", "consoleLength", "consoleClear", "consoleInputPush", "consoleInputPending",
  "stateBuffer", "stateSave", "stateLoad", "pageFlags", "clearDirty", "setPagesAbsent", "setPagePresent", "absentPage",
  "haltKind", "deviceMapClear", "deviceMap", "rtcSetEpoch", "irqSetLevel", "irqPending", "virtioSetDevice", "virtioConfig",
  "virtioNotifySlot", "virtioNotifyQueue", "virtioQueue", "virtioSetHostIndex", "virtioHostWord", "virtioSetHostWord",
  "virtioDriverFeatures", "virtioStatus", "virtioInterrupt", "dmaWritten",
] as const satisfies readonly CoreFunction[];

type Unlisted = Exclude<CoreFunction, (typeof CORE_FUNCTIONS)[number]>;
const everyFunctionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFunctionListed;

/** run()'s exit reasons (src/core/events.ts EXIT_*). */
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
  /** System mode: a virtio driver wrote QueueNotify (virtioNotifySlot/Queue); serve the queue, then run on. */
  Notify: 8,
} as const;

/** haltKind()'s values: a poweroff or exit (exitCode()), or a reboot request (the syscon's reset). */
export const HaltKind = { Poweroff: 0, Reboot: 1 } as const;

/** deviceMap()'s device kinds (src/core/bus.ts DEV_*). */
export const CoreDeviceKind = { Clint: 1, Plic: 2, Uart: 3, Finisher: 4, Rtc: 5, Virtio: 6 } as const;

/** virtioQueue()'s selectors (src/core/devices/virtio-mmio.ts Q_*). */
export const VirtqueueField = { Num: 0, Ready: 1, Desc: 2, Driver: 3, Device: 4, HostIndex: 5 } as const;

/** faultReason()'s codes (src/core/events.ts FAULT_*). */
export const FaultReason = { None: 0, TrapLoop: 1, NoMemory: 2 } as const;

/** What a RunExit.Fault means, in words for a user. */
export function describeFault(reason: number): string {
  switch (reason) {
    case FaultReason.TrapLoop:
      return "the guest trapped to a handler address it cannot fetch from (a trap loop; is mtvec set?)";
    case FaultReason.NoMemory:
      return "the host has no memory left for the guest's RAM (the wasm memory could not grow)";
    default:
      return `the core reported a fault (reason ${reason})`;
  }
}

/** Exception causes (privileged spec 3.1.15, mcause with the interrupt bit clear). */
export const TrapCause = {
  InstructionMisaligned: 0,
  InstructionAccess: 1,
  IllegalInstruction: 2,
  Breakpoint: 3,
  LoadMisaligned: 4,
  LoadAccess: 5,
  StoreMisaligned: 6,
  StoreAccess: 7,
  InstructionPage: 12,
  LoadPage: 13,
  StorePage: 15,
} as const;

/** Bits of the core's per-page flag byte (src/core/layout.ts PAGE_*). */
export const PageFlag = { Code: 1, Watched: 2, Dirty: 4, Absent: 8, Written: 16 } as const;

export const PAGE_BYTES = 4096;

/** Guest RAM starts here on the virt board (and in process mode's physical map). */
export const RAM_BASE = 0x8000_0000n;
export const RAM_BASE_NUMBER = 0x8000_0000;

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

/** The exports of a core instance, after checking that they are the core this host expects. */
export function coreExports(instance: WebAssembly.Instance): CoreExports {
  const exports = instance.exports as Record<string, unknown>;
  if (!(exports.memory instanceof WebAssembly.Memory)) {
    throw new MachineError("core", "the wasm module does not export its memory; is it edgevm's core?");
  }
  const missing = CORE_FUNCTIONS.filter((name) => typeof exports[name] !== "function");
  if (missing.length > 0) {
    throw new MachineError("core", `the wasm core lacks ${missing.join(", ")}; rebuild it (npm run build)`);
  }
  return exports as unknown as CoreExports;
}

// ---- the core's state record (src/core/state.ts) -------------------------------

/** The state record's version: its second u64. */
export function stateRecordVersion(record: Uint8Array): number {
  if (record.length < 24) return -1;
  return Number(new DataView(record.buffer, record.byteOffset, record.byteLength).getBigUint64(8, true));
}

export function saveStateRecord(core: CoreExports): Uint8Array {
  const length = core.stateSave() >>> 0;
  return new Uint8Array(core.memory.buffer, core.stateBuffer() >>> 0, length).slice();
}

/** Loads a record into the core; false when the core refuses it (another magic, version, RAM size or length). */
export function loadStateRecord(core: CoreExports, record: Uint8Array): boolean {
  new Uint8Array(core.memory.buffer, core.stateBuffer() >>> 0, record.length).set(record);
  return core.stateLoad(record.length) !== 0;
}
