// The process's console: stdin bytes from the input (more may arrive
// between runs), stdout and stderr captured separately, each with a cap.

/** Bytes the guest has not read yet, and whether more can ever come. */
export class ConsoleInput {
  private pending: Uint8Array = new Uint8Array(0);
  private start = 0;
  closed = false;

  constructor(initial: Uint8Array = new Uint8Array(0), closed = false) {
    this.push(initial);
    this.closed = closed;
  }

  get available(): number {
    return this.pending.length - this.start;
  }

  /** The bytes not read yet (a copy). */
  unread(): Uint8Array {
    return this.pending.slice(this.start);
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const rest = this.pending.subarray(this.start);
    const next = new Uint8Array(rest.length + bytes.length);
    next.set(rest);
    next.set(bytes, rest.length);
    this.pending = next;
    this.start = 0;
  }

  close(): void {
    this.closed = true;
  }

  /** Up to `max` bytes; empty at EOF; null when empty but open (the reader must wait). */
  read(max: number): Uint8Array | null {
    if (this.available === 0) return this.closed ? new Uint8Array(0) : null;
    const n = Math.min(max, this.available);
    const out = this.pending.slice(this.start, this.start + n);
    this.start += n;
    return out;
  }
}

/** A captured output stream with a size cap. */
export class OutputSink {
  total = 0;
  private chunks: Uint8Array[] = [];
  /** Set once a write did not fit under the cap. */
  overflowed = false;

  /** Called with each accepted write (a copy), for hosts that stream output; streamed bytes are not kept for take(). */
  listener: ((bytes: Uint8Array) => void) | undefined;

  constructor(readonly limit: number) {}

  /** Appends what fits under the cap; returns the number of bytes taken. */
  write(bytes: Uint8Array): number {
    const room = Math.max(0, this.limit - this.total);
    const taken = bytes.length <= room ? bytes : bytes.subarray(0, room);
    if (taken.length < bytes.length) this.overflowed = true;
    if (taken.length === 0) return 0;
    const copy = taken.slice();
    this.total += copy.length;
    if (this.listener) this.listener(copy);
    else this.chunks.push(copy);
    return copy.length;
  }

  /** The bytes written since the last take(). */
  take(): Uint8Array {
    const size = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.chunks = [];
    return out;
  }
}
