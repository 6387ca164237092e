// Instruction decoding into cache entries (RV64GC, unprivileged spec ch. 2-16
// and the C extension's expansion table). An entry is one u64:
//   bits 0-7 op | 8-13 rd | 14-18 rs1 | 19-23 rs2 | 24 compressed
//   | 25-36 count (instructions from here to the end of the basic block,
//   filled in by the block decoder) | 43-63 imm (21 bits, signed)
// LUI and AUIPC keep imm >> 12; CSR ops the CSR number; FP ops that round
// their rounding mode (R4 ops: rs3 | rm << 5). Integer destinations x0
// become the write sink, so execution needs no x0 test.
import { X_SINK } from "./layout";
import {
  OP_ILLEGAL, OP_LUI, OP_AUIPC, OP_JAL, OP_JALR, OP_BEQ, OP_LB, OP_SB, OP_ADDI, OP_SLTI, OP_SLTIU, OP_XORI,
  OP_ORI, OP_ANDI, OP_SLLI, OP_SRLI, OP_SRAI, OP_ADD, OP_SUB, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_SRA,
  OP_OR, OP_AND, OP_ADDIW, OP_SLLIW, OP_SRLIW, OP_SRAIW, OP_ADDW, OP_SUBW, OP_SLLW, OP_SRLW, OP_SRAW, OP_MUL,
  OP_MULW, OP_DIVW, OP_DIVUW, OP_REMW, OP_REMUW, OP_FENCE, OP_FENCE_I, OP_ECALL, OP_EBREAK, OP_MRET, OP_SRET,
  OP_WFI, OP_SFENCE_VMA, OP_CSRRW, OP_LR_W, OP_SC_W, OP_AMOSWAP_W, OP_AMOADD_W, OP_AMOXOR_W, OP_AMOAND_W,
  OP_AMOOR_W, OP_AMOMIN_W, OP_AMOMAX_W, OP_AMOMINU_W, OP_AMOMAXU_W, OP_LR_D, OP_FLW, OP_FSW, OP_FLD, OP_FSD,
  OP_FMADD_S, OP_FMADD_D, OP_FADD_S, OP_FSUB_S, OP_FMUL_S, OP_FDIV_S, OP_FSQRT_S, OP_FSGNJ_S, OP_FMIN_S,
  OP_FCVT_W_S, OP_FMV_X_W, OP_FCLASS_S, OP_FEQ_S, OP_FLT_S, OP_FLE_S, OP_FCVT_S_W, OP_FMV_W_X, OP_FADD_D,
  OP_FSUB_D, OP_FMUL_D, OP_FDIV_D, OP_FSQRT_D, OP_FSGNJ_D, OP_FMIN_D, OP_FCVT_W_D, OP_FMV_X_D, OP_FCLASS_D,
  OP_FEQ_D, OP_FLT_D, OP_FLE_D, OP_FCVT_D_W, OP_FMV_D_X, OP_FCVT_S_D, OP_FCVT_D_S, OP_LI, OP_MV, OP_LD, OP_SD,
  OP_LW, OP_SW, OP_FMAX_S, OP_FMAX_D, compressedOp,
} from "./ops";

const COMPRESSED: u64 = 1 << 24;
export const COUNT_SHIFT: u64 = 25;
export const COUNT_MASK: u64 = 0xFFF;

@inline function entry(op: u32, rd: u32, rs1: u32, rs2: u32, imm: i32): u64 {
  return <u64>op | (<u64>rd << 8) | (<u64>rs1 << 14) | (<u64>rs2 << 19) | (<u64><i64>imm << 43);
}

// Integer destination: x0 writes go to the sink.
@inline function xd(rd: u32): u32 {
  return rd == 0 ? X_SINK : rd;
}

// The instruction bits for mtval are read back from memory when it traps.
function illegal(insn: u32): u64 {
  return entry(OP_ILLEGAL, 0, 0, 0, 0);
}

// I-type ALU op with the common special cases turned into cheaper ops.
function aluImm(op: u32, rd: u32, rs1: u32, imm: i32): u64 {
  if (op == OP_ADDI) {
    if (rs1 == 0) return entry(OP_LI, xd(rd), 0, 0, imm);
    if (imm == 0) return entry(OP_MV, xd(rd), rs1, 0, 0);
  }
  return entry(op, xd(rd), rs1, 0, imm);
}

export function decode32(insn: u32): u64 {
  const rd = (insn >> 7) & 31;
  const rs1 = (insn >> 15) & 31;
  const rs2 = (insn >> 20) & 31;
  const f3 = (insn >> 12) & 7;
  const f7 = insn >> 25;
  const immI = <i32>insn >> 20;
  switch (insn & 0x7F) {
    case 0x37: return entry(OP_LUI, xd(rd), 0, 0, <i32>insn >> 12);
    case 0x17: return entry(OP_AUIPC, xd(rd), 0, 0, <i32>insn >> 12);
    case 0x6F: return entry(OP_JAL, xd(rd), 0, 0, immJ(insn));
    case 0x67: return f3 == 0 ? entry(OP_JALR, xd(rd), rs1, 0, immI) : illegal(insn);
    case 0x63: {
      if (f3 == 2 || f3 == 3) return illegal(insn);
      // BEQ BNE _ _ BLT BGE BLTU BGEU map onto six consecutive ops.
      const op = OP_BEQ + (f3 < 2 ? f3 : f3 - 2);
      return entry(op, 0, rs1, rs2, immB(insn));
    }
    case 0x03: return f3 == 7 ? illegal(insn) : entry(OP_LB + f3, xd(rd), rs1, 0, immI);
    case 0x23: return f3 > 3 ? illegal(insn) : entry(OP_SB + f3, 0, rs1, rs2, immS(insn));
    case 0x13: return decodeOpImm(insn, rd, rs1, f3, immI);
    case 0x1B: return decodeOpImm32(insn, rd, rs1, f3, immI);
    case 0x33: return decodeOp(insn, rd, rs1, rs2, f3, f7);
    case 0x3B: return decodeOp32(insn, rd, rs1, rs2, f3, f7);
    case 0x0F:
      if (f3 == 0) return entry(OP_FENCE, 0, 0, 0, 0);
      if (f3 == 1) return entry(OP_FENCE_I, 0, 0, 0, 0);
      return illegal(insn);
    case 0x73: return decodeSystem(insn, rd, rs1, f3);
    case 0x2F: return decodeAmo(insn, rd, rs1, rs2, f3);
    case 0x07:
      if (f3 == 2) return entry(OP_FLW, rd, rs1, 0, immI);
      if (f3 == 3) return entry(OP_FLD, rd, rs1, 0, immI);
      return illegal(insn);
    case 0x27:
      if (f3 == 2) return entry(OP_FSW, 0, rs1, rs2, immS(insn));
      if (f3 == 3) return entry(OP_FSD, 0, rs1, rs2, immS(insn));
      return illegal(insn);
    case 0x43: case 0x47: case 0x4B: case 0x4F: {
      const fmt = f7 & 3;
      if (fmt > 1 || f3 == 5 || f3 == 6) return illegal(insn);
      const base = fmt == 0 ? OP_FMADD_S : OP_FMADD_D;
      return entry(base + (((insn & 0x7F) - 0x43) >> 2), rd, rs1, rs2, <i32>((insn >> 27) | (f3 << 5)));
    }
    case 0x53: return decodeOpFp(insn, rd, rs1, rs2, f3, f7);
  }
  return illegal(insn);
}

function decodeOpImm(insn: u32, rd: u32, rs1: u32, f3: u32, imm: i32): u64 {
  const shamt = <i32>((insn >> 20) & 63);
  const hi6 = insn >> 26;
  switch (f3) {
    case 0: return aluImm(OP_ADDI, rd, rs1, imm);
    case 2: return aluImm(OP_SLTI, rd, rs1, imm);
    case 3: return aluImm(OP_SLTIU, rd, rs1, imm);
    case 4: return aluImm(OP_XORI, rd, rs1, imm);
    case 6: return aluImm(OP_ORI, rd, rs1, imm);
    case 7: return aluImm(OP_ANDI, rd, rs1, imm);
    case 1: return hi6 == 0 ? aluImm(OP_SLLI, rd, rs1, shamt) : illegal(insn);
    case 5:
      if (hi6 == 0) return aluImm(OP_SRLI, rd, rs1, shamt);
      if (hi6 == 0x10) return aluImm(OP_SRAI, rd, rs1, shamt);
  }
  return illegal(insn);
}

function decodeOpImm32(insn: u32, rd: u32, rs1: u32, f3: u32, imm: i32): u64 {
  const shamt = <i32>((insn >> 20) & 31);
  const f7 = insn >> 25;
  if (f3 == 0) return entry(OP_ADDIW, xd(rd), rs1, 0, imm);
  if (f3 == 1 && f7 == 0) return entry(OP_SLLIW, xd(rd), rs1, 0, shamt);
  if (f3 == 5 && f7 == 0) return entry(OP_SRLIW, xd(rd), rs1, 0, shamt);
  if (f3 == 5 && f7 == 0x20) return entry(OP_SRAIW, xd(rd), rs1, 0, shamt);
  return illegal(insn);
}

function decodeOp(insn: u32, rd: u32, rs1: u32, rs2: u32, f3: u32, f7: u32): u64 {
  let op: u32 = OP_ILLEGAL;
  if (f7 == 0) {
    switch (f3) {
      case 0: op = OP_ADD; break;
      case 1: op = OP_SLL; break;
      case 2: op = OP_SLT; break;
      case 3: op = OP_SLTU; break;
      case 4: op = OP_XOR; break;
      case 5: op = OP_SRL; break;
      case 6: op = OP_OR; break;
      default: op = OP_AND;
    }
  } else if (f7 == 0x20) {
    if (f3 == 0) op = OP_SUB;
    else if (f3 == 5) op = OP_SRA;
  } else if (f7 == 1) {
    op = OP_MUL + f3; // MUL MULH MULHSU MULHU DIV DIVU REM REMU
  }
  return op == OP_ILLEGAL ? illegal(insn) : entry(op, xd(rd), rs1, rs2, 0);
}

function decodeOp32(insn: u32, rd: u32, rs1: u32, rs2: u32, f3: u32, f7: u32): u64 {
  let op: u32 = OP_ILLEGAL;
  if (f7 == 0) {
    if (f3 == 0) op = OP_ADDW;
    else if (f3 == 1) op = OP_SLLW;
    else if (f3 == 5) op = OP_SRLW;
  } else if (f7 == 0x20) {
    if (f3 == 0) op = OP_SUBW;
    else if (f3 == 5) op = OP_SRAW;
  } else if (f7 == 1) {
    if (f3 == 0) op = OP_MULW;
    else if (f3 == 4) op = OP_DIVW;
    else if (f3 == 5) op = OP_DIVUW;
    else if (f3 == 6) op = OP_REMW;
    else if (f3 == 7) op = OP_REMUW;
  }
  return op == OP_ILLEGAL ? illegal(insn) : entry(op, xd(rd), rs1, rs2, 0);
}

function decodeSystem(insn: u32, rd: u32, rs1: u32, f3: u32): u64 {
  if (f3 == 0) {
    if (insn == 0x0000_0073) return entry(OP_ECALL, 0, 0, 0, 0);
    if (insn == 0x0010_0073) return entry(OP_EBREAK, 0, 0, 0, 0);
    if (insn == 0x3020_0073) return entry(OP_MRET, 0, 0, 0, 0);
    if (insn == 0x1020_0073) return entry(OP_SRET, 0, 0, 0, 0);
    if (insn == 0x1050_0073) return entry(OP_WFI, 0, 0, 0, 0);
    if ((insn >> 25) == 0x09 && rd == 0) return entry(OP_SFENCE_VMA, 0, rs1, (insn >> 20) & 31, 0);
    return illegal(insn);
  }
  if (f3 == 4) return illegal(insn);
  // CSRRW CSRRS CSRRC, then the immediate forms; rs1 holds uimm for those.
  const op = OP_CSRRW + (f3 & 3) - 1 + (f3 >= 5 ? 3 : 0);
  return entry(op, xd(rd), rs1, 0, <i32>(insn >> 20));
}

function decodeAmo(insn: u32, rd: u32, rs1: u32, rs2: u32, f3: u32): u64 {
  if (f3 != 2 && f3 != 3) return illegal(insn);
  const base = f3 == 2 ? OP_LR_W : OP_LR_D;
  let k: i32 = -1;
  switch (insn >> 27) {
    case 0x02: k = rs2 == 0 ? 0 : -1; break; // LR
    case 0x03: k = 1; break; // SC
    case 0x01: k = 2; break; // SWAP
    case 0x00: k = 3; break; // ADD
    case 0x04: k = 4; break; // XOR
    case 0x0C: k = 5; break; // AND
    case 0x08: k = 6; break; // OR
    case 0x10: k = 7; break; // MIN
    case 0x14: k = 8; break; // MAX
    case 0x18: k = 9; break; // MINU
    case 0x1C: k = 10; break; // MAXU
  }
  return k < 0 ? illegal(insn) : entry(base + <u32>k, xd(rd), rs1, rs2, 0);
}

// Ops that round take rm from funct3; 5 and 6 are reserved (7 = dynamic is checked at run time).
function withRm(insn: u32, op: u32, rd: u32, rs1: u32, rs2: u32, f3: u32): u64 {
  if (f3 == 5 || f3 == 6) return illegal(insn);
  return entry(op, rd, rs1, rs2, <i32>(f3 << 5));
}

function decodeOpFp(insn: u32, rd: u32, rs1: u32, rs2: u32, f3: u32, f7: u32): u64 {
  const d = f7 & 1; // fmt: 0 = S, 1 = D (2 = H and 3 = Q are not implemented)
  if ((f7 & 2) != 0) return illegal(insn);
  const xrd = xd(rd);
  switch (f7 & ~<u32>1) {
    case 0x00: return withRm(insn, d ? OP_FADD_D : OP_FADD_S, rd, rs1, rs2, f3);
    case 0x04: return withRm(insn, d ? OP_FSUB_D : OP_FSUB_S, rd, rs1, rs2, f3);
    case 0x08: return withRm(insn, d ? OP_FMUL_D : OP_FMUL_S, rd, rs1, rs2, f3);
    case 0x0C: return withRm(insn, d ? OP_FDIV_D : OP_FDIV_S, rd, rs1, rs2, f3);
    case 0x2C: return rs2 == 0 ? withRm(insn, d ? OP_FSQRT_D : OP_FSQRT_S, rd, rs1, 0, f3) : illegal(insn);
    case 0x10: return f3 <= 2 ? entry((d ? OP_FSGNJ_D : OP_FSGNJ_S) + f3, rd, rs1, rs2, 0) : illegal(insn);
    case 0x14:
      if (f3 == 0) return entry(d ? OP_FMIN_D : OP_FMIN_S, rd, rs1, rs2, 0);
      if (f3 == 1) return entry(d ? OP_FMAX_D : OP_FMAX_S, rd, rs1, rs2, 0);
      return illegal(insn);
    case 0x60: return rs2 <= 3 ? withRm(insn, (d ? OP_FCVT_W_D : OP_FCVT_W_S) + rs2, xrd, rs1, 0, f3) : illegal(insn);
    case 0x68: return rs2 <= 3 ? withRm(insn, (d ? OP_FCVT_D_W : OP_FCVT_S_W) + rs2, rd, rs1, 0, f3) : illegal(insn);
    case 0x70:
      if (rs2 != 0) return illegal(insn);
      if (f3 == 0) return entry(d ? OP_FMV_X_D : OP_FMV_X_W, xrd, rs1, 0, 0);
      if (f3 == 1) return entry(d ? OP_FCLASS_D : OP_FCLASS_S, xrd, rs1, 0, 0);
      return illegal(insn);
    case 0x78: return rs2 == 0 && f3 == 0 ? entry(d ? OP_FMV_D_X : OP_FMV_W_X, rd, rs1, 0, 0) : illegal(insn);
    case 0x50:
      if (f3 == 0) return entry(d ? OP_FLE_D : OP_FLE_S, xrd, rs1, rs2, 0);
      if (f3 == 1) return entry(d ? OP_FLT_D : OP_FLT_S, xrd, rs1, rs2, 0);
      if (f3 == 2) return entry(d ? OP_FEQ_D : OP_FEQ_S, xrd, rs1, rs2, 0);
      return illegal(insn);
    case 0x20: // fcvt.s.d (fmt S, rs2 = 1) and fcvt.d.s (fmt D, rs2 = 0)
      if (d == 0 && rs2 == 1) return withRm(insn, OP_FCVT_S_D, rd, rs1, 0, f3);
      if (d == 1 && rs2 == 0) return withRm(insn, OP_FCVT_D_S, rd, rs1, 0, f3);
      return illegal(insn);
  }
  return illegal(insn);
}

@inline function immS(insn: u32): i32 {
  return ((<i32>insn >> 25) << 5) | <i32>((insn >> 7) & 31);
}

@inline function immB(insn: u32): i32 {
  return ((<i32>insn >> 31) << 12) | <i32>(((insn >> 7) & 1) << 11) | <i32>(((insn >> 25) & 63) << 5) | <i32>(((insn >> 8) & 15) << 1);
}

@inline function immJ(insn: u32): i32 {
  return ((<i32>insn >> 31) << 20) | <i32>(insn & 0xFF000) | <i32>(((insn >> 20) & 1) << 11) | <i32>(((insn >> 21) & 0x3FF) << 1);
}

// ---- compressed --------------------------------------------------------

@inline function bits(x: u32, hi: u32, lo: u32): u32 {
  return (x >> lo) & ((1 << (hi - lo + 1)) - 1);
}

@inline function sext(x: u32, width: u32): i32 {
  return (<i32>(x << (32 - width))) >> (32 - width);
}

// Mark an expanded entry as compressed: its own op number, and the length bit.
function c(e: u64): u64 {
  const op = <u32>e & 0xFF;
  if (op == OP_ILLEGAL) return e;
  return (e & ~<u64>0xFF) | <u64>compressedOp(op) | COMPRESSED;
}

export function decode16(insn: u32): u64 {
  const f3 = insn >> 13;
  const rd = bits(insn, 11, 7);
  const rs2 = bits(insn, 6, 2);
  const rdp = 8 + bits(insn, 4, 2); // rd' / rs2'
  const rs1p = 8 + bits(insn, 9, 7); // rs1' / rd'
  const imm6 = sext((bits(insn, 12, 12) << 5) | bits(insn, 6, 2), 6);
  switch (insn & 3) {
    case 0: {
      const off8 = (bits(insn, 12, 10) << 3) | (bits(insn, 6, 5) << 6); // C.LD/C.SD/C.FLD/C.FSD
      const off4 = (bits(insn, 12, 10) << 3) | (bits(insn, 6, 6) << 2) | (bits(insn, 5, 5) << 6); // C.LW/C.SW
      switch (f3) {
        case 0: {
          const imm = (bits(insn, 12, 11) << 4) | (bits(insn, 10, 7) << 6) | (bits(insn, 6, 6) << 2) | (bits(insn, 5, 5) << 3);
          return imm == 0 ? illegal(insn) : c(entry(OP_ADDI, rdp, 2, 0, <i32>imm));
        }
        case 1: return c(entry(OP_FLD, rdp, rs1p, 0, <i32>off8));
        case 2: return c(entry(OP_LW, rdp, rs1p, 0, <i32>off4));
        case 3: return c(entry(OP_LD, rdp, rs1p, 0, <i32>off8));
        case 5: return c(entry(OP_FSD, 0, rs1p, rdp, <i32>off8));
        case 6: return c(entry(OP_SW, 0, rs1p, rdp, <i32>off4));
        case 7: return c(entry(OP_SD, 0, rs1p, rdp, <i32>off8));
      }
      return illegal(insn);
    }
    case 1: {
      switch (f3) {
        case 0: return c(aluImm(OP_ADDI, rd, rd, imm6)); // C.NOP when rd = 0 (a hint)
        case 1: return rd == 0 ? illegal(insn) : c(entry(OP_ADDIW, rd, rd, 0, imm6));
        case 2: return c(aluImm(OP_ADDI, rd, 0, imm6));
        case 3: {
          if (rd == 2) {
            const imm = sext((bits(insn, 12, 12) << 9) | (bits(insn, 6, 6) << 4) | (bits(insn, 5, 5) << 6) | (bits(insn, 4, 3) << 7) | (bits(insn, 2, 2) << 5), 10);
            return imm == 0 ? illegal(insn) : c(entry(OP_ADDI, 2, 2, 0, imm));
          }
          const imm = sext((bits(insn, 12, 12) << 5) | bits(insn, 6, 2), 6); // imm >> 12
          return imm == 0 ? illegal(insn) : c(entry(OP_LUI, xd(rd), 0, 0, imm));
        }
        case 4: return decodeCArith(insn, rs1p, rdp, imm6);
        case 5: return c(entry(OP_JAL, X_SINK, 0, 0, immCJ(insn)));
        case 6: return c(entry(OP_BEQ, 0, rs1p, 0, immCB(insn))); // C.BEQZ: the run loop compares with zero directly
        case 7: return c(entry(OP_BEQ + 1, 0, rs1p, 0, immCB(insn))); // BNE
      }
      return illegal(insn);
    }
    case 2: {
      switch (f3) {
        case 0: return c(aluImm(OP_SLLI, rd, rd, <i32>((bits(insn, 12, 12) << 5) | rs2)));
        case 1: return c(entry(OP_FLD, rd, 2, 0, <i32>((bits(insn, 12, 12) << 5) | (bits(insn, 6, 5) << 3) | (bits(insn, 4, 2) << 6))));
        case 2:
          if (rd == 0) return illegal(insn);
          return c(entry(OP_LW, rd, 2, 0, <i32>((bits(insn, 12, 12) << 5) | (bits(insn, 6, 4) << 2) | (bits(insn, 3, 2) << 6))));
        case 3:
          if (rd == 0) return illegal(insn);
          return c(entry(OP_LD, rd, 2, 0, <i32>((bits(insn, 12, 12) << 5) | (bits(insn, 6, 5) << 3) | (bits(insn, 4, 2) << 6))));
        case 4: {
          if (bits(insn, 12, 12) == 0) {
            if (rs2 == 0) return rd == 0 ? illegal(insn) : c(entry(OP_JALR, X_SINK, rd, 0, 0)); // C.JR
            return c(entry(OP_MV, xd(rd), rs2, 0, 0)); // C.MV
          }
          if (rs2 == 0) {
            if (rd == 0) return c(entry(OP_EBREAK, 0, 0, 0, 0));
            return c(entry(OP_JALR, 1, rd, 0, 0)); // C.JALR
          }
          return c(entry(OP_ADD, xd(rd), rd, rs2, 0));
        }
        case 5: return c(entry(OP_FSD, 0, 2, rs2, <i32>((bits(insn, 12, 10) << 3) | (bits(insn, 9, 7) << 6))));
        case 6: return c(entry(OP_SW, 0, 2, rs2, <i32>((bits(insn, 12, 9) << 2) | (bits(insn, 8, 7) << 6))));
        case 7: return c(entry(OP_SD, 0, 2, rs2, <i32>((bits(insn, 12, 10) << 3) | (bits(insn, 9, 7) << 6))));
      }
    }
  }
  return illegal(insn);
}

function decodeCArith(insn: u32, rdp: u32, rs2p: u32, imm6: i32): u64 {
  const shamt = <i32>((bits(insn, 12, 12) << 5) | bits(insn, 6, 2));
  switch (bits(insn, 11, 10)) {
    case 0: return c(entry(OP_SRLI, rdp, rdp, 0, shamt));
    case 1: return c(entry(OP_SRAI, rdp, rdp, 0, shamt));
    case 2: return c(entry(OP_ANDI, rdp, rdp, 0, imm6));
  }
  const sub = bits(insn, 6, 5);
  if (bits(insn, 12, 12) == 0) {
    const op = sub == 0 ? OP_SUB : sub == 1 ? OP_XOR : sub == 2 ? OP_OR : OP_AND;
    return c(entry(op, rdp, rdp, rs2p, 0));
  }
  if (sub == 0) return c(entry(OP_SUBW, rdp, rdp, rs2p, 0));
  if (sub == 1) return c(entry(OP_ADDW, rdp, rdp, rs2p, 0));
  return illegal(insn);
}

@inline function immCJ(insn: u32): i32 {
  return sext(
    (bits(insn, 12, 12) << 11) | (bits(insn, 11, 11) << 4) | (bits(insn, 10, 9) << 8) | (bits(insn, 8, 8) << 10) |
      (bits(insn, 7, 7) << 6) | (bits(insn, 6, 6) << 7) | (bits(insn, 5, 3) << 1) | (bits(insn, 2, 2) << 5),
    12,
  );
}

@inline function immCB(insn: u32): i32 {
  return sext(
    (bits(insn, 12, 12) << 8) | (bits(insn, 11, 10) << 3) | (bits(insn, 6, 5) << 6) | (bits(insn, 4, 3) << 1) | (bits(insn, 2, 2) << 5),
    9,
  );
}
