#!/usr/bin/env node
// edgevm benchmark harness (`npm run bench`; plain Node ESM, no dependencies).
//
// For each workload in bench/workloads/workloads.txt:
//   native  builds the C file with the host gcc -O2 into a temp dir and times
//           it (median of N wall-clock runs minus the median of an empty
//           program's runs, i.e. without process start-up)
//   edgevm  `node bin/edgevm.mjs run bench/bin/NAME.elf --stats` once; the
//           last stderr line is a JSON object {instructions, seconds, mips, ...}
//   QEMU    qemu-system-riscv64 -machine virt on the same ELF, if installed
//           (median wall time minus the median for bench/bin/empty.elf, i.e.
//           without QEMU start-up and boot)
// Then the "linux" group: each program in bench/workloads/linux.txt, built as
// a static riscv64 Linux program (bench/build-linux.sh, bench/bin/linux/), run
// in edgevm's process mode, under qemu-riscv64 (user mode; median wall time
// minus the median for tests/guest/linux/bin/hello) and natively; plus the
// start-up of that static hello world (edgevm wall and guest time, qemu-riscv64).
// checks that every runner printed the reference checksum, and writes
// bench/results/latest.json and bench/results/latest.md. Progress goes to
// stderr. An edgevm failure is recorded in its row and the bench goes on.
//
// Options: --quick        small variants, one repetition of everything
//          --only NAME    only this workload (repeatable, or a comma list)
//          --reps N       native and QEMU repetitions (default 5 and 3; quick: 1;
//                         short native programs are repeated up to ~1 s of runs)
//          --timeout S    limit for one edgevm run (default 120; quick: 60)
//          --budget S     stop starting new runs after S seconds (default 280)
//          --no-native, --no-qemu, --no-edgevm   skip a runner
//          --no-linux     skip the Linux (process mode) group and start-up
//          --strict       exit 1 when edgevm fails on a workload, too
//          --out DIR      where to write latest.{json,md} (default bench/results)
// Exit status: 0 when no runner printed a wrong checksum and native/QEMU ran
// (edgevm errors count only with --strict), 1 otherwise, 2 for bad usage.
// Environment: CC (default gcc), QEMU_SYSTEM (default qemu-system-riscv64),
// QEMU_USER (default qemu-riscv64),
// EDGEVM_BIN (default bin/edgevm.mjs: another edgevm launcher to measure).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);
const workloadsDir = path.join(benchDir, "workloads");
const binDir = path.join(benchDir, "bin");
const linuxBinDir = path.join(binDir, "linux");
const helloElf = path.join(repoDir, "tests", "guest", "linux", "bin", "hello");
const edgevmBin = process.env.EDGEVM_BIN ? path.resolve(process.env.EDGEVM_BIN) : path.join(repoDir, "bin", "edgevm.mjs");

// Keep in step with bench/build.sh (code-generation flags shared by both builds).
const NATIVE_FLAGS = ["-O2", "-ffp-contract=off", "-fno-math-errno", "-fno-tree-loop-distribute-patterns"];

function usage(msg) {
  if (msg) process.stderr.write(`bench: ${msg}\n`);
  process.stderr.write(
    "usage: node bench/run.mjs [--quick] [--only NAME]... [--reps N] [--timeout S] [--budget S]\n" +
      "                          [--no-native] [--no-qemu] [--no-edgevm] [--no-linux] [--strict] [--out DIR]\n",
  );
  process.exit(msg ? 2 : 0);
}

function parseArgs(argv) {
  const o = { quick: false, only: [], reps: null, timeout: null, budget: 280, native: true, qemu: true, edgevm: true, linux: true, strict: false, out: path.join(benchDir, "results") };
  const num = (name, v) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n <= 0) usage(`${name} needs a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case "--quick": o.quick = true; break;
      case "--only": {
        const v = value();
        if (!v) usage("--only needs a workload name");
        o.only.push(...v.split(",").filter(Boolean));
        break;
      }
      case "--reps": o.reps = Math.round(num("--reps", value())); break;
      case "--timeout": o.timeout = num("--timeout", value()); break;
      case "--budget": o.budget = num("--budget", value()); break;
      case "--no-native": o.native = false; break;
      case "--no-qemu": o.qemu = false; break;
      case "--no-edgevm": o.edgevm = false; break;
      case "--no-linux": o.linux = false; break;
      case "--strict": o.strict = true; break;
      case "--out": o.out = path.resolve(value() ?? usage("--out needs a directory")); break;
      case "-h": case "--help": usage();
      // falls through (usage exits)
      default: usage(`unknown option ${a}`);
    }
  }
  o.nativeReps = o.reps ?? (o.quick ? 1 : 5);
  o.qemuReps = o.reps ?? (o.quick ? 1 : 3);
  o.edgevmReps = o.reps ?? (o.quick ? 1 : 3);
  o.timeout = o.timeout ?? (o.quick ? 60 : 120);
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const started = Date.now();
const elapsed = () => (Date.now() - started) / 1000;
const log = (msg) => process.stderr.write(`[bench ${elapsed().toFixed(1).padStart(5)}s] ${msg}\n`);

// ---------------------------------------------------------------- helpers --

function run(cmd, args, { timeoutSec = 120, cwd = repoDir } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: Math.max(1, Math.round(timeoutSec * 1000)),
    killSignal: "SIGKILL",
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let error = null;
  if (r.error) error = r.error.code === "ETIMEDOUT" ? `timed out after ${timeoutSec} s` : r.error.message;
  else if (r.signal) error = `killed by ${r.signal}`;
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", seconds, error };
}

function have(cmd, args = ["--version"]) {
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return r.error ? null : (r.stdout || r.stderr).split("\n")[0].trim();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 4) => (x == null || !Number.isFinite(x) ? null : Number(x.toPrecision(digits)));
const lastLine = (s) => s.split("\n").map((l) => l.trim()).filter(Boolean).pop() ?? "";
const clip = (s, n = 300) => (s.length > n ? s.slice(0, n) + "…" : s);

// The checksum line every workload prints ("checksum 0x..."), and its verdict.
function parseOutput(stdout) {
  const text = stdout.replace(/\r/g, "");
  const m = /^checksum (0x[0-9a-f]+)$/m.exec(text);
  const verdict = /^(ok|MISMATCH.*|unchecked.*)$/m.exec(text);
  return { checksum: m ? m[1] : null, verdict: verdict ? verdict[1] : null };
}

// Judges one runner's output against the reference checksum.
function judge(res, expected, what) {
  if (res.error) return { status: "error", error: res.error };
  const { checksum, verdict } = parseOutput(res.stdout);
  if (!checksum) {
    // The most telling line: the last stderr line that is not the --stats JSON.
    const diag = res.stderr.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("{"));
    const tail = diag.pop() || lastLine(res.stdout);
    return { status: "error", error: `${what} printed no checksum line (exit code ${res.code})${tail ? `: ${clip(tail)}` : ""}` };
  }
  if (expected && checksum !== expected) return { status: "mismatch", checksum, error: `checksum ${checksum}, expected ${expected}` };
  if (res.code !== 0) return { status: "error", checksum, error: `exit code ${res.code} (${verdict ?? "no verdict"})` };
  return { status: "ok", checksum };
}

// ------------------------------------------------------------- workloads --

function readWorkloads(file = "workloads.txt") {
  const list = [];
  for (const line of readFileSync(path.join(workloadsDir, file), "utf8").split("\n")) {
    const t = line.trim();
    if (!t || t.startsWith("#")) continue;
    const [name, full, small, ...desc] = t.split(/\s+/);
    list.push({ name, fullIters: Number(full), smallIters: Number(small), description: desc.join(" ") });
  }
  return list;
}

let workloads = readWorkloads();
let linuxWorkloads = opts.linux ? readWorkloads("linux.txt") : [];
if (opts.only.length) {
  const known = new Set([...workloads, ...linuxWorkloads].map((w) => w.name));
  for (const n of opts.only) if (!known.has(n)) usage(`unknown workload ${n} (have: ${[...known].join(", ")})`);
  workloads = workloads.filter((w) => opts.only.includes(w.name));
  linuxWorkloads = linuxWorkloads.filter((w) => opts.only.includes(w.name));
}
let linuxReference = { programs: {} };
if (linuxWorkloads.length) {
  try {
    linuxReference = JSON.parse(readFileSync(path.join(linuxBinDir, "reference.json"), "utf8"));
  } catch (e) {
    log(`no usable bench/bin/linux/reference.json (${e.message}); run bench/build-linux.sh`);
  }
}

let reference = { elfs: {} };
try {
  reference = JSON.parse(readFileSync(path.join(binDir, "reference.json"), "utf8"));
} catch (e) {
  log(`no usable bench/bin/reference.json (${e.message}); run bench/build.sh`);
}

// ------------------------------------------------------------- machine --

function machine() {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const m = /^model name\s*:\s*(.+)$/m.exec(info);
    if (m) cpu = m[1].trim();
  } catch {}
  return {
    cpu,
    cores: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    memory_gib: round(os.totalmem() / 2 ** 30, 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

function commandLine() {
  const args = process.argv.slice(2).join(" ");
  if (process.env.npm_lifecycle_event === "bench") return `npm run bench${args ? ` -- ${args}` : ""}`;
  return `node bench/run.mjs${args ? ` ${args}` : ""}`;
}

// ------------------------------------------------------------------ main --

const variant = opts.quick ? "small" : "full";
const cc = process.env.CC || "gcc";
const qemuCmd = process.env.QEMU_SYSTEM || "qemu-system-riscv64";
const qemuArgs = (elf) => ["-machine", "virt", "-nographic", "-bios", "none", "-kernel", elf];
const overBudget = () => elapsed() > opts.budget;

const ccVersion = opts.native ? have(cc) : null;
const qemuVersion = opts.qemu ? have(qemuCmd) : null;
if (opts.native && !ccVersion) log(`${cc} not found: skipping native runs`);
if (opts.qemu && !qemuVersion) log(`${qemuCmd} not found: skipping QEMU runs`);
if (opts.edgevm && !existsSync(edgevmBin)) log(`${path.relative(repoDir, edgevmBin)} not found: edgevm runs will fail`);

const results = {
  schema: 1,
  date: new Date().toISOString(),
  command: commandLine(),
  mode: opts.quick ? "quick" : "full",
  machine: machine(),
  node: process.version,
  native: ccVersion
    ? { compiler: ccVersion, flags: NATIVE_FLAGS.join(" "), reps: opts.nativeReps, statistic: "median wall time of at least `reps` runs (short programs: up to 1 s of runs, at most 25) minus the median of an empty program", startup_seconds: null }
    : { skipped: opts.native ? `${cc} not found` : "--no-native" },
  qemu: qemuVersion
    ? { version: qemuVersion, command: `${qemuCmd} ${qemuArgs("X.elf").join(" ")}`, reps: opts.qemuReps, statistic: "median wall time minus median of bench/bin/empty.elf (QEMU start-up and boot)", startup_seconds: null }
    : { skipped: opts.qemu ? `${qemuCmd} not found` : "--no-qemu" },
  edgevm: opts.edgevm
    ? { command: "node bin/edgevm.mjs run X.elf --stats --max-insns N", reps: opts.edgevmReps, statistic: "median of `reps` runs of seconds and mips as reported by --stats (best_mips: the fastest run); wall_seconds includes Node start-up" }
    : { skipped: "--no-edgevm" },
  workloads: [],
  linux: null,
};

let tmpDir = null;
let failed = false;

// Native builds (all up front, so a compiler problem shows early).
const nativeExe = new Map();
if (ccVersion) {
  tmpDir = mkdtempSync(path.join(os.tmpdir(), "edgevm-bench-"));
  const builds = [
    ...workloads.map((w) => [w.name, opts.quick ? w.smallIters : w.fullIters, w.name]),
    ["empty", null, "empty"],
    ...linuxWorkloads.map((w) => [w.name, opts.quick ? w.smallIters : w.fullIters, `linux-${w.name}`]),
  ];
  for (const [name, iters, key] of builds) {
    const exe = path.join(tmpDir, key);
    const args = [...NATIVE_FLAGS, "-DBENCH_NATIVE", ...(iters != null ? [`-DITERS=${iters}`] : []), "-I", workloadsDir, "-o", exe, path.join(workloadsDir, `${name}.c`), "-lm"];
    const r = run(cc, args, { timeoutSec: 120 });
    if (r.error || r.code !== 0) {
      nativeExe.set(key, { error: `native build failed: ${clip((r.error ?? r.stderr).trim(), 500)}` });
      log(`native build of ${name} failed`);
    } else nativeExe.set(key, { exe });
  }
  log(`built native programs with ${cc} ${NATIVE_FLAGS.join(" ")} in ${tmpDir}`);
}

// Start-up times to subtract.
function startupTime(cmd, args, reps) {
  const times = [];
  for (let i = 0; i < Math.max(3, reps); i++) {
    const r = run(cmd, args, { timeoutSec: 30 });
    if (r.error || r.code !== 0) return { error: r.error ?? `exit code ${r.code}` };
    times.push(r.seconds);
  }
  return { seconds: median(times) };
}

let nativeStartup = 0;
if (ccVersion && nativeExe.get("empty")?.exe) {
  const s = startupTime(nativeExe.get("empty").exe, [], opts.nativeReps);
  if (s.error) log(`native empty program failed: ${s.error}`);
  else nativeStartup = s.seconds;
  results.native.startup_seconds = round(nativeStartup);
}
let qemuStartup = 0;
if (qemuVersion) {
  const s = startupTime(qemuCmd, qemuArgs(path.join(binDir, "empty.elf")), opts.qemuReps);
  if (s.error) log(`QEMU on empty.elf failed: ${s.error}`);
  else qemuStartup = s.seconds;
  results.qemu.startup_seconds = round(qemuStartup);
  log(`QEMU start-up (empty.elf): ${qemuStartup.toFixed(3)} s`);
}

for (const w of workloads) {
  const elfName = opts.quick ? `${w.name}-small.elf` : `${w.name}.elf`;
  const elf = path.join(binDir, elfName);
  const ref = reference.elfs?.[elfName] ?? {};
  const row = {
    name: w.name,
    description: w.description,
    variant,
    iters: opts.quick ? w.smallIters : w.fullIters,
    elf: path.relative(repoDir, elf),
    expected_checksum: ref.checksum ?? null,
    reference_instret: ref.instret ?? null,
    native: null,
    edgevm: null,
    qemu: null,
  };
  if (!existsSync(elf)) log(`${row.elf} is missing: run bench/build.sh`);
  if (ref.iters != null && ref.iters !== row.iters) log(`warning: reference.json has iters=${ref.iters} for ${elfName}, workloads.txt says ${row.iters}; rerun bench/build.sh`);

  // native
  if (ccVersion) {
    const built = nativeExe.get(w.name);
    if (built.error) row.native = { status: "error", error: built.error };
    else {
      row.native = nativeRuns(built.exe, row.expected_checksum, nativeStartup);
      log(`${w.name}: native ${row.native.status === "ok" ? `${row.native.seconds} s (median of ${row.native.runs.length})` : row.native.error}`);
    }
  }

  // edgevm
  if (opts.edgevm) {
    if (overBudget()) row.edgevm = { status: "skipped", error: `time budget of ${opts.budget} s used up` };
    else {
      const cap = ref.instret ? Math.ceil(ref.instret * 1.5) + 1_000_000 : 4_000_000_000;
      const timeoutSec = Math.min(opts.timeout, Math.max(5, opts.budget + 20 - elapsed()));
      log(`${w.name}: edgevm run ${row.elf} (timeout ${Math.round(timeoutSec)} s)…`);
      // Several runs, the median by guest seconds: these machines are noisy.
      const attempts = [];
      for (let rep = 0; rep < opts.edgevmReps && (rep === 0 || !overBudget()); rep++) {
        attempts.push(edgevmOnce(elf, cap, timeoutSec, row));
        if (attempts.at(-1).status !== "ok") break;
      }
      const good = attempts.filter((a) => a.status === "ok").sort((a, b) => a.seconds - b.seconds);
      row.edgevm = good.length === attempts.length ? good[Math.floor((good.length - 1) / 2)] : attempts.find((a) => a.status !== "ok");
      if (good.length > 1) {
        row.edgevm.runs = good.map((a) => a.seconds);
        row.edgevm.best_mips = good[0].mips;
      }
      log(`${w.name}: edgevm ${row.edgevm.status === "ok" ? `${row.edgevm.seconds} s, ${row.edgevm.mips} MIPS, ${row.edgevm.instructions} instructions` : `${row.edgevm.status}: ${row.edgevm.error}`}`);
    }
  }

  // QEMU
  if (qemuVersion) {
    if (overBudget()) row.qemu = { status: "skipped", error: `time budget of ${opts.budget} s used up` };
    else {
      const times = [];
      let verdict = null;
      for (let i = 0; i < opts.qemuReps; i++) {
        const r = run(qemuCmd, qemuArgs(elf), { timeoutSec: 120 });
        const j = judge(r, row.expected_checksum, "QEMU");
        verdict = j;
        if (j.status !== "ok") break;
        times.push(r.seconds);
      }
      if (verdict.status === "ok") {
        const net = median(times) - qemuStartup;
        row.qemu = { status: "ok", checksum: verdict.checksum, seconds: round(Math.max(net, 1e-6)), runs: times.map((t) => round(t)) };
        // Start-up varies by a few milliseconds; a net time below that is noise.
        if (net < 0.002 + 0.1 * qemuStartup) row.qemu.below_noise = true;
      } else row.qemu = verdict;
      log(`${w.name}: QEMU ${row.qemu.status === "ok" ? `${row.qemu.seconds} s (median of ${times.length}, start-up subtracted)` : row.qemu.error}`);
    }
  }

  if (finishRow(row)) failed = true;
  results.workloads.push(row);
}

// Times a native program: at least nativeReps runs; in full mode more for
// short programs, until about a second of runs (at most 25), so the median is
// stable. Start-up (the empty program's median) is subtracted.
function nativeRuns(exe, expected, startup) {
  const times = [];
  let verdict = null;
  const enough = () => times.length >= opts.nativeReps && (opts.quick || times.length >= 25 || times.reduce((a, b) => a + b, 0) >= 1);
  while (!enough()) {
    const r = run(exe, [], { timeoutSec: 60 });
    const j = judge(r, expected, "native");
    verdict = j;
    if (j.status !== "ok") break;
    times.push(r.seconds);
  }
  return verdict.status === "ok"
    ? { status: "ok", checksum: verdict.checksum, seconds: round(Math.max(median(times) - startup, 1e-6)), runs: times.map((t) => round(t)) }
    : verdict;
}

// Cross-check and ratios of a finished row; true when it fails the bench.
function finishRow(row) {
  let bad = false;
  const ran = ["native", "edgevm", "qemu"].filter((k) => row[k]?.checksum);
  const sums = new Set(ran.map((k) => row[k].checksum));
  row.outputs_match = ran.length ? sums.size === 1 && (!row.expected_checksum || sums.has(row.expected_checksum)) : null;
  const ok = (k) => row[k]?.status === "ok";
  row.instructions = ok("edgevm") && row.edgevm.instructions != null ? row.edgevm.instructions : row.reference_instret;
  row.instructions_source = ok("edgevm") && row.edgevm.instructions != null ? "edgevm --stats" : row.reference_instret != null ? "reference.json (QEMU -icount)" : null;
  row.ratios = {
    edgevm_over_native: ok("edgevm") && ok("native") ? round(row.edgevm.seconds / row.native.seconds, 3) : null,
    qemu_over_native: ok("qemu") && ok("native") && !row.qemu.below_noise ? round(row.qemu.seconds / row.native.seconds, 3) : null,
    edgevm_over_qemu: ok("edgevm") && ok("qemu") && !row.qemu.below_noise ? round(row.edgevm.seconds / row.qemu.seconds, 3) : null,
  };
  if (row.outputs_match === false || ["native", "edgevm", "qemu"].some((k) => row[k]?.status === "mismatch")) {
    bad = true;
    log(`${row.name}: CHECKSUMS DISAGREE (${ran.map((k) => `${k} ${row[k].checksum}`).join(", ")}; reference ${row.expected_checksum})`);
  }
  if (row.native?.status === "error" || row.qemu?.status === "error") bad = true;
  if (opts.strict && opts.edgevm && !ok("edgevm")) bad = true;
  return bad;
}

// ------------------------------------------------------ linux (process) --

const qemuUserCmd = process.env.QEMU_USER || "qemu-riscv64";
if (opts.linux) {
  const qemuUserVersion = opts.qemu ? have(qemuUserCmd) : null;
  if (opts.qemu && !qemuUserVersion) log(`${qemuUserCmd} not found: skipping qemu-riscv64 runs`);
  results.linux = {
    programs: "bench/bin/linux/NAME (static riscv64 Linux, glibc; bench/build-linux.sh)",
    qemu_user: qemuUserVersion
      ? { version: qemuUserVersion, command: `${qemuUserCmd} bench/bin/linux/NAME`, reps: opts.qemuReps, statistic: "median wall time minus the median for tests/guest/linux/bin/hello (start-up)", startup_seconds: null }
      : { skipped: opts.qemu ? `${qemuUserCmd} not found` : "--no-qemu" },
    edgevm: opts.edgevm ? { command: "node bin/edgevm.mjs run bench/bin/linux/NAME --stats --max-insns N", reps: opts.edgevmReps } : { skipped: "--no-edgevm" },
    startup: null,
    workloads: [],
  };
  const L = results.linux;

  // Start-up of a static hello world, end to end.
  if (existsSync(helloElf)) {
    const reps = opts.quick ? 3 : 10;
    const st = { program: path.relative(repoDir, helloElf), reps };
    if (opts.edgevm) {
      const wall = [], guest = [], host = [];
      let error = null;
      for (let i = 0; i < reps; i++) {
        const r = run(process.execPath, [edgevmBin, "run", helloElf, "--stats"], { timeoutSec: 30 });
        let s = null;
        try { s = JSON.parse(lastLine(r.stderr)); } catch {}
        if (r.error || r.code !== 0 || !s) { error = r.error ?? `exit code ${r.code}, stats ${s ? "ok" : "missing"}`; break; }
        wall.push(r.seconds); guest.push(s.seconds); if (Number.isFinite(s.hostSeconds)) host.push(s.hostSeconds);
        st.edgevm_instructions = s.instructions;
      }
      if (error) st.edgevm_error = error;
      else {
        st.edgevm_wall_seconds = round(median(wall));
        st.edgevm_guest_seconds = round(median(guest));
        if (host.length) st.edgevm_host_seconds = round(median(host));
        st.edgevm_wall_runs = wall.map((t) => round(t));
      }
      const ns = startupTime(process.execPath, ["-e", ""], reps);
      if (!ns.error) st.node_empty_seconds = round(ns.seconds);
    }
    if (L.qemu_user.version) {
      const s = startupTime(qemuUserCmd, [helloElf], reps);
      if (s.error) st.qemu_user_error = s.error;
      else st.qemu_user_wall_seconds = L.qemu_user.startup_seconds = round(s.seconds);
    }
    L.startup = st;
    log(`linux start-up (hello): edgevm ${st.edgevm_wall_seconds ?? st.edgevm_error ?? "–"} s wall, ${st.edgevm_guest_seconds ?? "–"} s guest; qemu-riscv64 ${st.qemu_user_wall_seconds ?? st.qemu_user_error ?? "–"} s`);
  } else log(`${path.relative(repoDir, helloElf)} missing: no start-up figures, qemu-riscv64 start-up not subtracted`);
  const qemuUserStartup = L.qemu_user.startup_seconds ?? 0;

  for (const w of linuxWorkloads) {
    const file = opts.quick ? `${w.name}-small` : w.name;
    const elf = path.join(linuxBinDir, file);
    const ref = linuxReference.programs?.[file] ?? {};
    const row = {
      name: w.name, description: w.description, variant, iters: opts.quick ? w.smallIters : w.fullIters,
      elf: path.relative(repoDir, elf), expected_checksum: ref.checksum ?? null, reference_instret: null,
      native: null, edgevm: null, qemu: null,
    };
    if (!existsSync(elf)) log(`${row.elf} is missing: run bench/build-linux.sh`);
    if (ref.iters != null && ref.iters !== row.iters) log(`warning: bench/bin/linux/reference.json has iters=${ref.iters} for ${file}, linux.txt says ${row.iters}; rerun bench/build-linux.sh`);

    const built = nativeExe.get(`linux-${w.name}`);
    if (built) row.native = built.error ? { status: "error", error: built.error } : nativeRuns(built.exe, row.expected_checksum, nativeStartup);
    if (row.native) log(`linux ${w.name}: native ${row.native.status === "ok" ? `${row.native.seconds} s` : row.native.error}`);

    if (opts.edgevm) {
      if (overBudget()) row.edgevm = { status: "skipped", error: `time budget of ${opts.budget} s used up` };
      else {
        const timeoutSec = Math.min(opts.timeout, Math.max(5, opts.budget + 20 - elapsed()));
        const attempts = [];
        for (let rep = 0; rep < opts.edgevmReps && (rep === 0 || !overBudget()); rep++) {
          attempts.push(edgevmOnce(elf, 4_000_000_000, timeoutSec, row));
          if (attempts.at(-1).status !== "ok") break;
        }
        const good = attempts.filter((a) => a.status === "ok").sort((a, b) => a.seconds - b.seconds);
        row.edgevm = good.length === attempts.length ? good[Math.floor((good.length - 1) / 2)] : attempts.find((a) => a.status !== "ok");
        if (good.length > 1) { row.edgevm.runs = good.map((a) => a.seconds); row.edgevm.best_mips = good[0].mips; }
        log(`linux ${w.name}: edgevm ${row.edgevm.status === "ok" ? `${row.edgevm.seconds} s, ${row.edgevm.mips} MIPS, ${row.edgevm.instructions} instructions` : `${row.edgevm.status}: ${row.edgevm.error}`}`);
      }
    }

    if (L.qemu_user.version) {
      if (overBudget()) row.qemu = { status: "skipped", error: `time budget of ${opts.budget} s used up` };
      else {
        const times = [];
        let verdict = null;
        for (let i = 0; i < opts.qemuReps; i++) {
          const r = run(qemuUserCmd, [elf], { timeoutSec: 120 });
          verdict = judge(r, row.expected_checksum, "qemu-riscv64");
          if (verdict.status !== "ok") break;
          times.push(r.seconds);
        }
        if (verdict.status === "ok") {
          const net = median(times) - qemuUserStartup;
          row.qemu = { status: "ok", checksum: verdict.checksum, seconds: round(Math.max(net, 1e-6)), runs: times.map((t) => round(t)) };
          if (net < 0.002 + 0.1 * qemuUserStartup) row.qemu.below_noise = true;
        } else row.qemu = verdict;
        log(`linux ${w.name}: qemu-riscv64 ${row.qemu.status === "ok" ? `${row.qemu.seconds} s (start-up subtracted)` : row.qemu.error}`);
      }
    }
    if (finishRow(row)) failed = true;
    L.workloads.push(row);
  }
}

// System mode against process mode: a workload built both ways (bare metal
// under Sv39, and as a Linux program) does the same work, so the two MIPS
// figures compare the interpreter's speed with and without a guest MMU,
// traps and devices (target: system >= 80% of process, issue 12).
results.system_vs_process = results.workloads.flatMap((w) => {
  const p = results.linux?.workloads.find((l) => l.name === w.name);
  if (!p || w.edgevm?.status !== "ok" || p.edgevm?.status !== "ok" || !w.edgevm.mips || !p.edgevm.mips) return [];
  return [{ name: w.name, system_mips: w.edgevm.mips, process_mips: p.edgevm.mips, ratio: round(w.edgevm.mips / p.edgevm.mips) }];
});

if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
results.total_seconds = round(elapsed());
results.ok = !failed;

// --------------------------------------------------------------- reports --

function markdown(r) {
  const cell = (x, unit = "") => (x == null ? "–" : `${x}${unit}`);
  const secs = (side) =>
    side?.status !== "ok" ? (side ? side.status : "–") : side.below_noise ? "≈0 ¹" : side.seconds.toFixed(side.seconds < 0.01 ? 4 : 3);
  const ratio = (x) => (x == null ? "–" : `${x.toFixed(x < 10 ? 2 : 1)}×`);
  const lines = [];
  lines.push("# edgevm benchmark results", "");
  lines.push(`- Date: ${r.date}`);
  lines.push(`- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory_gib} GiB, ${r.machine.os}`);
  lines.push(`- Node: ${r.node}`);
  lines.push(`- Command: \`${r.command}\` (${r.mode} size)`);
  lines.push(`- Native: ${r.native.compiler ? `${r.native.compiler}, \`${r.native.flags}\`, median of ≥${r.native.reps} runs, start-up (${r.native.startup_seconds} s) subtracted` : `skipped (${r.native.skipped})`}`);
  lines.push(`- QEMU: ${r.qemu.version ? `${r.qemu.version}, \`-machine virt -bios none\`, median of ${r.qemu.reps}, start-up and boot of an empty program (${r.qemu.startup_seconds} s) subtracted` : `skipped (${r.qemu.skipped})`}`);
  lines.push(`- edgevm: ${r.edgevm.command ? `median of ${r.edgevm.reps} runs, seconds and MIPS as reported by \`--stats\`` : `skipped (${r.edgevm.skipped})`}`);
  lines.push("");
  lines.push("| workload | guest instructions | edgevm s | edgevm MIPS | native s | edgevm / native | QEMU s | QEMU / native | edgevm / QEMU | checksum |");
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  const tableRows = (ws) => { for (const w of ws) {
    const insns = w.instructions == null ? "–" : `${w.instructions.toLocaleString("en-US")}${w.instructions_source?.startsWith("reference") ? " (ref)" : ""}`;
    const check = w.outputs_match === null ? "–" : w.outputs_match ? `ok \`${w.expected_checksum ?? [w.native, w.edgevm, w.qemu].find((s) => s?.checksum)?.checksum}\`` : "**DIFFER**";
    lines.push(`| ${w.name} | ${insns} | ${secs(w.edgevm)} | ${cell(w.edgevm?.status === "ok" ? w.edgevm.mips : null)} | ${secs(w.native)} | ${ratio(w.ratios.edgevm_over_native)} | ${secs(w.qemu)} | ${ratio(w.ratios.qemu_over_native)} | ${ratio(w.ratios.edgevm_over_qemu)} | ${check} |`);
  } };
  tableRows(r.workloads);
  const L = r.linux;
  if (L) {
    lines.push("", "## Linux programs (process mode)", "");
    lines.push("Static riscv64 Linux programs (glibc, `bench/bin/linux/`): edgevm `run --stats` in process mode, `qemu-riscv64` (user mode) in the QEMU columns, the same C built natively.");
    lines.push(`qemu-riscv64: ${L.qemu_user.version ? `${L.qemu_user.version}, median of ${L.qemu_user.reps}, start-up of a static hello world (${L.qemu_user.startup_seconds ?? "–"} s) subtracted` : `skipped (${L.qemu_user.skipped})`}.`, "");
    if (L.workloads.length) {
      lines.push("| workload | guest instructions | edgevm s | edgevm MIPS | native s | edgevm / native | qemu-riscv64 s | qemu-riscv64 / native | edgevm / qemu-riscv64 | checksum |");
      lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
      tableRows(L.workloads);
    }
    const s = L.startup;
    if (s) {
      lines.push("", `Start-up, \`${s.program}\` (static hello world, ${s.edgevm_instructions ?? "?"} guest instructions), median of ${s.reps} runs:`, "");
      lines.push(`- edgevm (\`node bin/edgevm.mjs run … --stats\`): ${s.edgevm_wall_seconds != null ? `${(s.edgevm_wall_seconds * 1000).toFixed(1)} ms wall, of which ${(s.edgevm_guest_seconds * 1000).toFixed(2)} ms guest execution (\`seconds\`)${s.edgevm_host_seconds != null ? ` and ${(s.edgevm_host_seconds * 1000).toFixed(1)} ms in the VM host overall (\`hostSeconds\`)` : ""}; \`node -e ""\` alone: ${s.node_empty_seconds != null ? `${(s.node_empty_seconds * 1000).toFixed(1)} ms` : "–"}` : s.edgevm_error ?? "not run"}`);
      lines.push(`- qemu-riscv64: ${s.qemu_user_wall_seconds != null ? `${(s.qemu_user_wall_seconds * 1000).toFixed(1)} ms wall` : s.qemu_user_error ?? "not run"}`);
    }
  }
  if (r.system_vs_process?.length) {
    lines.push("", "## System mode against process mode", "");
    lines.push("Each workload built both as a bare-metal ELF (system mode) and as a static Linux program (process mode), edgevm MIPS of each. `sv39` runs its work in S-mode under Sv39 with timer interrupts; the others run in M-mode without translation. Instruction counts differ a little (glibc's printf, and sv39's permutation in software in process mode).", "");
    lines.push("| workload | system MIPS | process MIPS | system / process |", "| --- | ---: | ---: | ---: |");
    for (const c of r.system_vs_process) lines.push(`| ${c.name} | ${c.system_mips} | ${c.process_mips} | ${(c.ratio * 100).toFixed(0)}% |`);
  }
  const problems = [...r.workloads, ...(L?.workloads ?? []).map((w) => ({ ...w, name: `linux ${w.name}` }))].flatMap((w) => ["native", "edgevm", "qemu"].filter((k) => w[k] && w[k].status !== "ok").map((k) => `- ${w.name} / ${k}: ${w[k].status}: ${w[k].error}`));
  if (problems.length) lines.push("", "Errors:", "", ...problems);
  if ([...r.workloads, ...(L?.workloads ?? [])].some((w) => w.qemu?.below_noise)) lines.push("", "¹ QEMU's net time is within the noise of its start-up time (use the full size).");
  lines.push("", "Guest instructions come from edgevm's `--stats`; \"(ref)\" marks the count measured under QEMU with `-icount shift=0,sleep=off` (bench/bin/reference.json) when edgevm gave none.");
  lines.push(`Whole run: ${r.total_seconds} s. Workloads and method: docs/performance.md.`, "");
  return lines.join("\n");
}

mkdirSync(opts.out, { recursive: true });
const writeAtomic = (file, text) => {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};
writeAtomic(path.join(opts.out, "latest.json"), JSON.stringify(results, null, 2) + "\n");
writeAtomic(path.join(opts.out, "latest.md"), markdown(results));
log(`wrote ${path.relative(repoDir, path.join(opts.out, "latest.json"))} and latest.md${failed ? " (FAILED: see errors)" : ""}`);
process.stdout.write(markdown(results));
process.exit(failed ? 1 : 0);

// One edgevm run of a workload, judged and with its --stats figures.
function edgevmOnce(elf, cap, timeoutSec, row) {
  const r = run(process.execPath, [edgevmBin, "run", elf, "--stats", "--max-insns", String(cap)], { timeoutSec });
  let stats = null;
  if (!r.error) {
    try {
      const s = JSON.parse(lastLine(r.stderr));
      if (s && typeof s === "object" && !Array.isArray(s)) stats = s;
    } catch {}
  }
  const j = judge(r, row.expected_checksum, "edgevm");
  let result = { ...j, wall_seconds: round(r.seconds) };
  if (j.status === "ok" && !stats) result = { status: "error", checksum: j.checksum, wall_seconds: round(r.seconds), error: "no --stats JSON object on the last stderr line" };
  if (stats) {
    result.instructions = Number.isFinite(stats.instructions) ? stats.instructions : null;
    result.seconds = Number.isFinite(stats.seconds) ? stats.seconds : null;
    result.mips = Number.isFinite(stats.mips) ? round(stats.mips) : null;
    if (result.instructions != null && row.reference_instret != null)
      result.instructions_minus_reference = result.instructions - row.reference_instret;
    result.stats = stats;
  }
  if (result.status === "ok" && !(result.seconds > 0))
    result = { ...result, status: "error", error: "--stats JSON has no positive \"seconds\"" };
  return result;
}
