// The in-memory relocatable object: what the assembler produces, what the
// ELF writer serialises and what the linker consumes. Numbers follow the
// ELF gABI and the RISC-V psABI (riscv-elf.adoc, "Relocations").

export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_RISCV_ATTRIBUTES = 0x70000003;

export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;
export const SHF_MERGE = 0x10;
export const SHF_STRINGS = 0x20;
export const SHF_INFO_LINK = 0x40;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;

export const R = {
  NONE: 0, R32: 1, R64: 2, BRANCH: 16, JAL: 17, CALL: 18, CALL_PLT: 19, PCREL_HI20: 23, PCREL_LO12_I: 24,
  PCREL_LO12_S: 25, HI20: 26, LO12_I: 27, LO12_S: 28, ADD8: 33, ADD16: 34, ADD32: 35, ADD64: 36, SUB8: 37, SUB16: 38,
  SUB32: 39, SUB64: 40, ALIGN: 43, RVC_BRANCH: 44, RVC_JUMP: 45, RELAX: 51, SUB6: 52, SET6: 53, SET8: 54, SET16: 55,
  SET32: 56, PCREL32: 57,
} as const;

export const RELOC_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(R).map(([k, v]) => [v, `R_RISCV_${k === "R32" ? "32" : k === "R64" ? "64" : k === "PCREL32" ? "32_PCREL" : k}`]),
);

/** Symbol section index meaning undefined / absolute. */
export const SEC_UNDEF = -1;
export const SEC_ABS = -2;
/** SHN_COMMON: value is the alignment, size the size; the linker allocates it in .bss. */
export const SEC_COMMON = -3;

export interface ObjReloc {
  offset: number;
  type: number;
  /** Index into ObjectFile.symbols, or -1 for none (R_RISCV_RELAX, R_RISCV_ALIGN). */
  symbol: number;
  addend: bigint;
}

export interface ObjSection {
  name: string;
  type: number;
  flags: number;
  /** Alignment in bytes. */
  align: number;
  /** Contents (empty for NOBITS); `size` is authoritative. */
  data: Uint8Array;
  size: number;
  relocs: ObjReloc[];
  entsize?: number;
}

export interface ObjSymbol {
  name: string;
  value: bigint;
  size: bigint;
  /** Index into ObjectFile.sections, SEC_UNDEF or SEC_ABS. */
  section: number;
  bind: number;
  type: number;
}

/** Where an instruction's code came from: section index and offset -> file and line. */
export interface LineEntry {
  section: number;
  offset: number;
  file: string;
  line: number;
}

export interface ObjectFile {
  name: string;
  /** The line table (not written to ELF: edgevm keeps it beside the bytes for messages). */
  lines?: LineEntry[];
  sections: ObjSection[];
  symbols: ObjSymbol[];
  /** Tag_RISCV_arch for .riscv.attributes. */
  arch: string;
}
