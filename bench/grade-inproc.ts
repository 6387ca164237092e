// In-process part of bench/grade.mjs (bundled by it with esbuild): grading
// on one thread with an in-memory store, and the cost of one test of about
// 100,000 instructions, phase by phase, on the runner's own path (restore the
// launch snapshot, give stdin, persist the start, run, persist the end).
import { readFileSync } from "node:fs";
import { gradeLayers, gradeSubmission, parseSuiteText } from "../src/grade/index.ts";
import { LiveMachine, MemoryStore } from "../src/snapshot/index.ts";
import { bootLaunch, readSubmission, restoreMachine } from "../src/grade/machines.ts";

const [suitePath, dir, names, longStdinPath] = process.argv.slice(2) as [string, string, string, string];
const wasm = WebAssembly as unknown as { compile(b: Uint8Array): Promise<WebAssembly.Module> };
const core = await wasm.compile(readFileSync(new URL("../build/core.wasm", import.meta.url)));
const options = { core, layers: gradeLayers };
const suite = parseSuiteText(readFileSync(suitePath, "utf8"));
const files = names.split(",");

// Warm-up (JIT, the core pool), then every submission once.
const host = () => ({ store: new MemoryStore(), options, reproduce: () => ({ command: "" }) });
await gradeSubmission(suite, { bytes: new Uint8Array(readFileSync(`${dir}/${files[0]}`)) }, host());
const started = performance.now();
let runs = 0;
let instructions = 0;
for (const f of files) {
  const r = await gradeSubmission(suite, { bytes: new Uint8Array(readFileSync(`${dir}/${f}`)) }, host());
  runs += r.tests.length;
  instructions += r.tests.reduce((n, t) => n + t.run.instructions, 0);
}
const seconds = (performance.now() - started) / 1000;

// One ~100k-instruction test, repeated.
const submission = await readSubmission({ bytes: new Uint8Array(readFileSync(`${dir}/${files[0]}`)) });
const store = new MemoryStore();
const booted = await LiveMachine.boot(await bootLaunch(submission, { args: [], env: {}, files: [], ramMiB: 16, outputLimit: 1 << 20 }, options), options);
const base = await booted.persist(store, null);
booted.release();
const stdin = new Uint8Array(readFileSync(longStdinPath));
const reps = 200;
const phase = { restore: 0, start: 0, run: 0, end: 0, total: 0 };
let testInstructions = 0;
for (let i = 0; i < reps + 20; i++) {
  const t0 = performance.now();
  const { machine } = await restoreMachine(store, base, options);
  const t1 = performance.now();
  machine.input(stdin, true);
  const start = await machine.persist(store, base);
  const t2 = performance.now();
  await machine.run(100_000_000n);
  machine.takeOutputSegments();
  const t3 = performance.now();
  await machine.persist(store, start);
  const t4 = performance.now();
  testInstructions = machine.counters.instructions;
  machine.release();
  if (i < 20) continue; // warm-up
  phase.restore += t1 - t0;
  phase.start += t2 - t1;
  phase.run += t3 - t2;
  phase.end += t4 - t3;
  phase.total += t4 - t0;
}
const perTest = Object.fromEntries(Object.entries(phase).map(([k, v]) => [k, Math.round((v / reps) * 1000) / 1000]));
process.stdout.write(JSON.stringify({ runs, seconds, runsPerSecond: runs / seconds, instructions, oneTest: { instructions: testInstructions, ms: perTest, reps } }) + "\n");
