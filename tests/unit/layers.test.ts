// The layering of docs/architecture.md, checked on the source: every import
// between top-level layers points downward, and no folder's files import
// each other in a circle. Reads import lines only; nothing is run.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(new URL(import.meta.url).pathname), "../..");
const SRC = join(ROOT, "src");

/** Higher rank may import lower rank; equal ranks are separate layers that must not import each other. */
const RANK: Record<string, number> = {
  core: 0, // AssemblyScript, compiled apart: imports nothing of the host
  asm: 1, // the assembler: a leaf
  vm: 1,
  snapshot: 2,
  grade: 3,
  service: 4,
  cli: 4,
  web: 4,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.[^"']+)["']/gms)].map((m) => m[1]!);
  return specs.map((s) => normalize(join(dirname(file), s)));
}

const layerOf = (file: string): string => relative(SRC, file).split("/")[0]!;

describe("layers (docs/architecture.md)", () => {
  const files = sourceFiles(SRC).filter((f) => layerOf(f) in RANK);

  it("every import between layers points downward", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (!(to in RANK) || to === from) continue;
        if (RANK[to]! >= RANK[from]!) upward.push(`${relative(ROOT, file)} -> ${relative(ROOT, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  // src/vm/linux is left out: its kernel, scheduler and process table still
  // call each other (an open item in docs/architecture.md).
  it("no circle of imports among the files of src/cli, src/snapshot or src/vm outside the Linux kernel", () => {
    const circles: string[] = [];
    const inScope = (f: string) => !relative(SRC, f).startsWith("vm/linux/");
    for (const layer of ["cli", "vm", "snapshot"]) {
      const members = files.filter((f) => layerOf(f) === layer && inScope(f));
      const graph = new Map(members.map((f) => [f, importsOf(f).filter((t) => layerOf(t) === layer && inScope(t))]));
      const state = new Map<string, "open" | "done">();
      const visit = (file: string, path: string[]): void => {
        if (state.get(file) === "done") return;
        if (state.get(file) === "open") {
          circles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(ROOT, f)).join(" -> "));
          return;
        }
        state.set(file, "open");
        for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
        state.set(file, "done");
      };
      for (const file of graph.keys()) visit(file, []);
    }
    expect(circles).toEqual([]);
  });
});
