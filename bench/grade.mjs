#!/usr/bin/env node
// Grading bench (part of `npm run bench`; plain Node ESM). A 20-test suite
// (lab 1 of examples/grading, stdin variations) against 50 submissions (the
// example's reference and wrong solutions, ten distinct copies of each):
//   in-process  gradeSubmission on one thread, in-memory store: test runs per
//               second per core, without process start-up
//   CLI         `edgevm grade SUITE DIR/` with --jobs 1 and --jobs <cores>
//               (wall time, including Node start-up and worker threads)
//   service     POST /v1/grade of each submission to a local workerd
//               (`wrangler dev`, loopback), one at a time and two in flight
// and the cost of one test of about 100,000 instructions (restore the launch
// snapshot + stdin + persist the start, run, persist the end), in process.
// Every grade is checked (the reference must score full marks), so a broken
// grader fails the bench. Results: bench/results/grade.json and grade.md.
//
// Options: --no-service   skip the service rows
//          --out DIR      where to write the results (default bench/results)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);
const LAB = path.join(repoDir, "examples/grading/lab1-sum");
const SOLUTIONS = ["sum.elf", "sum-off-by-one.elf", "sum-crash.elf", "sum-slow.elf", "sum-no-newline.elf"];
const log = (m) => process.stderr.write(`bench/grade: ${m}\n`);

const opts = { service: true, out: path.join(benchDir, "results") };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === "--no-service") opts.service = false;
  else if (a === "--out") opts.out = path.resolve(process.argv[++i]);
  else {
    process.stderr.write(`bench/grade: unknown option ${a}\n`);
    process.exit(2);
  }
}

/** The 20-test suite: lab 1's nine tests and eleven more sums of deterministic inputs. */
function benchSuite() {
  const lab = JSON.parse(readFileSync(path.join(LAB, "suite.json"), "utf8"));
  const tests = [...lab.tests];
  for (let k = 0; tests.length < 20; k++) {
    const nums = Array.from({ length: 5 + k * 7 }, (_, i) => ((i * 7919 + k * 104729) % 20001) - 10000);
    tests.push({ name: `sum ${k}`, points: 1, stdin: nums.join(" ") + "\n", expect: { stdout: `${nums.reduce((a, b) => a + b, 0)}\n`, exitCode: 0 } });
  }
  return { ...lab, name: "bench-20", tests };
}

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-bench-grade-"));
  const subs = path.join(dir, "submissions");
  mkdirSync(subs);
  const names = [];
  for (let copy = 0; copy < 10; copy++) {
    for (const s of SOLUTIONS) {
      // Trailing bytes make each copy a distinct submission (its own image chunks), as a class's are.
      const name = `${String(copy).padStart(2, "0")}-${s}`;
      writeFileSync(path.join(subs, name), Buffer.concat([readFileSync(path.join(LAB, "submissions", s)), Buffer.from(`\0student ${copy}\0`)]));
      names.push(name);
    }
  }
  const suite = path.join(dir, "suite.json");
  writeFileSync(suite, JSON.stringify(benchSuite()));
  const nums = Array.from({ length: 1790 }, (_, i) => i + 1).join(" ") + "\n";
  const longStdin = path.join(dir, "long-stdin.txt");
  writeFileSync(longStdin, nums);
  return { dir, subs, names, suite, longStdin };
}

function inProcess(s) {
  const bundle = path.join(s.dir, "grade-inproc.mjs");
  execFileSync(path.join(repoDir, "node_modules/.bin/esbuild"), [
    path.join(benchDir, "grade-inproc.ts"), "--bundle", "--platform=node", "--format=esm", "--target=node22", `--outfile=${bundle}`, "--log-level=warning",
  ]);
  // The bundle finds build/core.wasm relative to itself: copy it beside, one level down.
  mkdirSync(path.join(s.dir, "build"), { recursive: true });
  copyFileSync(path.join(repoDir, "build/core.wasm"), path.join(s.dir, "build/core.wasm"));
  const nested = path.join(s.dir, "x");
  mkdirSync(nested);
  const moved = path.join(nested, "grade-inproc.mjs");
  copyFileSync(bundle, moved);
  const out = execFileSync(process.execPath, [moved, s.suite, s.subs, s.names.join(","), s.longStdin], { encoding: "utf8" });
  return JSON.parse(out);
}

function cli(s, jobs) {
  const started = performance.now();
  const csv = path.join(s.dir, `cli-${jobs}.csv`);
  const r = spawnSync(process.execPath, [path.join(repoDir, "bin/edgevm.mjs"), "grade", s.suite, s.subs, "--jobs", String(jobs), "-o", csv], { encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 1) throw new Error(`edgevm grade exited ${r.status}: ${r.stderr}`);
  const rows = readFileSync(csv, "utf8").trim().split("\r\n").slice(1).map((l) => l.split(","));
  for (const row of rows) if (row[0].endsWith("-sum.elf") && row[1] !== row[2]) throw new Error(`the reference scored ${row[1]}: ${row}`);
  const runs = rows.length * 20;
  return { jobs, seconds, runs, runsPerSecond: runs / seconds };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startService() {
  const port = await freePort();
  const state = mkdtempSync(path.join(os.tmpdir(), "edgevm-bench-grade-state-"));
  const child = spawn(path.join(repoDir, "node_modules/.bin/wrangler"), ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--log-level", "warn"], {
    cwd: repoDir, env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, stdio: ["ignore", "pipe", "pipe"], detached: true,
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`wrangler dev did not start:\n${output}`);
}

async function service(s, inFlight) {
  const { url, stop } = await startService();
  try {
    const suite = JSON.parse(readFileSync(s.suite, "utf8"));
    const stored = await (await fetch(`${url}/v1/suites`, { method: "POST", headers: { authorization: "Bearer dev-token", "content-type": "application/json" }, body: JSON.stringify(suite) })).json();
    const bodies = s.names.map((n) => JSON.stringify({ suiteId: stored.id, submission: readFileSync(path.join(s.subs, n)).toString("base64") }));
    const grade = async (i) => {
      const res = await fetch(`${url}/v1/grade`, { method: "POST", headers: { authorization: "Bearer dev-token", "content-type": "application/json" }, body: bodies[i] });
      const report = await res.json();
      if (res.status !== 200) throw new Error(`POST /v1/grade: ${res.status} ${JSON.stringify(report)}`);
      if (s.names[i].endsWith("-sum.elf") && report.score !== report.maxScore) throw new Error(`the reference scored ${report.score}`);
      return report.tests.length;
    };
    await grade(0); // warm-up
    const started = performance.now();
    let runs = 0;
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        const n = await grade(next++);
        runs += n;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    return { inFlight, seconds, runs, runsPerSecond: runs / seconds };
  } finally {
    stop();
  }
}

const round = (v, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

function markdown(r) {
  const lines = [
    `# Grading bench`,
    "",
    `${r.date}, ${r.host.cpus} × ${r.host.cpu}, Node ${r.host.node}. A 20-test suite against 50 submissions (1,000 test runs; the`,
    `example course's lab 1, static Linux programs of about 2 KB); \`npm run bench\` (bench/grade.mjs).`,
    "",
    "| runner | test runs | seconds | test runs/s |",
    "|---|---:|---:|---:|",
    `| in process, one thread, in-memory store | ${r.inProcess.runs} | ${round(r.inProcess.seconds, 2)} | ${round(r.inProcess.runsPerSecond)} |`,
    ...r.cli.map((c) => `| \`edgevm grade SUITE DIR/ --jobs ${c.jobs}\` | ${c.runs} | ${round(c.seconds, 2)} | ${round(c.runsPerSecond)} |`),
    ...(r.service ?? []).map((c) => `| service, POST /v1/grade, ${c.inFlight} in flight (local workerd, R2 on disk) | ${c.runs} | ${round(c.seconds, 2)} | ${round(c.runsPerSecond)} |`),
    "",
    `One test of ${r.inProcess.oneTest.instructions} instructions (mean of ${r.inProcess.oneTest.reps}, in-memory store):`,
    "",
    "| restore the launch snapshot | stdin + persist the start | run | persist the end | total |",
    "|---:|---:|---:|---:|---:|",
    `| ${r.inProcess.oneTest.ms.restore} ms | ${r.inProcess.oneTest.ms.start} ms | ${r.inProcess.oneTest.ms.run} ms | ${r.inProcess.oneTest.ms.end} ms | ${r.inProcess.oneTest.ms.total} ms |`,
    "",
  ];
  return lines.join("\n");
}

const s = setup();
try {
  log("in process...");
  const inProcessResult = inProcess(s);
  log(`  ${round(inProcessResult.runsPerSecond)} test runs/s`);
  const cores = os.availableParallelism();
  const cliResults = [];
  for (const jobs of [...new Set([1, cores])]) {
    log(`CLI --jobs ${jobs}...`);
    cliResults.push(cli(s, jobs));
    log(`  ${round(cliResults.at(-1).runsPerSecond)} test runs/s`);
  }
  let serviceResults = null;
  if (opts.service) {
    serviceResults = [];
    for (const inFlight of [1, 2]) {
      log(`service, ${inFlight} in flight...`);
      serviceResults.push(await service(s, inFlight));
      log(`  ${round(serviceResults.at(-1).runsPerSecond)} test runs/s`);
    }
  }
  const result = {
    date: new Date().toISOString(),
    host: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "unknown", node: process.version },
    inProcess: inProcessResult, cli: cliResults, service: serviceResults,
  };
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(path.join(opts.out, "grade.json"), JSON.stringify(result, null, 2) + "\n");
  writeFileSync(path.join(opts.out, "grade.md"), markdown(result));
  process.stdout.write(markdown(result));
} finally {
  rmSync(s.dir, { recursive: true, force: true });
}
