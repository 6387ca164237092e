// The wire format of the process-mode layer state (docs/snapshot-format.md,
// "Process-mode layer state"): integers as zigzag LEB128 whatever their size
// (a JS number or a bigint, so a u64 mask, a nanosecond count and a guest
// address rounded into a double all fit one rule), byte strings as a length
// and the bytes. One value has one spelling: the reader rejects overlong
// integers, and the codec re-encodes what it read and compares.

/** Layer state that does not decode, or breaks a rule of the format. */
export class StateError extends Error {
  override name = "StateError";
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export class StateWriter {
  /** Finished pieces; large byte strings (file contents) are kept as they are rather than copied twice. */
  private parts: Uint8Array[] = [];
  private buffer = new Uint8Array(4096);
  private length = 0;
  private total = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    this.flush();
    if (n > this.buffer.length) this.buffer = new Uint8Array(n);
  }

  private flush(): void {
    if (this.length === 0) return;
    this.parts.push(this.buffer.subarray(0, this.length));
    this.buffer = new Uint8Array(this.buffer.length);
    this.length = 0;
  }

  /** Bytes as they are; the writer keeps a reference to a large array until finish(). */
  raw(bytes: Uint8Array): this {
    this.total += bytes.length;
    if (bytes.length >= 1024) {
      this.flush();
      this.parts.push(bytes);
      return this;
    }
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b;
    this.total++;
  }

  /** An integer: a bigint, or a number that holds an integer (any magnitude a double holds exactly). */
  int(value: number | bigint): this {
    if (typeof value === "number" && !Number.isInteger(value)) throw new TypeError(`layer state holds integers only, not ${value}`);
    if (typeof value === "number" && value >= 0 && value < 0x40) {
      // Most fields are small: one byte without bigint arithmetic.
      this.byte(value << 1);
      return this;
    }
    let v = BigInt(value);
    v = v < 0n ? ((-v) << 1n) - 1n : v << 1n;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
    return this;
  }

  bool(value: boolean): this {
    return this.int(value ? 1 : 0);
  }

  bytes(bytes: Uint8Array): this {
    return this.int(bytes.length).raw(bytes);
  }

  /** A guest byte string (each char one byte, as fs.ts keeps paths). */
  byteString(s: string): this {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) throw new TypeError("a guest byte string holds chars 0-255 only");
      out[i] = c;
    }
    return this.bytes(out);
  }

  /** Host text (identity strings, reasons) as UTF-8. */
  text(s: string): this {
    return this.bytes(utf8.encode(s));
  }

  /** Bytes written so far. */
  get size(): number {
    return this.total;
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    this.parts = [];
    this.total = 0;
    return out;
  }
}

export class StateReader {
  private at = 0;

  constructor(private readonly data: Uint8Array) {}

  get offset(): number {
    return this.at;
  }

  raw(length: number, what: string): Uint8Array {
    if (length > this.data.length - this.at) throw new StateError(`${what}: truncated at byte ${this.at}`);
    const out = this.data.slice(this.at, this.at + length);
    this.at += length;
    return out;
  }

  big(what: string): bigint {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.at >= this.data.length) throw new StateError(`${what}: truncated at byte ${this.at}`);
      const b = this.data[this.at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        if (b === 0 && shift > 0n) throw new StateError(`${what}: an integer with a redundant byte at ${this.at - 1}`);
        break;
      }
      if (shift > 7n * 300n) throw new StateError(`${what}: an integer too long at byte ${this.at}`);
    }
    return v & 1n ? -((v + 1n) >> 1n) : v >> 1n;
  }

  /** An integer as a number; it must be exactly representable. */
  num(what: string): number {
    const v = this.big(what);
    const n = Number(v);
    if (BigInt(n) !== v) throw new StateError(`${what}: ${v} is not exactly representable`);
    return n;
  }

  /** An integer in [min, max]. */
  range(what: string, min: number, max: number): number {
    const n = this.num(what);
    if (n < min || n > max) throw new StateError(`${what}: ${n} is outside ${min}..${max}`);
    return n;
  }

  /** A non-negative integer up to 2^53 - 1 (counts, sizes, offsets, ids). */
  count(what: string, max = Number.MAX_SAFE_INTEGER): number {
    return this.range(what, 0, max);
  }

  /** A bigint in [0, 2^64). */
  u64(what: string): bigint {
    const v = this.big(what);
    if (v < 0n || v >= 1n << 64n) throw new StateError(`${what}: ${v} is not a 64-bit unsigned value`);
    return v;
  }

  bool(what: string): boolean {
    return this.range(what, 0, 1) === 1;
  }

  bytes(what: string, max = Number.MAX_SAFE_INTEGER): Uint8Array {
    return this.raw(this.count(`${what} length`, max), what);
  }

  byteString(what: string, max?: number): string {
    const b = this.bytes(what, max);
    let s = "";
    for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
    return s;
  }

  text(what: string): string {
    try {
      return strictUtf8.decode(this.bytes(what));
    } catch (e) {
      if (e instanceof StateError) throw e;
      throw new StateError(`${what}: not UTF-8`);
    }
  }

  /** A list of `count` items read by `item`. */
  list<T>(what: string, item: (i: number) => T, max = this.data.length - this.at): T[] {
    const n = this.count(`${what} count`, max);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(i));
    return out;
  }

  end(): void {
    if (this.at !== this.data.length) throw new StateError(`${this.data.length - this.at} bytes after the end of the state`);
  }
}

/** Throws unless `keys` increase strictly (a map's entries in their one order). */
export function checkAscending<K extends number | string | bigint>(keys: readonly K[], what: string): void {
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1]! < keys[i]!)) throw new StateError(`${what} are not in strictly increasing order`);
  }
}
