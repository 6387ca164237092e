// Linux programs (process mode) through step(): running in one go and running
// as many quanta, with a full persist and a fresh restore between every two,
// give the same output and the same snapshot id — for quanta of 1,000 and
// 100,000 instructions, for quanta that end while the guest waits for stdin,
// and across signals, page faults and C++ exceptions. The corpus programs
// and their expected outputs are tests/guest/linux's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  createSnapshot, MemoryStore, readManifest, step, type ObjectStore, type StepInput, type StepResult,
} from "../../src/snapshot/index.ts";
import type { MachineStatus } from "../../src/vm/guest-layer.ts";
import { MachineError } from "../../src/vm/core-abi.ts";
import { LoadError } from "../../src/vm/linux/memory/loader.ts";
import { LinuxProcess, type LinuxConfig } from "../../src/vm/linux/process.ts";
import { linuxLayerCodec, prepareLinuxMachine } from "../../src/vm/linux/linux-layer.ts";

// The project's global types are Workers', where Module cannot be constructed; Node can.
const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const core = new compile(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const options = { core, layers: [linuxLayerCodec] };
const BIN = "tests/guest/linux/bin";
const file = (name: string) => new Uint8Array(readFileSync(new URL(`../../${BIN}/${name}`, import.meta.url)));
const expected = (name: string) => readFileSync(new URL(`../../${BIN}/${name}`, import.meta.url), "latin1");
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

/** A corpus case as the conformance test runs it: argv[0] is the program's path. */
function config(name: string, over: Partial<LinuxConfig> = {}): LinuxConfig {
  const [program, variant] = name.split("@");
  const args = variant ? readFileSync(new URL(`../../${BIN}/${name}.args`, import.meta.url), "utf8").split("\n").filter((l) => l !== "") : [];
  return { args: [`${BIN}/${program}`, ...args], memoryLimit: 32 << 20, ...over };
}

const machine = (name: string, over?: Partial<LinuxConfig>) => prepareLinuxMachine(core, file(name.split("@")[0]!), config(name, over));

interface Run {
  id: string;
  stdout: string;
  stderr: string;
  status: MachineStatus;
  quanta: number;
}

function collect(run: Run, r: StepResult): void {
  for (const s of r.segments) run[s.stream] += latin1(s.bytes);
  run.id = r.snapshotId;
  run.status = r.status;
  run.quanta++;
}

/** One step of `budget` from a new machine. */
async function oneGo(name: string, budget = 1n << 40n, input: StepInput = {}, over?: Partial<LinuxConfig>): Promise<Run> {
  const run: Run = { id: "", stdout: "", stderr: "", status: { kind: "running" }, quanta: 0 };
  collect(run, await step(await machine(name, over), input, budget, new MemoryStore(), options));
  return run;
}

/**
 * Steps of `quantum` (the first one `first`) from the new machine's snapshot
 * until it stops or `total` is spent; `feed` gives the input of the step
 * after one that ended waiting for input.
 */
async function inQuanta(
  name: string,
  quantum: bigint,
  { total = 1n << 40n, first = quantum, over, feed }: { total?: bigint; first?: bigint; over?: Partial<LinuxConfig>; feed?: () => StepInput } = {},
): Promise<Run> {
  const store: ObjectStore = new MemoryStore();
  const run: Run = { id: await createSnapshot(await machine(name, over), store, options), stdout: "", stderr: "", status: { kind: "running" }, quanta: 0 };
  let input: StepInput = {};
  for (let spent = 0n; spent < total; ) {
    const next = run.quanta === 0 ? first : quantum;
    const budget = total - spent < next ? total - spent : next;
    const r = await step(run.id, input, budget, store, options);
    collect(run, r);
    spent += BigInt(r.counters.cycles);
    input = {};
    if (r.status.kind === "waiting-input" && feed) input = feed();
    else if (r.status.kind !== "running") break;
    if (run.quanta > 10_000) throw new Error("the guest did not stop");
  }
  return run;
}

function expectSame(split: Run, whole: Run, what: string): void {
  expect(split.stdout, what).toBe(whole.stdout);
  expect(split.stderr, what).toBe(whole.stderr);
  expect(split.status, what).toEqual(whole.status);
  expect(split.id, what).toBe(whole.id);
}

describe("Linux programs through snapshots: one go and many quanta end in the same snapshot", () => {
  it("hello, quanta of 1,000 and 100,000", async () => {
    const whole = await oneGo("hello");
    expect(whole.stdout).toBe(expected("hello.stdout"));
    expect(whole.status).toEqual({ kind: "exited", exitCode: 0 });
    for (const quantum of [1000n, 100_000n]) expectSame(await inQuanta("hello", quantum), whole, `quantum ${quantum}`);
  });

  it("files (file I/O): quanta of 100,000 to the end, of 1,000 for the first 50,000 instructions", async () => {
    const whole = await oneGo("files");
    expect(whole.stdout).toBe(expected("files.stdout"));
    expect(whole.stderr).toBe(expected("files.stderr"));
    expectSame(await inQuanta("files", 100_000n), whole, "quantum 100,000");
    expectSame(await inQuanta("files", 1000n, { total: 50_000n }), await oneGo("files", 50_000n), "quantum 1,000");
  });

  it("malloc (page faults, brk, mmap): quanta of 100,000 and 1,000 over its first 2,000,000 and 40,000 instructions", async () => {
    const whole = await oneGo("malloc", 2_000_000n);
    expect(whole.status).toEqual({ kind: "running" });
    expectSame(await inQuanta("malloc", 100_000n, { total: 2_000_000n }), whole, "quantum 100,000");
    expectSame(await inQuanta("malloc", 1000n, { total: 40_000n }), await oneGo("malloc", 40_000n), "quantum 1,000");
  });

  it("compute (floating point, libm, setjmp): quanta of 1,000,000 to the end, of 100,000 and 1,000 over its first part", async () => {
    const whole = await oneGo("compute");
    expect(whole.stdout).toBe(expected("compute.stdout"));
    expectSame(await inQuanta("compute", 1_000_000n), whole, "quantum 1,000,000");
    expectSame(await inQuanta("compute", 100_000n, { total: 2_000_000n }), await oneGo("compute", 2_000_000n), "quantum 100,000");
    expectSame(await inQuanta("compute", 1000n, { total: 30_000n }), await oneGo("compute", 30_000n), "quantum 1,000");
  });

  // cxx spends its first 9M instructions starting iostream up; its exceptions and its read of stdin come after.
  it("cxx (C++ exceptions, iostream): quanta of 100,000 from 9,000,000 on, one ending while it waits for stdin", async () => {
    const stdin = file("cxx.stdin");
    const whole = await oneGo("cxx", 1n << 40n, {}, { stdin });
    expect(whole.stdout).toBe(expected("cxx.stdout"));
    expect(whole.stderr).toBe(expected("cxx.stderr"));
    expect(whole.status).toEqual({ kind: "exited", exitCode: 0 });
    let waits = 0;
    const split = await inQuanta("cxx", 100_000n, {
      first: 9_000_000n,
      over: { stdinClosed: false },
      feed: () => (waits++ === 0 ? { console: stdin, consoleEnd: true } : {}),
    });
    expect(waits).toBe(1);
    expectSame(split, whole, "stdin after a wait");
  });

  it("cat: stdin in pieces, each after a wait, then end-of-file", async () => {
    const stdin = file("cat.stdin");
    const pieces = [stdin.subarray(0, 5), stdin.subarray(5, 9), stdin.subarray(9)];
    const feed = () => (pieces.length > 0 ? { console: pieces.shift()! } : { consoleEnd: true });
    const split = await inQuanta("cat", 1000n, { over: { stdinClosed: false }, feed });
    expect(split.stdout).toBe(expected("cat.stdout"));
    expect(split.status).toEqual({ kind: "exited", exitCode: 0 });
    // Reading in pieces is another run (more read calls): compare with LinuxProcess given the same pieces.
    const p = await LinuxProcess.create(core, file("cat"), config("cat", { stdinClosed: false }));
    const again = [stdin.subarray(0, 5), stdin.subarray(5, 9), stdin.subarray(9)];
    let out = "";
    for (let r = p.run(1n << 40n); ; r = p.run(1n << 40n)) {
      out += latin1(r.stdout);
      if (r.status !== "waiting-input") break;
      const next = again.shift();
      if (next) p.pushStdin(next);
      else p.closeStdin();
    }
    expect(split.stdout).toBe(out);
  });

  it("exit@alarm: SIGALRM lands on the same instruction however the run is cut", async () => {
    const whole = await oneGo("exit@alarm");
    expect(whole.stdout).toBe(expected("exit@alarm.stdout"));
    expect(whole.status).toEqual({ kind: "exited", exitCode: 142, signal: 14, reason: "raised by the kernel (a timer or a broken pipe)" });
    for (const quantum of [100_000n, 77_777n]) expectSame(await inQuanta("exit@alarm", quantum), whole, `quantum ${quantum}`);
  });

  it("exit@segv: a process killed by a signal exits with 128 + N and keeps the signal in the manifest", async () => {
    const whole = await oneGo("exit@segv");
    expect(whole.status).toMatchObject({ kind: "exited", exitCode: 139, signal: 11 });
    expect((whole.status as { reason: string }).reason).toMatch(/^read at 0x10, pc 0x/);
    const split = await inQuanta("exit@segv", 1000n);
    expectSame(split, whole, "quantum 1,000");
    // A stopped machine steps to itself.
    const store = new MemoryStore();
    const id = (await step(await machine("exit@segv"), {}, 1n << 40n, store, options)).snapshotId;
    const again = await step(id, { console: new Uint8Array([1]) }, 1000n, store, options);
    expect(again.snapshotId).toBe(id);
    const { manifest } = await readManifest(store, id);
    expect(manifest.status).toEqual(whole.status);
    expect(manifest.guest?.kind).toBe("linux/4");
    expect(manifest.machine.mode).toBe("process");
  });

  it("refuses bad programs and config as LinuxProcess.create does", async () => {
    await expect(prepareLinuxMachine(core, new Uint8Array([1, 2, 3]), { args: ["x"] })).rejects.toBeInstanceOf(LoadError);
    await expect(prepareLinuxMachine(core, file("hello"), { args: ["hello"], memoryLimit: 12345 })).rejects.toBeInstanceOf(MachineError);
    await expect(prepareLinuxMachine(core, file("hello"), { args: ["hello"], outputLimit: 1.5 })).rejects.toBeInstanceOf(MachineError);
    await expect(prepareLinuxMachine(core, file("hello"), { args: ["hello"], files: [{ path: "relative", data: new Uint8Array(1) }] })).rejects.toBeInstanceOf(LoadError);
  });

  it("an output cap is a fault with its reason", async () => {
    const capped = await oneGo("hello", 1n << 40n, {}, { outputLimit: 5 });
    expect(capped.stdout).toBe("Hello");
    expect(capped.status).toEqual({ kind: "fault", reason: "output limit: stdout exceeded 5 bytes" });
  });
});

// The scheduler's slices are counted in retired instructions and its state (the thread on the hart, the
// end of its slice, the run queue, every thread's registers and waits) travels in the layer state, so
// threads interleave the same way in one go and in quanta that end anywhere, mid-slice included.
describe("threads through snapshots: the schedule does not depend on how the run is cut", () => {
  it("threads (mutex, condition variables, barrier, rwlock, semaphores, sleeps): quanta of 250,000 to the end, of 1,000 over its first 150,000 instructions", async () => {
    const whole = await oneGo("threads");
    expect(whole.stdout).toBe(expected("threads.stdout"));
    expect(whole.status).toEqual({ kind: "exited", exitCode: 0 });
    expectSame(await inQuanta("threads", 250_000n), whole, "quantum 250,000");
    expectSame(await inQuanta("threads", 1000n, { total: 150_000n }), await oneGo("threads", 150_000n), "quantum 1,000");
  });

  it("atomics (C11 atomics contended, C11 threads, thread-local storage): quanta of 77,777 (never a slice's multiple), and of 1,000 over its first 100,000 instructions", async () => {
    const whole = await oneGo("atomics");
    expect(whole.stdout).toBe(expected("atomics.stdout"));
    expectSame(await inQuanta("atomics", 77_777n), whole, "quantum 77,777");
    expectSame(await inQuanta("atomics", 1000n, { total: 100_000n }), await oneGo("atomics", 100_000n), "quantum 1,000");
  });

  it("cxxthreads (std::thread, std::async, futures, thread_local): quanta of 100,000 to the end", async () => {
    const whole = await oneGo("cxxthreads");
    expect(whole.stdout).toBe(expected("cxxthreads.stdout"));
    expectSame(await inQuanta("cxxthreads", 100_000n), whole, "quantum 100,000");
  });

  it("a deadlock is a fault that names every blocked thread, however the run is cut", async () => {
    const whole = await oneGo("hangs/deadlock");
    expect(whole.stdout).toBe("both threads hold one lock and want the other\n");
    expect(whole.status).toMatchObject({ kind: "fault", reason: expect.stringMatching(/^deadlock: every thread waits for ever \(thread 1000: futex wait on 0x[0-9a-f]+; thread 1001: futex wait on 0x[0-9a-f]+\)/) });
    expectSame(await inQuanta("hangs/deadlock", 1000n), whole, "quantum 1,000");
  });
});


// Every process's memory, descriptors, threads and place in the process table travel in the layer state,
// and the hart moves between processes at the same instructions however the run is cut.
describe("processes through snapshots: fork, pipes and wait do not depend on how the run is cut", () => {
  it("forks (fork, wait4, pipes, kill, zombies): quanta of 1,000, 100,000 and 7,777 to the end", async () => {
    const whole = await oneGo("forks");
    expect(whole.stdout).toBe(expected("forks.stdout"));
    expect(whole.status).toEqual({ kind: "exited", exitCode: 0 });
    for (const quantum of [1000n, 100_000n, 7_777n]) expectSame(await inQuanta("forks", quantum), whole, `quantum ${quantum}`);
  });
});
