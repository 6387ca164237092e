// Grading runs: the example course against its reference and wrong
// solutions, budgets, crashes, reproducibility, registers and memory,
// console-expect steps. In-process with a MemoryStore, as a Worker would.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  gradeLayers, gradeSubmission, retryTest, GradeError, parseSuite, parseSuiteText, type GradeHost, type Report, type Suite,
} from "../../src/grade/index.ts";
import { MemoryStore, step } from "../../src/snapshot/index.ts";
import { buildElf } from "../cli/elf-builder.ts";

const LAB1 = "examples/grading/lab1-sum";
const LAB0 = "examples/grading/lab0-fib";
let core: WebAssembly.Module;
const wasm = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> };

beforeAll(async () => {
  core = await wasm.compile(readFileSync("build/core.wasm"));
});

function host(store = new MemoryStore()): GradeHost & { store: MemoryStore } {
  return {
    store,
    options: { core, layers: gradeLayers },
    reproduce: (start, _end, budget) => ({ command: `edgevm resume ${start} --store DIR --max-insns ${budget}` }),
  };
}

const suiteOf = (lab: string): Suite => parseSuiteText(readFileSync(`${lab}/suite.json`, "utf8"));
const submission = (path: string) => ({ bytes: new Uint8Array(readFileSync(path)) });
const grade = (lab: string, file: string, h = host()) => gradeSubmission(suiteOf(lab), submission(`${lab}/submissions/${file}`), h);
const byName = (r: Report) => Object.fromEntries(r.tests.map((t) => [t.name, t]));

describe("grading lab 1 (a static Linux program)", () => {
  it("gives the reference solution every point", async () => {
    const r = await grade(LAB1, "sum.elf");
    expect(r.tests.map((t) => [t.name, t.status, t.failures])).toEqual(r.tests.map((t) => [t.name, "passed", []]));
    expect(r).toMatchObject({ score: 10, maxScore: 10, passed: 9, failed: 0, submission: { kind: "linux" } });
    expect(r.tests.map((t) => t.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("fails a wrong solution on exactly the tests it gets wrong, saying why", async () => {
    const t = byName(await grade(LAB1, "sum-off-by-one.elf"));
    expect(t["adds two numbers"]!.status).toBe("passed");
    expect(t["negative numbers"]!.failures).toEqual([`stdout differs from the expected output: line 1, column 2: expected "-3", got "-4"`]);
    expect(t["writes the sum to a file"]!.failures[1]).toMatch(/^file \/tmp\/sum.txt differs/);
    expect(t["two thousand numbers"]!.score).toBe(0);
  });

  it("fails a crash with the signal and the faulting address, and goes on with the other tests", async () => {
    const r = await grade(LAB1, "sum-crash.elf");
    const t = byName(r);
    expect(t["empty input"]!.failures).toEqual([expect.stringMatching(/^killed by SIGSEGV: read at 0x0, pc 0x[0-9a-f]+$/)]);
    expect(t["empty input"]!.run).toMatchObject({ status: "exited", exitCode: 139, signal: 11 });
    expect(r.passed).toBe(8);
  });

  it("fails a test whose budget runs out with the budget, and only that test", async () => {
    const r = await grade(LAB1, "sum-slow.elf");
    const t = byName(r)["two thousand numbers"]!;
    expect(t.failures).toEqual(["instruction budget of 500000 spent"]);
    expect(t.run).toMatchObject({ status: "running", instructions: 500000, budget: 500000 });
    expect(r.failed).toBe(1);
  });

  it("compares with normalize as the test asks", async () => {
    const t = byName(await grade(LAB1, "sum-no-newline.elf"));
    expect(t["no newline at the end of input"]!.status).toBe("passed"); // trailing-whitespace
    expect(t["adds two numbers"]!.status).toBe("failed"); // none
  });

  it("gives the same report for the same suite and submission, byte for byte", async () => {
    const a = JSON.stringify(await grade(LAB1, "sum-crash.elf"));
    const b = JSON.stringify(await grade(LAB1, "sum-crash.elf"));
    expect(a).toBe(b);
  });

  it("forks every test from one booted snapshot per launch", async () => {
    const h = host();
    const r = await grade(LAB1, "sum.elf", h);
    // Every test's start is its own (its stdin is in it), but the chunks of the program are stored once.
    expect(new Set(r.tests.map((t) => t.start)).size).toBe(r.tests.length);
    const manifests = [...h.store.objects.keys()].filter((k) => k.startsWith("manifests/")).length;
    // 3 launches (no args; -o /tmp/sum.txt; x) + a start and an end per test.
    expect(manifests).toBe(3 + 2 * r.tests.length);
  });

  it("records start and end snapshots from which the run is reproduced exactly", async () => {
    const h = host();
    const r = await grade(LAB1, "sum-crash.elf", h);
    for (const t of r.tests) {
      expect(t.reproduce.command).toBe(`edgevm resume ${t.start} --store DIR --max-insns ${t.run.budget}`);
      const again = await step(t.start, {}, BigInt(t.run.budget), h.store, h.options);
      expect(again.snapshotId).toBe(t.end);
    }
  });

  it("gives the same result when a run is retried after its grader died mid-run", async () => {
    // A grader that dies while persisting a test's end snapshot: some of that test's objects are stored, the rest not.
    class DyingStore extends MemoryStore {
      puts = 0;
      dieAt = Infinity;
      override async put(key: string, bytes: Uint8Array): Promise<void> {
        if (++this.puts === this.dieAt) throw new Error("the consumer died");
        await super.put(key, bytes);
      }
    }
    const clean = await gradeSubmission(suiteOf(LAB1), submission(`${LAB1}/submissions/sum-crash.elf`), host(), ["empty input"]);
    for (const dieAt of [2, 5, 8]) {
      const store = new DyingStore();
      store.dieAt = dieAt;
      await expect(gradeSubmission(suiteOf(LAB1), submission(`${LAB1}/submissions/sum-crash.elf`), host(store), ["empty input"])).rejects.toThrow(/died/);
      store.dieAt = Infinity;
      const retried = await gradeSubmission(suiteOf(LAB1), submission(`${LAB1}/submissions/sum-crash.elf`), host(store), ["empty input"]);
      expect(retried).toEqual(clean);
    }
  });

  it("retries a test from its recorded start snapshot with the same result", async () => {
    const h = host();
    const starts = new Map<string, string>();
    h.started = async (name, start) => void starts.set(name, start);
    const clean = await gradeSubmission(suiteOf(LAB1), submission(`${LAB1}/submissions/sum-crash.elf`), h);
    expect([...starts.keys()]).toEqual(clean.tests.map((t) => t.name));
    for (const t of clean.tests) {
      expect(starts.get(t.name)).toBe(t.start);
      const retried = await retryTest(suiteOf(LAB1), submission(`${LAB1}/submissions/sum-crash.elf`), t.name, t.start, h);
      expect(retried.tests).toEqual([t]);
    }
  });

  it("runs only the tests asked for", async () => {
    const r = await gradeSubmission(suiteOf(LAB1), submission(`${LAB1}/submissions/sum.elf`), host(), ["empty input"]);
    expect(r.tests.map((t) => [t.number, t.name])).toEqual([[3, "empty input"]]);
    await expect(gradeSubmission(suiteOf(LAB1), submission(`${LAB1}/submissions/sum.elf`), host(), ["nope"])).rejects.toThrow(/no test named/);
  });
});

describe("grading lab 0 (a bare-metal program: registers and memory)", () => {
  it("checks registers and words at a symbol", async () => {
    const good = await grade(LAB0, "fib.elf");
    expect(good).toMatchObject({ score: 3.5, failed: 0, submission: { kind: "bare-metal" } });
    const bad = byName(await grade(LAB0, "fib-wrong.elf"));
    expect(bad["fib(10) in a0"]!.status).toBe("passed");
    expect(bad["the first 12 numbers in result"]!.failures).toEqual(["memory at result+0: word 0 is 1 (0x1), expected 0 (0x0)"]);
  });

  it("reports a wrong register value in decimal and hex", async () => {
    const suite = parseSuite({ name: "r", tests: [{ name: "a0", expect: { registers: { a0: -1, x0: 0 } } }] });
    const r = await gradeSubmission(suite, submission(`${LAB0}/submissions/fib.elf`), host());
    expect(r.tests[0]!.failures).toEqual(["register a0 is 55 (0x37), expected -1 (0xffffffffffffffff)"]);
  });
});

describe("output without end", () => {
  it("stops a bare-metal program that prints past the cap, and fails it saying so", async () => {
    // lui t0, 0x10000; li t1, 'x'; 1: sb t1, 0(t0); j 1b  -- the UART's THR, forever.
    const code = new Uint8Array([0xb7, 0x02, 0x00, 0x10, 0x13, 0x03, 0x80, 0x07, 0x23, 0x80, 0x62, 0x00, 0xf5, 0xbf]);
    const elf = buildElf({ segments: [{ vaddr: 0x8000_0000n, data: code }], symbols: [] });
    const suite = parseSuite({ name: "spam", defaults: { maxInstructions: 200_000_000 }, tests: [{ name: "quiet", expect: { stdout: "" } }] });
    const h = { ...host(), maxOutputBytes: 4096 };
    const r = await gradeSubmission(suite, { bytes: elf }, h);
    const t = r.tests[0]!;
    expect(t.failures).toEqual([expect.stringMatching(/^the program wrote more than 4096 bytes of output \(\d+ after \d+ instructions\)$/)]);
    expect(t.run.instructions).toBeLessThanOrEqual(1_000_000);
    expect(t.stdout).toMatch(/^x+$/);
  });
});

describe("refusals", () => {
  const code = async (p: Promise<unknown>) => p.then(() => "accepted", (e) => (e instanceof GradeError ? e.code : String(e)));

  it("refuses a submission of the wrong kind before running anything", async () => {
    expect(await code(grade(LAB1, "../../lab0-fib/submissions/fib.elf"))).toBe("wrong_submission_kind");
    expect(await code(grade(LAB0, "../../lab1-sum/submissions/sum.elf"))).toBe("wrong_submission_kind");
    const missing = parseSuite({ name: "m", tests: [{ name: "t", expect: { memory: { symbol: "nope", words: [1] } } }] });
    expect(await code(gradeSubmission(missing, submission(`${LAB0}/submissions/fib.elf`), host()))).toBe("wrong_submission_kind");
  });

  it("grades assembly sources through the host's assembler hook", async () => {
    const source = new TextEncoder().encode("  .globl _start\n_start:\n  call fib_main\n");
    const h = { ...host(), assemble: async (files: { name: string; text: string }[]) => {
      expect(files).toEqual([{ name: "fib.s", text: "  .globl _start\n_start:\n  call fib_main\n" }]);
      return new Uint8Array(readFileSync(`${LAB0}/submissions/fib.elf`));
    } };
    const r = await gradeSubmission(suiteOf(LAB0), { bytes: source, name: "fib.s" }, h);
    expect(r).toMatchObject({ score: 3.5, submission: { kind: "bare-metal", bytes: source.length, assembled: true } });
  });

  it("refuses what is not a program, and leaves hooks for assembly and kernels", async () => {
    const suite = suiteOf(LAB1);
    expect(await code(gradeSubmission(suite, { bytes: new TextEncoder().encode("hello") }, host()))).toBe("invalid_submission");
    expect(await code(gradeSubmission(suite, { bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1]) }, host()))).toBe("invalid_submission");
    const asm = new TextEncoder().encode("  .globl _start\n_start:\n  li a0, 1\n");
    expect(await code(gradeSubmission(suite, { bytes: asm, name: "sum.s" }, host()))).toBe("unsupported_submission");
    expect(await code(gradeSubmission(suite, { kind: "kernel", kernel: new Uint8Array(4) }, host()))).toBe("unsupported_submission");
  });
});

describe("console-expect steps", () => {
  it("sends input and waits for output, for a Linux program", async () => {
    const suite = parseSuite({
      name: "cat",
      tests: [
        { name: "echoes", steps: [{ send: "hello\n" }, { expect: "^hello\\n", within: 200000 }, { send: "again\n" }, { expect: "again", within: 200000 }] },
        { name: "never says it", steps: [{ send: "hello\n" }, { expect: "goodbye", within: 200000 }] },
      ],
    });
    const r = await gradeSubmission(suite, submission("tests/guest/linux/bin/cat"), host());
    expect(r.tests[0]!.failures).toEqual([]);
    expect(r.tests[0]!.stdout).toBe("hello\nagain\n");
    expect(r.tests[1]!.failures).toEqual(["step 2: /goodbye/ did not appear in the console output before the program waited for input"]);
  });

  it("drives a bare-metal program's UART", async () => {
    const suite = parseSuite({
      name: "echo",
      defaults: { maxInstructions: 2_000_000 },
      tests: [
        { name: "upper-cases", steps: [{ send: "abc" }, { expect: "ABC", within: 1_000_000 }] },
        { name: "too soon", steps: [{ send: "abc" }, { expect: "ABC", within: 10 }] },
      ],
    });
    const r = await gradeSubmission(suite, submission("tests/guest/cli/echo.elf"), host());
    expect(r.tests[0]!.failures).toEqual([]);
    expect(r.tests[1]!.failures).toEqual(["step 2: /ABC/ did not appear in the console output before 10 instructions passed"]);
  });
});
