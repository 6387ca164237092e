// Chunk objects: the stored form of a chunk of bytes (guest memory, or a
// guest-layer blob). Stored under its id, the SHA-256 of its *uncompressed*
// content, so the codec is the writer's choice and never changes an id.
//
//   bytes 0-2  "evc"
//   byte  3    codec: 0 stored, 1 LZ4 block, 2 deflate-raw (RFC 1951)
//   bytes 4-7  uncompressed length, u32 little-endian
//   bytes 8-   payload
import { concatBytes } from "../vm/bytes.ts";
import { SnapshotError } from "./errors.ts";
import { sha256, type ObjectId } from "./hash.ts";
import { lz4Compress, lz4Decompress } from "./lz4.ts";

export type ChunkCodec = "stored" | "lz4" | "deflate-raw";

const CODEC_NUMBER: Record<ChunkCodec, number> = { stored: 0, lz4: 1, "deflate-raw": 2 };
const HEADER = 8;
const MAGIC = [0x65, 0x76, 0x63];

/** Encodes `content` with `codec`, falling back to "stored" when compression does not pay. */
export async function encodeChunkObject(content: Uint8Array, codec: ChunkCodec = "lz4"): Promise<Uint8Array> {
  let payload = content;
  let used: ChunkCodec = "stored";
  if (codec !== "stored") {
    const packed = codec === "lz4" ? lz4Compress(content) : await deflateRaw(content);
    if (packed.length < content.length) {
      payload = packed;
      used = codec;
    }
  }
  const out = new Uint8Array(HEADER + payload.length);
  out.set(MAGIC);
  out[3] = CODEC_NUMBER[used];
  new DataView(out.buffer).setUint32(4, content.length, true);
  out.set(payload, HEADER);
  return out;
}

/**
 * The content of a chunk object read under `id`, which must expand to exactly
 * `length` bytes and hash to `id`; a SnapshotError otherwise.
 */
export async function decodeChunkObject(bytes: Uint8Array, id: ObjectId, length: number): Promise<Uint8Array> {
  const what = `chunk ${id}`;
  if (bytes.length < HEADER || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1] || bytes[2] !== MAGIC[2]) {
    throw new SnapshotError("corrupt-object", `${what} has no chunk header (${bytes.length} bytes)`);
  }
  const stated = new DataView(bytes.buffer, bytes.byteOffset, HEADER).getUint32(4, true);
  if (stated !== length) throw new SnapshotError("corrupt-object", `${what} holds ${stated} bytes, the manifest says ${length}`);
  const payload = bytes.subarray(HEADER);
  let content: Uint8Array;
  try {
    switch (bytes[3]) {
      case 0:
        if (payload.length !== length) throw new Error(`stored payload of ${payload.length} bytes`);
        content = payload;
        break;
      case 1:
        content = lz4Decompress(payload, length);
        break;
      case 2:
        content = await inflateRaw(payload, length);
        break;
      default:
        throw new SnapshotError("unsupported-version", `${what} uses chunk codec ${bytes[3]}, which this edgevm does not know`);
    }
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw new SnapshotError("corrupt-object", `${what} does not decode: ${(e as Error).message}`, { cause: e });
  }
  if ((await sha256(content)) !== id) throw new SnapshotError("corrupt-object", `${what} does not match its id`);
  return content;
}

async function deflateRaw(content: Uint8Array): Promise<Uint8Array> {
  return drain(new CompressionStream("deflate-raw"), content, Infinity);
}

async function inflateRaw(payload: Uint8Array, length: number): Promise<Uint8Array> {
  const out = await drain(new DecompressionStream("deflate-raw"), payload, length);
  if (out.length !== length) throw new Error(`deflate stream expands to ${out.length} bytes`);
  return out;
}

/** Runs bytes through a transform stream, stopping as soon as the output passes `limit` bytes (no inflate bombs). */
async function drain(stream: TransformStream<Uint8Array, Uint8Array>, input: Uint8Array, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const written = writer.write(input).then(() => writer.close());
  written.catch(() => {}); // a failure surfaces through the reader too
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`expands past ${limit} bytes`);
    }
  }
  await written;
  return concatBytes(parts);
}
