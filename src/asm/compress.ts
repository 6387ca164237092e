// RVC: the 16-bit form GNU as picks for a 32-bit instruction word, or null.
// gas matches an instruction against its opcode table, where the C aliases
// of a mnemonic come first, so the first compressed form whose operand
// constraints hold wins. The order of the checks below is that order
// (observed against riscv64-unknown-elf-as 2.40). Encodings: unprivileged
// spec chapter 16 ("C" Standard Extension), table 16.5-16.7.

const isC = (r: number) => r >= 8 && r <= 15;
const fitsS6 = (v: number) => v >= -32 && v <= 31;

export function compress(w: number): number | null {
  const op = w & 0x7f;
  const rd = (w >>> 7) & 31;
  const f3 = (w >>> 12) & 7;
  const rs1 = (w >>> 15) & 31;
  const rs2 = (w >>> 20) & 31;
  const f7 = w >>> 25;
  const immI = w >> 20;
  const immS = ((w >> 25) << 5) | ((w >>> 7) & 31);
  switch (op) {
    case 0x13: // OP-IMM
      if (f3 === 0) return addi(rd, rs1, immI);
      if (f3 === 1 && f7 >>> 1 === 0 && rd === rs1 && rd !== 0 && immI !== 0) return ciShift(0b000, 0b10, rd, immI & 63);
      if (f3 === 5 && rd === rs1 && isC(rd)) {
        const sh = immI & 63;
        if (sh === 0) return null;
        if (f7 >>> 1 === 0) return cbShift(0b00, rd, sh);
        if (f7 >>> 1 === 0x10) return cbShift(0b01, rd, sh);
      }
      if (f3 === 7 && rd === rs1 && isC(rd) && fitsS6(immI)) return cbShift(0b10, rd, immI & 63);
      return null;
    case 0x1b: // OP-IMM-32
      if (f3 === 0 && rd === rs1 && rd !== 0 && fitsS6(immI)) return ci(0b001, 0b01, rd, immI);
      return null;
    case 0x33: // OP
      if (f7 === 0 && f3 === 0) {
        if (rd !== 0 && rd === rs1 && rs2 !== 0) return cr(0b1001, rd, rs2);
        if (rd !== 0 && rd === rs2 && rs1 !== 0) return cr(0b1001, rd, rs1);
        if (rd !== 0 && rs1 === 0 && rs2 !== 0) return cr(0b1000, rd, rs2);
        return null;
      }
      if (f7 === 0x20 && f3 === 0) return ca(0b100011, 0b00, rd, rs1, rs2, false);
      if (f7 === 0 && f3 === 4) return ca(0b100011, 0b01, rd, rs1, rs2, true);
      if (f7 === 0 && f3 === 6) return ca(0b100011, 0b10, rd, rs1, rs2, true);
      if (f7 === 0 && f3 === 7) return ca(0b100011, 0b11, rd, rs1, rs2, true);
      return null;
    case 0x3b: // OP-32
      if (f7 === 0x20 && f3 === 0) return ca(0b100111, 0b00, rd, rs1, rs2, false);
      if (f7 === 0 && f3 === 0) return ca(0b100111, 0b01, rd, rs1, rs2, true);
      return null;
    case 0x37: { // LUI
      if (rd === 0 || rd === 2) return null;
      const imm = w >> 12; // sign-extended 20-bit
      if (imm !== 0 && fitsS6(imm)) return ci(0b011, 0b01, rd, imm);
      return null;
    }
    case 0x03: // loads
      if (f3 === 2) return load(rd, rs1, immI, 4, 0b010, false);
      if (f3 === 3) return load(rd, rs1, immI, 8, 0b011, false);
      return null;
    case 0x07:
      if (f3 === 3) return load(rd, rs1, immI, 8, 0b001, true);
      return null;
    case 0x23: // stores
      if (f3 === 2) return store(rs2, rs1, immS, 4, 0b110);
      if (f3 === 3) return store(rs2, rs1, immS, 8, 0b111);
      return null;
    case 0x27:
      if (f3 === 3) return store(rs2, rs1, immS, 8, 0b101);
      return null;
    case 0x73:
      if (w === 0x100073) return 0x9002; // c.ebreak
      return null;
  }
  return null;
}

function addi(rd: number, rs1: number, imm: number): number | null {
  if (isC(rd) && rs1 === 2 && imm > 0 && imm < 1024 && (imm & 3) === 0) {
    // c.addi4spn: nzuimm[5:4|9:6|2|3] in bits 12:5
    const v = (((imm >> 4) & 3) << 11) | (((imm >> 6) & 15) << 7) | (((imm >> 2) & 1) << 6) | (((imm >> 3) & 1) << 5);
    return v | ((rd - 8) << 2);
  }
  if (rd === rs1 && rd !== 0 && imm !== 0 && fitsS6(imm)) return ci(0b000, 0b01, rd, imm);
  if (rd === 0 && rs1 === 0 && imm === 0) return 0x0001;
  if (rd === 2 && rs1 === 2 && imm !== 0 && (imm & 15) === 0 && imm >= -512 && imm <= 496) {
    const v = (((imm >> 9) & 1) << 12) | (((imm >> 4) & 1) << 6) | (((imm >> 6) & 1) << 5) | (((imm >> 7) & 3) << 3) | (((imm >> 5) & 1) << 2);
    return (0b011 << 13) | v | (2 << 7) | 0b01;
  }
  if (rs1 === 0 && rd !== 0 && fitsS6(imm)) return ci(0b010, 0b01, rd, imm);
  if (imm === 0 && rd !== 0 && rs1 !== 0) return cr(0b1000, rd, rs1);
  return null;
}

function ci(f3: number, quadrant: number, rd: number, imm: number): number {
  return (f3 << 13) | (((imm >> 5) & 1) << 12) | (rd << 7) | ((imm & 31) << 2) | quadrant;
}

function ciShift(f3: number, quadrant: number, rd: number, sh: number): number {
  return (f3 << 13) | (((sh >> 5) & 1) << 12) | (rd << 7) | ((sh & 31) << 2) | quadrant;
}

function cbShift(kind: number, rd: number, sh: number): number {
  return (0b100 << 13) | (((sh >> 5) & 1) << 12) | (kind << 10) | ((rd - 8) << 7) | ((sh & 31) << 2) | 0b01;
}

function cr(f4: number, rd: number, rs2: number): number {
  return (f4 << 12) | (rd << 7) | (rs2 << 2) | 0b10;
}

/** CA format (c.sub/xor/or/and/subw/addw); commutative ops may swap sources. */
function ca(f6: number, f2: number, rd: number, rs1: number, rs2: number, commutes: boolean): number | null {
  if (!isC(rd)) return null;
  let other: number;
  if (rd === rs1 && isC(rs2)) other = rs2;
  else if (commutes && rd === rs2 && isC(rs1)) other = rs1;
  else return null;
  return (f6 << 10) | ((rd - 8) << 7) | (f2 << 5) | ((other - 8) << 2) | 0b01;
}

function load(rd: number, rs1: number, imm: number, size: 4 | 8, f3: number, fp: boolean): number | null {
  if (rs1 === 2 && (fp || rd !== 0) && imm >= 0 && imm % size === 0 && imm < size * 64) {
    const v = size === 4
      ? (((imm >> 5) & 1) << 12) | (((imm >> 2) & 7) << 4) | (((imm >> 6) & 3) << 2)
      : (((imm >> 5) & 1) << 12) | (((imm >> 3) & 3) << 5) | (((imm >> 6) & 7) << 2);
    return (f3 << 13) | v | (rd << 7) | 0b10;
  }
  if (isC(rd) && isC(rs1) && imm >= 0 && imm % size === 0 && imm < size * 32) {
    return (f3 << 13) | clsOffset(imm, size) | ((rs1 - 8) << 7) | ((rd - 8) << 2);
  }
  return null;
}

function store(rs2: number, rs1: number, imm: number, size: 4 | 8, f3: number): number | null {
  if (rs1 === 2 && imm >= 0 && imm % size === 0 && imm < size * 64) {
    const v = size === 4
      ? (((imm >> 2) & 15) << 9) | (((imm >> 6) & 3) << 7)
      : (((imm >> 3) & 7) << 10) | (((imm >> 6) & 7) << 7);
    return (f3 << 13) | v | (rs2 << 2) | 0b10;
  }
  if (isC(rs2) && isC(rs1) && imm >= 0 && imm % size === 0 && imm < size * 32) {
    return (f3 << 13) | clsOffset(imm, size) | ((rs1 - 8) << 7) | ((rs2 - 8) << 2);
  }
  return null;
}

/** CL/CS offset bits: uimm[5:3] at 12:10, then [2|6] (word) or [7:6] (double) at 6:5. */
function clsOffset(imm: number, size: 4 | 8): number {
  const hi = ((imm >> 3) & 7) << 10;
  return size === 4 ? hi | (((imm >> 2) & 1) << 6) | (((imm >> 6) & 1) << 5) : hi | (((imm >> 6) & 3) << 5);
}

// Branch and jump forms, used by branch relaxation (the target is known late).
export function cBranch(zeroTest: "beqz" | "bnez", rs1: number, off: number): number {
  const f3 = zeroTest === "beqz" ? 0b110 : 0b111;
  return (f3 << 13) | cbOffset(off) | ((rs1 - 8) << 7) | 0b01;
}

export function cbOffset(off: number): number {
  return (((off >> 8) & 1) << 12) | (((off >> 3) & 3) << 10) | (((off >> 6) & 3) << 5) | (((off >> 1) & 3) << 3) | (((off >> 5) & 1) << 2);
}

export function cJump(off: number): number {
  return (0b101 << 13) | cjOffset(off) | 0b01;
}

export function cjOffset(off: number): number {
  return (((off >> 11) & 1) << 12) | (((off >> 4) & 1) << 11) | (((off >> 8) & 3) << 9) | (((off >> 10) & 1) << 8) |
    (((off >> 6) & 1) << 7) | (((off >> 7) & 1) << 6) | (((off >> 1) & 7) << 3) | (((off >> 5) & 1) << 2);
}

export function isCReg(r: number): boolean {
  return isC(r);
}
