// Builds small ELF64 files for tests: a header, program headers with their
// data, and (unless `symbols` is null) .symtab/.strtab/.shstrtab sections.
// Every field can be overridden to make malformed files.

export interface SegmentSpec {
  /** PT_LOAD (1) unless given. */
  type?: number;
  /** R|X (5) unless given. */
  flags?: number;
  vaddr: bigint;
  /** vaddr unless given. */
  paddr?: bigint;
  data?: Uint8Array;
  /** data length unless given. */
  memsz?: bigint;
  /** Overrides of what the header claims, for malformed files. */
  offset?: bigint;
  filesz?: bigint;
}

export interface SymbolSpec {
  name: string;
  value: bigint;
  size?: bigint;
  /** st_info; STB_GLOBAL|STT_OBJECT (0x11) unless given. */
  info?: number;
  /** Section index; 1 (defined) unless given, 0 = undefined. */
  shndx?: number;
}

export interface ElfSpec {
  elfClass?: number;
  data?: number;
  identVersion?: number;
  osabi?: number;
  type?: number;
  machine?: number;
  version?: number;
  /** The first segment's vaddr unless given. */
  entry?: bigint;
  flags?: number;
  segments?: SegmentSpec[];
  /** Adds a PT_INTERP header (first) with this path. */
  interp?: string;
  /** null: no section headers at all (a stripped-to-the-bone file). */
  symbols?: SymbolSpec[] | null;
}

export const ELF_HEADER = {
  phoff: 32,
  shoff: 40,
  phentsize: 54,
  phnum: 56,
  shentsize: 58,
  shnum: 60,
  shstrndx: 62,
} as const;

/** A minimal bare-metal image: 16 bytes of code at 0x80000000 and a tohost symbol. */
export function bareSpec(): ElfSpec {
  return {
    segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(16).fill(0x13), memsz: 0x1000n }],
    symbols: [{ name: "tohost", value: 0x8000_0100n, size: 8n }, { name: "_start", value: 0x8000_0000n, info: 0x12 }],
  };
}

export function buildElf(spec: ElfSpec): Uint8Array {
  const segments = spec.segments ?? [];
  const interp = spec.interp === undefined ? null : new TextEncoder().encode(spec.interp + "\0");
  const phnum = segments.length + (interp ? 1 : 0);
  const out = new Writer();
  out.skip(64 + 56 * phnum);

  const interpOffset = interp ? out.append(interp) : 0;
  const dataOffsets = segments.map((s) => out.append(s.data ?? new Uint8Array(0)));

  let sections: { shoff: number; shnum: number } | null = null;
  if (spec.symbols !== null) sections = writeSections(out, spec.symbols ?? []);

  const bytes = out.finish();
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, spec.elfClass ?? 2, spec.data ?? 1, spec.identVersion ?? 1, spec.osabi ?? 0]);
  view.setUint16(16, spec.type ?? 2, true);
  view.setUint16(18, spec.machine ?? 243, true);
  view.setUint32(20, spec.version ?? 1, true);
  view.setBigUint64(24, spec.entry ?? segments[0]?.vaddr ?? 0n, true);
  view.setBigUint64(ELF_HEADER.phoff, phnum ? 64n : 0n, true);
  view.setBigUint64(ELF_HEADER.shoff, BigInt(sections?.shoff ?? 0), true);
  view.setUint32(48, spec.flags ?? 5, true);
  view.setUint16(52, 64, true);
  view.setUint16(ELF_HEADER.phentsize, 56, true);
  view.setUint16(ELF_HEADER.phnum, phnum, true);
  view.setUint16(ELF_HEADER.shentsize, 64, true);
  view.setUint16(ELF_HEADER.shnum, sections?.shnum ?? 0, true);
  view.setUint16(ELF_HEADER.shstrndx, sections ? 3 : 0, true);

  let ph = 64;
  if (interp) {
    writePhdr(view, ph, { type: 3, flags: 4, vaddr: 0n, memsz: BigInt(interp.length) }, interpOffset, interp.length);
    ph += 56;
  }
  segments.forEach((s, i) => {
    writePhdr(view, ph, s, dataOffsets[i], s.data?.length ?? 0);
    ph += 56;
  });
  return bytes;
}

function writePhdr(view: DataView, at: number, s: SegmentSpec, offset: number, length: number): void {
  view.setUint32(at, s.type ?? 1, true);
  view.setUint32(at + 4, s.flags ?? 5, true);
  view.setBigUint64(at + 8, s.offset ?? BigInt(offset), true);
  view.setBigUint64(at + 16, s.vaddr, true);
  view.setBigUint64(at + 24, s.paddr ?? s.vaddr, true);
  view.setBigUint64(at + 32, s.filesz ?? BigInt(length), true);
  view.setBigUint64(at + 40, s.memsz ?? BigInt(length), true);
  view.setBigUint64(at + 48, 0x1000n, true);
}

/** Sections: 0 null, 1 .symtab, 2 .strtab, 3 .shstrtab; headers at the end of the file. */
function writeSections(out: Writer, symbols: SymbolSpec[]): { shoff: number; shnum: number } {
  const strtab = new StringTable();
  const symtab = new Uint8Array(24 * (symbols.length + 1));
  const sv = new DataView(symtab.buffer);
  symbols.forEach((sym, i) => {
    const at = 24 * (i + 1);
    sv.setUint32(at, strtab.add(sym.name), true);
    sv.setUint8(at + 4, sym.info ?? 0x11);
    sv.setUint16(at + 6, sym.shndx ?? 1, true);
    sv.setBigUint64(at + 8, sym.value, true);
    sv.setBigUint64(at + 16, sym.size ?? 0n, true);
  });
  const shstrtab = new StringTable();
  const names = [".symtab", ".strtab", ".shstrtab"].map((n) => shstrtab.add(n));
  const strBytes = strtab.bytes();
  const shstrBytes = shstrtab.bytes();
  const symOff = out.append(symtab);
  const strOff = out.append(strBytes);
  const shstrOff = out.append(shstrBytes);
  const headers = new Uint8Array(64 * 4);
  const hv = new DataView(headers.buffer);
  const section = (i: number, name: number, type: number, offset: number, size: number, link: number, entsize: number) => {
    const at = 64 * i;
    hv.setUint32(at, name, true);
    hv.setUint32(at + 4, type, true);
    hv.setBigUint64(at + 24, BigInt(offset), true);
    hv.setBigUint64(at + 32, BigInt(size), true);
    hv.setUint32(at + 40, link, true);
    hv.setUint32(at + 44, type === 2 ? 1 : 0, true);
    hv.setBigUint64(at + 56, BigInt(entsize), true);
  };
  section(1, names[0], 2, symOff, symtab.length, 2, 24);
  section(2, names[1], 3, strOff, strBytes.length, 0, 0);
  section(3, names[2], 3, shstrOff, shstrBytes.length, 0, 0);
  return { shoff: out.append(headers), shnum: 4 };
}

class StringTable {
  private parts: number[] = [0];
  add(name: string): number {
    const at = this.parts.length;
    for (const c of new TextEncoder().encode(name)) this.parts.push(c);
    this.parts.push(0);
    return at;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Appends 8-byte-aligned chunks and returns where each went. */
class Writer {
  private chunks: { at: number; bytes: Uint8Array }[] = [];
  private length = 0;
  skip(n: number): void {
    this.length += n;
  }
  append(bytes: Uint8Array): number {
    this.length = (this.length + 7) & ~7;
    const at = this.length;
    this.chunks.push({ at, bytes });
    this.length += bytes.length;
    return at;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    for (const c of this.chunks) out.set(c.bytes, c.at);
    return out;
  }
}

/** A copy of `bytes` with `patch` applied to a DataView of it. */
export function patched(bytes: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = new Uint8Array(bytes); // a copy even of a Buffer, whose slice() is a view
  patch(new DataView(copy.buffer));
  return copy;
}
