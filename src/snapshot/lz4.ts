// LZ4 block format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md),
// the codec of memory chunks: about ten times faster to compress than the
// platform's deflate (docs/snapshot-format.md, "Compression" has the numbers).
// The encoder is greedy with one hash probe per position and LZ4's skip
// acceleration over incompressible data; its blocks follow the format's
// end-of-block rules, so any LZ4 decoder reads them. The decoder checks every
// length and offset: a damaged block throws Lz4Error, it never reads or
// writes out of bounds.

export class Lz4Error extends Error {
  override name = "Lz4Error";
}

const MIN_MATCH = 4;
/** The last 5 bytes of a block are literals, and the last match starts at least 12 bytes before the end. */
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const MAX_OFFSET = 65535;
const HASH_LOG = 12;
/** After 2^SKIP_TRIGGER misses in a row the encoder steps 2 bytes at a time, then 3... */
const SKIP_TRIGGER = 6;

const table = new Int32Array(1 << HASH_LOG);

function hash(sequence: number): number {
  return Math.imul(sequence, 2654435761) >>> (32 - HASH_LOG);
}

/** Compresses `src` into a new LZ4 block. */
export function lz4Compress(src: Uint8Array): Uint8Array {
  const n = src.length;
  const dst = new Uint8Array(n + Math.floor(n / 255) + 16);
  const view = new DataView(src.buffer, src.byteOffset, n);
  // Positions are stored +0; an empty slot holds a position too far back to match.
  table.fill(-MAX_OFFSET - 1);
  const limit = n - MF_LIMIT;
  const matchEnd = n - LAST_LITERALS;
  let ip = 0;
  let anchor = 0;
  let op = 0;
  let misses = 1 << SKIP_TRIGGER;
  while (ip < limit) {
    const sequence = view.getUint32(ip, true);
    const h = hash(sequence);
    const ref = table[h]!;
    table[h] = ip;
    if (ip - ref > MAX_OFFSET || view.getUint32(ref, true) !== sequence) {
      ip += misses++ >> SKIP_TRIGGER;
      continue;
    }
    misses = 1 << SKIP_TRIGGER;
    // Extend the match backwards over pending literals, then forwards.
    let start = ip;
    let from = ref;
    while (start > anchor && from > 0 && src[start - 1] === src[from - 1]) {
      start--;
      from--;
    }
    let a = ip + MIN_MATCH;
    let b = ref + MIN_MATCH;
    while (a + 4 <= matchEnd && view.getUint32(a, true) === view.getUint32(b, true)) {
      a += 4;
      b += 4;
    }
    while (a < matchEnd && src[a] === src[b]) {
      a++;
      b++;
    }
    op = writeSequence(dst, op, src, anchor, start, start - from, a - start);
    ip = anchor = a;
    if (ip - 2 < limit) table[hash(view.getUint32(ip - 2, true))] = ip - 2;
  }
  op = writeSequence(dst, op, src, anchor, n, 0, 0);
  return dst.slice(0, op);
}

/** One sequence: literals src[anchor, end) then a match (offset, length); length 0 ends the block. */
function writeSequence(
  dst: Uint8Array, at: number, src: Uint8Array, anchor: number, end: number, offset: number, length: number,
): number {
  let op = at;
  const literals = end - anchor;
  const token = op++;
  op = writeLength(dst, op, literals);
  if (literals < 16) for (let i = 0; i < literals; i++) dst[op + i] = src[anchor + i]!;
  else dst.set(src.subarray(anchor, end), op);
  op += literals;
  let code = Math.min(literals, 15) << 4;
  if (length > 0) {
    dst[op++] = offset & 255;
    dst[op++] = offset >>> 8;
    code |= Math.min(length - MIN_MATCH, 15);
    op = writeLength(dst, op, length - MIN_MATCH);
  }
  dst[token] = code;
  return op;
}

/** The bytes that follow a token's nibble of 15: 255s, then the rest. */
function writeLength(dst: Uint8Array, at: number, length: number): number {
  let op = at;
  if (length < 15) return op;
  let rest = length - 15;
  while (rest >= 255) {
    dst[op++] = 255;
    rest -= 255;
  }
  dst[op++] = rest;
  return op;
}

/** Decompresses an LZ4 block that must expand to exactly `size` bytes. */
export function lz4Decompress(src: Uint8Array, size: number): Uint8Array {
  const dst = new Uint8Array(size);
  const end = src.length;
  let ip = 0;
  let op = 0;
  const readLength = (nibble: number): number => {
    let length = nibble;
    if (nibble !== 15) return length;
    let byte: number;
    do {
      if (ip >= end) throw new Lz4Error("truncated length");
      byte = src[ip++]!;
      length += byte;
    } while (byte === 255);
    return length;
  };
  for (;;) {
    if (ip >= end) throw new Lz4Error("truncated block");
    const token = src[ip++]!;
    const literals = readLength(token >>> 4);
    if (ip + literals > end || op + literals > size) throw new Lz4Error("literals run past the block");
    if (literals < 16) for (let i = 0; i < literals; i++) dst[op + i] = src[ip + i]!;
    else dst.set(src.subarray(ip, ip + literals), op);
    ip += literals;
    op += literals;
    if (ip === end) break;
    if (ip + 2 > end) throw new Lz4Error("truncated offset");
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    const length = readLength(token & 15) + MIN_MATCH;
    if (offset === 0 || offset > op) throw new Lz4Error("match offset outside the output");
    if (op + length > size) throw new Lz4Error("match runs past the output");
    const from = op - offset;
    // Overlapping copies (offset < length) repeat a pattern, so they go byte by byte.
    if (length < 32 || offset < length) for (let i = 0; i < length; i++) dst[op + i] = dst[from + i]!;
    else dst.copyWithin(op, from, from + length);
    op += length;
  }
  if (op !== size) throw new Lz4Error(`block expands to ${op} bytes, expected ${size}`);
  return dst;
}
