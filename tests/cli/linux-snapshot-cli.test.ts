// `edgevm run LINUXPROG --quantum N --store DIR` and `edgevm resume` end to
// end: a Linux program through snapshots prints what it prints without them
// (stdout and stderr apart), exits with its status (128+N when killed), ends
// in a snapshot that does not depend on N, reads edgevm's stdin when it
// waits, and a stored machine resumes with stdin given at resume.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { step } from "../../src/snapshot/index.ts";
import { DirectoryStore } from "../../src/snapshot/store-directory.ts";
import { linuxLayerCodec, prepareLinuxMachine } from "../../src/vm/linux/linux-layer.ts";

// The project's global types are Workers', where Module cannot be constructed; Node can.
const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;

const BIN = "tests/guest/linux/bin";
const dir = mkdtempSync(join(tmpdir(), "edgevm-linux-snapshots-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stores = 0;
const store = () => join(dir, `store-${stores++}`);

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function edgevm(args: string[], input: Buffer | string = ""): Result {
  const r = spawnSync(process.execPath, ["bin/edgevm.mjs", ...args], { input, timeout: 100_000 });
  return { status: r.status, stdout: r.stdout.toString("latin1"), stderr: r.stderr.toString("latin1") };
}

const expected = (name: string) => readFileSync(join(BIN, name), "latin1");
const lines = (r: Result) => r.stderr.split("\n").filter((l) => l !== "");
const statsOf = (r: Result) =>
  JSON.parse(lines(r).at(-1)!) as { snapshot: string; quanta: number; status: string; exitCode: number; signal?: number; bytesWrittenPerQuantum: number[] };
/** The guest's own stderr: everything before the --stats line. */
const guestStderr = (r: Result) => r.stderr.slice(0, r.stderr.trimEnd().lastIndexOf("\n") + 1);

describe("edgevm run LINUXPROG --quantum N --store DIR", () => {
  it("prints stdout and stderr apart and ends in the same snapshot for any quantum", () => {
    const args = [`${BIN}/cxx`, "--stdin", `${BIN}/cxx.stdin`, "--ram", "32", "--stats"];
    const small = edgevm(["run", ...args, "--quantum", "1_000_000", "--store", store()]);
    const large = edgevm(["run", ...args, "--quantum", "5_000_000"]);
    for (const r of [small, large]) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(expected("cxx.stdout"));
      expect(guestStderr(r)).toBe(expected("cxx.stderr"));
    }
    expect(statsOf(small).quanta).toBe(13);
    expect(statsOf(small).bytesWrittenPerQuantum).toHaveLength(13);
    expect(statsOf(small).snapshot).toMatch(/^[0-9a-f]{64}$/);
    expect(statsOf(large).snapshot).toBe(statsOf(small).snapshot);
  });

  it("runs a threaded program to the same snapshot for any quantum", () => {
    const args = [`${BIN}/cxxthreads`, "--ram", "32", "--stats"];
    const small = edgevm(["run", ...args, "--quantum", "1_000_000", "--store", store()]);
    const large = edgevm(["run", ...args, "--quantum", "3_333_333"]);
    for (const r of [small, large]) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(expected("cxxthreads.stdout"));
    }
    expect(statsOf(large).snapshot).toBe(statsOf(small).snapshot);
  });

  it("exits with 128+N when a signal kills the program, and says nothing itself", () => {
    const r = edgevm(["run", `${BIN}/exit`, "--quantum", "1000", "--stats", "--", "segv"]);
    expect(r.status).toBe(139);
    expect(r.stdout).toBe(expected("exit@segv.stdout"));
    expect(guestStderr(r)).toBe(expected("exit@segv.stderr"));
    expect(statsOf(r)).toMatchObject({ status: "exited", exitCode: 139, signal: 11, signalName: "SIGSEGV" });
  });

  it("gives a program that waits for input edgevm's stdin, to the same snapshot as --stdin FILE", () => {
    const input = readFileSync(join(BIN, "cat.stdin"));
    const piped = edgevm(["run", `${BIN}/cat`, "--quantum", "1000", "--ram", "16", "--stats"], input);
    const file = edgevm(["run", `${BIN}/cat`, "--stdin", `${BIN}/cat.stdin`, "--ram", "16", "--quantum", "1000", "--stats"]);
    for (const r of [piped, file]) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(expected("cat.stdout"));
    }
    expect(statsOf(piped).snapshot).toBe(statsOf(file).snapshot);
  });
});

describe("edgevm resume, Linux programs", () => {
  it("continues a stored program with stdin given at resume, to the snapshot of one run", () => {
    const where = store();
    // edgevm's stdin is not read before the program waits for it, which it does after --max-insns.
    const stopped = edgevm(["run", `${BIN}/cat`, "--store", where, "--ram", "16", "--max-insns", "3000", "--stats"]);
    expect(stopped.status, stopped.stderr).toBe(124);
    const midway = statsOf(stopped).snapshot;
    expect(lines(stopped)[0]).toContain(`edgevm resume ${midway} --store ${where}`);
    const resumed = edgevm(["resume", midway, "--store", where, "--stdin", `${BIN}/cat.stdin`, "--stats"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(stopped.stdout + resumed.stdout).toBe(expected("cat.stdout"));
    const whole = edgevm(["run", `${BIN}/cat`, "--stdin", `${BIN}/cat.stdin`, "--ram", "16", "--store", store(), "--stats"]);
    expect(statsOf(resumed).snapshot).toBe(statsOf(whole).snapshot);
    // A stopped program reports its status again.
    const again = edgevm(["resume", statsOf(resumed).snapshot, "--store", where]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe("");
  });

  it("resumes a machine that waits for input (as the service leaves one) with --stdin", async () => {
    const where = store();
    const options = { core: new compile(readFileSync("build/core.wasm")), layers: [linuxLayerCodec] };
    const machine = await prepareLinuxMachine(options.core, readFileSync(`${BIN}/cat`), { args: [`${BIN}/cat`], stdinClosed: false, memoryLimit: 16 << 20 });
    const waiting = await step(machine, { console: new TextEncoder().encode("first ") }, 1_000_000n, new DirectoryStore(where), options);
    expect(waiting.status).toEqual({ kind: "waiting-input" });
    expect(new TextDecoder().decode(waiting.output)).toBe("first ");
    const without = edgevm(["resume", waiting.snapshotId, "--store", where], "second");
    expect(without.status, without.stderr).toBe(0);
    expect(without.stdout).toBe("second");
    const resumed = edgevm(["resume", waiting.snapshotId, "--store", where, "--stdin", `${BIN}/cat.stdin`]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toBe(expected("cat.stdin"));
  });
});
