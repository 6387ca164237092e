#!/usr/bin/env node
// Load bench of the HTTP service (`npm run bench:service`; plain Node ESM).
//
// Starts the Worker on a local workerd (`wrangler dev` on a free loopback
// port, with its R2 and Durable Object state in a temporary directory), then
// measures, each for a bounded time:
//   job      POST /v1/jobs of a hello-world program (bare metal; static glibc
//            as base64 JSON and as a multipart upload), one request at a time
//            (latency p50/p95) and then with several in flight (throughput)
//   step     POST /v1/machines/:id/step with a budget of 1M instructions, on
//            a machine running a long CPU-bound program, one at a time
// Every answer is checked (status, output), so a broken service fails the
// bench instead of producing fast numbers. Results: bench/results/service.json
// and service.md. Progress goes to stderr.
//
// Options: --seconds S     time per measurement (default 8)
//          --concurrency N requests in flight for the throughput run (default 4)
//          --out DIR       where to write the results (default bench/results)
//          --url URL       measure a service that is already running instead
//          --token T       bearer token (default dev-token, from .dev.vars)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);

const PROGRAMS = [
  { name: "hello (bare metal)", file: "tests/guest/cli/hello.elf", expect: "hello from edgevm\n", upload: "json" },
  { name: "hello (Linux, static glibc)", file: "tests/guest/linux/bin/hello", expect: "Hello, world!\n", upload: "json" },
  { name: "hello (Linux, static glibc, multipart upload)", file: "tests/guest/linux/bin/hello", expect: "Hello, world!\n", upload: "multipart" },
];
const LONG_PROGRAM = "bench/bin/intloop.elf";

function parseArgs(argv) {
  const opts = { seconds: 8, concurrency: 4, out: path.join(benchDir, "results"), url: null, token: "dev-token" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--seconds") opts.seconds = positive(value(), a);
    else if (a === "--concurrency") opts.concurrency = positive(value(), a);
    else if (a === "--out") opts.out = path.resolve(value());
    else if (a === "--url") opts.url = value().replace(/\/$/, "");
    else if (a === "--token") opts.token = value();
    else fail(`unknown option ${a}`);
  }
  return opts;
}

function positive(text, name) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) fail(`${name} must be a positive number, not ${text}`);
  return n;
}

function fail(message) {
  process.stderr.write(`bench/service: ${message}\n`);
  process.exit(2);
}

const log = (m) => process.stderr.write(`bench/service: ${m}\n`);

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

/** `wrangler dev` on loopback with throwaway state; resolves once it serves. */
async function startService() {
  const port = await freePort();
  const state = mkdtempSync(path.join(os.tmpdir(), "edgevm-bench-service-"));
  const wrangler = path.join(repoDir, "node_modules", ".bin", "wrangler");
  const child = spawn(wrangler, ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--log-level", "warn"], {
    cwd: repoDir,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
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

async function call(base, token, method, route, body) {
  const form = body instanceof FormData;
  const res = await fetch(base + route, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(!form && { "content-type": "application/json" }) },
    // Strings are sent as they are: a job's JSON is built once, so the client's base64 work is not timed.
    body: body === undefined ? undefined : form || typeof body === "string" ? body : JSON.stringify(body),
  });
  const json = await res.json();
  return { status: res.status, body: json };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function summary(latencies, seconds) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (x) => (x === null ? null : Math.round(x * 100) / 100);
  return {
    requests: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted[sorted.length - 1] ?? null),
    perSecond: round(sorted.length / seconds),
  };
}

/**
 * Calls `once` with `inFlight` callers for `seconds`; every call checks its
 * own answer, and may return milliseconds it spent on untimed housekeeping.
 */
async function measure(seconds, inFlight, once) {
  const latencies = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const untimed = await once();
        latencies.push(performance.now() - t - (untimed ?? 0));
      }
    }),
  );
  return summary(latencies, (performance.now() - started) / 1000);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const service = opts.url ? { url: opts.url, stop: () => {} } : await startService();
  const results = { date: new Date().toISOString(), host: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, seconds: opts.seconds, jobs: [], step: null };
  try {
    log(`service at ${service.url}`);
    for (const p of PROGRAMS) {
      const file = path.join(repoDir, p.file);
      if (!existsSync(file)) {
        log(`skipping ${p.name}: ${p.file} is missing`);
        continue;
      }
      const elf = readFileSync(file);
      const json = JSON.stringify({ program: elf.toString("base64") });
      const body = () => {
        if (p.upload === "json") return json;
        const form = new FormData();
        form.append("program", new Blob([elf]), path.basename(file));
        return form;
      };
      const once = async () => {
        const r = await call(service.url, opts.token, "POST", "/v1/jobs", body());
        if (r.status !== 200 || (p.expect !== null && r.body.stdout !== p.expect) || r.body.status === "fault") {
          throw new Error(`${p.name}: unexpected answer ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        }
      };
      try {
        for (let i = 0; i < 5; i++) await once(); // warm-up: first requests compile and fill caches
      } catch (e) {
        log(`skipping ${p.name}: ${e.message}`);
        results.jobs.push({ program: p.name, error: e.message });
        continue;
      }
      log(`${p.name}: sequential for ${opts.seconds} s`);
      const sequential = await measure(opts.seconds, 1, once);
      log(`${p.name}: ${opts.concurrency} in flight for ${opts.seconds} s`);
      const concurrent = await measure(opts.seconds, opts.concurrency, once);
      results.jobs.push({ program: p.name, programBytes: readFileSync(file).length, sequential, concurrent: { inFlight: opts.concurrency, ...concurrent } });
    }
    const longProgram = { program: readFileSync(path.join(repoDir, LONG_PROGRAM)).toString("base64") };
    const newMachine = async () => {
      const created = await call(service.url, opts.token, "POST", "/v1/machines", longProgram);
      if (created.status !== 201) throw new Error(`creating the step machine: ${created.status} ${JSON.stringify(created.body)}`);
      return created.body.id;
    };
    let id = await newMachine();
    let replaced = 0;
    const step = async () => {
      const r = await call(service.url, opts.token, "POST", `/v1/machines/${id}/step`, { maxInstructions: 1_000_000 });
      const finished = r.status === 200 && r.body.status === "halted" && r.body.exitCode === 0;
      if (r.status !== 200 || !(finished || (r.body.status === "running" && r.body.instructions === 1_000_000))) {
        throw new Error(`step: unexpected answer ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
      // The program ends after about 290 steps: go on with a new machine (outside the timed call).
      if (finished) {
        const t = performance.now();
        replaced++;
        id = await newMachine();
        return performance.now() - t;
      }
      return 0;
    };
    for (let i = 0; i < 3; i++) await step();
    log(`1M-instruction steps of ${LONG_PROGRAM} for ${opts.seconds} s`);
    results.step = { program: LONG_PROGRAM, instructions: 1_000_000, ...(await measure(opts.seconds, 1, step)), machinesReplaced: replaced };
  } finally {
    service.stop();
  }
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(path.join(opts.out, "service.json"), JSON.stringify(results, null, 2) + "\n");
  writeFileSync(path.join(opts.out, "service.md"), markdown(results));
  process.stdout.write(markdown(results));
}

function markdown(r) {
  const lines = [
    `# Service load bench, ${r.date}`,
    "",
    `Local workerd (\`wrangler dev\`), loopback, ${r.host.cpus} × ${r.host.cpu}, Node ${r.host.node}; ${r.seconds} s per row.`,
    "",
    "| request | in flight | requests | p50 ms | p95 ms | max ms | per second |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const j of r.jobs) {
    if (j.error) {
      lines.push(`| job: ${j.program} | failed: ${j.error.replaceAll("|", "/")} | | | | | |`);
      continue;
    }
    for (const [run, s] of [["1", j.sequential], [String(j.concurrent.inFlight), j.concurrent]]) {
      lines.push(`| job: ${j.program} | ${run} | ${s.requests} | ${s.p50Ms} | ${s.p95Ms} | ${s.maxMs} | ${s.perSecond} |`);
    }
  }
  if (r.step) {
    const s = r.step;
    lines.push(`| step of 1M instructions (${path.basename(s.program)}) | 1 | ${s.requests} | ${s.p50Ms} | ${s.p95Ms} | ${s.maxMs} | ${s.perSecond} |`);
  }
  return lines.join("\n") + "\n";
}

main().catch((e) => {
  process.stderr.write(`bench/service: ${e.stack ?? e}\n`);
  process.exit(1);
});
