// The differential corpus (tests/asm): which files are assembled on their
// own, which are linked together, and how the reference output is made with
// the GNU toolchain (riscv64-unknown-elf-as / -ld) when it is installed.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readObject } from "../../src/asm/elf-reader.ts";
import type { SourceFile } from "../../src/asm/index.ts";
import { describeObject, describeSymbols, executableSections, type LoadedSection, type SectionView } from "./asm-compare.ts";

export const CORPUS_DIR = path.resolve(__dirname, "../asm");

export interface ObjectCase {
  name: string;
  file: string;
  /** rv64gc (RVC on, gcc's default) or rv64g (as's own default). */
  march: "rv64gc" | "rv64g";
}

export interface LinkCase {
  name: string;
  files: string[];
  /** Link as `ld --no-relax` does (our `link.relax: false`). */
  noRelax?: boolean;
}

const sources = (dir: string) =>
  readdirSync(path.join(CORPUS_DIR, dir)).filter((f) => f.endsWith(".s")).sort().map((f) => `${dir}/${f}`);

export function objectCases(): ObjectCase[] {
  const files = [...sources("student"), ...sources("gcc"), ...sources("edge"), ...sources("generated")];
  return [
    ...files.map((file) => ({ name: `${file} rv64gc`, file, march: "rv64gc" as const })),
    ...files.map((file) => ({ name: `${file} rv64g`, file, march: "rv64g" as const })),
  ];
}

export function linkCases(): LinkCase[] {
  const student = sources("student").map((f) => ({ name: path.basename(f, ".s"), files: [f] }));
  const gcc = ["sort", "switch", "matrix", "hash", "sort-O0", "switch-Os", "strings"].map((n) => ({ name: `gcc-${n}`, files: ["gcc/crt0.s", "gcc/lib.s", `gcc/${n}.s`] }));
  const edge = sources("edge").map((f) => ({ name: `edge-${path.basename(f, ".s")}`, files: [f] }));
  const relaxed = [...student, ...gcc, ...edge];
  return [...relaxed, ...relaxed.map((c) => ({ ...c, name: `${c.name} --no-relax`, noRelax: true }))];
}

/** The sources of a case as the assembler gets them: the files plus the .inc files beside them. */
export function caseSources(files: string[]): SourceFile[] {
  const out: SourceFile[] = files.map((f) => ({ name: f, text: readFileSync(path.join(CORPUS_DIR, f), "utf8") }));
  const dirs = new Set(files.map((f) => path.dirname(f)));
  for (const d of dirs) {
    for (const inc of readdirSync(path.join(CORPUS_DIR, d)).filter((n) => n.endsWith(".inc")).sort()) {
      out.push({ name: inc, text: readFileSync(path.join(CORPUS_DIR, d, inc), "utf8") });
    }
  }
  return out;
}

export function haveToolchain(): boolean {
  return (
    spawnSync("riscv64-unknown-elf-as", ["--version"]).status === 0 &&
    spawnSync("riscv64-unknown-elf-ld", ["--version"]).status === 0
  );
}

function gasObject(file: string, march: string, out: string): void {
  const abs = path.join(CORPUS_DIR, file);
  execFileSync("riscv64-unknown-elf-as", [`-march=${march}`, "-I", path.dirname(abs), abs, "-o", out], { stdio: "pipe" });
}

export function referenceObject(c: ObjectCase): { sections: SectionView[]; symbols: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-asm-"));
  try {
    const o = path.join(dir, "ref.o");
    gasObject(c.file, c.march, o);
    const obj = readObject(c.file, readFileSync(o));
    return { sections: describeObject(obj), symbols: describeSymbols(obj) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Links with riscv64-unknown-elf-ld; returns the executable's bytes. */
export function referenceExecutable(c: LinkCase): Uint8Array {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-asm-"));
  try {
    const objs = c.files.map((f, i) => {
      const o = path.join(dir, `${i}.o`);
      gasObject(f, "rv64gc", o);
      return o;
    });
    const exe = path.join(dir, "a.out");
    execFileSync("riscv64-unknown-elf-ld", [...(c.noRelax ? ["--no-relax"] : []), ...objs, "-o", exe], { stdio: "pipe" });
    return readFileSync(exe);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** riscv64-unknown-elf-ld on ELF objects written by our assembler (checks the object writer against ld). */
export function linkOurObjectsWithGnuLd(c: LinkCase, objects: Uint8Array[]): Uint8Array {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-asm-"));
  try {
    const paths = objects.map((bytes, i) => {
      const o = path.join(dir, `${i}.o`);
      writeFileSync(o, bytes);
      return o;
    });
    const exe = path.join(dir, "a.out");
    execFileSync("riscv64-unknown-elf-ld", [...(c.noRelax ? ["--no-relax"] : []), ...paths, "-o", exe], { stdio: "pipe" });
    return readFileSync(exe);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function referenceLinked(c: LinkCase): LoadedSection[] {
  return executableSections(referenceExecutable(c));
}

export const EXPECTED_DIR = path.join(CORPUS_DIR, "expected");
