// Runs the Linux corpus (tests/guest/linux, built into tests/guest/linux/bin
// by build.sh) through `edgevm run` and checks each case byte for byte:
//  * against the expectations committed beside the programs (CASE.stdout,
//    CASE.stderr, CASE.status), which gen-expected.sh recorded under
//    qemu-riscv64;
//  * with qemu-riscv64 installed, against a fresh qemu run as well;
//  * rebuilt with the same toolchain (tests/guest/linux/bin/TOOLCHAIN), the
//    committed programs must come out byte-identical (skipped otherwise).
// A case is a program NAME or NAME@VARIANT, with optional CASE.args (one
// argument per line), CASE.env (KEY=VALUE lines: the whole environment),
// CASE.stdin and CASE.files (repository-relative paths the program opens:
// given to edgevm with --file at the same path under its cwd, /). Programs
// run as tests/guest/linux/bin/NAME from the repository root on both sides.
// EDGEVM_CLI points the test at another build of the command.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const linuxDir = join(root, "tests/guest/linux");
const binRel = "tests/guest/linux/bin";
const binDir = join(root, binRel);
const cli = process.env.EDGEVM_CLI ?? join(root, "bin/edgevm.mjs");
const OUTPUTS = /\.(stdout|stderr|status)$/;
const INPUTS = /\.(args|env|stdin|files)$/;

function have(cmd: string, args: string[] = ["--version"]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return !r.error && r.status === 0;
}

function listCases(): string[] {
  if (!existsSync(binDir)) return [];
  const cases = new Set<string>();
  for (const f of readdirSync(binDir, { withFileTypes: true })) {
    // bin/hangs holds programs that never end on Linux (linux-threads.test.ts runs them), not cases.
    if (f.isDirectory() || OUTPUTS.test(f.name) || f.name === "TOOLCHAIN") continue;
    cases.add(f.name.replace(INPUTS, ""));
  }
  return [...cases].sort();
}

interface Case {
  name: string;
  program: string;
  args: string[];
  env: string[];
  stdin: string | undefined;
  files: string[];
}

function lines(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  if (text === "") return [];
  return text.replace(/\n$/, "").split("\n");
}

function loadCase(name: string): Case {
  const file = (ext: string) => join(binDir, `${name}.${ext}`);
  return {
    name,
    program: `${binRel}/${name.split("@")[0]}`,
    args: lines(file("args")),
    env: lines(file("env")),
    stdin: existsSync(file("stdin")) ? `${binRel}/${name}.stdin` : undefined,
    files: lines(file("files")),
  };
}

interface Outcome {
  stdout: Buffer;
  stderr: Buffer;
  status: number;
}

/** The status a shell shows: the exit code, or 128+N for signal N. */
function shellStatus(r: SpawnSyncReturns<Buffer>): number {
  if (r.signal) return 128 + constants.signals[r.signal];
  return r.status ?? -1;
}

function runEdgevm(c: Case): Outcome {
  const args = ["run", c.program, "--max-insns", "20000000000"];
  if (c.stdin) args.push("--stdin", c.stdin);
  for (const e of c.env) args.push("--env", e);
  for (const f of c.files) args.push("--file", `/${f}=${f}`);
  const r = spawnSync(process.execPath, [cli, ...args, "--", ...c.args], {
    cwd: root,
    timeout: 170_000,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 << 20,
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: shellStatus(r) };
}

function runQemu(c: Case): Outcome {
  const input = c.stdin ? readFileSync(join(root, c.stdin)) : Buffer.alloc(0);
  // Core dumps off, so that qemu prints nothing of its own when the guest dies of a signal.
  const script = 'ulimit -c 0; exec env -i "$@"';
  const r = spawnSync("sh", ["-c", script, "sh", ...c.env, "qemu-riscv64", c.program, ...c.args], {
    cwd: root,
    timeout: 120_000,
    input,
    maxBuffer: 256 << 20,
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: shellStatus(r) };
}

function committed(name: string): Outcome {
  const file = (ext: string) => join(binDir, `${name}.${ext}`);
  return {
    stdout: readFileSync(file("stdout")),
    stderr: readFileSync(file("stderr")),
    status: Number(readFileSync(file("status"), "utf8").trim()),
  };
}

function expectSame(actual: Outcome, expected: Outcome, what: string): void {
  // Compared as latin1 text: byte for byte, with a readable diff on failure.
  expect(actual.stdout.toString("latin1"), `${what}: stdout`).toBe(expected.stdout.toString("latin1"));
  expect(actual.stderr.toString("latin1"), `${what}: stderr`).toBe(expected.stderr.toString("latin1"));
  expect(actual.status, `${what}: exit status`).toBe(expected.status);
}

const cases = listCases();
const qemu = have("qemu-riscv64");

// A core whose ecall exit never returns makes every case run into the spawn
// timeout; one quick probe turns that into immediate, explained failures.
let probeFailure: string | undefined;
beforeAll(() => {
  const r = spawnSync(process.execPath, [cli, "run", `${binRel}/hello`], { cwd: root, encoding: "utf8", timeout: 10_000 });
  if (r.stdout !== "Hello, world!\n") {
    probeFailure =
      r.error || r.signal
        ? "edgevm hangs on the first syscall of a Linux program (the core's ecall exit does not return)"
        : `the hello probe printed ${JSON.stringify(r.stdout)} / ${JSON.stringify(r.stderr)}, status ${r.status}`;
  }
}, 60_000);

function edgevm(c: Case): Outcome {
  if (probeFailure) throw new Error(probeFailure);
  return runEdgevm(c);
}

describe("Linux corpus", () => {
  it("has a program and expectations for every case", () => {
    expect(cases.length).toBeGreaterThan(10);
    for (const name of cases) {
      expect(existsSync(join(binDir, name.split("@")[0])), `${name}: program`).toBe(true);
      for (const ext of ["stdout", "stderr", "status"]) {
        expect(existsSync(join(binDir, `${name}.${ext}`)), `${name}.${ext}`).toBe(true);
      }
    }
    const sources = readdirSync(linuxDir)
      .filter((f) => /\.(c|cc)$/.test(f) && f !== "fpu-vectors.c")
      .map((f) => f.replace(/\.(c|cc)$/, ""))
      .sort();
    const programs = readdirSync(binDir)
      .filter((f) => !f.includes(".") && !f.includes("@") && f !== "TOOLCHAIN" && f !== "hangs")
      .sort();
    expect(programs).toEqual(sources);
  });

  describe("edgevm matches the committed qemu-riscv64 results", () => {
    for (const name of cases) {
      it(name, () => expectSame(edgevm(loadCase(name)), committed(name), name), 180_000);
    }
  });

  describe.skipIf(!qemu)("edgevm matches a fresh qemu-riscv64 run", () => {
    for (const name of cases) {
      it(name, () => {
        const c = loadCase(name);
        const reference = runQemu(c);
        // Stale expectations are a fixture problem, reported as such.
        expectSame(reference, committed(name), `${name} (qemu vs committed: rerun gen-expected.sh)`);
        expectSame(edgevm(c), reference, name);
      }, 180_000);
    }
  });

  const gcc = process.env.RISCV_LINUX_GCC ?? "riscv64-linux-gnu-gcc";
  const toolchainFile = join(binDir, "TOOLCHAIN");
  const sameToolchain =
    have(gcc) &&
    existsSync(toolchainFile) &&
    readFileSync(toolchainFile, "utf8").split("\n")[0] === spawnSync(gcc, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
  it.skipIf(!sameToolchain)("rebuilding the corpus gives the committed bytes", () => {
    const out = mkdtempSync(join(tmpdir(), "edgevm-linux-corpus-"));
    try {
      const r = spawnSync("bash", [join(linuxDir, "build.sh"), out], { encoding: "utf8", timeout: 170_000 });
      expect(r.status, r.stderr).toBe(0);
      for (const f of readdirSync(out, { recursive: true, encoding: "utf8" })) {
        if (statSync(join(out, f)).isDirectory()) continue;
        expect(readFileSync(join(out, f)).equals(readFileSync(join(binDir, f))), `${f} differs from the committed build`).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
