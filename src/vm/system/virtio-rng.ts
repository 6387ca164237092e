// virtio-rng / entropy device (virtio 1.2 section 5.4): fills each writable
// buffer with bytes of a deterministic stream, so a machine's "randomness"
// is a function of its seed, and a snapshot continues the same stream. The
// seed and the stream position are backend words kept in the core's state
// record (virtioHostWord 0 and 1).
import type { GuestMemory } from "./guest-memory.ts";
import type { SystemCoreExports } from "./system-core.ts";
import { lengthOf, scatter, SplitQueue } from "./virtqueue.ts";
import { VIRTIO_F_VERSION_1, type VirtioBackend } from "./virtio-device.ts";

export const VIRTIO_ID_ENTROPY = 4;
const SEED_WORD = 0;
const POSITION_WORD = 1;
/** At most this much per request, as QEMU's default rate limit has none but drivers ask for little. */
const MAX_REQUEST = 64 * 1024;

export class VirtioRng implements VirtioBackend {
  readonly deviceId = VIRTIO_ID_ENTROPY;
  readonly features = VIRTIO_F_VERSION_1;
  readonly queues = 1;
  readonly queueSize = 64;

  constructor(private readonly seed: bigint) {}

  config(): Uint8Array {
    return new Uint8Array(0);
  }

  attach(core: SystemCoreExports, slot: number): void {
    core.virtioSetHostWord(slot, SEED_WORD, BigInt.asUintN(64, this.seed));
    core.virtioSetHostWord(slot, POSITION_WORD, 0n);
  }

  serve(core: SystemCoreExports, memory: GuestMemory, slot: number, queue: number): void {
    const q = new SplitQueue(core, memory, slot, queue);
    const seed = core.virtioHostWord(slot, SEED_WORD);
    for (let chain = q.next(); chain !== null; chain = q.next()) {
      const position = core.virtioHostWord(slot, POSITION_WORD);
      const bytes = streamBytes(seed, position, Math.min(lengthOf(chain.writable), MAX_REQUEST));
      const written = scatter(memory, chain.writable, bytes);
      core.virtioSetHostWord(slot, POSITION_WORD, position + BigInt(written));
      q.use(chain, written);
    }
    q.notifyDriver();
  }
}

/**
 * Bytes [position, position + length) of the stream for `seed`: each 8-byte
 * block is SplitMix64 of (seed + block index), little-endian (Steele et al.,
 * "Fast splittable pseudorandom number generators", 2014).
 */
export function streamBytes(seed: bigint, position: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const first = position / 8n;
  let skip = Number(position % 8n);
  let at = 0;
  for (let block = first; at < length; block++) {
    let z = BigInt.asUintN(64, seed + (block + 1n) * 0x9e3779b97f4a7c15n);
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    z ^= z >> 31n;
    for (let k = skip; k < 8 && at < length; k++) out[at++] = Number((z >> BigInt(8 * k)) & 0xffn);
    skip = 0;
  }
  return out;
}
