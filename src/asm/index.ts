// The assembler's public face: GNU as syntax in, ELF out, diagnostics
// always. A leaf module: no imports from the rest of edgevm and no Node
// APIs, so the same code runs in workerd, Node and a browser.

import { Assembler, type Dialect } from "./assembler.ts";
import { DiagnosticList, formatDiagnostic, type Diagnostic } from "./diagnostics.ts";
import { writeObject } from "./elf-writer.ts";
import { buildObject } from "./layout.ts";
import { link, type Linked, type LinkOptions, type SourceLine } from "./linker.ts";
import type { ObjectFile } from "./object.ts";

export type { Diagnostic } from "./diagnostics.ts";
export { formatDiagnostic } from "./diagnostics.ts";
export type { ObjectFile } from "./object.ts";
export type { SourceLine } from "./linker.ts";

export interface SourceFile {
  name: string;
  text: string;
}

export interface AssembleOptions {
  /** Produce a relocatable object (`-c`) instead of a linked executable. */
  objectOnly?: boolean;
  /** Start with RVC on (default true: rv64gc, what riscv64-unknown-elf-gcc passes to as). */
  rvc?: boolean;
  /** Start with linker relaxation on (default true, as gas). */
  relax?: boolean;
  /** Which course tool's source quirks to accept silently (default "gnu": accepted with a warning). */
  dialect?: Dialect;
  /** Linker options: memory layout, entry symbol. */
  link?: LinkOptions;
  /** Limit on statements per unit, macro and .rept expansion included (default 2,000,000). */
  maxStatements?: number;
}

export interface AssembleResult {
  executable?: Uint8Array;
  /** With an executable and `link.lineTable`: each instruction statement's address and source, sorted by address. */
  lines?: SourceLine[];
  /** With an executable: symbol addresses (globals and locals), for messages and checkers. */
  symbols?: Linked["symbols"];
  object?: Uint8Array;
  /** The relocatable objects, one per translation unit (for tests and the linker). */
  objects?: ObjectFile[];
  diagnostics: Diagnostic[];
}

export const ARCH_RV64GC = "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0_zmmul1p0";
export const ARCH_RV64G = "rv64i2p1_m2p0_a2p1_f2p2_d2p2_zicsr2p0_zifencei2p0_zmmul1p0";

/**
 * The translation units: files named by another file's `.include`, and
 * files that are not assembly by their name (`.inc`, `.h`), are there to be
 * included, not assembled on their own.
 */
function units(files: SourceFile[]): SourceFile[] {
  const included = new Set<string>();
  for (const f of files) for (const m of f.text.matchAll(/^\s*\.include\s+"([^"]+)"/gm)) included.add(m[1].split("/").pop()!);
  const own = files.filter((f) => !included.has(f.name.split("/").pop()!) && (/\.(s|S|asm)$/.test(f.name) || !/\.[A-Za-z]+$/.test(f.name)));
  return own.length > 0 ? own : files;
}

/** Assembles each unit to an in-memory object. */
export function assembleObjects(files: SourceFile[], options: AssembleOptions = {}, diags = new DiagnosticList()): ObjectFile[] | null {
  const rvc = options.rvc ?? true;
  const byName = new Map<string, string>();
  for (const f of files) {
    byName.set(f.name, f.text);
    byName.set(f.name.split("/").pop()!, f.text);
  }
  const objects: ObjectFile[] = [];
  for (const f of units(files)) {
    const asm = new Assembler(f.name, f.text, {
      rvc,
      relax: options.relax ?? true,
      dialect: options.dialect ?? "gnu",
      files: byName,
      maxStatements: options.maxStatements ?? 2_000_000,
    }, diags);
    asm.run();
    const obj = buildObject(asm, rvc ? ARCH_RV64GC : ARCH_RV64G);
    if (obj) objects.push(obj);
  }
  return diags.errorCount > 0 ? null : objects;
}

export function assemble(files: SourceFile[], options: AssembleOptions = {}): AssembleResult {
  const diags = new DiagnosticList();
  if (files.length === 0) {
    diags.error({ file: "<input>", line: 1, column: 1 }, "no input files");
    return { diagnostics: diags.items };
  }
  const objects = assembleObjects(files, options, diags);
  if (!objects) return { diagnostics: diags.items };
  const rvc = options.rvc ?? true;
  if (options.objectOnly) {
    if (objects.length !== 1) {
      diags.error({ file: files[0].name, line: 1, column: 1 }, "-c with several input files: assemble them one at a time");
      return { diagnostics: diags.items, objects };
    }
    return { object: writeObject(objects[0], rvc), objects, diagnostics: diags.items };
  }
  const linked = link(objects, { rvc, ...options.link }, diags);
  if (!linked) return { objects, diagnostics: diags.items };
  return { executable: linked.executable, lines: linked.lines, symbols: linked.symbols, objects, diagnostics: diags.items };
}

export function formatDiagnostics(ds: Diagnostic[]): string {
  return ds.map(formatDiagnostic).join("\n");
}
