// ELF64 reader for RISC-V executables: the header, program headers (what to
// load), section headers and the symbol table (to find the HTIF mailbox).
// Layouts and constants follow the System V gABI ("ELF-64 Object File Format")
// and the RISC-V ELF psABI. Pure TypeScript over Uint8Array/DataView so it runs
// in Node, workerd and browsers alike.
//
// Addresses and memory sizes are bigint (u64 in the guest); file offsets and
// file sizes are numbers, because parseElf has checked that they lie inside
// the file.
import { RAM_BASE } from "./core-abi.ts";

/** A file that is not an RV64 executable edgevm can load; the message is one line. */
export class ElfError extends Error {
  override name = "ElfError";
}

export const EM_RISCV = 243;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ELFOSABI_SYSV = 0;
/** ELFOSABI_GNU and ELFOSABI_LINUX are the same value. */
export const ELFOSABI_LINUX = 3;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;


export interface ProgramHeader {
  /** Position in the program header table (error messages count from 0, like readelf). */
  index: number;
  type: number;
  /** PF_R | PF_W | PF_X */
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: bigint;
  align: bigint;
}

export interface SectionHeader {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: bigint;
  link: number;
  info: number;
  entsize: bigint;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  /** STT_* (low nibble of st_info) */
  type: number;
  /** STB_* (high nibble of st_info) */
  bind: number;
  shndx: number;
}

export interface Elf {
  bytes: Uint8Array;
  /** e_type: ET_EXEC or ET_DYN */
  type: number;
  /** EI_OSABI */
  osabi: number;
  /** e_flags: EF_RISCV_RVC (1) and the float ABI (bits 1-2) */
  flags: number;
  entry: bigint;
  programHeaders: ProgramHeader[];
  /** The PT_LOAD program headers, in file order. */
  segments: ProgramHeader[];
  /** The PT_INTERP path (a dynamically linked program), or null. */
  interp: string | null;
  sections: SectionHeader[];
  /** Entries of .symtab (without the null symbol); empty for a stripped file. */
  symbols: ElfSymbol[];
}

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
/** e_phnum / e_shnum / e_shstrndx escape values (gABI "Extended numbering"). */
const PN_XNUM = 0xffff;
const SHN_XINDEX = 0xffff;
const SHN_UNDEF = 0;

const MACHINE_NAMES: Record<number, string> = {
  3: "x86", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 22: "s390", 40: "ARM",
  43: "SPARC V9", 62: "x86-64", 183: "AArch64", 247: "BPF", 258: "LoongArch",
};

export function hex(v: bigint | number): string {
  return "0x" + v.toString(16);
}

/** Parses and validates an RV64 executable; throws ElfError on anything edgevm cannot load. */
export function parseElf(bytes: Uint8Array): Elf {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkIdent(bytes);
  const type = view.getUint16(16, true);
  checkTypeAndMachine(type, view.getUint16(18, true), view.getUint32(20, true));
  const programHeaders = readProgramHeaders(bytes, view);
  const sections = readSections(bytes, view);
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const interpHeader = programHeaders.find((p) => p.type === PT_INTERP);
  const elf: Elf = {
    bytes,
    type,
    osabi: bytes[7],
    flags: view.getUint32(48, true),
    entry: view.getBigUint64(24, true),
    programHeaders,
    segments: programHeaders.filter((p) => p.type === PT_LOAD),
    interp: interpHeader ? readInterp(bytes, interpHeader) : null,
    sections,
    symbols: symtab ? readSymbols(bytes, view, sections, symtab) : [],
  };
  if (elf.segments.every((s) => s.memsz === 0n)) throw new ElfError("ELF has no loadable segments");
  checkOverlaps(elf.segments);
  return elf;
}

function checkIdent(bytes: Uint8Array): void {
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError("not an ELF file (bad magic)");
  }
  if (bytes.length < EHDR_SIZE) {
    throw new ElfError(`truncated: the ELF header needs ${EHDR_SIZE} bytes, the file has ${bytes.length}`);
  }
  const elfClass = bytes[4];
  if (elfClass === 1) throw new ElfError("ELF is 32-bit; edgevm runs RV64");
  if (elfClass !== 2) throw new ElfError(`ELF class ${elfClass} is invalid (expected 2, 64-bit)`);
  const data = bytes[5];
  if (data === 2) throw new ElfError("ELF is big-endian; RISC-V is little-endian");
  if (data !== 1) throw new ElfError(`ELF data encoding ${data} is invalid (expected 1, little-endian)`);
  if (bytes[6] !== 1) throw new ElfError(`ELF version ${bytes[6]} is not supported (expected 1)`);
}

function checkTypeAndMachine(type: number, machine: number, version: number): void {
  if (machine !== EM_RISCV) {
    const name = MACHINE_NAMES[machine];
    throw new ElfError(
      name ? `ELF machine is ${name} (${machine}), not RISC-V` : `ELF machine ${machine} is not RISC-V (${EM_RISCV})`,
    );
  }
  if (type === 1) throw new ElfError("ELF is a relocatable object (.o), not an executable; link it first");
  if (type === 4) throw new ElfError("ELF is a core dump, not an executable");
  if (type !== ET_EXEC && type !== ET_DYN) throw new ElfError(`ELF type ${type} is not an executable`);
  if (version !== 1) throw new ElfError(`ELF version ${version} is not supported (expected 1)`);
}

/** A file offset as a number, or an error when it cannot lie inside the file. */
function fileRange(bytes: Uint8Array, offset: bigint, size: bigint, what: string): number {
  if (offset + size > BigInt(bytes.length)) throw new ElfError(`truncated: ${what} extends past end of file`);
  return Number(offset);
}

function readProgramHeaders(bytes: Uint8Array, view: DataView): ProgramHeader[] {
  const phoff = view.getBigUint64(32, true);
  const phentsize = view.getUint16(54, true);
  let phnum = view.getUint16(56, true);
  if (phnum === PN_XNUM) phnum = sectionZero(bytes, view).info;
  if (phnum === 0) throw new ElfError("ELF has no program headers");
  if (phentsize !== PHDR_SIZE) throw new ElfError(`ELF program header size is ${phentsize}, expected ${PHDR_SIZE}`);
  // The whole table first, so a truncated file is reported as such before any segment is.
  const at: number[] = [];
  for (let i = 0; i < phnum; i++) {
    at.push(fileRange(bytes, phoff + BigInt(i * PHDR_SIZE), BigInt(PHDR_SIZE), `program header ${i}`));
  }
  return at.map((p, i) => {
    const offset = view.getBigUint64(p + 8, true);
    const filesz = view.getBigUint64(p + 32, true);
    const ph: ProgramHeader = {
      index: i,
      type: view.getUint32(p, true),
      flags: view.getUint32(p + 4, true),
      offset: Number(offset),
      vaddr: view.getBigUint64(p + 16, true),
      paddr: view.getBigUint64(p + 24, true),
      filesz: Number(filesz),
      memsz: view.getBigUint64(p + 40, true),
      align: view.getBigUint64(p + 48, true),
    };
    // Only contents edgevm reads must lie in the file; other headers (PT_NOTE, PT_TLS...) are kept as read.
    if (ph.type === PT_LOAD || ph.type === PT_INTERP) {
      fileRange(bytes, offset, filesz, `segment ${i} (file bytes ${hex(offset)}-${hex(offset + filesz)})`);
    }
    if (ph.type === PT_LOAD) checkLoadSegment(ph, filesz);
    return ph;
  });
}

function checkLoadSegment(ph: ProgramHeader, filesz: bigint): void {
  if (filesz > ph.memsz) {
    throw new ElfError(
      `segment ${ph.index} has a file size (${hex(filesz)}) larger than its memory size (${hex(ph.memsz)})`,
    );
  }
  const limit = 1n << 64n;
  if (ph.vaddr + ph.memsz > limit || ph.paddr + ph.memsz > limit) {
    throw new ElfError(`segment ${ph.index} at ${hex(ph.vaddr)} (${hex(ph.memsz)} bytes) wraps around the address space`);
  }
}

/** Two PT_LOAD segments that claim the same virtual bytes: no linker emits that. */
function checkOverlaps(segments: ProgramHeader[]): void {
  const sorted = segments.filter((s) => s.memsz > 0n).sort((a, b) => (a.vaddr < b.vaddr ? -1 : a.vaddr > b.vaddr ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.vaddr < prev.vaddr + prev.memsz) {
      throw new ElfError(`segments ${prev.index} and ${cur.index} overlap at ${hex(cur.vaddr)}`);
    }
  }
}

function readInterp(bytes: Uint8Array, ph: ProgramHeader): string {
  const raw = bytes.subarray(ph.offset, ph.offset + ph.filesz);
  const nul = raw.indexOf(0);
  return latin1(nul < 0 ? raw : raw.subarray(0, nul));
}

/** Section 0 holds the real counts when they overflow the ELF header (gABI extended numbering). */
function sectionZero(bytes: Uint8Array, view: DataView): { size: bigint; link: number; info: number } {
  const shoff = view.getBigUint64(40, true);
  if (shoff === 0n) throw new ElfError("ELF uses extended numbering but has no section headers");
  const at = fileRange(bytes, shoff, BigInt(SHDR_SIZE), "section header 0");
  return {
    size: view.getBigUint64(at + 32, true),
    link: view.getUint32(at + 40, true),
    info: view.getUint32(at + 44, true),
  };
}

function readSections(bytes: Uint8Array, view: DataView): SectionHeader[] {
  const shoff = view.getBigUint64(40, true);
  const shentsize = view.getUint16(58, true);
  let shnum = view.getUint16(60, true);
  let shstrndx = view.getUint16(62, true);
  if (shoff === 0n) return [];
  if (shnum === 0) shnum = Number(sectionZero(bytes, view).size);
  if (shnum === 0) return [];
  if (shentsize !== SHDR_SIZE) throw new ElfError(`ELF section header size is ${shentsize}, expected ${SHDR_SIZE}`);
  if (shstrndx === SHN_XINDEX) shstrndx = sectionZero(bytes, view).link;
  const sections: SectionHeader[] = [];
  const nameOffsets: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = fileRange(bytes, shoff + BigInt(i * SHDR_SIZE), BigInt(SHDR_SIZE), `section header ${i}`);
    nameOffsets.push(view.getUint32(at, true));
    sections.push({
      index: i,
      name: "",
      type: view.getUint32(at + 4, true),
      flags: view.getBigUint64(at + 8, true),
      addr: view.getBigUint64(at + 16, true),
      offset: Number(view.getBigUint64(at + 24, true)),
      size: view.getBigUint64(at + 32, true),
      link: view.getUint32(at + 40, true),
      info: view.getUint32(at + 44, true),
      entsize: view.getBigUint64(at + 56, true),
    });
  }
  if (shstrndx !== SHN_UNDEF) {
    if (shstrndx >= shnum) throw new ElfError(`section name table index ${shstrndx} is out of range (${shnum} sections)`);
    const names = sectionBytes(bytes, sections[shstrndx], "the section name table");
    sections.forEach((s, i) => (s.name = cString(names, nameOffsets[i], `section ${i} name`)));
  }
  return sections;
}

function sectionBytes(bytes: Uint8Array, s: SectionHeader, what: string): Uint8Array {
  if (s.type === SHT_NOBITS) return new Uint8Array(0);
  const at = fileRange(bytes, BigInt(s.offset), s.size, `section ${s.index} (${what})`);
  return bytes.subarray(at, at + Number(s.size));
}

function readSymbols(bytes: Uint8Array, view: DataView, sections: SectionHeader[], symtab: SectionHeader): ElfSymbol[] {
  if (symtab.entsize !== BigInt(SYM_SIZE)) {
    throw new ElfError(`symbol table entry size is ${symtab.entsize}, expected ${SYM_SIZE}`);
  }
  const table = sectionBytes(bytes, symtab, symtab.name || "the symbol table");
  if (symtab.link >= sections.length) throw new ElfError(`symbol table string table index ${symtab.link} is out of range`);
  const strings = sectionBytes(bytes, sections[symtab.link], "the symbol string table");
  const base = table.byteOffset - bytes.byteOffset;
  const symbols: ElfSymbol[] = [];
  // Entry 0 is the reserved null symbol.
  for (let at = SYM_SIZE; at + SYM_SIZE <= table.length; at += SYM_SIZE) {
    const p = base + at;
    const info = view.getUint8(p + 4);
    symbols.push({
      name: cString(strings, view.getUint32(p, true), `symbol ${at / SYM_SIZE} name`),
      type: info & 0xf,
      bind: info >> 4,
      shndx: view.getUint16(p + 6, true),
      value: view.getBigUint64(p + 8, true),
      size: view.getBigUint64(p + 16, true),
    });
  }
  return symbols;
}

function cString(table: Uint8Array, offset: number, what: string): string {
  if (offset >= table.length) {
    if (offset === 0) return "";
    throw new ElfError(`${what} (offset ${offset}) lies outside its string table`);
  }
  let end = table.indexOf(0, offset);
  if (end < 0) end = table.length;
  return latin1(table.subarray(offset, end));
}

/** ELF names are bytes; decoding them as Latin-1 is lossless and never throws. */
function latin1(raw: Uint8Array): string {
  let s = "";
  for (let i = 0; i < raw.length; i += 4096) s += String.fromCharCode(...raw.subarray(i, i + 4096));
  return s;
}

/** The defined symbol called `name`, if any (the first when several share it). */
export function findSymbol(elf: Elf, name: string): ElfSymbol | undefined {
  return elf.symbols.find((s) => s.name === name && s.shndx !== SHN_UNDEF);
}

/** The file bytes of a segment (its first filesz bytes; the rest up to memsz is zero). */
export function segmentData(elf: Elf, ph: ProgramHeader): Uint8Array {
  return elf.bytes.subarray(ph.offset, ph.offset + ph.filesz);
}

/**
 * The physical address to start at. e_entry is virtual; when it lies in an
 * executable segment whose paddr differs from its vaddr (a kernel linked high
 * but loaded into RAM), it is moved by the same offset, as QEMU's ELF loader does.
 */
export function physicalEntry(elf: Elf): bigint {
  for (const s of elf.segments) {
    if (s.flags & PF_X && s.vaddr !== s.paddr && elf.entry >= s.vaddr && elf.entry < s.vaddr + BigInt(s.filesz)) {
      return elf.entry - s.vaddr + s.paddr;
    }
  }
  return elf.entry;
}

/**
 * Checks that a bare-metal image fits the board's RAM: every segment, the entry
 * point and the HTIF mailbox (ranges in messages are [start, end)).
 */
export function checkFitsRam(elf: Elf, ramBase: bigint, ramBytes: bigint): void {
  const ramEnd = ramBase + ramBytes;
  const ram = `RAM ${hex(ramBase)}-${hex(ramEnd)}`;
  for (const s of elf.segments) {
    if (s.memsz === 0n) continue;
    if (s.paddr < ramBase || s.paddr + s.memsz > ramEnd) {
      throw new ElfError(`segment at ${hex(s.paddr)}-${hex(s.paddr + s.memsz)} lies outside ${ram}`);
    }
  }
  const entry = physicalEntry(elf);
  if (entry < ramBase || entry >= ramEnd) throw new ElfError(`entry point ${hex(entry)} lies outside ${ram}`);
  for (const name of ["tohost", "fromhost"]) {
    const sym = findSymbol(elf, name);
    if (sym && (sym.value < ramBase || sym.value + 8n > ramEnd)) {
      throw new ElfError(`${name} at ${hex(sym.value)} lies outside ${ram}`);
    }
  }
}
