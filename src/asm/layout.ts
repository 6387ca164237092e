// After the last statement: give every variable part its size (branch
// relaxation as gas's relaxed_branch_length does it, code alignment without
// linker relaxation), then turn fixups into bytes and relocations and the
// symbol table into the object's.

import type { Assembler } from "./assembler.ts";
import { cbOffset, cjOffset } from "./compress.ts";
import { evaluate, NotAbsolute, type Value } from "./expression.ts";
import {
  R, SEC_ABS, SEC_COMMON, SEC_UNDEF, SHT_NOBITS, STT_OBJECT, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FILE, STT_SECTION,
  type LineEntry, type ObjReloc, type ObjSection, type ObjSymbol, type ObjectFile,
} from "./object.ts";
import type { BranchPart, Section } from "./sections.ts";
import { isAssemblerLocal, type Sym } from "./symbols.ts";

const RVC_BRANCH_REACH = 1 << 9;
const RVC_JUMP_REACH = 1 << 12;
const BRANCH_REACH = 1 << 13;

function place(sec: Section): number {
  let addr = 0;
  for (const p of sec.parts) {
    p.addr = addr;
    addr += p.kind === "fixed" ? p.len : p.size;
  }
  return addr;
}

export function symbolAddress(s: Sym): number {
  return s.section!.parts[s.part].addr + s.offset;
}

function branchLength(asm: Assembler, sec: Section, b: BranchPart): number {
  const jump = b.spec.f3 === -1;
  let length = jump ? 4 : 8;
  const t = b.target.plus !== null && b.target.minus === null ? asm.symbols.find(b.target.plus) : undefined;
  if (t && t.defined && !t.equ && t.bind !== "weak" && t.section === sec) {
    const val = symbolAddress(t) + Number(b.target.addend) - b.addr;
    const rvcReach = jump ? RVC_JUMP_REACH : RVC_BRANCH_REACH;
    if (b.spec.rvc && val >= -rvcReach / 2 && val < rvcReach / 2) length = 2;
    else if (val >= -BRANCH_REACH / 2 && val < BRANCH_REACH / 2) length = 4;
    else if (!jump && b.spec.rvc) length = 6;
  }
  return length;
}

/** Sizes the variable parts; iterates until nothing changes (sizes only grow after a while, so it ends). */
export function relaxSections(asm: Assembler): void {
  for (const sec of asm.sections) {
    if (!sec.hasVariable) {
      place(sec);
      continue;
    }
    // Like gas's relax_segment: one walk per pass, sizes updated in place.
    for (let pass = 0; pass < 100; pass++) {
      let changed = false;
      let addr = 0;
      for (const p of sec.parts) {
        p.addr = addr;
        if (p.kind === "branch") {
          let n = branchLength(asm, sec, p);
          if (pass > 10 && n < p.size) n = p.size;
          if (n !== p.size) { p.size = n; changed = true; }
        } else if (p.kind === "align") {
          let pad = (p.align - (p.addr % p.align)) % p.align;
          if (p.max !== 0 && pad > p.max) pad = 0;
          if (pad !== p.size) { p.size = pad; changed = true; }
        }
        addr += p.kind === "fixed" ? p.len : p.size;
      }
      if (!changed) break;
    }
    place(sec);
  }
}

interface PendingReloc {
  offset: number;
  type: number;
  sym: Sym | null;
  addend: bigint;
  seq: number;
}

const bType = (off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (((off >> 1) & 15) << 8) | (((off >> 11) & 1) << 7)) >>> 0;
const jType = (off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12)) >>> 0;

export function buildObject(asm: Assembler, arch: string): ObjectFile | null {
  relaxSections(asm);
  const diags = asm.diags;
  const out: ObjSection[] = [];
  const pending = new Map<Section, PendingReloc[]>();
  let seq = 0;

  const symOf = (v: Value, at: { file: string; line: number; column: number }): Sym | null => {
    if (v.plus === null) return null;
    const s = asm.symbols.get(v.plus);
    if (!s.defined && isAssemblerLocal(s.name)) {
      diags.error(at, `undefined local label '${displayName(s.name)}'`);
      return null;
    }
    s.usedInReloc = true;
    return s;
  };
  /** Final value: aliases substituted, distances folded with the layout's addresses. */
  const finalValue = (v: Value, fold: (a: Sym, b: Sym) => boolean): Value => {
    const c = asm.canonical(v, false);
    if (c.plus && c.minus) {
      const a = asm.symbols.find(c.plus);
      const b = asm.symbols.find(c.minus);
      if (a?.defined && b?.defined && a.section && a.section === b.section && fold(a, b)) {
        return { addend: BigInt.asIntN(64, c.addend + BigInt(symbolAddress(a) - symbolAddress(b))), plus: null, minus: null };
      }
    }
    return c;
  };

  for (const sec of asm.sections) {
    const size = place(sec);
    const relocs: PendingReloc[] = [];
    pending.set(sec, relocs);
    const data = sec.type === SHT_NOBITS ? new Uint8Array(0) : new Uint8Array(size + 8);
    const view = new DataView(data.buffer);
    const add = (offset: number, type: number, sym: Sym | null, addend: bigint) => relocs.push({ offset, type, sym, addend, seq: seq++ });
    for (const p of sec.parts) {
      if (p.kind === "fixed") {
        if (sec.type !== SHT_NOBITS) data.set(p.buf.subarray(0, p.len), p.addr);
      } else if (p.kind === "align") {
        if (sec.type !== SHT_NOBITS) {
          // gas fills code alignment in riscv_handle_align at write time, which
          // does nothing when relaxation is on at the end of the file: zeros.
          if (p.fill === null) writeNops(view, p.addr, p.size, sec.isCode && !asm.relax);
          else data.fill(p.fill & 0xff, p.addr, p.addr + p.size);
        }
      } else {
        emitBranch(asm, sec, p, view, add, symOf);
      }
    }
    for (const f of sec.fixups) {
      const at = sec.parts[f.part].addr + f.offset;
      if (f.kind === "align") {
        add(at, R.ALIGN, null, f.value.addend);
        continue;
      }
      let v: Value;
      try {
        v = finalValue(f.value, () => f.kind !== "data" || !isCodeSym(asm, f.value));
      } catch (e) {
        if (e instanceof NotAbsolute || e instanceof Error) { diags.error(f.at, e.message); continue; }
        throw e;
      }
      if (f.kind === "data") {
        if (v.plus === null && v.minus === null) {
          writeInt(view, at, v.addend, f.size);
          continue;
        }
        if (v.plus === null) { diags.error(f.at, "cannot subtract a symbol from a constant here"); continue; }
        if (v.minus !== null) {
          const [addT, subT] = ({ 1: [R.ADD8, R.SUB8], 2: [R.ADD16, R.SUB16], 4: [R.ADD32, R.SUB32], 8: [R.ADD64, R.SUB64] } as Record<number, [number, number]>)[f.size];
          const m = symOf({ addend: 0n, plus: v.minus, minus: null }, f.at);
          add(at, addT, symOf(v, f.at), v.addend);
          add(at, subT, m, 0n);
          continue;
        }
        add(at, f.size === 8 ? R.R64 : R.R32, symOf(v, f.at), v.addend);
        continue;
      }
      if (v.minus !== null) { diags.error(f.at, "a symbol difference cannot be used here"); continue; }
      const word = view.getUint32(at, true);
      if (v.plus === null && (f.kind === "hi20" || f.kind === "lo12_i" || f.kind === "lo12_s")) {
        const x = Number(BigInt.asIntN(32, v.addend));
        if (f.kind === "hi20") view.setUint32(at, (word | ((((x + 0x800) >>> 12) & 0xfffff) << 12)) >>> 0, true);
        else if (f.kind === "lo12_i") view.setUint32(at, (word | ((x & 0xfff) << 20)) >>> 0, true);
        else view.setUint32(at, (word | (((x >> 5) & 0x7f) << 25) | ((x & 31) << 7)) >>> 0, true);
        continue;
      }
      const sym = symOf(v, f.at);
      if (!sym) { if (v.plus === null) diags.error(f.at, "expected a symbol, got a constant"); continue; }
      const type = {
        hi20: R.HI20, lo12_i: R.LO12_I, lo12_s: R.LO12_S, pcrel_hi20: R.PCREL_HI20, pcrel_lo12_i: R.PCREL_LO12_I,
        pcrel_lo12_s: R.PCREL_LO12_S, call: R.CALL_PLT, jal: R.JAL, branch: R.BRANCH,
      }[f.kind];
      add(at, type, sym, v.addend);
      // gas writes the addend's part into %hi/%lo fields (the linker rewrites them anyway).
      const x = Number(BigInt.asIntN(32, v.addend));
      if (f.kind === "hi20") view.setUint32(at, (word | ((((x + 0x800) >>> 12) & 0xfffff) << 12)) >>> 0, true);
      else if (f.kind === "lo12_i") view.setUint32(at, (word | ((x & 0xfff) << 20)) >>> 0, true);
      else if (f.kind === "lo12_s") view.setUint32(at, (word | (((x >> 5) & 0x7f) << 25) | ((x & 31) << 7)) >>> 0, true);
      if (f.kind === "jal" && sym.defined && sym.section === sec && !sym.equ) {
        view.setUint32(at, (word | jType(symbolAddress(sym) + Number(v.addend) - at)) >>> 0, true);
      }
      // gas builds the R_RISCV_RELAX from the same expression, so it carries the addend too.
      if (f.relax) add(at, R.RELAX, null, v.addend);
    }
    // gas's md_begin records .text's alignment from -march (2 with C, 4 without).
    if (sec.name === ".text" && sec.align < (asm.initialRvc ? 2 : 4)) sec.align = asm.initialRvc ? 2 : 4;
    else if (sec.isCode && sec.align < 2) sec.align = asm.rvc ? 2 : 4;
    let finalSize = size;
    if (sec.isCode && sec.align > 1 && size % sec.align !== 0) {
      const pad = sec.align - (size % sec.align);
      if (!asm.relax) writeNops(view, size, pad, true);
      finalSize = size + pad;
    }
    const bytes = sec.type === SHT_NOBITS ? new Uint8Array(0) : data.slice(0, finalSize);

    out.push({ name: sec.name, type: sec.type, flags: sec.flags, align: sec.align, data: bytes, size: finalSize, relocs: [] });
  }

  // .size values, now that addresses are final.
  for (const s of asm.symbols.byKey.values()) {
    if (!s.size) continue;
    try {
      const v = finalValue(evaluate(s.size, (n) => {
        const x = asm.symbols.find(n);
        return x?.equ && x.equ.plus === null && x.equ.minus === null ? x.equ.addend : null;
      }), () => true);
      if (v.plus !== null || v.minus !== null) diags.error(s.at ?? { file: asm.file, line: 1, column: 1 }, `.size of '${s.name}' is not a constant`);
      else s.size = { k: "num", v: v.addend };
    } catch (e) {
      diags.error(s.at ?? { file: asm.file, line: 1, column: 1 }, (e as Error).message);
    }
  }

  const symbols = buildSymbols(asm, out);
  for (const [sec, relocs] of pending) {
    relocs.sort((a, b) => a.offset - b.offset || a.seq - b.seq);
    out[sec.index].relocs = relocs.map((r): ObjReloc => ({
      offset: r.offset, type: r.type, symbol: r.sym ? symbols.index.get(r.sym)! : -1, addend: r.addend,
    }));
  }
  if (diags.errorCount > 0) return null;
  const lines: LineEntry[] = [];
  for (const sec of asm.sections) {
    for (const l of sec.lines) lines.push({ section: sec.index, offset: sec.parts[l.part].addr + l.offset, file: l.file, line: l.line });
  }
  return { name: asm.file, sections: out, symbols: symbols.list, arch, lines };
}

function isCodeSym(asm: Assembler, v: Value): boolean {
  const c = asm.canonical(v, false);
  const s = c.plus ? asm.symbols.find(c.plus) : undefined;
  return !!s?.section?.isCode;
}

function emitBranch(
  asm: Assembler, sec: Section, b: BranchPart, view: DataView,
  add: (offset: number, type: number, sym: Sym | null, addend: bigint) => void,
  symOf: (v: Value, at: BranchPart["at"]) => Sym | null,
): void {
  const v = asm.canonical(b.target, false);
  if (v.minus !== null) { asm.diags.error(b.at, "a branch target cannot be a symbol difference"); return; }
  const sym = symOf(v, b.at);
  if (!sym) { if (v.plus === null) asm.diags.error(b.at, "a branch target must be a label (constant targets are not supported)"); return; }
  const local = sym.defined && !sym.equ && sym.section === sec;
  const target = local ? symbolAddress(sym) + Number(v.addend) : 0;
  const at = b.addr;
  const { f3, rs1, rs2, rd } = b.spec;
  const rel = (from: number) => (local ? target - from : 0);
  if (f3 === -1) {
    if (b.size === 2) {
      view.setUint16(at, (0xa001 | cjOffset(rel(at))) & 0xffff, true);
      add(at, R.RVC_JUMP, sym, v.addend);
    } else {
      view.setUint32(at, (0x6f | (rd << 7) | jType(rel(at))) >>> 0, true);
      add(at, R.JAL, sym, v.addend);
    }
    return;
  }
  if (b.size === 2) {
    view.setUint16(at, ((f3 === 0 ? 0xc001 : 0xe001) | ((rs1 - 8) << 7) | cbOffset(rel(at))) & 0xffff, true);
    add(at, R.RVC_BRANCH, sym, v.addend);
    return;
  }
  if (b.size === 4) {
    view.setUint32(at, (0x63 | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | bType(rel(at))) >>> 0, true);
    add(at, R.BRANCH, sym, v.addend);
    return;
  }
  // Out of range: the inverted branch skips a jal (gas md_convert_frag).
  let jalAt: number;
  if (b.size === 6) {
    view.setUint16(at, ((f3 === 0 ? 0xe001 : 0xc001) | ((rs1 - 8) << 7) | cbOffset(6)) & 0xffff, true);
    jalAt = at + 2;
  } else {
    view.setUint32(at, (0x63 | ((f3 ^ 1) << 12) | (rs1 << 15) | (rs2 << 20) | bType(8)) >>> 0, true);
    jalAt = at + 4;
  }
  view.setUint32(jalAt, (0x6f | jType(rel(jalAt))) >>> 0, true);
  add(jalAt, R.JAL, sym, v.addend);
}

function writeNops(view: DataView, at: number, n: number, code: boolean): void {
  if (!code) return;
  let i = 0;
  while ((n - i) % 2 !== 0) view.setUint8(at + i++, 0);
  if ((n - i) % 4 === 2) { view.setUint16(at + i, 0x0001, true); i += 2; }
  for (; i < n; i += 4) view.setUint32(at + i, 0x13, true);
}

function writeInt(view: DataView, at: number, v: bigint, size: number): void {
  let x = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) {
    view.setUint8(at + i, Number(x & 0xffn));
    x >>= 8n;
  }
}

export function displayName(n: string): string {
  return n.replace(/\u0002/g, "^B").replace(/\u0001/g, "^A");
}

function buildSymbols(asm: Assembler, sections: ObjSection[]): { list: ObjSymbol[]; index: Map<Sym, number> } {
  const list: ObjSymbol[] = [];
  const index = new Map<Sym, number>();
  if (asm.sourceFile !== null) list.push({ name: asm.sourceFile, value: 0n, size: 0n, section: SEC_ABS, bind: STB_LOCAL, type: STT_FILE });
  sections.forEach((s, i) => list.push({ name: s.name, value: 0n, size: 0n, section: i, bind: STB_LOCAL, type: STT_SECTION }));
  const all = [...asm.symbols.byKey.values()].sort((a, b) => a.order - b.order);
  const entry = (s: Sym): ObjSymbol => {
    const size = s.size && s.size.k === "num" ? s.size.v : 0n;
    if (s.equ) {
      const v = s.equ;
      if (v.plus === null && v.minus === null) return { name: s.name, value: BigInt.asUintN(64, v.addend), size, section: SEC_ABS, bind: bindOf(s), type: s.type };
    }
    if (s.common) return { name: s.name, value: BigInt(s.common.align), size: BigInt(s.common.size), section: SEC_COMMON, bind: STB_GLOBAL, type: s.type || STT_OBJECT };
    if (!s.defined || !s.section) return { name: s.name, value: 0n, size, section: SEC_UNDEF, bind: s.bind === "weak" ? STB_WEAK : STB_GLOBAL, type: s.type };
    return { name: s.name, value: BigInt(symbolAddress(s)), size, section: s.section.index, bind: bindOf(s), type: s.type };
  };
  for (const s of all) {
    if (s.bind !== "local" || !s.defined) continue;
    if (s.equ && (s.equ.plus !== null || s.equ.minus !== null)) continue;
    if (isAssemblerLocal(s.name) && !s.usedInReloc) continue;
    index.set(s, list.length);
    list.push(entry(s));
  }
  for (const s of all) {
    if (index.has(s)) continue;
    if (s.bind === "local" && !(s.usedInReloc && !s.defined)) continue;
    index.set(s, list.length);
    list.push(entry(s));
  }
  return { list, index };
}

const bindOf = (s: Sym) => (s.bind === "global" ? STB_GLOBAL : s.bind === "weak" ? STB_WEAK : STB_LOCAL);
