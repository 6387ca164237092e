// The boot ROM at 0x1000: the reset trampoline the hart runs first, and the
// OpenSBI fw_dynamic info block it points a2 at. The register contract is
// QEMU virt's (and OpenSBI's fw_dynamic, docs/firmware/fw_dynamic.md):
//   a0 = mhartid, a1 = physical address of the DTB,
//   a2 = address of struct fw_dynamic_info, then jump to the start address
// (the firmware at RAM base, or the kernel when there is none). The code is
// assembled here from the base ISA encodings (unprivileged spec ch. 2 and
// 34 "RV32/64G Instruction Set Listings"), not taken from QEMU's table.
import { boardDevice } from "./board.ts";

export const BOOT_ROM = boardDevice("mrom");

/** struct fw_dynamic_info (OpenSBI include/sbi/fw_dynamic.h): six XLEN words. */
export const FW_DYNAMIC = {
  /** "OSBI" read as a little-endian word. */
  magic: 0x4942_534f,
  /** Version 2 adds boot_hart. */
  version: 2,
  /** next_mode values: the privilege the firmware enters the next stage in. */
  nextModeU: 0,
  nextModeS: 1,
  nextModeM: 3,
  words: 6,
} as const;

export interface FwDynamicInfo {
  /** Where the firmware jumps next (the kernel's entry). */
  readonly nextAddress: number;
  readonly nextMode: number;
  readonly options: number;
  /** The hart that boots; -1 (all ones) lets the firmware choose. */
  readonly bootHart: number;
}

export interface ResetVector {
  /** First instruction after the ROM: the firmware, or the kernel when there is none. */
  readonly startAddress: number;
  readonly dtbAddress: number;
  readonly fwDynamic: FwDynamicInfo;
}

// Register numbers (unprivileged spec ch. 25, the standard calling convention).
const ZERO = 0;
const T0 = 5;
const A0 = 10;
const A1 = 11;
const A2 = 12;
const CSR_MHARTID = 0xf14;

// Instruction formats (unprivileged spec 2.3).
function iType(opcode: number, funct3: number, rd: number, rs1: number, imm: number): number {
  if (imm < -2048 || imm > 2047) throw new RangeError(`I-type immediate ${imm} does not fit in 12 bits`);
  return (((imm & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
}

function uType(opcode: number, rd: number, upper20: number): number {
  return (((upper20 & 0xf_ffff) << 12) | (rd << 7) | opcode) >>> 0;
}

const auipc = (rd: number, upper20: number) => uType(0x17, rd, upper20);
const addi = (rd: number, rs1: number, imm: number) => iType(0x13, 0, rd, rs1, imm);
const ld = (rd: number, rs1: number, offset: number) => iType(0x03, 3, rd, rs1, offset);
const jalr = (rd: number, rs1: number, offset: number) => iType(0x67, 0, rd, rs1, offset);
// csrrs rd, csr, x0 is the csrr pseudo-instruction (Zicsr, ch. 9): a read with no write.
const csrr = (rd: number, csr: number) => ((csr << 20) | (ZERO << 15) | (2 << 12) | (rd << 7) | 0x73) >>> 0;

/** Byte offsets inside the ROM image. Data words are 8-aligned so the `ld`s are naturally aligned. */
export const ROM_LAYOUT = {
  code: 0x00,
  startAddress: 0x18,
  dtbAddress: 0x20,
  fwDynamicInfo: 0x28,
  end: 0x28 + FW_DYNAMIC.words * 8,
} as const;

/** The trampoline's six instructions (t0 holds the ROM's own address after the auipc). */
export function trampolineCode(): number[] {
  return [
    auipc(T0, 0),
    addi(A2, T0, ROM_LAYOUT.fwDynamicInfo),
    csrr(A0, CSR_MHARTID),
    ld(A1, T0, ROM_LAYOUT.dtbAddress),
    ld(T0, T0, ROM_LAYOUT.startAddress),
    jalr(ZERO, T0, 0),
  ];
}

/** The ROM's contents from its base (ROM_LAYOUT.end bytes; the rest of the 0xf000 window reads as zero). */
export function bootRomImage(vector: ResetVector): Uint8Array {
  const image = new Uint8Array(ROM_LAYOUT.end);
  const view = new DataView(image.buffer);
  trampolineCode().forEach((insn, i) => view.setUint32(ROM_LAYOUT.code + i * 4, insn, true));
  const dword = (offset: number, value: number) => {
    if (!Number.isSafeInteger(value)) throw new RangeError(`boot ROM word ${value} is not an integer`);
    view.setBigUint64(offset, BigInt.asUintN(64, BigInt(value)), true);
  };
  dword(ROM_LAYOUT.startAddress, vector.startAddress);
  dword(ROM_LAYOUT.dtbAddress, vector.dtbAddress);
  const info = vector.fwDynamic;
  [FW_DYNAMIC.magic, FW_DYNAMIC.version, info.nextAddress, info.nextMode, info.options, info.bootHart].forEach((w, i) =>
    dword(ROM_LAYOUT.fwDynamicInfo + i * 8, w),
  );
  return image;
}

/** Physical address of the fw_dynamic info block (what a2 holds on entry). */
export const FW_DYNAMIC_INFO_ADDRESS = BOOT_ROM.base + ROM_LAYOUT.fwDynamicInfo;
