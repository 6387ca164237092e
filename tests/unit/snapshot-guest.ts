// A bare-metal guest generated in code for the snapshot tests and bench: it
// walks `pages` pages from RAM offset `base`, reading one word of each page and
// writing every `writeEvery`-th page (0: none), `rounds` times; then prints
// "ok\n" on the UART and powers off through the test finisher. No toolchain
// and no files needed, so the same program runs in Node and inside workerd.
import { buildElf } from "../cli/elf-builder.ts";

export interface TouchGuest {
  /** RAM offset of the first page walked (a multiple of 4096). */
  base: number;
  pages: number;
  /** Write every n-th page (a power of two), or 0 for a read-only walk. */
  writeEvery: number;
  rounds: number;
}

const T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, S2 = 18, S3 = 19, S4 = 20, T3 = 28;

const iType = (op: number, f3: number, rd: number, rs1: number, imm: number) =>
  ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
const rType = (op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number) =>
  (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
const sType = (f3: number, rs1: number, rs2: number, imm: number) =>
  (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | 0x23;
const bType = (f3: number, rs1: number, rs2: number, offset: number) =>
  (((offset >> 12) & 1) << 31) | (((offset >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
  (((offset >> 1) & 0xf) << 8) | (((offset >> 11) & 1) << 7) | 0x63;
const uType = (op: number, rd: number, imm20: number) => ((imm20 & 0xfffff) << 12) | (rd << 7) | op;

const addi = (rd: number, rs1: number, imm: number) => iType(0x13, 0, rd, rs1, imm);
const andi = (rd: number, rs1: number, imm: number) => iType(0x13, 7, rd, rs1, imm);
const slli = (rd: number, rs1: number, shamt: number) => iType(0x13, 1, rd, rs1, shamt);
const add = (rd: number, rs1: number, rs2: number) => rType(0x33, 0, 0, rd, rs1, rs2);
const ld = (rd: number, rs1: number, imm: number) => iType(0x03, 3, rd, rs1, imm);
const sd = (rs1: number, rs2: number, imm: number) => sType(3, rs1, rs2, imm);
const sw = (rs1: number, rs2: number, imm: number) => sType(2, rs1, rs2, imm);
const sb = (rs1: number, rs2: number, imm: number) => sType(0, rs1, rs2, imm);
const bne = (rs1: number, rs2: number, offset: number) => bType(1, rs1, rs2, offset);
const lui = (rd: number, imm20: number) => uType(0x37, rd, imm20);
const auipc = (rd: number, imm20: number) => uType(0x17, rd, imm20);
const jal = (rd: number, offset: number) =>
  (((offset >> 20) & 1) << 31) | (((offset >> 1) & 0x3ff) << 21) | (((offset >> 11) & 1) << 20) |
  (((offset >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;

/** Loads a value below 2^31 - 2^11 in one or two instructions. */
function li(rd: number, value: number): number[] {
  if (value >= -2048 && value < 2048) return [addi(rd, 0, value)];
  const hi = (value + 0x800) >> 12;
  return [lui(rd, hi), addi(rd, rd, value - (hi << 12))];
}

/** The instructions of the guest, to be loaded at 0x8000_0000. */
export function touchCode(g: TouchGuest): number[] {
  const code: number[] = [];
  const at = () => code.length * 4;
  code.push(auipc(S0, g.base >> 12), ...li(S2, g.pages), ...li(S3, g.rounds), addi(S4, 0, 0));
  const outer = at();
  code.push(addi(S1, 0, 0));
  const inner = at();
  code.push(slli(T0, S1, 12), add(T0, T0, S0), ld(T1, T0, 0));
  if (g.writeEvery > 0) {
    code.push(andi(T2, S1, g.writeEvery - 1));
    code.push(bne(T2, 0, 16)); // skip the next three
    code.push(add(T1, T1, S4), addi(T1, T1, 1), sd(T0, T1, 0));
  }
  code.push(addi(S1, S1, 1));
  code.push(bne(S1, S2, inner - at()));
  code.push(addi(S4, S4, 1));
  code.push(bne(S4, S3, outer - at()));
  code.push(lui(T2, 0x10000));
  for (const ch of "ok\n") code.push(addi(T3, 0, ch.charCodeAt(0)), sb(T2, T3, 0));
  code.push(lui(T0, 0x100), ...li(T1, 0x5555), sw(T0, T1, 0));
  code.push(jal(0, 0));
  return code;
}

export function touchElf(g: TouchGuest): Uint8Array {
  const code = touchCode(g);
  const data = new Uint8Array(code.length * 4);
  const view = new DataView(data.buffer);
  code.forEach((word, i) => view.setUint32(i * 4, word >>> 0, true));
  return buildElf({ segments: [{ vaddr: 0x8000_0000n, flags: 7, data }], symbols: null });
}

/** Instructions one round of the walk retires (for budgets that cover whole rounds). */
export function instructionsPerRound(g: TouchGuest): number {
  const perPage = g.writeEvery > 0 ? 5 + 2 + 3 / g.writeEvery : 5;
  return Math.round(g.pages * perPage) + 3;
}
