// The CLI's snapshot commands (src/cli/snapshot-run.ts), called as the dispatcher will.
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resumeCommand, runInQuanta, type QuantumRunArgs } from "../../src/cli/snapshot-run.ts";
import { parseArgs } from "../../src/cli/args.ts";

const parseResume = (argv: string[]) => parseArgs(["resume", ...argv]);
import { CliError } from "../../src/cli/cli-error.ts";

const root = mkdtempSync(join(tmpdir(), "edgevm-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let next = 0;
const dir = () => join(root, `store-${next++}`);

function io() {
  const out: number[] = [];
  const err: string[] = [];
  return {
    stdout: (b: Uint8Array) => void out.push(...b),
    stderr: (line: string) => void err.push(line),
    text: () => Buffer.from(out).toString(),
    err,
    stats: () => JSON.parse(err[err.length - 1]!) as Record<string, unknown>,
  };
}

const run = (file: string, over: Partial<QuantumRunArgs>): QuantumRunArgs => ({
  file, quantum: null, store: null, maxInsns: 10_000_000_000n, ramMiB: 64, stats: true, ...over,
});

async function code(promise: Promise<number>): Promise<number> {
  try {
    return await promise;
  } catch (e) {
    if (e instanceof CliError) return e.status;
    throw e;
  }
}

describe("edgevm run --quantum N --store DIR", () => {
  it("gives the same output and final snapshot for every quantum", async () => {
    const ids = new Set<unknown>();
    for (const quantum of [1000n, 7777n, 100_000n, null]) {
      const out = io();
      const store = dir();
      expect(await runInQuanta(run("tests/guest/bin/a.elf", { quantum, store }), out)).toBe(0);
      const stats = out.stats();
      expect(stats.status).toBe("halted");
      expect(stats.quanta).toBe((stats.bytesReadPerQuantum as number[]).length);
      expect((stats.bytesWrittenPerQuantum as number[]).every((n) => n > 0)).toBe(true);
      ids.add(stats.snapshot);
      expect(readdirSync(store).sort()).toEqual(["chunks", "manifests", "meta"]);
    }
    expect(ids.size).toBe(1);
  });

  it("without --store keeps snapshots in memory and still reports the id", async () => {
    const out = io();
    expect(await runInQuanta(run("tests/guest/cli/hello.elf", { quantum: 50n }), out)).toBe(3);
    expect(out.text()).toContain("hello");
    expect(out.stats().snapshot).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("edgevm resume", () => {
  it("continues a stopped run where it left off, to the same snapshot as one longer run", async () => {
    const store = dir();
    const first = io();
    expect(await runInQuanta(run("tests/guest/cli/spin.elf", { quantum: 3000n, store, maxInsns: 5000n }), first)).toBe(124);
    expect(first.err[0]).toMatch(/edgevm resume [0-9a-f]{64} --store/);
    const second = io();
    const args = parseResume([first.stats().snapshot as string, "--store", store, "--max-insns", "5000", "--stats"]);
    expect(args.command).toBe("resume");
    expect(await resumeCommand(args as never, second)).toBe(124);
    const whole = io();
    expect(await runInQuanta(run("tests/guest/cli/spin.elf", { store: dir(), maxInsns: 10_000n }), whole)).toBe(124);
    expect(second.stats().snapshot).toBe(whole.stats().snapshot);
  });

  it("a halted machine reports its exit code again", async () => {
    const store = dir();
    const out = io();
    expect(await runInQuanta(run("tests/guest/cli/hello.elf", { store }), out)).toBe(3);
    const again = io();
    expect(await resumeCommand(parseResume([out.stats().snapshot as string, "--store", store]) as never, again)).toBe(3);
    expect(again.text()).toBe("");
  });

  it("gives a bare-metal machine's UART the bytes of --stdin", async () => {
    const store = dir();
    const first = io();
    expect(await runInQuanta(run("tests/guest/cli/echo.elf", { quantum: 3000n, store, maxInsns: 5000n }), first)).toBe(124);
    const input = join(root, "echo-input.txt");
    writeFileSync(input, "to the uart.");
    const second = io();
    expect(await resumeCommand(parseResume([first.stats().snapshot as string, "--store", store, "--stdin", input]) as never, second)).toBe(0);
    expect(second.text()).toBe("TO THE UART\n");
  });

  it("reports bad ids, unknown snapshots and damage", async () => {
    const store = dir();
    const out = io();
    await runInQuanta(run("tests/guest/cli/spin.elf", { store, maxInsns: 100n }), out);
    const id = out.stats().snapshot as string;
    const resume = (argv: string[]) => code(resumeCommand(parseResume(argv) as never, io()));
    expect(await resume(["xyz", "--store", store])).toBe(2);
    expect(await resume(["0".repeat(64), "--store", store])).toBe(2);
    writeFileSync(join(store, "manifests", id.slice(0, 2), id), "{}");
    expect(await resume([id, "--store", store])).toBe(125);
    expect(() => parseResume([id])).toThrow(/--store/);
    expect(() => parseResume(["--store", store])).toThrow(/SNAPSHOT_ID/);
    expect(() => parseResume([id, "--store", store, "--quantum", "0"])).toThrow(/--quantum/);
  });
});
