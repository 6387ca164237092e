// F and D arithmetic, conversions and moves (unprivileged spec ch. 13-14).
// Loads and stores of FP registers stay in the run loop for its TLB fast path.
import * as hart from "./hart";
import * as fpu from "./fpu";
import {
  OP_FMADD_S, OP_FMSUB_S, OP_FNMSUB_S, OP_FNMADD_S, OP_FADD_S, OP_FSUB_S, OP_FMUL_S, OP_FDIV_S, OP_FSQRT_S,
  OP_FSGNJ_S, OP_FSGNJN_S, OP_FSGNJX_S, OP_FMIN_S, OP_FMAX_S, OP_FCVT_W_S, OP_FCVT_WU_S, OP_FCVT_L_S,
  OP_FCVT_LU_S, OP_FMV_X_W, OP_FCLASS_S, OP_FEQ_S, OP_FLT_S, OP_FLE_S, OP_FCVT_S_W, OP_FCVT_S_WU, OP_FCVT_S_L,
  OP_FCVT_S_LU, OP_FMV_W_X, OP_FMADD_D, OP_FMSUB_D, OP_FNMSUB_D, OP_FNMADD_D, OP_FADD_D, OP_FSUB_D, OP_FMUL_D,
  OP_FDIV_D, OP_FSQRT_D, OP_FSGNJ_D, OP_FSGNJN_D, OP_FSGNJX_D, OP_FMIN_D, OP_FMAX_D, OP_FCVT_W_D, OP_FCVT_WU_D,
  OP_FCVT_L_D, OP_FCVT_LU_D, OP_FMV_X_D, OP_FCLASS_D, OP_FEQ_D, OP_FLT_D, OP_FLE_D, OP_FCVT_D_W, OP_FCVT_D_WU,
  OP_FCVT_D_L, OP_FCVT_D_LU, OP_FMV_D_X, OP_FCVT_S_D, OP_FCVT_D_S,
} from "./ops";

const BOX: u64 = 0xFFFF_FFFF_0000_0000;
const SIGN32: u32 = 0x8000_0000;
const SIGN64: u64 = 0x8000_0000_0000_0000;
const CANONICAL_NAN32: u32 = 0x7FC0_0000;

// A single read from a register that does not hold a NaN-boxed value is the canonical NaN (13.2).
@inline function s(r: u32): u32 {
  const v = hart.getF(r);
  return (v & BOX) == BOX ? <u32>v : CANONICAL_NAN32;
}

@inline function setS(r: u32, v: u32): void {
  hart.setF(r, BOX | <u64>v);
}

@inline function d(r: u32): u64 {
  return hart.getF(r);
}

@inline export function fpEnabled(): bool {
  return (hart.mstatus & hart.MSTATUS_FS) != 0;
}

// The rounding mode an instruction uses, or 5 (invalid) for reserved/dynamic-invalid modes.
@inline function roundingMode(imm: i32): u32 {
  const rm = (<u32>imm >> 5) & 7;
  return rm == 7 ? hart.frm : rm;
}

@inline function sext32(v: u32): u64 {
  return <u64><i64><i32>v;
}

// Executes one F/D computational instruction; returns false if it is illegal
// (FP disabled, or an invalid rounding mode).
export function executeFp(op: u32, rd: u32, rs1: u32, rs2: u32, imm: i32): bool {
  if (!fpEnabled()) return false;
  const rm = roundingMode(imm);
  if (rm > 4) return false;
  const rs3 = <u32>imm & 31;
  switch (op) {
    case OP_FMADD_S: setS(rd, fpu.f32MulAdd(s(rs1), s(rs2), s(rs3), rm)); break;
    case OP_FMSUB_S: setS(rd, fpu.f32MulAdd(s(rs1), s(rs2), s(rs3) ^ SIGN32, rm)); break;
    case OP_FNMSUB_S: setS(rd, fpu.f32MulAdd(s(rs1) ^ SIGN32, s(rs2), s(rs3), rm)); break;
    case OP_FNMADD_S: setS(rd, fpu.f32MulAdd(s(rs1) ^ SIGN32, s(rs2), s(rs3) ^ SIGN32, rm)); break;
    case OP_FADD_S: setS(rd, fpu.f32Add(s(rs1), s(rs2), rm)); break;
    case OP_FSUB_S: setS(rd, fpu.f32Sub(s(rs1), s(rs2), rm)); break;
    case OP_FMUL_S: setS(rd, fpu.f32Mul(s(rs1), s(rs2), rm)); break;
    case OP_FDIV_S: setS(rd, fpu.f32Div(s(rs1), s(rs2), rm)); break;
    case OP_FSQRT_S: setS(rd, fpu.f32Sqrt(s(rs1), rm)); break;
    case OP_FSGNJ_S: setS(rd, (s(rs1) & ~SIGN32) | (s(rs2) & SIGN32)); break;
    case OP_FSGNJN_S: setS(rd, (s(rs1) & ~SIGN32) | (~s(rs2) & SIGN32)); break;
    case OP_FSGNJX_S: setS(rd, s(rs1) ^ (s(rs2) & SIGN32)); break;
    case OP_FMIN_S: setS(rd, <u32>fpu.f32Min(s(rs1), s(rs2))); break;
    case OP_FMAX_S: setS(rd, <u32>fpu.f32Max(s(rs1), s(rs2))); break;
    case OP_FCVT_W_S: hart.setX(rd, fpu.f32ToI32(s(rs1), rm)); break;
    case OP_FCVT_WU_S: hart.setX(rd, fpu.f32ToU32(s(rs1), rm)); break;
    case OP_FCVT_L_S: hart.setX(rd, fpu.f32ToI64(s(rs1), rm)); break;
    case OP_FCVT_LU_S: hart.setX(rd, fpu.f32ToU64(s(rs1), rm)); break;
    case OP_FMV_X_W: hart.setX(rd, sext32(<u32>hart.getF(rs1))); break; // raw low bits, no unboxing
    case OP_FCLASS_S: hart.setX(rd, fpu.f32Classify(s(rs1))); break;
    case OP_FEQ_S: hart.setX(rd, fpu.f32Eq(s(rs1), s(rs2))); break;
    case OP_FLT_S: hart.setX(rd, fpu.f32Lt(s(rs1), s(rs2))); break;
    case OP_FLE_S: hart.setX(rd, fpu.f32Le(s(rs1), s(rs2))); break;
    case OP_FCVT_S_W: setS(rd, fpu.i32ToF32(hart.getX(rs1), rm)); break;
    case OP_FCVT_S_WU: setS(rd, fpu.u32ToF32(hart.getX(rs1), rm)); break;
    case OP_FCVT_S_L: setS(rd, fpu.i64ToF32(hart.getX(rs1), rm)); break;
    case OP_FCVT_S_LU: setS(rd, fpu.u64ToF32(hart.getX(rs1), rm)); break;
    case OP_FMV_W_X: setS(rd, <u32>hart.getX(rs1)); break;

    case OP_FMADD_D: hart.setF(rd, fpu.f64MulAdd(d(rs1), d(rs2), d(rs3), rm)); break;
    case OP_FMSUB_D: hart.setF(rd, fpu.f64MulAdd(d(rs1), d(rs2), d(rs3) ^ SIGN64, rm)); break;
    case OP_FNMSUB_D: hart.setF(rd, fpu.f64MulAdd(d(rs1) ^ SIGN64, d(rs2), d(rs3), rm)); break;
    case OP_FNMADD_D: hart.setF(rd, fpu.f64MulAdd(d(rs1) ^ SIGN64, d(rs2), d(rs3) ^ SIGN64, rm)); break;
    case OP_FADD_D: hart.setF(rd, fpu.f64Add(d(rs1), d(rs2), rm)); break;
    case OP_FSUB_D: hart.setF(rd, fpu.f64Sub(d(rs1), d(rs2), rm)); break;
    case OP_FMUL_D: hart.setF(rd, fpu.f64Mul(d(rs1), d(rs2), rm)); break;
    case OP_FDIV_D: hart.setF(rd, fpu.f64Div(d(rs1), d(rs2), rm)); break;
    case OP_FSQRT_D: hart.setF(rd, fpu.f64Sqrt(d(rs1), rm)); break;
    case OP_FSGNJ_D: hart.setF(rd, (d(rs1) & ~SIGN64) | (d(rs2) & SIGN64)); break;
    case OP_FSGNJN_D: hart.setF(rd, (d(rs1) & ~SIGN64) | (~d(rs2) & SIGN64)); break;
    case OP_FSGNJX_D: hart.setF(rd, d(rs1) ^ (d(rs2) & SIGN64)); break;
    case OP_FMIN_D: hart.setF(rd, fpu.f64Min(d(rs1), d(rs2))); break;
    case OP_FMAX_D: hart.setF(rd, fpu.f64Max(d(rs1), d(rs2))); break;
    case OP_FCVT_W_D: hart.setX(rd, fpu.f64ToI32(d(rs1), rm)); break;
    case OP_FCVT_WU_D: hart.setX(rd, fpu.f64ToU32(d(rs1), rm)); break;
    case OP_FCVT_L_D: hart.setX(rd, fpu.f64ToI64(d(rs1), rm)); break;
    case OP_FCVT_LU_D: hart.setX(rd, fpu.f64ToU64(d(rs1), rm)); break;
    case OP_FMV_X_D: hart.setX(rd, d(rs1)); break;
    case OP_FCLASS_D: hart.setX(rd, fpu.f64Classify(d(rs1))); break;
    case OP_FEQ_D: hart.setX(rd, fpu.f64Eq(d(rs1), d(rs2))); break;
    case OP_FLT_D: hart.setX(rd, fpu.f64Lt(d(rs1), d(rs2))); break;
    case OP_FLE_D: hart.setX(rd, fpu.f64Le(d(rs1), d(rs2))); break;
    case OP_FCVT_D_W: hart.setF(rd, fpu.i32ToF64(hart.getX(rs1), rm)); break;
    case OP_FCVT_D_WU: hart.setF(rd, fpu.u32ToF64(hart.getX(rs1), rm)); break;
    case OP_FCVT_D_L: hart.setF(rd, fpu.i64ToF64(hart.getX(rs1), rm)); break;
    case OP_FCVT_D_LU: hart.setF(rd, fpu.u64ToF64(hart.getX(rs1), rm)); break;
    case OP_FMV_D_X: hart.setF(rd, hart.getX(rs1)); break;
    case OP_FCVT_S_D: setS(rd, fpu.f64ToF32(d(rs1), rm)); break;
    case OP_FCVT_D_S: hart.setF(rd, fpu.f32ToF64(s(rs1))); break;
    default: return false;
  }
  hart.mstatus |= hart.MSTATUS_FS_DIRTY;
  return true;
}
