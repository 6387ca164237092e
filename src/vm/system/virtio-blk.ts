// virtio-blk (virtio 1.2 section 5.2) over a DiskImage: read, write, flush
// and get-id requests, one queue, capacity from the image. Requests complete
// at once, when the driver notifies the queue: the interrupt that says so is
// raised at that same instruction, so its timing depends on retired
// instructions only.
import { DISK_SECTOR, type DiskImage } from "./disk-image.ts";
import { DmaError, type GuestMemory } from "./guest-memory.ts";
import type { SystemCoreExports } from "./system-core.ts";
import { gather, lengthOf, SplitQueue, type Buffer, type Chain } from "./virtqueue.ts";
import { VIRTIO_F_VERSION_1, type VirtioBackend } from "./virtio-device.ts";

export const VIRTIO_ID_BLOCK = 2;
const BLK_F_SEG_MAX = 1n << 2n;
const BLK_F_BLK_SIZE = 1n << 6n;
const BLK_F_FLUSH = 1n << 9n;
export const BLK_FEATURES = VIRTIO_F_VERSION_1 | BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH;
export const BLK_QUEUE_SIZE = 256;

const T_IN = 0;
const T_OUT = 1;
const T_FLUSH = 4;
const T_GET_ID = 8;
const S_OK = 0;
const S_IOERR = 1;
const S_UNSUPP = 2;
const ID_BYTES = 20;

export class VirtioBlk implements VirtioBackend {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly features = BLK_FEATURES;
  readonly queues = 1;
  readonly queueSize = BLK_QUEUE_SIZE;

  constructor(
    readonly disk: DiskImage,
    /** What GET_ID returns (at most 20 bytes; QEMU's is the drive's serial). */
    private readonly serial = "edgevm",
  ) {}

  /** The configuration space (5.2.4): capacity in sectors, seg_max, blk_size. */
  config(): Uint8Array {
    const c = new Uint8Array(24);
    const v = new DataView(c.buffer);
    v.setBigUint64(0, this.disk.sectors, true);
    v.setUint32(12, BLK_QUEUE_SIZE - 2, true);
    v.setUint32(20, DISK_SECTOR, true);
    return c;
  }

  serve(core: SystemCoreExports, memory: GuestMemory, slot: number, queue: number): void {
    const q = new SplitQueue(core, memory, slot, queue);
    for (let chain = q.next(); chain !== null; chain = q.next()) q.use(chain, this.request(memory, chain));
    q.notifyDriver();
  }

  /** Carries out one request; returns the bytes written into the driver's buffers. */
  private request(memory: GuestMemory, chain: Chain): number {
    const room = lengthOf(chain.writable);
    if (room === 0) return 0; // nowhere to put a status: drop it, as QEMU does after complaining
    const header = gather(memory, chain.readable, 16);
    if (header.length < 16) return writeAt(memory, chain.writable, room - 1, new Uint8Array([S_IOERR]));
    const view = new DataView(header.buffer);
    const type = view.getUint32(0, true);
    const sector = view.getBigUint64(8, true);
    const dataRoom = room - 1;
    switch (type) {
      case T_IN: {
        if (dataRoom % DISK_SECTOR !== 0 || !this.disk.holds(sector, dataRoom)) return status(memory, chain, S_IOERR);
        writeAt(memory, chain.writable, 0, this.disk.read(sector, dataRoom));
        writeAt(memory, chain.writable, dataRoom, new Uint8Array([S_OK]));
        return room;
      }
      case T_OUT: {
        const data = gather(memory, chain.readable).subarray(16);
        if (data.length % DISK_SECTOR !== 0 || !this.disk.holds(sector, data.length)) return status(memory, chain, S_IOERR);
        this.disk.write(sector, data);
        return status(memory, chain, S_OK);
      }
      case T_FLUSH:
        return status(memory, chain, S_OK);
      case T_GET_ID: {
        const id = new Uint8Array(ID_BYTES);
        id.set(new TextEncoder().encode(this.serial).subarray(0, ID_BYTES));
        const n = Math.min(ID_BYTES, dataRoom);
        writeAt(memory, chain.writable, 0, id.subarray(0, n));
        writeAt(memory, chain.writable, dataRoom, new Uint8Array([S_OK]));
        return n + 1;
      }
      default:
        return status(memory, chain, S_UNSUPP);
    }
  }
}

/** The status byte goes in the last writable byte (5.2.6). */
function status(memory: GuestMemory, chain: Chain, value: number): number {
  writeAt(memory, chain.writable, lengthOf(chain.writable) - 1, new Uint8Array([value]));
  return 1;
}

/** Writes `bytes` at byte `offset` of the concatenation of `buffers`. */
function writeAt(memory: GuestMemory, buffers: readonly Buffer[], offset: number, bytes: Uint8Array): number {
  let skip = offset;
  let at = 0;
  for (const b of buffers) {
    if (at >= bytes.length) break;
    if (skip >= b.len) {
      skip -= b.len;
      continue;
    }
    const n = Math.min(b.len - skip, bytes.length - at);
    memory.write(b.addr + BigInt(skip), bytes.subarray(at, at + n));
    at += n;
    skip = 0;
  }
  if (at < bytes.length) throw new DmaError("a request's buffers are shorter than its data");
  return at;
}
