// Compares two relocatable objects the way the differential tests define
// "identical": every allocatable section's bytes, and its relocations as
// (offset, type, symbol name, symbol value for local symbols, addend).

import { RELOC_NAMES, SEC_UNDEF, SHF_ALLOC, STB_LOCAL, type ObjectFile } from "../../src/asm/object.ts";

export interface SectionView {
  name: string;
  hex: string;
  relocs: string[];
}

/**
 * The symbol table as name, section, value, size, type and binding, sorted;
 * without section symbols and gas's mapping symbols ($x...), which carry no
 * meaning for linking.
 */
export function describeSymbols(o: ObjectFile): string[] {
  return o.symbols
    .filter((s) => s.type !== 3 && !s.name.startsWith("$"))
    .map((s) => {
      const where = s.section >= 0 ? o.sections[s.section]?.name : s.section === -1 ? "UND" : s.section === -2 ? "ABS" : "COM";
      return `${s.name.replace(/\u0002/g, "^B").replace(/\u0001/g, "^A")} ${where} ${s.value} ${s.size} type=${s.type} bind=${s.bind}`;
    })
    .sort();
}

export function describeObject(o: ObjectFile): SectionView[] {
  return o.sections
    .filter((s) => (s.flags & SHF_ALLOC) !== 0 && (s.size > 0 || s.relocs.length > 0))
    .map((s) => ({
      name: s.name,
      hex: Buffer.from(s.data).toString("hex"),
      relocs: s.relocs.map((r) => {
        const sym = r.symbol >= 0 ? o.symbols[r.symbol] : undefined;
        let name = "";
        if (sym) {
          name = sym.type === 3 ? sym.name : sym.name.replace(/\u0002/g, "^B").replace(/\u0001/g, "^A");
          if (sym.bind === STB_LOCAL && sym.section !== SEC_UNDEF && sym.type !== 3) name += `@${o.sections[sym.section]?.name}+${sym.value}`;
        }
        return `${r.offset.toString(16)} ${RELOC_NAMES[r.type] ?? r.type} ${name} ${r.addend}`;
      }),
    }));
}

export interface LoadedSection {
  name: string;
  addr: bigint;
  hex: string;
}

/** The allocatable PROGBITS sections of an executable (name, address, bytes as hex). */
export function executableSections(bytes: Uint8Array): LoadedSection[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = Number(v.getBigUint64(0x28, true));
  const shnum = v.getUint16(0x3c, true);
  const shstrndx = v.getUint16(0x3e, true);
  const hdr = (i: number) => {
    const o = shoff + i * 64;
    return { name: v.getUint32(o, true), type: v.getUint32(o + 4, true), flags: Number(v.getBigUint64(o + 8, true)), addr: v.getBigUint64(o + 16, true), offset: Number(v.getBigUint64(o + 24, true)), size: Number(v.getBigUint64(o + 32, true)) };
  };
  const strOff = hdr(shstrndx).offset;
  const name = (n: number) => {
    let e = strOff + n;
    while (bytes[e] !== 0) e++;
    return new TextDecoder().decode(bytes.subarray(strOff + n, e));
  };
  const out: LoadedSection[] = [];
  for (let i = 1; i < shnum; i++) {
    const h = hdr(i);
    if ((h.flags & 2) === 0 || h.type !== 1) continue;
    out.push({ name: name(h.name), addr: h.addr, hex: Buffer.from(bytes.subarray(h.offset, h.offset + h.size)).toString("hex") });
  }
  return out;
}
