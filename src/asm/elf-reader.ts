// Reads an ELF64 little-endian relocatable back into an ObjectFile, so the
// linker accepts objects from disk (ours or GNU as's) and tests can compare.

import { SEC_ABS, SEC_COMMON, SEC_UNDEF, SHT_NOBITS, SHT_RELA, SHT_SYMTAB, type ObjReloc, type ObjSection, type ObjSymbol, type ObjectFile } from "./object.ts";

export class ElfFormatError extends Error {}

export function readObject(name: string, bytes: Uint8Array): ObjectFile {
  if (bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) throw new ElfFormatError(`${name}: not an ELF file`);
  if (bytes[4] !== 2 || bytes[5] !== 1) throw new ElfFormatError(`${name}: not a little-endian ELF64 file`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint16(16, true) !== 1) throw new ElfFormatError(`${name}: not a relocatable object`);
  const shoff = Number(v.getBigUint64(0x28, true));
  const shnum = v.getUint16(0x3c, true);
  const shstrndx = v.getUint16(0x3e, true);
  if (shoff + shnum * 64 > bytes.length) throw new ElfFormatError(`${name}: truncated section headers`);
  const sh = (i: number) => {
    const o = shoff + i * 64;
    return {
      name: v.getUint32(o, true), type: v.getUint32(o + 4, true), flags: Number(v.getBigUint64(o + 8, true)),
      offset: Number(v.getBigUint64(o + 24, true)), size: Number(v.getBigUint64(o + 32, true)),
      link: v.getUint32(o + 40, true), info: v.getUint32(o + 44, true), align: Number(v.getBigUint64(o + 48, true)),
      entsize: Number(v.getBigUint64(o + 56, true)),
    };
  };
  const headers = Array.from({ length: shnum }, (_, i) => sh(i));
  const dec = new TextDecoder();
  const str = (tab: number, off: number) => {
    const h = headers[tab];
    let e = h.offset + off;
    while (e < bytes.length && bytes[e] !== 0) e++;
    return dec.decode(bytes.subarray(h.offset + off, e));
  };
  // Keep the allocatable/progbits sections; remember their new indices.
  const sections: ObjSection[] = [];
  const map = new Map<number, number>();
  headers.forEach((h, i) => {
    if (i === 0 || h.type === SHT_RELA || h.type === SHT_SYMTAB || h.type === 3) return;
    map.set(i, sections.length);
    sections.push({
      name: str(shstrndx, h.name), type: h.type, flags: h.flags, align: Math.max(1, h.align),
      data: h.type === SHT_NOBITS ? new Uint8Array(0) : bytes.slice(h.offset, h.offset + h.size), size: h.size, relocs: [],
      entsize: h.entsize,
    });
  });
  const symtab = headers.findIndex((h) => h.type === SHT_SYMTAB);
  const symbols: ObjSymbol[] = [];
  if (symtab > 0) {
    const h = headers[symtab];
    for (let o = h.offset + 24; o < h.offset + h.size; o += 24) {
      const info = v.getUint8(o + 4);
      const shndx = v.getUint16(o + 6, true);
      const type = info & 15;
      const nm = type === 3 ? str(shstrndx, headers[shndx].name) : str(h.link, v.getUint32(o, true));
      symbols.push({
        name: nm, bind: info >> 4, type,
        section: shndx === 0 ? SEC_UNDEF : shndx === 0xfff1 ? SEC_ABS : shndx === 0xfff2 ? SEC_COMMON : map.get(shndx) ?? SEC_UNDEF,
        value: v.getBigUint64(o + 8, true), size: v.getBigUint64(o + 16, true),
      });
    }
  }
  headers.forEach((h) => {
    if (h.type !== SHT_RELA) return;
    const target = map.get(h.info);
    if (target === undefined) return;
    const relocs: ObjReloc[] = [];
    for (let o = h.offset; o < h.offset + h.size; o += 24) {
      const info = v.getBigUint64(o + 8, true);
      relocs.push({ offset: Number(v.getBigUint64(o, true)), type: Number(info & 0xffffffffn), symbol: Number(info >> 32n) - 1, addend: v.getBigInt64(o + 16, true) });
    }
    sections[target].relocs = relocs;
  });
  const attrs = sections.find((s) => s.name === ".riscv.attributes");
  let arch = "";
  if (attrs) {
    const m = /rv(32|64)[a-z0-9_]+/.exec(dec.decode(attrs.data));
    if (m) arch = m[0];
  }
  return { name, sections: sections.filter((s) => s.name !== ".riscv.attributes"), symbols, arch };
}
