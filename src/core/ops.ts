// Operation numbers of decoded instructions: dense, so the run loop's
// switch compiles to a single br_table. 0 marks an entry not yet decoded.

export const OP_UNDECODED: u32 = 0;
export const OP_ILLEGAL: u32 = 1;
export const OP_LUI: u32 = 2;
export const OP_AUIPC: u32 = 3;
export const OP_JAL: u32 = 4;
export const OP_JALR: u32 = 5;
export const OP_BEQ: u32 = 6;
export const OP_BNE: u32 = 7;
export const OP_BLT: u32 = 8;
export const OP_BGE: u32 = 9;
export const OP_BLTU: u32 = 10;
export const OP_BGEU: u32 = 11;
export const OP_LB: u32 = 12;
export const OP_LH: u32 = 13;
export const OP_LW: u32 = 14;
export const OP_LD: u32 = 15;
export const OP_LBU: u32 = 16;
export const OP_LHU: u32 = 17;
export const OP_LWU: u32 = 18;
export const OP_SB: u32 = 19;
export const OP_SH: u32 = 20;
export const OP_SW: u32 = 21;
export const OP_SD: u32 = 22;
export const OP_ADDI: u32 = 23;
export const OP_SLTI: u32 = 24;
export const OP_SLTIU: u32 = 25;
export const OP_XORI: u32 = 26;
export const OP_ORI: u32 = 27;
export const OP_ANDI: u32 = 28;
export const OP_SLLI: u32 = 29;
export const OP_SRLI: u32 = 30;
export const OP_SRAI: u32 = 31;
export const OP_ADD: u32 = 32;
export const OP_SUB: u32 = 33;
export const OP_SLL: u32 = 34;
export const OP_SLT: u32 = 35;
export const OP_SLTU: u32 = 36;
export const OP_XOR: u32 = 37;
export const OP_SRL: u32 = 38;
export const OP_SRA: u32 = 39;
export const OP_OR: u32 = 40;
export const OP_AND: u32 = 41;
export const OP_ADDIW: u32 = 42;
export const OP_SLLIW: u32 = 43;
export const OP_SRLIW: u32 = 44;
export const OP_SRAIW: u32 = 45;
export const OP_ADDW: u32 = 46;
export const OP_SUBW: u32 = 47;
export const OP_SLLW: u32 = 48;
export const OP_SRLW: u32 = 49;
export const OP_SRAW: u32 = 50;
export const OP_MUL: u32 = 51;
export const OP_MULH: u32 = 52;
export const OP_MULHSU: u32 = 53;
export const OP_MULHU: u32 = 54;
export const OP_DIV: u32 = 55;
export const OP_DIVU: u32 = 56;
export const OP_REM: u32 = 57;
export const OP_REMU: u32 = 58;
export const OP_MULW: u32 = 59;
export const OP_DIVW: u32 = 60;
export const OP_DIVUW: u32 = 61;
export const OP_REMW: u32 = 62;
export const OP_REMUW: u32 = 63;
export const OP_FENCE: u32 = 64;
export const OP_FENCE_I: u32 = 65;
export const OP_ECALL: u32 = 66;
export const OP_EBREAK: u32 = 67;
export const OP_MRET: u32 = 68;
export const OP_SRET: u32 = 69;
export const OP_WFI: u32 = 70;
export const OP_SFENCE_VMA: u32 = 71;
export const OP_CSRRW: u32 = 72;
export const OP_CSRRS: u32 = 73;
export const OP_CSRRC: u32 = 74;
export const OP_CSRRWI: u32 = 75;
export const OP_CSRRSI: u32 = 76;
export const OP_CSRRCI: u32 = 77;
export const OP_LR_W: u32 = 78;
export const OP_SC_W: u32 = 79;
export const OP_AMOSWAP_W: u32 = 80;
export const OP_AMOADD_W: u32 = 81;
export const OP_AMOXOR_W: u32 = 82;
export const OP_AMOAND_W: u32 = 83;
export const OP_AMOOR_W: u32 = 84;
export const OP_AMOMIN_W: u32 = 85;
export const OP_AMOMAX_W: u32 = 86;
export const OP_AMOMINU_W: u32 = 87;
export const OP_AMOMAXU_W: u32 = 88;
export const OP_LR_D: u32 = 89;
export const OP_SC_D: u32 = 90;
export const OP_AMOSWAP_D: u32 = 91;
export const OP_AMOADD_D: u32 = 92;
export const OP_AMOXOR_D: u32 = 93;
export const OP_AMOAND_D: u32 = 94;
export const OP_AMOOR_D: u32 = 95;
export const OP_AMOMIN_D: u32 = 96;
export const OP_AMOMAX_D: u32 = 97;
export const OP_AMOMINU_D: u32 = 98;
export const OP_AMOMAXU_D: u32 = 99;
export const OP_FLW: u32 = 100;
export const OP_FSW: u32 = 101;
export const OP_FLD: u32 = 102;
export const OP_FSD: u32 = 103;
export const OP_FMADD_S: u32 = 104;
export const OP_FMSUB_S: u32 = 105;
export const OP_FNMSUB_S: u32 = 106;
export const OP_FNMADD_S: u32 = 107;
export const OP_FADD_S: u32 = 108;
export const OP_FSUB_S: u32 = 109;
export const OP_FMUL_S: u32 = 110;
export const OP_FDIV_S: u32 = 111;
export const OP_FSQRT_S: u32 = 112;
export const OP_FSGNJ_S: u32 = 113;
export const OP_FSGNJN_S: u32 = 114;
export const OP_FSGNJX_S: u32 = 115;
export const OP_FMIN_S: u32 = 116;
export const OP_FMAX_S: u32 = 117;
export const OP_FCVT_W_S: u32 = 118;
export const OP_FCVT_WU_S: u32 = 119;
export const OP_FCVT_L_S: u32 = 120;
export const OP_FCVT_LU_S: u32 = 121;
export const OP_FMV_X_W: u32 = 122;
export const OP_FCLASS_S: u32 = 123;
export const OP_FEQ_S: u32 = 124;
export const OP_FLT_S: u32 = 125;
export const OP_FLE_S: u32 = 126;
export const OP_FCVT_S_W: u32 = 127;
export const OP_FCVT_S_WU: u32 = 128;
export const OP_FCVT_S_L: u32 = 129;
export const OP_FCVT_S_LU: u32 = 130;
export const OP_FMV_W_X: u32 = 131;
export const OP_FMADD_D: u32 = 132;
export const OP_FMSUB_D: u32 = 133;
export const OP_FNMSUB_D: u32 = 134;
export const OP_FNMADD_D: u32 = 135;
export const OP_FADD_D: u32 = 136;
export const OP_FSUB_D: u32 = 137;
export const OP_FMUL_D: u32 = 138;
export const OP_FDIV_D: u32 = 139;
export const OP_FSQRT_D: u32 = 140;
export const OP_FSGNJ_D: u32 = 141;
export const OP_FSGNJN_D: u32 = 142;
export const OP_FSGNJX_D: u32 = 143;
export const OP_FMIN_D: u32 = 144;
export const OP_FMAX_D: u32 = 145;
export const OP_FCVT_W_D: u32 = 146;
export const OP_FCVT_WU_D: u32 = 147;
export const OP_FCVT_L_D: u32 = 148;
export const OP_FCVT_LU_D: u32 = 149;
export const OP_FMV_X_D: u32 = 150;
export const OP_FCLASS_D: u32 = 151;
export const OP_FEQ_D: u32 = 152;
export const OP_FLT_D: u32 = 153;
export const OP_FLE_D: u32 = 154;
export const OP_FCVT_D_W: u32 = 155;
export const OP_FCVT_D_WU: u32 = 156;
export const OP_FCVT_D_L: u32 = 157;
export const OP_FCVT_D_LU: u32 = 158;
export const OP_FMV_D_X: u32 = 159;
export const OP_FCVT_S_D: u32 = 160;
export const OP_FCVT_D_S: u32 = 161;
export const OP_LI: u32 = 162;
export const OP_MV: u32 = 163;
// Pseudo-ops of the decoded-instruction cache (see interp.ts).
export const OP_STRADDLE: u32 = 164; // a 32-bit instruction crossing into the next page
export const OP_PAGE_END: u32 = 165; // sentinel after the last entry of a page
export const OP_STOP: u32 = 166; // temporarily patched in where the instruction budget ends
export const OP_RESUME: u32 = 167; // follows a straddling instruction executed from scratch

// Compressed forms of the ops that RVC expands to, so that the run loop's
// step to the next entry is a constant (a dependency on the entry's bits
// would serialise instructions on the entry load).
export const OP_C_LI: u32 = 168;
export const OP_C_MV: u32 = 169;
export const OP_C_ADDI: u32 = 170;
export const OP_C_ADD: u32 = 171;
export const OP_C_SUB: u32 = 172;
export const OP_C_XOR: u32 = 173;
export const OP_C_OR: u32 = 174;
export const OP_C_AND: u32 = 175;
export const OP_C_ADDIW: u32 = 176;
export const OP_C_ADDW: u32 = 177;
export const OP_C_SUBW: u32 = 178;
export const OP_C_SLLI: u32 = 179;
export const OP_C_SRLI: u32 = 180;
export const OP_C_SRAI: u32 = 181;
export const OP_C_ANDI: u32 = 182;
export const OP_C_LUI: u32 = 183;
export const OP_C_LW: u32 = 184;
export const OP_C_LD: u32 = 185;
export const OP_C_SW: u32 = 186;
export const OP_C_SD: u32 = 187;
export const OP_C_FLD: u32 = 188;
export const OP_C_FSD: u32 = 189;
export const OP_C_JAL: u32 = 190;
export const OP_C_JALR: u32 = 191;
export const OP_C_BEQ: u32 = 192;
export const OP_C_BNE: u32 = 193;
export const OP_C_EBREAK: u32 = 194;

// Fused pairs (made by decodeBlock in interp.ts): the entry of the first
// instruction runs both, so the pair costs one dispatch. The second entry
// stays as decoded, for jumps into it and for a budget that stops between the
// two (patchStop). Each op falls into its second instruction's case in
// execute(), so a second op can have only one fused first: the pairs are the
// most frequent ones of intloop and coremark-like for each second op.
export const OP_F_C_ADDI_BNE: u32 = 195;
export const OP_F_C_SRLI_BGEU: u32 = 196;
export const OP_F_SLLI_SRLI: u32 = 197;
export const OP_F_SLLI_C_SRLI: u32 = 198;
export const OP_F_C_ADDIW_C_BNE: u32 = 199;
export const OP_F_C_SRLI_C_ADD: u32 = 200;
export const OP_F_SRLI_C_XOR: u32 = 201;
export const OP_F_ADDI_AND: u32 = 202;
export const OP_F_C_ADDW_ADDIW: u32 = 203;
export const OP_F_MULW_ADDW: u32 = 204;
export const OP_F_C_ADDIW_MULW: u32 = 205;
export const OP_F_C_ADDW_C_JAL: u32 = 206;
export const OP_F_C_SRLI_C_BEQ: u32 = 207;
export const OP_COUNT: u32 = 208;

// The fused op for a first instruction followed by a second, or 0.
export function fusedOp(first: u32, second: u32): u32 {
  switch (second) {
    case OP_BNE: return first == OP_C_ADDI ? OP_F_C_ADDI_BNE : 0;
    case OP_C_BNE: return first == OP_C_ADDIW ? OP_F_C_ADDIW_C_BNE : 0;
    case OP_BGEU: return first == OP_C_SRLI ? OP_F_C_SRLI_BGEU : 0;
    case OP_C_BEQ: return first == OP_C_SRLI ? OP_F_C_SRLI_C_BEQ : 0;
    case OP_SRLI: return first == OP_SLLI ? OP_F_SLLI_SRLI : 0;
    case OP_C_SRLI: return first == OP_SLLI ? OP_F_SLLI_C_SRLI : 0;
    case OP_C_ADD: return first == OP_C_SRLI ? OP_F_C_SRLI_C_ADD : 0;
    case OP_C_XOR: return first == OP_SRLI ? OP_F_SRLI_C_XOR : 0;
    case OP_AND: return first == OP_ADDI ? OP_F_ADDI_AND : 0;
    case OP_ADDIW: return first == OP_C_ADDW ? OP_F_C_ADDW_ADDIW : 0;
    case OP_ADDW: return first == OP_MULW ? OP_F_MULW_ADDW : 0;
    case OP_MULW: return first == OP_C_ADDIW ? OP_F_C_ADDIW_MULW : 0;
    case OP_C_JAL: return first == OP_C_ADDW ? OP_F_C_ADDW_C_JAL : 0;
  }
  return 0;
}

// The op of a fused pair's first instruction alone (identity for other ops).
export function unfusedOp(op: u32): u32 {
  switch (op) {
    case OP_F_C_ADDI_BNE: return OP_C_ADDI;
    case OP_F_C_SRLI_BGEU: return OP_C_SRLI;
    case OP_F_SLLI_SRLI: return OP_SLLI;
    case OP_F_SLLI_C_SRLI: return OP_SLLI;
    case OP_F_C_ADDIW_C_BNE: return OP_C_ADDIW;
    case OP_F_C_SRLI_C_ADD: return OP_C_SRLI;
    case OP_F_SRLI_C_XOR: return OP_SRLI;
    case OP_F_ADDI_AND: return OP_ADDI;
    case OP_F_C_ADDW_ADDIW: return OP_C_ADDW;
    case OP_F_MULW_ADDW: return OP_MULW;
    case OP_F_C_ADDIW_MULW: return OP_C_ADDIW;
    case OP_F_C_ADDW_C_JAL: return OP_C_ADDW;
    case OP_F_C_SRLI_C_BEQ: return OP_C_SRLI;
  }
  return op;
}

// The full-size op a compressed op stands for (identity for other ops).
export function uncompressedOp(op: u32): u32 {
  switch (op) {
    case OP_C_LI: return OP_LI;
    case OP_C_MV: return OP_MV;
    case OP_C_ADDI: return OP_ADDI;
    case OP_C_ADD: return OP_ADD;
    case OP_C_SUB: return OP_SUB;
    case OP_C_XOR: return OP_XOR;
    case OP_C_OR: return OP_OR;
    case OP_C_AND: return OP_AND;
    case OP_C_ADDIW: return OP_ADDIW;
    case OP_C_ADDW: return OP_ADDW;
    case OP_C_SUBW: return OP_SUBW;
    case OP_C_SLLI: return OP_SLLI;
    case OP_C_SRLI: return OP_SRLI;
    case OP_C_SRAI: return OP_SRAI;
    case OP_C_ANDI: return OP_ANDI;
    case OP_C_LUI: return OP_LUI;
    case OP_C_LW: return OP_LW;
    case OP_C_LD: return OP_LD;
    case OP_C_SW: return OP_SW;
    case OP_C_SD: return OP_SD;
    case OP_C_FLD: return OP_FLD;
    case OP_C_FSD: return OP_FSD;
    case OP_C_JAL: return OP_JAL;
    case OP_C_JALR: return OP_JALR;
    case OP_C_BEQ: return OP_BEQ;
    case OP_C_BNE: return OP_BNE;
    case OP_C_EBREAK: return OP_EBREAK;
  }
  return op;
}

// The compressed op for a full-size one; every op decode16 produces has one.
export function compressedOp(op: u32): u32 {
  for (let c = OP_C_LI; c <= OP_C_EBREAK; c++) if (uncompressedOp(c) == op) return c;
  return op;
}
