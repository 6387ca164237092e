// LinuxProcess (src/vm/linux/process.ts) on the wasm core with the corpus
// programs: waiting for input and resuming, budgets, output and memory caps,
// signals, and determinism (same input, however the run is sliced, gives the
// same output, guest RAM and registers).
//
// A core whose ecall exit never returns would hang this worker, so a child
// process probes the core first and the tests fail fast if it hangs.
// EDGEVM_CLI (see linux-differential.test.ts) also selects the core next to it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { LinuxProcess, type LinuxConfig, type LinuxRunResult } from "../../src/vm/linux/process.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = process.env.EDGEVM_CLI ?? join(root, "bin/edgevm.mjs");
const corePath = process.env.EDGEVM_CLI ? join(dirname(process.env.EDGEVM_CLI), "../build/core.wasm") : join(root, "build/core.wasm");
const program = (name: string) => new Uint8Array(readFileSync(join(root, "tests/guest/linux/bin", name)));
const text = (b: Uint8Array) => new TextDecoder().decode(b);

// The project's global types are Workers', which omit compile(); Node has it.
const wasm = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> };
let module: WebAssembly.Module;
let probeFailure: string | undefined;

beforeAll(async () => {
  const r = spawnSync(process.execPath, [cli, "run", "tests/guest/linux/bin/hello"], { cwd: root, encoding: "utf8", timeout: 10_000 });
  if (r.stdout !== "Hello, world!\n") {
    probeFailure =
      r.error || r.signal
        ? "edgevm hangs on the first syscall of a Linux program (the core's ecall exit does not return)"
        : `the hello probe printed ${JSON.stringify(r.stdout)} / ${JSON.stringify(r.stderr)}, status ${r.status}`;
    return;
  }
  module = await wasm.compile(readFileSync(corePath));
}, 60_000);

async function start(name: string, config: Partial<LinuxConfig> = {}): Promise<LinuxProcess> {
  if (probeFailure) throw new Error(probeFailure);
  return LinuxProcess.create(module, program(name), { args: [`/bin/${name}`], ...config });
}

/** Runs to the end in slices of `slice` instructions, collecting the output. */
function finish(p: LinuxProcess, slice = 10_000_000_000n): { last: LinuxRunResult; stdout: string; stderr: string; calls: number } {
  let stdout = "";
  let stderr = "";
  let calls = 0;
  for (;;) {
    const r = p.run(slice);
    calls++;
    stdout += text(r.stdout);
    stderr += text(r.stderr);
    if (r.status !== "budget") return { last: r, stdout, stderr, calls };
  }
}

/** Guest RAM and the registers, hashed: the machine state that must repeat exactly. */
function stateHash(p: LinuxProcess): string {
  const core = p.core;
  const h = createHash("sha256");
  core.backRam(core.ramSize()); // RAM gets memory on demand; the rest is zero
  h.update(new Uint8Array(core.memory.buffer, core.ramOffset() >>> 0, core.ramSize() >>> 0));
  for (let i = 0; i < 32; i++) h.update(`${core.getX(i)},${core.getF(i)};`);
  h.update(`${core.getPc()} ${core.instret()}`);
  return h.digest("hex");
}

describe("LinuxProcess", () => {
  it("runs a program to its exit status", async () => {
    const p = await start("hello");
    const r = p.run(100_000_000n);
    expect(r).toMatchObject({ status: "exited", exitCode: 0, signal: 0 });
    expect(text(r.stdout)).toBe("Hello, world!\n");
    expect(r.syscallCounts).toMatchObject({ write: 1, exit_group: 1 });
    expect(r.unsupported).toEqual({});
    expect(p.run(1000n), "an ended process reports the same end").toMatchObject({ status: "exited", instructions: 0n });
  });

  it("stops at the budget and resumes exactly", async () => {
    const p = await start("hello");
    const first = p.run(1000n);
    expect(first).toMatchObject({ status: "budget", instructions: 1000n });
    const rest = finish(p);
    expect(rest.stdout).toBe("Hello, world!\n");
    const whole = (await start("hello")).run(100_000_000n);
    expect(p.totalInstructions).toBe(whole.instructions);
  });

  it("waits for stdin that has not arrived, then resumes where it stopped", async () => {
    const input = "1 2 three 4\n-10 x 100\n";
    const oneShot = finish(await start("cxx", { stdin: new TextEncoder().encode(input) }));
    const p = await start("cxx", { stdinClosed: false });
    let r = p.run(10_000_000_000n);
    expect(r.status).toBe("waiting-input");
    let stdout = text(r.stdout);
    expect(stdout).toContain("caught int 17");
    expect(stdout).not.toContain("numbers, total");
    r = p.run(10_000_000_000n);
    expect(r).toMatchObject({ status: "waiting-input", instructions: 0n });
    p.pushStdin(new TextEncoder().encode(input.slice(0, 7)));
    r = p.run(10_000_000_000n);
    expect(r.status).toBe("waiting-input");
    stdout += text(r.stdout);
    p.pushStdin(new TextEncoder().encode(input.slice(7)));
    p.closeStdin();
    const end = finish(p);
    stdout += end.stdout;
    expect(end.last).toMatchObject({ status: "exited", exitCode: 0 });
    expect(stdout).toBe(oneShot.stdout);
    expect(end.stderr).toBe("cerr works too\n");
  });

  it("gives identical output and final state on every run, however sliced", async () => {
    const once = await start("compute");
    const a = finish(once);
    const again = await start("compute");
    const b = finish(again);
    const sliced = await start("compute");
    const c = finish(sliced, 999_983n);
    expect(c.calls).toBeGreaterThan(5);
    expect(a.last.status).toBe("exited");
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
    expect(stateHash(again)).toBe(stateHash(once));
    expect(stateHash(sliced)).toBe(stateHash(once));
    expect(sliced.totalInstructions).toBe(once.totalInstructions);
  }, 60_000);

  it("schedules threads the same way however run() is sliced (slices end on instruction counts, not run() calls)", async () => {
    const once = await start("atomics");
    const a = finish(once);
    const sliced = await start("atomics");
    const c = finish(sliced, 7_777n);
    expect(a.last.status).toBe("exited");
    expect(a.stdout).toBe(readFileSync(join(root, "tests/guest/linux/bin/atomics.stdout"), "latin1"));
    expect(c.stdout).toBe(a.stdout);
    expect(stateHash(sliced)).toBe(stateHash(once));
    expect(sliced.totalInstructions).toBe(once.totalInstructions);
  }, 60_000);

  it("ends a deadlock of every thread with a fault that names what each waits for", async () => {
    const p = await start("hangs/deadlock");
    const r = finish(p);
    expect(r.stdout).toBe("both threads hold one lock and want the other\n");
    expect(r.last).toMatchObject({ status: "fault", reason: expect.stringMatching(/^deadlock: every thread waits for ever \(thread 1000: futex wait on 0x[0-9a-f]+; thread 1001: futex wait on 0x[0-9a-f]+\)/) });
    expect(p.run(1000n), "an ended process reports the same end").toMatchObject({ status: "fault", instructions: 0n });
  });

  it("makes time and randomness functions of the run, not of the host", async () => {
    const outputs = [];
    for (let i = 0; i < 2; i++) {
      const p = await start("misc");
      const r = finish(p, 3_000_001n);
      outputs.push([r.stdout, stateHash(p)]);
    }
    expect(outputs[1]).toEqual(outputs[0]);
    const other = await start("misc", { seed: 99 });
    finish(other);
    expect(stateHash(other), "another seed, other random bytes").not.toBe(outputs[0][1]);
  });

  it("stops with output-limit when stdout exceeds its cap", async () => {
    const p = await start("stdio", { outputLimit: 64 });
    const r = finish(p);
    expect(r.last.status).toBe("output-limit");
    expect(r.stdout).toHaveLength(64);
    expect(r.last.reason).toMatch(/stdout/);
    expect(p.run(1000n).status).toBe("output-limit");
  });

  it("fails large allocations cleanly under a small memory limit", async () => {
    const r = finish(await start("malloc", { memoryLimit: 40 << 20 }));
    expect(r.last).toMatchObject({ status: "exited", exitCode: 0 });
    expect(r.stdout).toContain("large: malloc(64 MiB) failed\n");
  }, 60_000);

  it("reports death by signal with the faulting address", async () => {
    const p = await start("exit", { args: ["/bin/exit", "segv"] });
    const r = p.run(100_000_000n);
    expect(r).toMatchObject({ status: "killed", signal: 11, exitCode: 0 });
    expect(r.reason).toMatch(/read at 0x10\b/);
  });

  it("counts syscalls edgevm does not implement", async () => {
    const r = finish(await start("misc")).last;
    expect(r.unsupported).toEqual({ syscall_9999: 1 });
    expect(r.syscallCounts.syscall_9999).toBe(1);
  });

  it("marks every page the host wrote dirty, so snapshots see syscall results and page tables", async () => {
    const p = await start("cat", { stdinClosed: false });
    const core = p.core;
    const dirty = () => new Uint8Array(core.memory.buffer, core.pageFlags() >>> 0, core.ramSize() >>> 12);
    const ram = () => (core.backRam(core.ramSize()), new Uint8Array(core.memory.buffer, core.ramOffset() >>> 0, core.ramSize() >>> 0));
    // Before any guest instruction, only the host has written RAM (which started all zero).
    const written = ram();
    for (let page = 0; page < written.length / 4096; page++) {
      if (written.subarray(page * 4096, (page + 1) * 4096).some((b) => b !== 0)) expect(dirty()[page] & 4, `page ${page}`).toBe(4);
    }
    expect(p.run(100_000_000n).status).toBe("waiting-input");
    const before = ram().slice();
    (core as unknown as { clearDirty(): void }).clearDirty();
    p.pushStdin(new TextEncoder().encode("x".repeat(5000)));
    expect(p.run(100_000_000n).status).toBe("waiting-input");
    const after = ram();
    let changed = 0;
    for (let page = 0; page < after.length / 4096; page++) {
      const a = after.subarray(page * 4096, (page + 1) * 4096);
      const b = before.subarray(page * 4096, (page + 1) * 4096);
      if (a.some((v, i) => v !== b[i])) {
        changed++;
        expect(dirty()[page] & 4, `page ${page} changed but is not dirty`).toBe(4);
      }
    }
    expect(changed).toBeGreaterThan(1);
  });

  it("refuses a dynamically linked program and bad limits", async () => {
    if (probeFailure) throw new Error(probeFailure);
    const bytes = program("hello");
    await expect(LinuxProcess.create(module, bytes, { args: ["x"], memoryLimit: 12345 })).rejects.toThrow(/multiple of 4 KiB/);
    await expect(LinuxProcess.create(module, new Uint8Array(16), { args: ["x"] })).rejects.toThrow(/not an ELF/);
  });
});
