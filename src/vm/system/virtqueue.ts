// The device side of a split virtqueue (virtio 1.2 section 2.7) in guest
// RAM: take the descriptor chains the driver made available, and return
// them through the used ring. The queue's addresses and the index of the next
// available entry to serve live in the core's transport registers, so this
// object holds nothing that a snapshot would need.
import { DmaError, type GuestMemory } from "./guest-memory.ts";
import { QueueField, type SystemCoreExports } from "./system-core.ts";

const DESC_F_NEXT = 1;
const DESC_F_WRITE = 2;
const DESC_F_INDIRECT = 4;
const AVAIL_F_NO_INTERRUPT = 1;

export interface Buffer {
  addr: bigint;
  len: number;
}

/** One request: the driver's readable buffers, then the buffers the device writes. */
export interface Chain {
  head: number;
  readable: Buffer[];
  writable: Buffer[];
}

export class SplitQueue {
  private used = 0;

  constructor(
    private readonly core: SystemCoreExports,
    private readonly memory: GuestMemory,
    readonly slot: number,
    readonly queue: number,
  ) {}

  private field(f: number): bigint {
    return this.core.virtioQueue(this.slot, this.queue, f);
  }

  get ready(): boolean {
    return this.field(QueueField.Ready) === 1n && this.size > 0;
  }

  get size(): number {
    return Number(this.field(QueueField.Num));
  }

  /**
   * The next chain the driver made available, or null when there is none.
   * A malformed chain (a loop, a buffer outside RAM) throws DmaError.
   */
  next(): Chain | null {
    if (!this.ready) return null;
    const driver = this.field(QueueField.Driver);
    const index = Number(this.field(QueueField.HostIndex));
    if (this.memory.u16(driver + 2n) === index) return null;
    const head = this.memory.u16(driver + 4n + 2n * BigInt(index % this.size));
    this.core.virtioSetHostIndex(this.slot, this.queue, (index + 1) & 0xffff);
    return this.walk(head);
  }

  private walk(head: number): Chain {
    const size = this.size;
    if (head >= size) throw new DmaError(`descriptor ${head} is outside a queue of ${size}`);
    const table = this.field(QueueField.Desc);
    const chain: Chain = { head, readable: [], writable: [] };
    let i = head;
    for (let steps = 0; ; steps++) {
      if (steps >= size) throw new DmaError("a descriptor chain loops");
      const at = table + 16n * BigInt(i);
      const addr = this.memory.u64(at);
      const len = this.memory.u32(at + 8n);
      const flags = this.memory.u16(at + 12n);
      if (flags & DESC_F_INDIRECT) throw new DmaError("an indirect descriptor, which this device did not offer");
      (flags & DESC_F_WRITE ? chain.writable : chain.readable).push({ addr, len });
      if (!(flags & DESC_F_NEXT)) return chain;
      i = this.memory.u16(at + 14n);
      if (i >= size) throw new DmaError(`descriptor ${i} is outside a queue of ${size}`);
    }
  }

  /** Returns a chain to the driver with `written` bytes written into its writable buffers. */
  use(chain: Chain, written: number): void {
    const device = this.field(QueueField.Device);
    const idx = this.memory.u16(device + 2n);
    const entry = device + 4n + 8n * BigInt(idx % this.size);
    this.memory.setU32(entry, chain.head);
    this.memory.setU32(entry + 4n, written);
    // The entry before the index (virtio 1.2 2.7.8.2: the driver may read it once idx moves).
    this.memory.setU16(device + 2n, (idx + 1) & 0xffff);
    this.used++;
  }

  /** Raises the used-buffer interrupt if anything was used and the driver did not suppress it. */
  notifyDriver(): void {
    if (this.used === 0) return;
    this.used = 0;
    const driver = this.field(QueueField.Driver);
    if ((this.memory.u16(driver) & AVAIL_F_NO_INTERRUPT) === 0) this.core.virtioInterrupt(this.slot, 1);
  }
}

/** The bytes of a chain's readable buffers, concatenated (at most `limit`). */
export function gather(memory: GuestMemory, buffers: readonly Buffer[], limit = Infinity): Uint8Array {
  const total = Math.min(limit, buffers.reduce((n, b) => n + b.len, 0));
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of buffers) {
    if (at >= total) break;
    const n = Math.min(b.len, total - at);
    out.set(memory.read(b.addr, n), at);
    at += n;
  }
  return out;
}

/** Writes `bytes` across a chain's writable buffers in order; returns how many fit. */
export function scatter(memory: GuestMemory, buffers: readonly Buffer[], bytes: Uint8Array): number {
  let at = 0;
  for (const b of buffers) {
    if (at >= bytes.length) break;
    const n = Math.min(b.len, bytes.length - at);
    memory.write(b.addr, bytes.subarray(at, at + n));
    at += n;
  }
  return at;
}

/** Total length of buffers. */
export function lengthOf(buffers: readonly Buffer[]): number {
  return buffers.reduce((n, b) => n + b.len, 0);
}
