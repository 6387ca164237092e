#!/usr/bin/env node
// Start-up of a short job, end to end: `node bin/edgevm.mjs run PROGRAM
// --stats` spawned again and again (the process mode issue's figure is the
// static hello world's median wall time), next to `node -e ""`. With
// --against DIR (repeatable), the launcher of another checkout (say, an
// older commit, built) is spawned in turn with this one, so all see the
// same machine load.
//
//   node bench/startup.mjs [--reps N] [--ram MiB] [--against DIR]... [--out FILE] [PROGRAM]
//
// PROGRAM defaults to tests/guest/linux/bin/hello; --reps to 21 (after two
// warm-up runs each, which also fill Node's compile cache). Prints a table;
// writes bench/results/startup.json (or --out).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const reps = Number(option("--reps", "21"));
const ram = option("--ram", undefined);
const against = [];
for (let dir = option("--against", undefined); dir !== undefined; dir = option("--against", undefined)) against.push(path.resolve(dir));
const outFile = path.resolve(option("--out", path.join(repoDir, "bench", "results", "startup.json")));
const program = path.resolve(args[0] ?? path.join(repoDir, "tests", "guest", "linux", "bin", "hello"));
if (!Number.isInteger(reps) || reps < 1) throw new Error("--reps needs a whole number");

const runners = [{ name: "this checkout", bin: path.join(repoDir, "bin", "edgevm.mjs") }];
for (const dir of against) runners.push({ name: dir, bin: path.join(dir, "bin", "edgevm.mjs") });
const edgevmArgs = (bin) => [bin, "run", program, "--stats", ...(ram ? ["--ram", ram] : [])];

function spawnOnce(argv) {
  const started = performance.now();
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - started;
  if (r.error || r.status !== 0) throw new Error(`${argv.join(" ")}: ${r.error?.message ?? `exit status ${r.status}`}\n${r.stderr}`);
  return { ms, stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (ms) => Math.round(ms * 100) / 100;

const samples = runners.map(() => ({ wall: [], guest: [], host: [] }));
const node = [];
for (let i = -2; i < reps; i++) {
  runners.forEach((runner, k) => {
    const { ms, stderr } = spawnOnce(edgevmArgs(runner.bin));
    if (i < 0) return;
    const stats = JSON.parse(stderr.trim().split("\n").pop());
    samples[k].wall.push(ms);
    samples[k].guest.push(stats.seconds * 1000);
    samples[k].host.push(stats.hostSeconds * 1000);
  });
  const { ms } = spawnOnce(["-e", ""]);
  if (i >= 0) node.push(ms);
}

const results = runners.map((runner, k) => ({
  runner: runner.name,
  wallMs: round(median(samples[k].wall)),
  minWallMs: round(Math.min(...samples[k].wall)),
  guestMs: round(median(samples[k].guest)),
  hostMs: round(median(samples[k].host)),
}));
const report = {
  generated_by: `node bench/startup.mjs ${process.argv.slice(2).join(" ")}`.trim(),
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
  program: path.relative(repoDir, program),
  ramMiB: ram ? Number(ram) : null,
  reps,
  note: "medians of `reps` spawns (after two warm-up runs); wallMs: spawn to exit; guestMs: `seconds` of --stats; hostMs: `hostSeconds` of --stats (the run command after Node start-up and module loading)",
  nodeEmptyMs: round(median(node)),
  results,
};
for (const r of results) {
  process.stderr.write(`${r.runner}: wall ${r.wallMs} ms (min ${r.minWallMs}), guest ${r.guestMs} ms, host ${r.hostMs} ms\n`);
}
process.stderr.write(`node -e "": ${report.nodeEmptyMs} ms\n`);
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(report, null, 2) + "\n");
process.stderr.write(`wrote ${path.relative(process.cwd(), outFile)}\n`);
