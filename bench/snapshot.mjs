#!/usr/bin/env node
// Snapshot overhead per quantum (issue 4): restore time, persist time and
// bytes moved, as a function of the guest's working set and dirty set, with
// the directory store (the CLI's) on the local disk.
//
//   node bench/snapshot.mjs [--quick] [--quanta N] [--out FILE]
//
// Scenarios:
//   small-job  coremark-like-small.elf (128 MiB RAM, the CLI default) run in
//              quanta of 1,000,000 instructions
//   64mib      a 64 MiB guest whose RAM is filled with data (a mix of text-,
//              pointer-, small-integer- and random-like pages, so no chunk is
//              zero), running a generated program (tests/unit/snapshot-guest.ts)
//              that reads one word of each page of a working set W and writes
//              every page, a quarter of them, or none; one quantum is one walk.
//              "cold" is the first quantum after the snapshot (every chunk
//              found by a page fault), "warm" the median of the next ones
//              (the previous quantum's working set prefetched in one batch);
//              --quanta N runs N quanta per case (default 6, --quick 3).
//   codecs     the 1 MiB case with lz4 (default) and deflate-raw chunks
//   chunks     the 1 MiB case with chunks of 16, 64 and 256 KiB
// Writes bench/results/snapshot.json (or --out) and prints a table.
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const outIndex = argv.indexOf("--out");
const outFile = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : path.join(benchDir, "results", "snapshot.json");
const quantaIndex = argv.indexOf("--quanta");
const quantaPerCase = quantaIndex >= 0 ? Number(argv[quantaIndex + 1]) : quick ? 3 : 6;
if (!Number.isInteger(quantaPerCase) || quantaPerCase < 2) throw new Error("--quanta needs a whole number of at least 2");

// The snapshot layer is TypeScript: bundle what the bench needs into one module.
const work = mkdtempSync(path.join(os.tmpdir(), "edgevm-snapbench-"));
const bundle = path.join(work, "snapshot-bench.mjs");
await build({
  stdin: {
    contents: `
      export * from "./src/snapshot/index.ts";
      export { DirectoryStore } from "./src/snapshot/store-directory.ts";
      export { instantiateCore } from "./src/vm/core-pool.ts";
      export { BareMachine } from "./src/vm/bare/bare-machine.ts";
      export { parseElf } from "./src/vm/elf.ts";
      export { touchElf, instructionsPerRound } from "./tests/unit/snapshot-guest.ts";`,
    resolveDir: repoDir,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  outfile: bundle,
  logLevel: "warning",
});
const S = await import(pathToFileURL(bundle).href);
const core = new WebAssembly.Module(readFileSync(path.join(repoDir, "build", "core.wasm")));
let storeCount = 0;
const newStore = () => new S.DirectoryStore(path.join(work, `store-${storeCount++}`));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r2 = (v) => Math.round(v * 100) / 100;

function quantumRow(r) {
  return {
    restoreMs: r2(r.timings.restoreMs),
    persistMs: r2(r.timings.persistMs),
    runMs: r2(r.timings.runMs),
    bytesRead: r.counters.bytesRead,
    bytesWritten: r.counters.bytesWritten,
    objectsRead: r.counters.objectsRead,
    objectsWritten: r.counters.objectsWritten,
    chunksFetched: r.counters.chunksFetched,
    chunksChanged: r.counters.chunksChanged,
  };
}

function summarise(rows) {
  const out = {};
  for (const key of Object.keys(rows[0] ?? {})) out[key] = r2(median(rows.map((r) => r[key])));
  out.restorePlusPersistMs = r2(median(rows.map((r) => r.restoreMs + r.persistMs)));
  return out;
}

// ---- small job --------------------------------------------------------------

async function smallJob() {
  const store = newStore();
  const options = { core };
  const program = readFileSync(path.join(benchDir, "bin", "coremark-like-small.elf"));
  let id = await S.createSnapshot({ kind: "elf", program, ramBytes: 128 << 20 }, store, options);
  const rows = [];
  for (;;) {
    const r = await S.step(id, {}, 1_000_000n, store, options);
    rows.push(quantumRow(r));
    id = r.snapshotId;
    if (r.status.kind !== "running") break;
  }
  return { scenario: "small-job", program: "coremark-like-small.elf", ramMiB: 128, quantum: 1_000_000, quanta: rows.length, median: summarise(rows), max: maxima(rows) };
}

function maxima(rows) {
  const out = {};
  for (const key of Object.keys(rows[0] ?? {})) out[key] = Math.max(...rows.map((r) => r[key]));
  return out;
}

// ---- 64 MiB guest -----------------------------------------------------------

const RAM = 64 << 20;
const BASE = 8 << 20;

function fillRam(ram) {
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const view = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  const words = ["the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "\n", "edgevm ", "snapshot "];
  // From 64 KiB up, leaving the program's chunk alone.
  for (let page = 16; page < ram.length / 4096; page++) {
    const at = page * 4096;
    switch (page % 4) {
      case 0: // text
        for (let i = at; i < at + 4096; ) for (const ch of words[rnd() % words.length]) if (i < at + 4096) ram[i++] = ch.charCodeAt(0);
        break;
      case 1: // pointers into RAM
        for (let i = at; i < at + 4096; i += 8) view.setUint32(i, 0x8000_0000 + ((rnd() & 0xffff) << 3), true);
        break;
      case 2: // small integers
        for (let i = at; i < at + 4096; i += 8) view.setUint32(i, rnd() & 0xfff, true);
        break;
      default: // random (already compressed data, keys)
        for (let i = at; i < at + 4096; i += 4) view.setUint32(i, rnd(), true);
    }
  }
}

async function bigGuest({ workingSet, writeEvery, codec = "lz4", chunkBytes = 65536, quanta = 6 }) {
  const store = newStore();
  const options = { core, codec, chunkBytes };
  const walk = { base: BASE, pages: workingSet / 4096, writeEvery, rounds: 1_000_000 };
  const { instance, core: c } = await S.instantiateCore(core);
  const machine = S.BareMachine.fromInstance(instance, { ramBytes: RAM });
  machine.load(S.parseElf(S.touchElf(walk)));
  fillRam(machine.ram());
  let id = await S.createSnapshot({ kind: "prepared", mode: "system", core: c, layer: null }, store, options);
  const budget = BigInt(S.instructionsPerRound(walk));
  const rows = [];
  for (let q = 0; q < quanta; q++) {
    const r = await S.step(id, {}, budget, store, options);
    rows.push(quantumRow(r));
    id = r.snapshotId;
  }
  const dirty = writeEvery === 0 ? 0 : workingSet / writeEvery;
  return {
    scenario: "64mib", ramMiB: 64, workingSetKiB: workingSet / 1024, dirtyKiB: dirty / 1024, codec, chunkKiB: chunkBytes / 1024,
    cold: rows[0], warm: summarise(rows.slice(1)),
  };
}

// ---- run --------------------------------------------------------------------

const started = Date.now();
const results = [];
const log = (row) => {
  results.push(row);
  if (row.scenario === "small-job") {
    process.stderr.write(`small job: ${row.quanta} quanta, median restore ${row.median.restoreMs} ms persist ${row.median.persistMs} ms read ${row.median.bytesRead} B written ${row.median.bytesWritten} B\n`);
  } else {
    const w = row.warm;
    process.stderr.write(
      `64 MiB ws ${String(row.workingSetKiB).padStart(5)} KiB dirty ${String(row.dirtyKiB).padStart(5)} KiB ${row.codec.padEnd(11)} chunk ${String(row.chunkKiB).padStart(3)} KiB: ` +
        `warm restore ${w.restoreMs} + persist ${w.persistMs} = ${w.restorePlusPersistMs} ms, read ${(w.bytesRead / 1024).toFixed(0)} KiB (${w.objectsRead} obj), ` +
        `written ${(w.bytesWritten / 1024).toFixed(0)} KiB (${w.objectsWritten} obj); cold ${r2(row.cold.restoreMs + row.cold.persistMs)} ms\n`,
    );
  }
};

log(await smallJob());
const sets = quick ? [256 << 10, 1 << 20] : [64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20];
for (const workingSet of sets) {
  for (const writeEvery of [0, 4, 1]) log(await bigGuest({ workingSet, writeEvery, quanta: quantaPerCase }));
}
log(await bigGuest({ workingSet: 1 << 20, writeEvery: 1, codec: "deflate-raw", quanta: quantaPerCase }));
for (const chunkBytes of [16384, 262144]) log(await bigGuest({ workingSet: 1 << 20, writeEvery: 1, chunkBytes, quanta: quantaPerCase }));

const report = {
  generated_by: "node bench/snapshot.mjs" + (quick ? " --quick" : "") + (quantaIndex >= 0 ? ` --quanta ${quantaPerCase}` : ""),
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
  store: "DirectoryStore in " + os.tmpdir(),
  note: "times in ms per quantum; bytes are stored (compressed) bytes of chunks, manifests and metadata; warm = median of quanta 2..n",
  seconds: Math.round((Date.now() - started) / 100) / 10,
  results,
};
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(report, null, 2) + "\n");
rmSync(work, { recursive: true, force: true });
process.stderr.write(`wrote ${path.relative(process.cwd(), outFile)}\n`);
