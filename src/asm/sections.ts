// A section being assembled: a list of parts. Fixed parts hold bytes; a
// variable part (a branch whose length depends on its distance, or code
// alignment without linker relaxation) gets its size from layout.ts. Labels
// and fixups point at (part, offset), so they move with the parts.

import type { Value } from "./expression.ts";
import type { BranchSpec, FixupKind } from "./instructions.ts";
import type { SourcePosition } from "./diagnostics.ts";

export class FixedPart {
  readonly kind = "fixed";
  addr = 0;
  buf = new Uint8Array(64);
  len = 0;

  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  get size(): number {
    return this.len;
  }
}

export interface BranchPart {
  kind: "branch";
  addr: number;
  size: number;
  spec: BranchSpec;
  target: Value;
  at: SourcePosition;
}

export interface AlignPart {
  kind: "align";
  addr: number;
  size: number;
  /** Alignment in bytes. */
  align: number;
  /** Most bytes to skip (.balign's third operand); 0 means no limit. */
  max: number;
  /** Fill byte, or null for nops in code (zeros elsewhere). */
  fill: number | null;
}

export type Part = FixedPart | BranchPart | AlignPart;

export type DataFixupKind = "data";

export interface Fixup {
  part: number;
  offset: number;
  kind: FixupKind | DataFixupKind | "align";
  /** Size in bytes for data fixups; padding for align fixups. */
  size: number;
  value: Value;
  relax: boolean;
  at: SourcePosition;
}

export class Section {
  readonly parts: Part[] = [new FixedPart()];
  readonly fixups: Fixup[] = [];
  /** Alignment in bytes. */
  align = 1;
  /** True once a variable part exists: offsets past it are not known until layout. */
  hasVariable = false;
  /** Linker relaxation was on for some instruction here (code alignment then pads worst case). */
  sawRelax = false;
  /** Where each instruction statement's code starts, for the line table (file, line). */
  readonly lines: { part: number; offset: number; file: string; line: number }[] = [];

  constructor(
    readonly name: string,
    readonly type: number,
    readonly flags: number,
    readonly index: number,
    readonly entsize = 0,
  ) {}

  get isCode(): boolean {
    return (this.flags & 4) !== 0;
  }

  get tail(): FixedPart {
    const last = this.parts[this.parts.length - 1];
    if (last.kind === "fixed") return last;
    const p = new FixedPart();
    this.parts.push(p);
    return p;
  }

  /** Index of the fixed part the next byte goes into. */
  get tailIndex(): number {
    this.tail;
    return this.parts.length - 1;
  }

  addVariable(p: BranchPart | AlignPart): void {
    this.parts.push(p);
    this.hasVariable = true;
  }

  byte(v: number): void {
    const t = this.tail;
    t.reserve(1);
    t.buf[t.len++] = v & 0xff;
  }

  u16(v: number): void {
    const t = this.tail;
    t.reserve(2);
    t.buf[t.len++] = v & 0xff;
    t.buf[t.len++] = (v >>> 8) & 0xff;
  }

  u32(v: number): void {
    const t = this.tail;
    t.reserve(4);
    t.buf[t.len++] = v & 0xff;
    t.buf[t.len++] = (v >>> 8) & 0xff;
    t.buf[t.len++] = (v >>> 16) & 0xff;
    t.buf[t.len++] = (v >>> 24) & 0xff;
  }

  int(v: bigint, size: number): void {
    const t = this.tail;
    t.reserve(size);
    let x = BigInt.asUintN(size * 8, v);
    for (let i = 0; i < size; i++) {
      t.buf[t.len++] = Number(x & 0xffn);
      x >>= 8n;
    }
  }

  fill(n: number, v: number): void {
    const t = this.tail;
    t.reserve(n);
    t.buf.fill(v & 0xff, t.len, t.len + n);
    t.len += n;
  }

  /** Offset from the section start; exact only while no variable part precedes. */
  get offset(): number {
    let o = 0;
    for (const p of this.parts) o += p.kind === "fixed" ? p.len : p.size;
    return o;
  }
}
