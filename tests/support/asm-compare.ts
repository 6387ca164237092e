// Compares two relocatable objects the way the differential tests define
// "identical": every allocatable section's bytes, and its relocations as
// (offset, type, symbol name, symbol value for local symbols, addend).

import { RELOC_NAMES, SEC_UNDEF, SHF_ALLOC, STB_LOCAL, type ObjectFile } from "../../src/asm/object.ts";

export interface SectionView {
  name: string;
  hex: string;
  relocs: string[];
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
