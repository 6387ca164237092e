// What system mode needs of the wasm core beyond a bare-metal machine's
// exports: the board's devices (src/core/devices, docs/core.md "Devices").
import { checkedExports, type CoreExports } from "../bare-machine.ts";

export interface SystemCoreExports extends CoreExports {
  runCycles(): bigint;
  haltKind(): number;
  pageFlags(): number;
  consoleInputPush(byte: number): number;
  consoleInputPending(): number;
  deviceMapClear(): void;
  deviceMap(kind: number, base: bigint, size: bigint, unit: number, irq: number): number;
  rtcSetEpoch(epochNs: bigint): void;
  irqSetLevel(source: number, level: number): void;
  irqPending(source: number): number;
  virtioSetDevice(slot: number, deviceId: number, features: bigint, queues: number, queueNumMax: number): void;
  virtioConfig(slot: number): number;
  virtioNotifySlot(): number;
  virtioNotifyQueue(): number;
  virtioQueue(slot: number, queue: number, selector: number): bigint;
  virtioSetHostIndex(slot: number, queue: number, index: number): void;
  virtioHostWord(slot: number, i: number): bigint;
  virtioSetHostWord(slot: number, i: number, v: bigint): void;
  virtioDriverFeatures(slot: number): bigint;
  virtioStatus(slot: number): number;
  virtioInterrupt(slot: number, bits: number): void;
  dmaWritten(paddr: bigint, len: number): void;
  stateSave(): number;
  stateLoad(length: number): number;
  stateBuffer(): number;
}

const SYSTEM_FUNCTIONS = [
  "runCycles", "haltKind", "pageFlags", "consoleInputPush", "consoleInputPending", "deviceMapClear", "deviceMap",
  "rtcSetEpoch", "irqSetLevel", "irqPending", "virtioSetDevice", "virtioConfig", "virtioNotifySlot", "virtioNotifyQueue",
  "virtioQueue", "virtioSetHostIndex", "virtioHostWord", "virtioSetHostWord", "virtioDriverFeatures", "virtioStatus",
  "virtioInterrupt", "dmaWritten", "stateSave", "stateLoad", "stateBuffer",
] as const;

export function systemCoreExports(instance: WebAssembly.Instance): SystemCoreExports {
  return checkedExports<SystemCoreExports>(instance, SYSTEM_FUNCTIONS);
}

/** run()'s exit for a virtio queue notification (src/core/events.ts EXIT_NOTIFY). */
export const EXIT_NOTIFY = 8;

/** haltKind() values. */
export const HaltKind = { Poweroff: 0, Reboot: 1 } as const;

/** virtioQueue() selectors (src/core/devices/virtio-mmio.ts). */
export const QueueField = { Num: 0, Ready: 1, Desc: 2, Driver: 3, Device: 4, HostIndex: 5 } as const;
