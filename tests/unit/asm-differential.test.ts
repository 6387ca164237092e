// The differential test of issue 15: our assembler and linker against GNU
// as 2.40 + ld (riscv64-unknown-elf). "Identical" means, for objects, every
// allocatable section's bytes and its relocations (offset, type, symbol,
// addend); for executables, every loaded section's address and bytes. The
// expected values were produced by the real tools and are committed
// (tests/asm/expected), so this runs without a toolchain; when the toolchain
// is installed the expectations are re-derived from it and compared too
// (UPDATE_ASM_EXPECTED=1 rewrites them).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assemble, assembleObjects, formatDiagnostics } from "../../src/asm/index.ts";
import { describeObject, describeSymbols, executableSections, type LoadedSection, type SectionView } from "../support/asm-compare.ts";
import {
  caseSources, EXPECTED_DIR, haveToolchain, linkCases, linkOurObjectsWithGnuLd, objectCases, referenceExecutable, referenceLinked,
  referenceObject,
} from "../support/asm-corpus.ts";

const objectsFile = path.join(EXPECTED_DIR, "objects.json");
const linksFile = path.join(EXPECTED_DIR, "links.json");
const runsFile = path.join(EXPECTED_DIR, "runs.json");
const readJson = <T>(f: string): T => JSON.parse(readFileSync(f, "utf8")) as T;

type Links = Record<string, { name: string; addr: string; hex: string }[]>;
type Runs = Record<string, { stdout: string; status: number }>;

interface ObjectView {
  sections: SectionView[];
  symbols: string[];
}

function ourObject(file: string, march: string): ObjectView {
  const objs = assembleObjects(caseSources([file]), { rvc: march === "rv64gc" });
  if (!objs) throw new Error(`${file} did not assemble`);
  return { sections: describeObject(objs[0]), symbols: describeSymbols(objs[0]) };
}

function ourExecutable(files: string[], noRelax = false): Uint8Array {
  const r = assemble(caseSources(files), noRelax ? { link: { relax: false } } : {});
  if (!r.executable) throw new Error(formatDiagnostics(r.diagnostics));
  return r.executable;
}

const linkedView = (s: LoadedSection[]) => s.map((x) => ({ name: x.name, addr: `0x${x.addr.toString(16)}`, hex: x.hex }));

describe("differential corpus against committed GNU as/ld output", () => {
  const objects = readJson<Record<string, ObjectView>>(objectsFile);
  const links = readJson<Links>(linksFile);
  for (const c of objectCases()) {
    it(`object ${c.name}: section bytes, relocations and symbols`, () => {
      expect(objects[c.name], `no expected output for ${c.name}: run with UPDATE_ASM_EXPECTED=1`).toBeDefined();
      expect(ourObject(c.file, c.march)).toEqual(objects[c.name]);
    });
  }
  for (const c of linkCases()) {
    it(`executable ${c.name}: section addresses and bytes`, () => {
      expect(links[c.name]).toBeDefined();
      expect(linkedView(executableSections(ourExecutable(c.files, c.noRelax)))).toEqual(links[c.name]);
    });
  }
});

describe("linked corpus programs under edgevm", () => {
  const runs = readJson<Runs>(runsFile);
  const built = existsSync("dist/cli.mjs");
  it.skipIf(!built)("print what the toolchain-built programs print", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-asm-run-"));
    try {
      for (const c of linkCases()) {
        const exe = path.join(dir, c.name);
        writeFileSync(exe, ourExecutable(c.files, c.noRelax));
        const r = spawnSync(process.execPath, ["bin/edgevm.mjs", "run", exe], { encoding: "utf8", timeout: 60_000 });
        expect({ name: c.name, stdout: r.stdout, status: r.status }).toEqual({ name: c.name, ...runs[c.name] });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const toolchain = haveToolchain();
if (!toolchain) console.log("asm-differential: riscv64-unknown-elf-as/ld not installed; the re-derivation from the toolchain is skipped");

describe.skipIf(!toolchain)("committed expectations re-derived from riscv64-unknown-elf-as/ld", () => {
  const update = process.env.UPDATE_ASM_EXPECTED === "1";
  it("objects", () => {
    const fresh: Record<string, ObjectView> = {};
    for (const c of objectCases()) fresh[c.name] = referenceObject(c);
    if (update) writeFileSync(objectsFile, JSON.stringify(fresh, null, 1) + "\n");
    expect(readJson(objectsFile)).toEqual(fresh);
  });
  it("GNU ld links the ELF objects we write to the executables it makes of gas's", () => {
    for (const c of linkCases()) {
      const objects = c.files.map((f) => {
        const r = assemble(caseSources([f]), { objectOnly: true });
        if (!r.object) throw new Error(formatDiagnostics(r.diagnostics));
        return r.object;
      });
      expect({ name: c.name, sections: linkedView(executableSections(linkOurObjectsWithGnuLd(c, objects))) }).toEqual({
        name: c.name,
        sections: linkedView(referenceLinked(c)),
      });
    }
  });

  it("executables, and what they print under edgevm", () => {
    const fresh: Links = {};
    const runs: Runs = {};
    const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-asm-ref-"));
    try {
      for (const c of linkCases()) {
        fresh[c.name] = linkedView(referenceLinked(c));
        const exe = path.join(dir, c.name);
        writeFileSync(exe, referenceExecutable(c));
        const r = spawnSync(process.execPath, ["bin/edgevm.mjs", "run", exe], { encoding: "utf8", timeout: 60_000 });
        runs[c.name] = { stdout: r.stdout, status: r.status ?? -1 };
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (update) {
      writeFileSync(linksFile, JSON.stringify(fresh, null, 1) + "\n");
      writeFileSync(runsFile, JSON.stringify(runs, null, 1) + "\n");
    }
    expect(readJson(linksFile)).toEqual(fresh);
    expect(readJson(runsFile)).toEqual(runs);
  });
});
