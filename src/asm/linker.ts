// A small static linker for RV64 objects: the output sections, addresses
// and linker-defined symbols of GNU ld's default script for
// riscv64-unknown-elf (`ld --verbose`), symbol resolution, ld's linker
// relaxation (relax.ts) and relocation (relocate.ts), then an ELF64
// executable (elf-writer.ts).

import type { DiagnosticList, SourcePosition } from "./diagnostics.ts";
import { writeExecutable } from "./elf-writer.ts";
import {
  SEC_ABS, SEC_UNDEF, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_SECTION,
  type ObjectFile,
} from "./object.ts";
import { relaxAll } from "./relax.ts";
import { applyRelocations } from "./relocate.ts";

export interface LinkOptions {
  rvc?: boolean;
  /** Entry symbol (default _start, else main with a warning). */
  entry?: string;
  /** Run ld's linker relaxation (default true, as ld; false is `--no-relax`). */
  relax?: boolean;
  /** Address of .text (ld -Ttext); default: 0x10000 + the size of the headers. */
  textStart?: bigint;
  /** Address of the data segment (RARS puts .data at 0x10010000); default: ld's DATA_SEGMENT_ALIGN. */
  dataStart?: bigint;
  /** Upper bound on output size in bytes (default 64 MiB). */
  maxBytes?: number;
}

export const TEXT_SEGMENT_START = 0x10000n;
const MAXPAGESIZE = 0x1000n;

/** A reference to a symbol's definition: an input section and an offset that relaxation may move. */
export interface Definition {
  section: InputSection | null;
  /** Offset in the section, or the absolute value. */
  value: bigint;
  size: bigint;
  type: number;
  name: string;
}

export interface LinkReloc {
  offset: number;
  type: number;
  /** Resolved target symbol (null for RELAX/ALIGN/NONE). */
  target: Definition | null;
  addend: bigint;
}

export interface InputSection {
  object: ObjectFile;
  name: string;
  flags: number;
  type: number;
  align: number;
  data: Uint8Array;
  size: number;
  relocs: LinkReloc[];
  output: OutputSection;
  /** Offset within the output section. */
  offset: bigint;
  /** Symbols defined here (relaxation moves them). */
  symbols: Definition[];
}

export interface OutputSection {
  name: string;
  flags: number;
  type: number;
  align: number;
  inputs: InputSection[];
  addr: bigint;
  size: bigint;
}

export interface Layout {
  outputs: OutputSection[];
  globals: Map<string, Definition>;
  gp: bigint;
  /** Linker-defined symbols with absolute values (`_end`, `__global_pointer$`, ...). */
  defined: Map<string, Definition>;
  phnum: number;
}

export const sectionAddress = (s: InputSection) => s.output.addr + s.offset;
export const symbolValue = (d: Definition) => (d.section ? sectionAddress(d.section) + d.value : d.value);

// Output sections in the default script's order; the data segment starts at .tdata.
const OUTPUTS: { name: string; match: RegExp }[] = [
  { name: ".text", match: /^\.text(\.|$)|^\.stub$|^\.gnu\.linkonce\.t\./ },
  { name: ".rodata", match: /^\.rodata(\.|$)|^\.gnu\.linkonce\.r\./ },
  { name: ".data", match: /^\.data(\.|$)|^\.gnu\.linkonce\.d\./ },
  { name: ".sdata", match: /^\.srodata(\.|$)|^\.sdata(\.|$)|^\.gnu\.linkonce\.s\./ },
  { name: ".sbss", match: /^\.sbss(\.|$)|^\.gnu\.linkonce\.sb\./ },
  { name: ".bss", match: /^\.bss(\.|$)|^\.gnu\.linkonce\.b\./ },
];
const FIRST_DATA = 2;

const alignUp = (v: bigint, a: bigint) => (a <= 1n ? v : (v + a - 1n) & ~(a - 1n));

export function link(objects: ObjectFile[], options: LinkOptions, diags: DiagnosticList): Uint8Array | null {
  const at = (o: ObjectFile): SourcePosition => ({ file: o.name, line: 1, column: 1 });
  const outputs: OutputSection[] = OUTPUTS.map((o) => ({ name: o.name, flags: 0, type: 1, align: 1, inputs: [], addr: 0n, size: 0n }));
  const globals = new Map<string, Definition>();
  const defined = new Map<string, Definition>();
  const perObject: Definition[][] = [];
  const weak = new Set<string>();
  const inputsOf: (InputSection | null)[][] = [];

  // 1. Input sections into output sections (ld's orphan placement for others: by flags).
  for (const obj of objects) {
    const mine: (InputSection | null)[] = [];
    for (const s of obj.sections) {
      if ((s.flags & SHF_ALLOC) === 0) { mine.push(null); continue; }
      let k = OUTPUTS.findIndex((o) => o.match.test(s.name));
      if (k < 0) k = s.type === SHT_NOBITS ? 5 : s.flags & SHF_EXECINSTR ? 0 : s.flags & SHF_WRITE ? 2 : 1;
      const out = outputs[k];
      const isec: InputSection = {
        object: obj, name: s.name, flags: s.flags, type: s.type, align: s.align, data: new Uint8Array(s.data), size: s.size,
        relocs: [], output: out, offset: 0n, symbols: [],
      };
      out.inputs.push(isec);
      out.flags |= s.flags;
      if (s.type !== SHT_NOBITS) out.type = 1;
      else if (out.inputs.every((i) => i.type === SHT_NOBITS)) out.type = SHT_NOBITS;
      if (s.align > out.align) out.align = s.align;
      mine.push(isec);
    }
    inputsOf.push(mine);
  }

  // 2. Symbols: locals per object, globals shared.
  const linkerSymbol = (name: string) => {
    let d = defined.get(name);
    if (!d) { d = { section: null, value: 0n, size: 0n, type: 0, name }; defined.set(name, d); }
    return d;
  };
  const LINKER_SYMBOLS = ["__global_pointer$", "__bss_start", "_edata", "edata", "_end", "end", "__DATA_BEGIN__", "__SDATA_BEGIN__", "__BSS_END__", "_etext", "etext", "__etext", "__executable_start"];
  objects.forEach((obj, oi) => {
    const defs: Definition[] = [];
    for (const sym of obj.symbols) {
      let d: Definition;
      if (sym.section === SEC_UNDEF) d = { section: null, value: 0n, size: 0n, type: sym.type, name: sym.name };
      else if (sym.section === SEC_ABS) d = { section: null, value: sym.value, size: sym.size, type: sym.type, name: sym.name };
      else {
        const isec = inputsOf[oi][sym.section];
        d = { section: isec, value: sym.value, size: sym.size, type: sym.type, name: sym.name };
        if (isec) isec.symbols.push(d);
      }
      if (sym.bind !== STB_LOCAL) {
        if (sym.section === SEC_UNDEF) {
          defs.push(d);
          continue;
        }
        const prior = globals.get(sym.name);
        const priorWeak = weak.has(sym.name);
        if (prior && !priorWeak && sym.bind !== STB_WEAK) diags.error(at(obj), `multiple definition of '${sym.name}'`);
        if (!prior || (priorWeak && sym.bind !== STB_WEAK)) {
          globals.set(sym.name, d);
          if (sym.bind === STB_WEAK) weak.add(sym.name); else weak.delete(sym.name);
        }
      }
      defs.push(d);
    }
    perObject.push(defs);
  });
  for (const n of LINKER_SYMBOLS) if (!globals.has(n)) globals.set(n, linkerSymbol(n));

  // 3. Relocations with resolved targets.
  let undefinedCount = 0;
  objects.forEach((obj, oi) => {
    obj.sections.forEach((s, si) => {
      const isec = inputsOf[oi][si];
      if (!isec) return;
      isec.relocs = s.relocs.map((r) => {
        let target: Definition | null = null;
        if (r.symbol >= 0) {
          const sym = obj.symbols[r.symbol];
          target = perObject[oi][r.symbol];
          if (sym.bind !== STB_LOCAL) {
            const g = globals.get(sym.name);
            if (g) target = g;
            else if (sym.bind !== STB_WEAK) {
              if (undefinedCount++ < 20) diags.error(at(obj), `undefined reference to '${sym.name}'`);
              target = null;
            } else target = { section: null, value: 0n, size: 0n, type: 0, name: sym.name };
          } else if (sym.type === STT_SECTION) target = { section: isec && inputsOf[oi][sym.section], value: 0n, size: 0n, type: STT_SECTION, name: sym.name };
        }
        return { offset: r.offset, type: r.type, target, addend: r.addend };
      });
    });
  });
  if (diags.errorCount > 0) return null;

  // 4. Entry point.
  let entryName = options.entry ?? "_start";
  let entry = globals.get(entryName);
  if (!entry || (!entry.section && entry.type === 0 && !defined.has(entryName) && entry.value === 0n)) {
    entry = undefined;
    if (!options.entry && globals.get("main")?.section) {
      entryName = "main";
      entry = globals.get("main");
      diags.warning(at(objects[0]), "no '_start' symbol; starting at 'main'");
    } else {
      diags.error(at(objects[0]), `entry symbol '${entryName}' is not defined`);
      return null;
    }
  }

  const layout: Layout = { outputs, globals, gp: 0n, defined, phnum: 0 };
  const place = () => placeSections(layout, options, linkerSymbol);
  place();
  if (options.relax !== false) relaxAll(layout, options.rvc ?? true, place, true);
  relaxAll(layout, options.rvc ?? true, place, false);
  place();

  const total = outputs.reduce((n, o) => n + Number(o.size), 0);
  if (total > (options.maxBytes ?? 64 << 20)) {
    diags.error(at(objects[0]), `output too large (${total} bytes)`);
    return null;
  }
  if (!applyRelocations(layout, diags)) return null;
  return writeExecutable(layout, symbolValue(entry!), options.rvc ?? true, collectSymbols(objects, perObject, layout));
}

/** Addresses as the default script assigns them. */
function placeSections(layout: Layout, options: LinkOptions, linkerSymbol: (n: string) => Definition): void {
  const { outputs } = layout;
  for (const o of outputs) {
    let off = 0n;
    for (const i of o.inputs) {
      off = alignUp(off, BigInt(i.align));
      i.offset = off;
      off += BigInt(i.size);
    }
    o.size = off;
  }
  const present = (o: OutputSection) => o.inputs.some((i) => i.size > 0);
  const hasData = outputs.slice(FIRST_DATA).some(present);
  layout.phnum = 1 + 1 + (hasData ? 1 : 0); // PT_RISCV_ATTRIBUTES and the PT_LOADs
  let dot = options.textStart ?? TEXT_SEGMENT_START + 64n + BigInt(layout.phnum) * 56n;
  const set = (n: string, v: bigint) => { linkerSymbol(n).value = v; };
  set("__executable_start", TEXT_SEGMENT_START);
  for (let k = 0; k < FIRST_DATA; k++) {
    const o = outputs[k];
    if (present(o)) dot = alignUp(dot, BigInt(o.align));
    o.addr = dot;
    dot += o.size;
    if (k === 0) { set("__etext", dot); set("_etext", dot); set("etext", dot); }
  }
  // DATA_SEGMENT_ALIGN(MAXPAGESIZE, COMMONPAGESIZE), the "same offset in the page" form.
  dot = options.dataStart ?? alignUp(dot, MAXPAGESIZE) + (dot & (MAXPAGESIZE - 1n));
  const data = outputs[2], sdata = outputs[3], sbss = outputs[4], bss = outputs[5];
  if (present(data)) dot = alignUp(dot, BigInt(data.align));
  data.addr = dot;
  set("__DATA_BEGIN__", dot);
  dot += data.size;
  if (present(sdata)) dot = alignUp(dot, BigInt(sdata.align));
  sdata.addr = dot;
  set("__SDATA_BEGIN__", dot);
  dot += sdata.size;
  set("_edata", dot); set("edata", dot);
  set("__bss_start", dot);
  for (const o of [sbss, bss]) {
    if (present(o)) dot = alignUp(dot, BigInt(o.align));
    o.addr = dot;
    dot += o.size;
  }
  if (present(bss) || present(sbss)) {
    // `. = ALIGN(. != 0 ? 64 / 8 : 1)` inside .bss: the section grows to it.
    const end = alignUp(dot, 8n);
    if (present(bss)) bss.size += end - dot;
    dot = end;
  }
  dot = alignUp(dot, 8n);
  set("__BSS_END__", dot);
  const sdataBegin = linkerSymbol("__SDATA_BEGIN__").value;
  const dataBegin = linkerSymbol("__DATA_BEGIN__").value;
  const max = dataBegin + 0x800n > dot - 0x800n ? dataBegin + 0x800n : dot - 0x800n;
  layout.gp = sdataBegin + 0x800n < max ? sdataBegin + 0x800n : max;
  set("__global_pointer$", layout.gp);
  set("_end", dot); set("end", dot);
}

export interface OutputSymbol {
  name: string;
  value: bigint;
  size: bigint;
  bind: number;
  type: number;
  output: OutputSection | null;
}

function collectSymbols(objects: ObjectFile[], perObject: Definition[][], layout: Layout): OutputSymbol[] {
  const out: OutputSymbol[] = [];
  objects.forEach((obj, oi) => {
    obj.symbols.forEach((s, i) => {
      if (s.bind !== STB_LOCAL || s.type === STT_SECTION || s.name.startsWith(".L") || s.name.startsWith("$")) return;
      const d = perObject[oi][i];
      out.push({ name: s.name, value: symbolValue(d), size: d.size, bind: STB_LOCAL, type: s.type, output: d.section?.output ?? null });
    });
  });
  const names = [...layout.globals.keys()].sort();
  for (const n of names) {
    const d = layout.globals.get(n)!;
    out.push({ name: n, value: symbolValue(d), size: d.size, bind: STB_GLOBAL, type: d.type < 0 ? 0 : d.type, output: d.section?.output ?? null });
  }
  return out;
}

export { STB_GLOBAL };
