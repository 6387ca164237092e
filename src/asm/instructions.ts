// One source instruction -> machine instructions: the base RV64GC forms of
// opcodes.ts and the pseudo-instructions of the unprivileged spec's
// assembler chapter (table 25.2/25.3), expanded the way GNU as 2.40 expands
// them (tc-riscv.c macro()), so the bytes match.

import { StatementError } from "./diagnostics.ts";
import type { Value } from "./expression.ts";
import { OPCODES } from "./opcodes.ts";
import { CSRS, ROUNDING_MODES } from "./registers.ts";
import type { Operand } from "./source.ts";

export type FixupKind =
  | "hi20" | "lo12_i" | "lo12_s" | "pcrel_hi20" | "pcrel_lo12_i" | "pcrel_lo12_s" | "call" | "jal" | "branch";

/** An operand immediate: a value, possibly wrapped in %hi/%lo/%pcrel_hi/%pcrel_lo. */
export interface Immediate {
  mod: "hi" | "lo" | "pcrel_hi" | "pcrel_lo" | null;
  value: Value;
}

/** What the assembler gives instruction selection. */
export interface InsnContext {
  xreg(o: Operand): number;
  freg(o: Operand): number;
  imm(text: string, column: number): Immediate;
  isRegister(text: string): boolean;
  /** Emit a 32-bit instruction, compressed when RVC is on and a C form exists. */
  emit(word: number, compressible?: boolean): void;
  emit16(half: number): void;
  /** Emit a 32-bit word whose field a fixup fills (at link time, or once the value is known). */
  emitFixup(word: number, kind: FixupKind, value: Value, column: number): void;
  /** A branch or jump whose length depends on the distance (branch relaxation). */
  emitBranch(b: BranchSpec, target: Value, column: number): void;
  /** A fresh local label at the current location (for %pcrel_lo). */
  hereLabel(): string;
  rvc: boolean;
}

export interface BranchSpec {
  /** funct3 of the conditional branch, or -1 for an unconditional jump. */
  f3: number;
  rs1: number;
  rs2: number;
  /** Link register for jumps (0 for j, 1 for jal). */
  rd: number;
  /** gas matched a compressed form (c.beqz/c.bnez/c.j), so 2-byte and 6-byte forms are allowed. */
  rvc: boolean;
}

const ZERO: Value = { addend: 0n, plus: null, minus: null };
const isAbs = (v: Value) => v.plus === null && v.minus === null;

function expect(ops: Operand[], n: number, name: string, column: number): void {
  if (ops.length !== n) {
    throw new StatementError(`'${name}' expects ${n} operand${n === 1 ? "" : "s"}, got ${ops.length}`, column);
  }
}

export function selectInstruction(ctx: InsnContext, name: string, ops: Operand[], column: number): void {
  const pseudo = PSEUDO[name];
  if (pseudo && pseudo(ctx, ops, column, name)) return;
  const opc = OPCODES.get(name);
  if (!opc) throw new StatementError(`unknown instruction '${name}'`, column);
  encodeBase(ctx, name, opc.pattern, opc.match, ops, column);
}

const LIMITS = Array.from({ length: 65 }, (_, b) => (b === 0 ? 0n : 1n << BigInt(b - 1)));
const signedFits = (v: bigint, bits: number) => v >= -LIMITS[bits] && v < LIMITS[bits];

function constImm(ctx: InsnContext, o: Operand, name: string): bigint {
  if (ctx.isRegister(o.text)) throw new StatementError(`expected an immediate, got register '${o.text}'`, o.column);
  const im = ctx.imm(o.text, o.column);
  if (im.mod !== null || !isAbs(im.value)) throw new StatementError(`'${name}' needs a constant here`, o.column);
  return im.value.addend;
}

function rangeError(name: string, v: bigint, lo: bigint, hi: bigint, column: number): never {
  throw new StatementError(`immediate ${v} out of range for '${name}' (${lo}..${hi})`, column);
}

/** Splits `imm(reg)` into its offset text and register operand. */
function splitAddress(o: Operand): { off: string; offColumn: number; reg: Operand } | null {
  const t = o.text;
  if (!t.endsWith(")")) return null;
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    if (t[i] === ")") depth++;
    else if (t[i] === "(") {
      depth--;
      if (depth === 0) {
        const inner = t.slice(i + 1, -1).trim();
        return { off: t.slice(0, i).trim(), offColumn: o.column, reg: { text: inner, column: o.column + i + 1 } };
      }
    }
  }
  return null;
}

function iImmediate(ctx: InsnContext, text: string, column: number, name: string, store: boolean): { word: number; fix?: [FixupKind, Value] } {
  if (text === "") return { word: 0 };
  if (ctx.isRegister(text)) throw new StatementError(`expected an immediate, got register '${text}'`, column);
  const im = ctx.imm(text, column);
  if (im.mod === "lo") {
    if (isAbs(im.value)) return { word: place12(Number(BigInt.asIntN(12, im.value.addend)), store) };
    return { word: 0, fix: [store ? "lo12_s" : "lo12_i", im.value] };
  }
  if (im.mod === "pcrel_lo") return { word: 0, fix: [store ? "pcrel_lo12_s" : "pcrel_lo12_i", im.value] };
  if (im.mod !== null) throw new StatementError(`%${im.mod} is not valid in a 12-bit immediate`, column);
  if (!isAbs(im.value)) throw new StatementError(`'${name}' needs a constant offset (use %lo or %pcrel_lo for a symbol)`, column);
  const v = im.value.addend;
  if (!signedFits(v, 12)) rangeError(name, v, -2048n, 2047n, column);
  return { word: place12(Number(v), store) };
}

const place12 = (v: number, store: boolean) => (store ? (((v >> 5) & 0x7f) << 25) | ((v & 31) << 7) : (v & 0xfff) << 20);

function encodeBase(ctx: InsnContext, name: string, pattern: string, match: number, ops: Operand[], column: number): void {
  const letters = pattern === "" ? [] : pattern.split(",");
  const optionalRm = letters.length > 0 && (letters[letters.length - 1] === "m" || letters[letters.length - 1] === "M");
  if (!(ops.length === letters.length || (optionalRm && ops.length === letters.length - 1))) {
    if (name === "fence.i" || letters.length !== 0 || ops.length !== 0) {
      const n = optionalRm ? `${letters.length - 1} or ${letters.length}` : `${letters.length}`;
      throw new StatementError(`'${name}' expects ${n} operand${n === "1" ? "" : "s"}, got ${ops.length}`, column);
    }
  }
  let w = match;
  let fix: [FixupKind, Value] | undefined;
  let branch: { target: Value; col: number } | undefined;
  let compressible = true;
  for (let k = 0; k < letters.length; k++) {
    const l = letters[k];
    const o = ops[k];
    if (!o) {
      w |= (l === "M" ? 0 : 7) << 12;
      continue;
    }
    switch (l) {
      case "d": w |= ctx.xreg(o) << 7; break;
      case "s": w |= ctx.xreg(o) << 15; break;
      case "t": w |= ctx.xreg(o) << 20; break;
      case "D": w |= ctx.freg(o) << 7; break;
      case "S": w |= ctx.freg(o) << 15; break;
      case "T": w |= ctx.freg(o) << 20; break;
      case "R": w |= ctx.freg(o) << 27; break;
      case "m": case "M": {
        const rm = ROUNDING_MODES.get(o.text.toLowerCase());
        if (rm === undefined) throw new StatementError(`unknown rounding mode '${o.text}'`, o.column);
        w |= rm << 12;
        break;
      }
      case "j": {
        const r = iImmediate(ctx, o.text, o.column, name, false);
        w |= r.word;
        fix = r.fix;
        break;
      }
      case "o": case "q": {
        const a = splitAddress(o);
        if (!a) throw new StatementError(`expected an address like 8(sp), got '${o.text}'`, o.column);
        w |= ctx.xreg(a.reg) << 15;
        const r = iImmediate(ctx, a.off, a.offColumn, name, l === "q");
        w |= r.word;
        fix = r.fix;
        break;
      }
      case "A": {
        const a = splitAddress(o);
        if (!a) throw new StatementError(`expected an address like (a0), got '${o.text}'`, o.column);
        if (a.off !== "" && constImm(ctx, { text: a.off, column: a.offColumn }, name) !== 0n) {
          throw new StatementError(`'${name}' takes no offset`, a.offColumn);
        }
        w |= ctx.xreg(a.reg) << 15;
        break;
      }
      case "u": {
        if (ctx.isRegister(o.text)) throw new StatementError(`expected an immediate, got register '${o.text}'`, o.column);
        const im = ctx.imm(o.text, o.column);
        if (im.mod === "hi") {
          if (isAbs(im.value)) w |= Number(((im.value.addend + 0x800n) >> 12n) & 0xfffffn) << 12;
          else fix = ["hi20", im.value];
        } else if (im.mod === "pcrel_hi") fix = ["pcrel_hi20", im.value];
        else if (im.mod !== null) throw new StatementError(`%${im.mod} is not valid in a 20-bit immediate`, o.column);
        else {
          if (!isAbs(im.value)) throw new StatementError(`'${name}' needs a constant (use %hi or %pcrel_hi for a symbol)`, o.column);
          const v = im.value.addend;
          if (v < 0n || v > 0xfffffn) rangeError(name, v, 0n, 0xfffffn, o.column);
          w |= Number(v) << 12;
        }
        break;
      }
      case ">": case "<": {
        const v = constImm(ctx, o, name);
        const max = l === ">" ? 63n : 31n;
        if (v < 0n || v > max) rangeError(name, v, 0n, max, o.column);
        w |= Number(v) << 20;
        break;
      }
      case "C": w |= csrNumber(ctx, o) << 20; break;
      case "Z": {
        const v = constImm(ctx, o, name);
        if (v < 0n || v > 31n) rangeError(name, v, 0n, 31n, o.column);
        w |= Number(v) << 15;
        break;
      }
      case "b": case "J":
        branch = { target: ctx.imm(o.text, o.column).value, col: o.column };
        break;
      default:
        throw new StatementError(`internal: pattern letter ${l}`, column);
    }
  }
  w >>>= 0;
  if (branch) {
    const op = w & 0x7f;
    if (op === 0x63) {
      const f3 = (w >>> 12) & 7, rs1 = (w >>> 15) & 31, rs2 = (w >>> 20) & 31;
      const rvc = ctx.rvc && (f3 === 0 || f3 === 1) && rs2 === 0 && rs1 >= 8 && rs1 <= 15;
      ctx.emitBranch({ f3, rs1, rs2, rd: 0, rvc }, branch.target, branch.col);
    } else {
      const rd = (w >>> 7) & 31;
      ctx.emitBranch({ f3: -1, rs1: 0, rs2: 0, rd, rvc: ctx.rvc && rd === 0 }, branch.target, branch.col);
    }
    return;
  }
  if (fix) ctx.emitFixup(w, fix[0], fix[1], column);
  else ctx.emit(w, compressible);
}

function csrNumber(ctx: InsnContext, o: Operand): number {
  const named = CSRS.get(o.text.toLowerCase());
  if (named !== undefined) return named;
  let v: bigint;
  try {
    v = constImm(ctx, o, "csr");
  } catch {
    throw new StatementError(`unknown CSR '${o.text}'`, o.column);
  }
  if (v < 0n || v > 0xfffn) throw new StatementError(`CSR number ${v} out of range (0..4095)`, o.column);
  return Number(v);
}

// ---- pseudo-instructions ---------------------------------------------------

type Pseudo = (ctx: InsnContext, ops: Operand[], column: number, name: string) => boolean;

const op = (text: string, column: number): Operand => ({ text, column });

/** Re-dispatches as a base instruction with the given operand texts. */
function base(ctx: InsnContext, name: string, texts: (Operand | string)[], column: number): void {
  const opc = OPCODES.get(name)!;
  encodeBase(ctx, name, opc.pattern, opc.match, texts.map((t) => (typeof t === "string" ? op(t, column) : t)), column);
}

function alias(target: string, shape: (o: Operand[]) => (Operand | string)[], n: number): Pseudo {
  return (ctx, ops, column, name) => {
    expect(ops, n, name, column);
    base(ctx, target, shape(ops), column);
    return true;
  };
}

/**
 * `li`: gas's table matches `li rd, imm12` as addi (so c.li when it fits),
 * and anything larger goes through load_const (tc-riscv.c), whose 32-bit
 * steps are lui + addiw (addiw from x0 for a bare low part).
 */
export function loadImmediate(ctx: InsnContext, rd: number, value: bigint): void {
  if (signedFits(value, 12)) ctx.emit((0x13 | (rd << 7) | ((Number(value) & 0xfff) << 20)) >>> 0);
  else loadConst(ctx, rd, value);
}

function loadConst(ctx: InsnContext, rd: number, value: bigint): void {
  const lower = BigInt.asIntN(12, value);
  let upper = BigInt.asIntN(64, value - lower);
  if (!signedFits(value, 32)) {
    let shift = 12;
    while (((upper >> BigInt(shift)) & 1n) === 0n) shift++;
    upper = BigInt.asIntN(64, upper) >> BigInt(shift);
    loadConst(ctx, rd, upper);
    ctx.emit(0x13 | (1 << 12) | (rd << 7) | (rd << 15) | (shift << 20));
    if (lower !== 0n) ctx.emit(0x13 | (rd << 7) | (rd << 15) | ((Number(lower) & 0xfff) << 20));
    return;
  }
  let hi = 0;
  if (upper !== 0n) {
    const imm = Number((BigInt.asUintN(32, upper) >> 12n) & 0xfffffn);
    ctx.emit(0x37 | (rd << 7) | (imm << 12));
    hi = rd;
  }
  if (lower !== 0n || hi === 0) {
    ctx.emit((0x1b | (rd << 7) | (hi << 15) | ((Number(lower) & 0xfff) << 20)) >>> 0);
  }
}

function pcrelPair(ctx: InsnContext, rd: number, target: Value, second: (label: Value) => void, column: number): void {
  const label = ctx.hereLabel();
  ctx.emitFixup(0x17 | (rd << 7), "pcrel_hi20", target, column);
  second({ addend: 0n, plus: label, minus: null });
}

/** `lw rd, sym` / `sw rs, sym, rt` / `flw fd, sym, rt`: auipc + access through %pcrel_lo. */
function symbolAccess(name: string, store: boolean, fp: boolean): Pseudo {
  return (ctx, ops, column) => {
    const addr = ops[1];
    if (!addr || splitAddress(addr) || ctx.isRegister(addr.text)) return false;
    const opc = OPCODES.get(name)!;
    const value = ctx.imm(addr.text, addr.column);
    if (value.mod !== null) return false;
    let tmp: number;
    if (store || (fp && ops.length === 3)) {
      if (ops.length !== 3) throw new StatementError(`'${name} reg, symbol' needs a temporary register: ${name} reg, symbol, temp`, column);
      tmp = ctx.xreg(ops[2]);
    } else {
      expect(ops, 2, name, column);
      if (fp) throw new StatementError(`'${name} reg, symbol' needs a temporary register: ${name} reg, symbol, temp`, column);
      tmp = ctx.xreg(ops[0]);
    }
    const reg = fp ? ctx.freg(ops[0]) : ctx.xreg(ops[0]);
    pcrelPair(ctx, tmp, value.value, (label) => {
      const w = store ? opc.match | (reg << 20) | (tmp << 15) : opc.match | (reg << 7) | (tmp << 15);
      ctx.emitFixup(w >>> 0, store ? "pcrel_lo12_s" : "pcrel_lo12_i", label, column);
    }, column);
    return true;
  };
}

const reg0 = (o: Operand[]) => o[0];

const PSEUDO: Record<string, Pseudo> = {
  nop: (ctx, ops, column, name) => { expect(ops, 0, name, column); ctx.emit(0x13); return true; },
  li: (ctx, ops, column, name) => {
    expect(ops, 2, name, column);
    const rd = ctx.xreg(ops[0]);
    const v = constImm(ctx, ops[1], name);
    loadImmediate(ctx, rd, v);
    return true;
  },
  la: (ctx, ops, column, name) => PSEUDO.lla(ctx, ops, column, name),
  lla: (ctx, ops, column, name) => {
    expect(ops, 2, name, column);
    const rd = ctx.xreg(ops[0]);
    const target = ctx.imm(ops[1].text, ops[1].column);
    if (target.mod !== null) throw new StatementError(`'${name}' takes a symbol, not %${target.mod}`, ops[1].column);
    pcrelPair(ctx, rd, target.value, (label) => ctx.emitFixup(0x13 | (rd << 7) | (rd << 15), "pcrel_lo12_i", label, column), column);
    return true;
  },
  call: (ctx, ops, column, name) => {
    if (ops.length !== 1 && ops.length !== 2) expect(ops, 1, name, column);
    const rd = ops.length === 2 ? ctx.xreg(ops[0]) : 1;
    const t = ops[ops.length - 1];
    callPair(ctx, rd, rd, ctx.imm(t.text, t.column).value, column);
    return true;
  },
  tail: (ctx, ops, column, name) => {
    expect(ops, 1, name, column);
    callPair(ctx, 6, 0, ctx.imm(ops[0].text, ops[0].column).value, column);
    return true;
  },
  // gas's only C alias of mv is c.mv (both registers non-zero); `mv a0, zero` stays 4 bytes.
  mv: (ctx, ops, column, name) => {
    expect(ops, 2, name, column);
    const rd = ctx.xreg(ops[0]);
    const rs = ctx.xreg(ops[1]);
    if (ctx.rvc && rd !== 0 && rs !== 0) ctx.emit16(0x8002 | (rd << 7) | (rs << 2));
    else ctx.emit((0x13 | (rd << 7) | (rs << 15)) >>> 0, false);
    return true;
  },
  not: alias("xori", (o) => [o[0], o[1], "-1"], 2),
  neg: alias("sub", (o) => [o[0], "x0", o[1]], 2),
  negw: alias("subw", (o) => [o[0], "x0", o[1]], 2),
  "sext.w": alias("addiw", (o) => [o[0], o[1], "0"], 2),
  "zext.b": alias("andi", (o) => [o[0], o[1], "255"], 2),
  seqz: alias("sltiu", (o) => [o[0], o[1], "1"], 2),
  snez: alias("sltu", (o) => [o[0], "x0", o[1]], 2),
  sltz: alias("slt", (o) => [o[0], o[1], "x0"], 2),
  sgtz: alias("slt", (o) => [o[0], "x0", o[1]], 2),
  beqz: alias("beq", (o) => [o[0], "x0", o[1]], 2),
  bnez: alias("bne", (o) => [o[0], "x0", o[1]], 2),
  blez: alias("bge", (o) => ["x0", o[0], o[1]], 2),
  bgez: alias("bge", (o) => [o[0], "x0", o[1]], 2),
  bltz: alias("blt", (o) => [o[0], "x0", o[1]], 2),
  bgtz: alias("blt", (o) => ["x0", o[0], o[1]], 2),
  bgt: alias("blt", (o) => [o[1], o[0], o[2]], 3),
  ble: alias("bge", (o) => [o[1], o[0], o[2]], 3),
  bgtu: alias("bltu", (o) => [o[1], o[0], o[2]], 3),
  bleu: alias("bgeu", (o) => [o[1], o[0], o[2]], 3),
  j: alias("jal", (o) => ["x0", o[0]], 1),
  jal: (ctx, ops, column) => {
    if (ops.length !== 1) return false;
    base(ctx, "jal", ["ra", ops[0]], column);
    return true;
  },
  jr: (ctx, ops, column, name) => {
    if (ops.length === 2) { jalrForm(ctx, 0, ops[0], ops[1], false); return true; }
    expect(ops, 1, name, column);
    jalrForm(ctx, 0, ops[0], null, true);
    return true;
  },
  jalr: (ctx, ops, column) => {
    if (ops.length === 1 && !splitAddress(ops[0])) { jalrForm(ctx, 1, ops[0], null, true); return true; }
    if (ops.length === 1) { const a = splitAddress(ops[0])!; jalrForm(ctx, 1, a.reg, a.off === "" ? null : op(a.off, a.offColumn), false); return true; }
    if (ops.length === 2 && !splitAddress(ops[1])) { jalrForm(ctx, ctx.xreg(ops[0]), ops[1], null, false); return true; }
    if (ops.length === 3) { jalrForm(ctx, ctx.xreg(ops[0]), ops[1], ops[2], false); return true; }
    return false;
  },
  ret: (ctx, ops, column, name) => { expect(ops, 0, name, column); jalrForm(ctx, 0, op("ra", column), null, true); return true; },
  "fmv.s": alias("fsgnj.s", (o) => [o[0], o[1], o[1]], 2),
  "fabs.s": alias("fsgnjx.s", (o) => [o[0], o[1], o[1]], 2),
  "fneg.s": alias("fsgnjn.s", (o) => [o[0], o[1], o[1]], 2),
  "fmv.d": alias("fsgnj.d", (o) => [o[0], o[1], o[1]], 2),
  "fabs.d": alias("fsgnjx.d", (o) => [o[0], o[1], o[1]], 2),
  "fneg.d": alias("fsgnjn.d", (o) => [o[0], o[1], o[1]], 2),
  "sgt": alias("slt", (o) => [o[0], o[2], o[1]], 3),
  "sgtu": alias("sltu", (o) => [o[0], o[2], o[1]], 3),
  "fgt.s": alias("flt.s", (o) => [o[0], o[2], o[1]], 3),
  "fge.s": alias("fle.s", (o) => [o[0], o[2], o[1]], 3),
  "fgt.d": alias("flt.d", (o) => [o[0], o[2], o[1]], 3),
  "fge.d": alias("fle.d", (o) => [o[0], o[2], o[1]], 3),
  csrr: alias("csrrs", (o) => [o[0], o[1], "x0"], 2),
  csrw: alias("csrrw", (o) => ["x0", o[0], o[1]], 2),
  csrs: alias("csrrs", (o) => ["x0", o[0], o[1]], 2),
  csrc: alias("csrrc", (o) => ["x0", o[0], o[1]], 2),
  csrwi: alias("csrrwi", (o) => ["x0", o[0], o[1]], 2),
  csrsi: alias("csrrsi", (o) => ["x0", o[0], o[1]], 2),
  csrci: alias("csrrci", (o) => ["x0", o[0], o[1]], 2),
  rdcycle: alias("csrrs", (o) => [o[0], "cycle", "x0"], 1),
  rdtime: alias("csrrs", (o) => [o[0], "time", "x0"], 1),
  rdinstret: alias("csrrs", (o) => [o[0], "instret", "x0"], 1),
  frcsr: alias("csrrs", (o) => [o[0], "fcsr", "x0"], 1),
  frrm: alias("csrrs", (o) => [o[0], "frm", "x0"], 1),
  frflags: alias("csrrs", (o) => [o[0], "fflags", "x0"], 1),
  fscsr: csrSwap("fcsr"),
  fsrm: csrSwap("frm"),
  fsflags: csrSwap("fflags"),
  fsrmi: csrSwapImm("frm"),
  fsflagsi: csrSwapImm("fflags"),
  fence: (ctx, ops, column, name) => {
    if (ops.length === 0) { ctx.emit(0x0ff0000f); return true; }
    expect(ops, 2, name, column);
    ctx.emit((0x0f | (fenceSet(ops[0]) << 24) | (fenceSet(ops[1]) << 20)) >>> 0);
    return true;
  },
  "sfence.vma": (ctx, ops, column) => {
    if (ops.length >= 2) return false;
    base(ctx, "sfence.vma", [ops[0] ?? "x0", "x0"], column);
    return true;
  },
  unimp: (ctx, ops, column, name) => {
    expect(ops, 0, name, column);
    if (ctx.rvc) ctx.emit16(0);
    else ctx.emit(0xc0001073, false);
    return true;
  },
  lb: symbolAccess("lb", false, false), lh: symbolAccess("lh", false, false), lw: symbolAccess("lw", false, false),
  ld: symbolAccess("ld", false, false), lbu: symbolAccess("lbu", false, false), lhu: symbolAccess("lhu", false, false),
  lwu: symbolAccess("lwu", false, false),
  sb: symbolAccess("sb", true, false), sh: symbolAccess("sh", true, false), sw: symbolAccess("sw", true, false),
  sd: symbolAccess("sd", true, false),
  flw: symbolAccess("flw", false, true), fld: symbolAccess("fld", false, true),
  fsw: symbolAccess("fsw", true, true), fsd: symbolAccess("fsd", true, true),
};

for (const [n, sh, arith] of [["zext.h", 48, false], ["zext.w", 32, false], ["sext.b", 56, true], ["sext.h", 48, true]] as const) {
  PSEUDO[n] = (ctx, ops, column, name) => {
    expect(ops, 2, name, column);
    const rd = ctx.xreg(ops[0]);
    const rs = ctx.xreg(ops[1]);
    ctx.emit((0x13 | (1 << 12) | (rd << 7) | (rs << 15) | (sh << 20)) >>> 0);
    ctx.emit((0x13 | (5 << 12) | (rd << 7) | (rd << 15) | (sh << 20) | (arith ? 0x40000000 : 0)) >>> 0);
    return true;
  };
}

function csrSwap(csr: string): Pseudo {
  return (ctx, ops, column, name) => {
    if (ops.length === 1) base(ctx, "csrrw", ["x0", csr, ops[0]], column);
    else { expect(ops, 2, name, column); base(ctx, "csrrw", [ops[0], csr, ops[1]], column); }
    return true;
  };
}

function csrSwapImm(csr: string): Pseudo {
  return (ctx, ops, column, name) => {
    if (ops.length === 1) base(ctx, "csrrwi", ["x0", csr, ops[0]], column);
    else { expect(ops, 2, name, column); base(ctx, "csrrwi", [ops[0], csr, ops[1]], column); }
    return true;
  };
}

function fenceSet(o: Operand): number {
  const t = o.text.toLowerCase();
  if (!/^[iorw]+$/.test(t)) throw new StatementError(`bad fence set '${o.text}' (expected letters of iorw)`, o.column);
  let v = 0;
  for (const c of t) v |= { i: 8, o: 4, r: 2, w: 1 }[c as "i" | "o" | "r" | "w"];
  return v;
}

/** jalr/jr/ret. Only the register-only forms (`jr rs`, `jalr rs`, `ret`) compress, as in gas. */
function jalrForm(ctx: InsnContext, rd: number, rsOp: Operand, offOp: Operand | null, short: boolean): void {
  const rs = ctx.xreg(rsOp);
  let imm = 0;
  if (offOp) {
    const v = constImm(ctx, offOp, "jalr");
    if (!signedFits(v, 12)) rangeError("jalr", v, -2048n, 2047n, offOp.column);
    imm = Number(v);
  }
  if (short && ctx.rvc && rs !== 0) {
    ctx.emit16((rd === 0 ? 0x8002 : 0x9002) | (rs << 7));
    return;
  }
  ctx.emit((0x67 | (rd << 7) | (rs << 15) | ((imm & 0xfff) << 20)) >>> 0, false);
}

function callPair(ctx: InsnContext, tmp: number, rd: number, target: Value, column: number): void {
  ctx.emitFixup(0x17 | (tmp << 7), "call", target, column);
  ctx.emit((0x67 | (rd << 7) | (tmp << 15)) >>> 0, false);
}

export { ZERO };
