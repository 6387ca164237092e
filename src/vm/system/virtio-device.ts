// What a virtio device kind supplies to the one transport (the core's
// virtio-mmio registers): its id, features, queues and configuration space,
// and how it serves a notified queue.
import type { GuestMemory } from "./guest-memory.ts";
import type { SystemCoreExports } from "./system-core.ts";

/** Every modern device offers it; edgevm's transports are version 2 only (virtio 1.2 6.1). */
export const VIRTIO_F_VERSION_1 = 1n << 32n;

export interface VirtioBackend {
  readonly deviceId: number;
  readonly features: bigint;
  readonly queues: number;
  readonly queueSize: number;
  /** The initial configuration space (at most 256 bytes). */
  config(): Uint8Array;
  /** The driver notified `queue`: take what it made available, return it used, raise the interrupt. */
  serve(core: SystemCoreExports, memory: GuestMemory, slot: number, queue: number): void;
  /** A new machine: set up the backend's words in the core (virtioHostWord), if it keeps any. */
  attach?(core: SystemCoreExports, slot: number): void;
}

/** Puts a backend on a slot: the core's transport registers, then its configuration space. */
export function attachBackend(core: SystemCoreExports, slot: number, backend: VirtioBackend): void {
  core.virtioSetDevice(slot, backend.deviceId, backend.features, backend.queues, backend.queueSize);
  const config = backend.config();
  if (config.length > 256) throw new RangeError("a virtio configuration space is at most 256 bytes");
  new Uint8Array(core.memory.buffer, core.virtioConfig(slot) >>> 0, config.length).set(config);
  backend.attach?.(core, slot);
}
