// A small static linker for RV64 objects: the output sections, addresses
// and linker-defined symbols of GNU ld's default script for
// riscv64-unknown-elf (`ld --verbose`), symbol resolution, ld's linker
// relaxation (relax.ts) and relocation (relocate.ts), then an ELF64
// executable (elf-writer.ts).

import type { DiagnosticList, SourcePosition } from "./diagnostics.ts";
import { writeExecutable } from "./elf-writer.ts";
import {
  SEC_ABS, SEC_COMMON, SEC_UNDEF, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_SECTION,
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
  /** Keep a line table (address -> file:line) through relaxation; costs time, so only when asked. */
  lineTable?: boolean;
  /**
   * Start as the course tools do: at `main` (global or not), else at the
   * first instruction of .text, without a warning (RARS, Venus).
   */
  courseEntry?: boolean;
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
  /** ld's sec_flg0: once its R_RISCV_ALIGNs are done, a section is not relaxed again. */
  relaxDone: boolean;
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
  /** PT_LOAD segments: output sections in each, as ld's map_sections_to_segments groups them. */
  segments: OutputSection[][];
}

export const sectionAddress = (s: InputSection) => s.output.addr + s.offset;
export const symbolValue = (d: Definition) => (d.section ? sectionAddress(d.section) + d.value : d.value);

// Output sections in the default script's order, each with its input
// patterns in order (ld places all inputs matching the first pattern, then
// the second...: .text.startup of every file before any .text).
const OUTPUTS: { name: string; patterns: RegExp[] }[] = [
  { name: ".text", patterns: [/^\.text\.unlikely(\.|$)|^\.text\..*_unlikely$/, /^\.text\.exit(\.|$)/, /^\.text\.startup(\.|$)/, /^\.text\.hot(\.|$)/, /^\.text\.sorted\./, /^\.text(\.|$)|^\.stub$|^\.gnu\.linkonce\.t\./] },
  { name: ".rodata", patterns: [/^\.rodata(\.|$)|^\.gnu\.linkonce\.r\./] },
  { name: ".data", patterns: [/^\.data(\.|$)|^\.gnu\.linkonce\.d\./] },
  { name: ".sdata", patterns: [/^\.srodata\.cst16$/, /^\.srodata\.cst8$/, /^\.srodata\.cst4$/, /^\.srodata\.cst2$/, /^\.srodata(\.|$)/, /^\.sdata(\.|$)|^\.gnu\.linkonce\.s\./] },
  { name: ".sbss", patterns: [/^\.sbss(\.|$)|^\.gnu\.linkonce\.sb\./] },
  { name: ".bss", patterns: [/^\.bss(\.|$)|^\.gnu\.linkonce\.b\./] },
];
const FIRST_DATA = 2;

const alignUp = (v: bigint, a: bigint) => (a <= 1n ? v : (v + a - 1n) & ~(a - 1n));

/** A linked program's line table: the address of an instruction statement's code, and its source. */
export interface SourceLine {
  addr: bigint;
  file: string;
  line: number;
}

export interface Linked {
  executable: Uint8Array;
  /** Sorted by address. */
  lines: SourceLine[];
  /** Global function and label addresses by name (for checkers and messages). */
  symbols: { name: string; addr: bigint; global: boolean; inText: boolean }[];
}

export function link(objects: ObjectFile[], options: LinkOptions, diags: DiagnosticList): Linked | null {
  const at = (o: ObjectFile): SourcePosition => ({ file: o.name, line: 1, column: 1 });
  const outputs: OutputSection[] = OUTPUTS.map((o) => ({ name: o.name, flags: 0, type: 1, align: 1, inputs: [], addr: 0n, size: 0n }));
  const globals = new Map<string, Definition>();
  const defined = new Map<string, Definition>();
  const perObject: Definition[][] = [];
  const weak = new Set<string>();
  const inputsOf: (InputSection | null)[][] = [];

  // 1. Input sections into output sections (ld's orphan placement for others: by flags).
  const placed: { isec: InputSection; out: number; pattern: number; order: number }[] = [];
  for (const obj of objects) {
    const mine: (InputSection | null)[] = [];
    for (const s of obj.sections) {
      if ((s.flags & SHF_ALLOC) === 0) { mine.push(null); continue; }
      let k = -1, pattern = 0;
      for (let j = 0; j < OUTPUTS.length && k < 0; j++) {
        const p = OUTPUTS[j].patterns.findIndex((re) => re.test(s.name));
        if (p >= 0) { k = j; pattern = p; }
      }
      if (k < 0) { k = s.type === SHT_NOBITS ? 5 : s.flags & SHF_EXECINSTR ? 0 : s.flags & SHF_WRITE ? 2 : 1; pattern = 99; }
      const out = outputs[k];
      const isec: InputSection = {
        object: obj, name: s.name, flags: s.flags, type: s.type, align: s.align, data: new Uint8Array(s.data), size: s.size,
        relocs: [], output: out, offset: 0n, symbols: [], relaxDone: false,
      };
      placed.push({ isec, out: k, pattern, order: placed.length });
      mine.push(isec);
    }
    inputsOf.push(mine);
  }
  placed.sort((a, b) => a.out - b.out || a.pattern - b.pattern || a.order - b.order);
  for (const { isec } of placed) {
    const out = isec.output;
    out.inputs.push(isec);
    out.flags |= isec.flags;
    if (isec.align > out.align) out.align = isec.align;
  }
  for (const out of outputs) out.type = out.inputs.length > 0 && out.inputs.every((i) => i.type === SHT_NOBITS) ? SHT_NOBITS : 1;

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
        if (sym.section === SEC_UNDEF || sym.section === SEC_COMMON) {
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
  allocateCommons(objects, globals, outputs[5]);

  // Line entries ride along as definitions, so relaxation moves them with the code.
  const lineDefs: { def: Definition; file: string; line: number }[] = [];
  if (options.lineTable) objects.forEach((obj, oi) => {
    for (const l of obj.lines ?? []) {
      const isec = inputsOf[oi][l.section];
      if (!isec) continue;
      const def: Definition = { section: isec, value: BigInt(l.offset), size: 0n, type: 0, name: "" };
      isec.symbols.push(def);
      lineDefs.push({ def, file: l.file, line: l.line });
    }
  });

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
  if (options.courseEntry && !entry?.section) {
    entry = globals.get("main")?.section ? globals.get("main") : perObject.flat().find((d) => d.name === "main" && d.section);
    const text = outputs[0].inputs.find((i) => i.size > 0);
    if (!entry && text) entry = { section: text, value: 0n, size: 0n, type: 0, name: ".text" };
  }
  if (!options.courseEntry && (!entry || (!entry.section && entry.type === 0 && !defined.has(entryName) && entry.value === 0n))) {
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

  // ld (ldelf_map_segments) lays out and relaxes with an estimate of the
  // program headers (PT_RISCV_ATTRIBUTES and two PT_LOADs), maps sections to
  // segments, and lays out (and relaxes) again while the count changes.
  if (!entry) {
    diags.error(at(objects[0]), "no code to start at");
    return null;
  }
  const layout: Layout = { outputs, globals, gp: 0n, defined, phnum: 3, segments: [] };
  const place = () => placeSections(layout, options, linkerSymbol);
  for (let tries = 10; tries > 0; tries--) {
    place();
    if (options.relax !== false) relaxAll(layout, options.rvc ?? true, place, true);
    relaxAll(layout, options.rvc ?? true, place, false);
    place();
    layout.segments = mapSegments(layout);
    const phnum = 1 + layout.segments.length;
    if (phnum === layout.phnum || (tries <= 6 && phnum < layout.phnum) || options.textStart !== undefined) break;
    layout.phnum = phnum;
  }

  const total = outputs.reduce((n, o) => n + Number(o.size), 0);
  if (total > (options.maxBytes ?? 64 << 20)) {
    diags.error(at(objects[0]), `output too large (${total} bytes)`);
    return null;
  }
  if (!applyRelocations(layout, diags)) return null;
  const outSymbols = collectSymbols(objects, perObject, layout);
  const executable = writeExecutable(layout, symbolValue(entry!), options.rvc ?? true, outSymbols);
  const lines = lineDefs.map((l) => ({ addr: symbolValue(l.def), file: l.file, line: l.line })).sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  const symbols = outSymbols.map((s) => ({ name: s.name, addr: s.value, global: s.bind !== 0, inText: s.output === outputs[0] }));
  return { executable, lines, symbols };
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

/** ld's `*(COMMON)` at the end of .bss: common symbols no object defines, in the order first seen. */
function allocateCommons(objects: ObjectFile[], globals: Map<string, Definition>, bss: OutputSection): void {
  const commons = new Map<string, { size: bigint; align: bigint }>();
  for (const o of objects) {
    for (const s of o.symbols) {
      if (s.section !== SEC_COMMON || globals.has(s.name)) continue;
      const c = commons.get(s.name);
      if (!c) commons.set(s.name, { size: s.size, align: s.value });
      else { if (s.size > c.size) c.size = s.size; if (s.value > c.align) c.align = s.value; }
    }
  }
  if (commons.size === 0) return;
  const isec: InputSection = {
    object: objects[0], name: "COMMON", flags: SHF_ALLOC | SHF_WRITE, type: SHT_NOBITS, align: 1, data: new Uint8Array(0), size: 0,
    relocs: [], output: bss, offset: 0n, symbols: [], relaxDone: false,
  };
  let off = 0n;
  for (const [name, c] of commons) {
    off = alignUp(off, c.align);
    const d: Definition = { section: isec, value: off, size: c.size, type: 1, name };
    isec.symbols.push(d);
    globals.set(name, d);
    off += c.size;
    if (Number(c.align) > isec.align) isec.align = Number(c.align);
  }
  isec.size = Number(off);
  bss.inputs.push(isec);
  bss.flags |= isec.flags;
  if (isec.align > bss.align) bss.align = isec.align;
  if (bss.inputs.every((i) => i.type === SHT_NOBITS)) bss.type = SHT_NOBITS;
}

const SEGMENT_PAGE = 0x1000n;

/** bfd's _bfd_elf_map_sections_to_segments for a static, demand-paged executable. */
export function mapSegments(layout: Layout): OutputSection[][] {
  const secs = layout.outputs.filter((o) => o.inputs.some((i) => i.size > 0)).sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  const segments: OutputSection[][] = [];
  let cur: OutputSection[] = [];
  let writable = false;
  const readonly = (o: OutputSection) => (o.flags & SHF_WRITE) === 0;
  const page = (v: bigint) => v & ~(SEGMENT_PAGE - 1n);
  for (const o of secs) {
    const last = cur[cur.length - 1];
    let fresh = false;
    if (last) {
      const end = last.addr + (last.type === SHT_NOBITS ? last.size : last.size);
      if (o.addr < end) fresh = true;
      else if (page(end - 1n) === page(o.addr)) fresh = false;
      else if (page(end + SEGMENT_PAGE - 1n) + SEGMENT_PAGE <= o.addr) fresh = true;
      else if (last.type === SHT_NOBITS && o.type !== SHT_NOBITS) fresh = true;
      else if (!writable && !readonly(o)) fresh = true;
    }
    if (fresh) {
      segments.push(cur);
      cur = [];
      writable = false;
    }
    cur.push(o);
    if (!readonly(o)) writable = true;
  }
  if (cur.length) segments.push(cur);
  return segments;
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
