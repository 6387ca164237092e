// `edgevm run` on Linux programs (process mode) end to end: request files,
// stdin from a file or from edgevm's own stdin (interactively), --stats,
// statuses, and bad input. Uses the corpus programs of tests/guest/linux.
// EDGEVM_CLI points the test at another build of the command.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildElf } from "../cli/elf-builder.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = process.env.EDGEVM_CLI ?? join(root, "bin/edgevm.mjs");
const bin = (name: string) => `tests/guest/linux/bin/${name}`;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function edgevm(args: string[], input?: string): Result {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", input: input ?? "", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function statsOf(r: Result): Record<string, unknown> {
  return JSON.parse(r.stderr.trimEnd().split("\n").at(-1)!);
}

function expectUsageError(r: Result, message: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

let dir: string;
let probeFailure: string | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edgevm-linux-cli-"));
  const r = spawnSync(process.execPath, [cli, "run", bin("hello")], { cwd: root, encoding: "utf8", timeout: 10_000 });
  if (r.stdout !== "Hello, world!\n") probeFailure = "edgevm hangs or fails on the first syscall of a Linux program (see linux-differential)";
}, 30_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function needsCore(): void {
  if (probeFailure) throw new Error(probeFailure);
}

describe("edgevm run, Linux programs", () => {
  it("copies --file GUEST=HOST into the guest file system", () => {
    needsCore();
    const host = join(dir, "in.txt");
    writeFileSync(host, "file contents\n");
    const r = edgevm(["run", bin("cat"), "--file", `/data/in.txt=${host}`, "--", "/data/in.txt", "/data/missing"]);
    expect(r.stdout).toBe("file contents\n");
    expect(r.stderr).toBe("cat: /data/missing: No such file or directory\n");
    expect(r.status).toBe(1);
  });

  it("reads stdin from --stdin FILE, or else from its own stdin", () => {
    needsCore();
    const host = join(dir, "stdin.txt");
    writeFileSync(host, "from a file\n");
    expect(edgevm(["run", bin("cat"), "--stdin", host], "ignored").stdout).toBe("from a file\n");
    expect(edgevm(["run", bin("cat")], "piped in\n").stdout).toBe("piped in\n");
    expect(edgevm(["run", bin("cat")]).stdout, "empty stdin is EOF").toBe("");
  });

  it("runs interactively: the guest waits for input that arrives later", async () => {
    needsCore();
    const child = spawn(process.execPath, [cli, "run", bin("cat")], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: string[] = [];
    const next = () =>
      new Promise<string>((resolve, reject) => {
        child.stdout.once("data", (d: Buffer) => resolve(d.toString()));
        child.once("exit", (code) => reject(new Error(`edgevm exited (${code}) early; got ${JSON.stringify(chunks)}`)));
      });
    try {
      child.stdin.write("first line\n");
      chunks.push(await next());
      child.stdin.write("second line\n");
      chunks.push(await next());
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.stdin.end();
      expect(await exited).toBe(0);
      expect(chunks).toEqual(["first line\n", "second line\n"]);
    } finally {
      child.kill();
    }
  });

  it("passes --env (as qemu-riscv64 orders it) and the guest arguments", () => {
    needsCore();
    const r = edgevm(["run", bin("args"), "--env", "A=1", "--env", "B=two words", "--", "9", "x y"]);
    expect(r.stdout).toContain('argv[2] = "x y" (3 bytes)');
    expect(r.stdout).toContain("env[0] = B=two words\nenv[1] = A=1\n2 environment strings");
    expect(r.stderr).toBe("exiting with 9\n");
    expect(r.status).toBe(9);
  });

  it("--stats adds the syscall counts and the unsupported syscalls", () => {
    needsCore();
    const r = edgevm(["run", bin("misc"), "--stats"]);
    expect(r.status).toBe(0);
    const stats = statsOf(r);
    expect(stats).toMatchObject({ status: "exited", exitCode: 0, signal: 0, unsupportedSyscalls: { syscall_9999: 1 } });
    expect(stats.syscalls).toMatchObject({ clock_gettime: expect.any(Number), clock_nanosleep: 2, syscall_9999: 1 });
    expect(Object.keys(stats.syscalls as object)).toEqual(Object.keys(stats.syscalls as object).sort());
    expect(stats.instructions).toBeGreaterThan(100_000);
  });

  it("exits with 128+N for signal N, printing nothing of its own (as qemu-riscv64)", () => {
    needsCore();
    const r = edgevm(["run", bin("exit"), "--", "segv"]);
    expect(r).toEqual({ status: 139, stdout: "mode segv\n", stderr: "" });
    const stats = statsOf(edgevm(["run", bin("exit"), "--stats", "--", "abort"]));
    expect(stats).toMatchObject({ status: "killed", signal: 6, signalName: "SIGABRT" });
  });

  it("stops at --max-insns with exit status 124", () => {
    needsCore();
    const r = edgevm(["run", bin("malloc"), "--max-insns", "1000000"]);
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/^edgevm: instruction limit reached \(--max-insns 1000000\) after 1000000 instructions/);
  });

  it("reports a program whose stack does not fit --ram as bad input", () => {
    expectUsageError(edgevm(["run", bin("hello"), "--ram", "4"]), /stack does not fit the memory limit/);
  });
});

describe("edgevm run, bad input for process mode", () => {
  it("refuses a dynamically linked program", () => {
    const path = join(dir, "dynamic.elf");
    writeFileSync(path, buildElf({ interp: "/lib/ld-linux-riscv64-lp64d.so.1", segments: [{ vaddr: 0x10000n, data: new Uint8Array(16) }] }));
    expectUsageError(edgevm(["run", path]), new RegExp(`^edgevm: ${path}: dynamically linked .*link with -static$`));
  });

  it("refuses segments Linux could not map (offset and address not congruent), as qemu-riscv64 does", () => {
    const path = join(dir, "unmappable.elf");
    writeFileSync(path, buildElf({ segments: [{ vaddr: 0x10000n, data: new Uint8Array(16) }] }));
    expectUsageError(edgevm(["run", path]), /segment 0: file offset 0x78 and address 0x10000 differ modulo the page size/);
  });

  it("checks --file, --env and --stdin", () => {
    expectUsageError(edgevm(["run", bin("cat"), "--file", "nohost"]), /^edgevm: --file takes GUEST=HOST, not 'nohost'$/);
    expectUsageError(edgevm(["run", bin("cat"), "--file", "rel/x=y"]), /guest path must be an absolute file path, not 'rel\/x'/);
    expectUsageError(edgevm(["run", bin("cat"), "--file", `/x=${join(dir, "missing")}`]), /^edgevm: --file .*missing: no such file$/);
    expectUsageError(edgevm(["run", bin("cat"), "--env", "=v"]), /^edgevm: --env takes KEY=VALUE, not '=v'$/);
    expectUsageError(edgevm(["run", bin("cat"), "--stdin", join(dir, "missing")]), /^edgevm: --stdin .*missing: no such file$/);
  });

  it("refuses Linux-only options for a bare-metal program", () => {
    expectUsageError(edgevm(["run", "tests/guest/cli/hello.elf", "--env", "A=1"]), /--env applies to Linux programs/);
  });
});
