// Grading one submission: boot it once per launch (the args, env, files and
// RAM its tests start with; most suites have one), persist that as the
// launch's snapshot, and run every test as a fork of it: restore, give the
// test's stdin, persist (the test's start snapshot), run within its
// instruction budget (or its console-expect steps), persist (its end
// snapshot), compare. A test that spends its budget or crashes fails alone;
// the others run from the same untouched snapshot.
import type { MachineStatus } from "../vm/guest-layer.ts";
import { checkExpectations, type Observed } from "./checks.ts";
import { GradeError } from "./errors.ts";
import {
  bootLaunch, guestFile, LiveMachine, readSubmission, readWords, restoreMachine, signalName, symbolAddress,
  type Assemble, type Launch, type ObjectId, type ObjectStore, type RestoredMachine, type SnapshotOptions, type Submission, type SubmissionInput,
} from "./machines.ts";
import { REPORT_FORMAT, sumPoints, type Report, type RunOutcome, type TestResult } from "./report.ts";
import { budgetOf, compileRegex, fileBytes, type Step, type Suite, type Test } from "./suite.ts";
import { stableJson, sha256Hex } from "./ids.ts";

export interface GradeHost {
  store: ObjectStore;
  options: SnapshotOptions;
  /** What a result says to reproduce a test from its start snapshot. */
  reproduce(start: ObjectId, end: ObjectId, budget: number): TestResult["reproduce"];
  /** Cap of a test's stdout and stderr together, and of a Linux program's each (beyond it the test fails); default 1 MiB. */
  maxOutputBytes?: number;
  /** Output kept in the report per stream; default 64 KiB. */
  reportOutputBytes?: number;
  /** Called after each test. */
  progress?(done: number, total: number): void;
  /** Called once a test's start snapshot is persisted, before it runs (a batch records it, to retry from it). */
  started?(test: string, start: ObjectId): Promise<void>;
  /** The assembler, for assembly-source submissions (src/grade/machines.ts, Assemble); without it they are unsupported. */
  assemble?: Assemble;
}

/** Console-expect steps run in slices this long, so a match is noticed soon after the output appears. */
export const STEP_SLICE = 100_000;

/** Which tests to run: all, or those named (`edgevm grade --test NAME`). */
export function selectTests(suite: Suite, names?: readonly string[]): Test[] {
  if (!names || names.length === 0) return suite.tests;
  for (const name of names) {
    if (!suite.tests.some((t) => t.name === name)) throw new GradeError("invalid_suite", `the suite has no test named ${JSON.stringify(name)}`);
  }
  return suite.tests.filter((t) => names.includes(t.name));
}

export async function gradeSubmission(suite: Suite, input: SubmissionInput, host: GradeHost, only?: readonly string[]): Promise<Report> {
  const submission = await checkSubmission(suite, input, only, host.assemble);
  const tests = selectTests(suite, only);
  const bases = new Map<string, ObjectId>();
  const results: TestResult[] = [];
  for (const test of tests) {
    const launch = launchOf(suite, test, host);
    const files = await Promise.all(launch.files.map(async (f) => [f.path, await sha256Hex(f.data)]));
    const key = stableJson({ ...launch, files });
    let base = bases.get(key);
    if (base === undefined) {
      base = await bootSnapshot(submission, launch, host);
      bases.set(key, base);
    }
    results.push(await runTest(suite, test, submission, base, host));
    host.progress?.(results.length, tests.length);
  }
  return buildReport(suite, await suiteId(suite), await submissionInfo(submission), results);
}

/** Reads a submission and checks that every (selected) test applies to it, running nothing: GradeError when not. */
export async function checkSubmission(suite: Suite, input: SubmissionInput, only?: readonly string[], assemble?: Assemble): Promise<Submission> {
  const submission = await readSubmission(input, assemble);
  for (const test of selectTests(suite, only)) checkApplies(test, submission);
  return submission;
}

export async function submissionInfo(submission: Submission): Promise<Report["submission"]> {
  return {
    kind: submission.kind, sha256: await sha256Hex(submission.submitted), bytes: submission.submitted.length,
    ...(submission.assembled && { assembled: true }),
  };
}

/** A report from test results in any order (a batch collects them from many consumers): ordered as the suite, numbered from 1. */
export function buildReport(suite: Suite, id: string, submission: Report["submission"], results: readonly TestResult[]): Report {
  const number = new Map(suite.tests.map((t, i) => [t.name, i + 1]));
  const tests = results.map((r) => ({ ...r, number: number.get(r.name)! })).sort((a, b) => a.number - b.number);
  return {
    format: REPORT_FORMAT,
    suite: { name: suite.name, id },
    submission,
    score: sumPoints(tests.map((r) => r.score)),
    maxScore: sumPoints(tests.map((r) => r.maxScore)),
    passed: tests.filter((r) => r.status === "passed").length,
    failed: tests.filter((r) => r.status === "failed").length,
    tests,
  };
}

/** The id of a suite: the SHA-256 of its JSON with defaults applied and keys sorted (content-addressed, as stored by the service). */
export async function suiteId(suite: Suite): Promise<string> {
  return sha256Hex(new TextEncoder().encode(stableJson(suite)));
}

/** Tests that cannot apply to this kind of program are refused before anything runs. */
function checkApplies(test: Test, submission: Submission): void {
  const where = `test ${JSON.stringify(test.name)}`;
  if (submission.kind === "bare-metal") {
    const linuxOnly = (["args", "env", "files"] as const).filter((k) => test[k] !== undefined && Object.keys(test[k]!).length > 0);
    if (test.expect.files) linuxOnly.push("expect.files" as never);
    if (test.expect.stderr !== undefined || test.expect.stderrContains !== undefined || test.expect.stderrMatches !== undefined) linuxOnly.push("expect.stderr" as never);
    if (linuxOnly.length > 0) {
      throw new GradeError("wrong_submission_kind", `${where}: ${linuxOnly.join(", ")} need a Linux program, and the submission is a bare-metal ELF`);
    }
  } else {
    const bareOnly = (["registers", "memory"] as const).filter((k) => test.expect[k] !== undefined);
    if (bareOnly.length > 0) {
      throw new GradeError("wrong_submission_kind", `${where}: expect.${bareOnly.join(", expect.")} need a bare-metal (or assembly) program, and the submission is a Linux program`);
    }
  }
  if (test.expect.memory) symbolAddress(submission, test.expect.memory.symbol);
}

function launchOf(suite: Suite, test: Test, host: GradeHost): Launch {
  return {
    args: test.args ?? [],
    env: test.env ?? {},
    files: Object.keys(test.files ?? {}).sort().map((path) => ({ path, data: fileBytes(test.files![path]!) })),
    ramMiB: suite.defaults.ramMiB,
    outputLimit: host.maxOutputBytes ?? 1 << 20,
  };
}

async function bootSnapshot(submission: Submission, launch: Launch, host: GradeHost): Promise<ObjectId> {
  const machine = await LiveMachine.boot(await bootLaunch(submission, launch, host.options), host.options);
  const id = await machine.persist(host.store, null);
  machine.release();
  return id;
}

async function runTest(suite: Suite, test: Test, submission: Submission, base: ObjectId, host: GradeHost): Promise<TestResult> {
  const { machine, layer } = await restoreMachine(host.store, base, host.options);
  const stdin = new TextEncoder().encode(test.stdin ?? "");
  // With steps, stdin stays open: the steps send more.
  machine.input(stdin, test.steps === undefined);
  const start = await machine.persist(host.store, base);
  await host.started?.(test.name, start);
  return finishTest(suite, test, submission, machine, layer, start, host);
}

/**
 * Runs one test again from its start snapshot, as recorded by an earlier
 * attempt (a batch consumer that died after persisting it): the same
 * snapshot, budget and steps give the same result, so the retry is the run.
 */
export async function retryTest(suite: Suite, input: SubmissionInput, name: string, start: ObjectId, host: GradeHost): Promise<Report> {
  const submission = await checkSubmission(suite, input, [name], host.assemble);
  const test = selectTests(suite, [name])[0]!;
  const { machine, layer } = await restoreMachine(host.store, start, host.options);
  const result = await finishTest(suite, test, submission, machine, layer, start, host);
  return buildReport(suite, await suiteId(suite), await submissionInfo(submission), [result]);
}

async function finishTest(
  suite: Suite, test: Test, submission: Submission, machine: LiveMachine, layer: RestoredMachine["layer"], start: ObjectId, host: GradeHost,
): Promise<TestResult> {
  const budget = budgetOf(suite, test);
  const console = new ConsoleText();
  const failures: string[] = [];
  let status: MachineStatus;
  let gaveUp = false;
  if (test.steps) {
    ({ status, gaveUp } = await runSteps(machine, test.steps, budget, console, failures));
  } else {
    status = await runCapped(machine, budget, console, host.maxOutputBytes ?? 1 << 20);
    const written = console.stdout.length + console.stderr.length;
    if (status.kind === "running" && machine.counters.cycles < budget) {
      failures.push(`the program wrote more than ${host.maxOutputBytes ?? 1 << 20} bytes of output (${written} after ${machine.counters.instructions} instructions)`);
      gaveUp = true;
    }
  }
  const end = await machine.persist(host.store, start);
  const run = outcome(status, machine.counters.instructions, budget);
  const problem = gaveUp ? null : runProblem(status, budget, machine.counters.cycles);
  if (problem) failures.unshift(problem);
  if (!problem && !gaveUp) {
    const stopped = status.kind === "exited" || status.kind === "halted";
    const words = test.expect.memory
      ? await readWords(host.store, end, symbolAddress(submission, test.expect.memory.symbol), test.expect.memory.words.length)
      : null;
    const seen: Observed = {
      stdout: console.stdout.text(),
      stderr: console.stderr.text(),
      exitCode: stopped ? (status as { exitCode: number }).exitCode : null,
      register: (i) => (i === "pc" ? machine.core.getPc() : machine.core.getX(i)),
      file: (path) => guestFile(layer, path),
      memoryWords: words,
    };
    failures.push(...checkExpectations(test.expect, test.normalize, seen));
  }
  machine.release();
  const keep = host.reportOutputBytes ?? 64 << 10;
  const passed = failures.length === 0;
  return {
    number: 0,
    name: test.name,
    visibility: test.visibility,
    maxScore: test.points,
    score: passed ? test.points : 0,
    status: passed ? "passed" : "failed",
    failures,
    run,
    stdout: console.stdout.text(keep),
    stderr: console.stderr.text(keep),
    outputTruncated: console.stdout.length > keep || console.stderr.length > keep,
    start,
    end,
    reproduce: host.reproduce(start, end, budget),
  };
}

/** Output is looked at every this many instructions: a program that prints without end is stopped within one slice of its cap. */
export const OUTPUT_SLICE = 1_000_000;

/**
 * Runs the whole budget in slices (the same final state as one run, docs/architecture.md
 * invariant 2), stopping early once stdout and stderr together pass `cap`: a
 * bare-metal console has no cap of its own, and its output waits in memory.
 */
async function runCapped(machine: LiveMachine, budget: number, console: ConsoleText, cap: number): Promise<MachineStatus> {
  let status: MachineStatus = machine.status;
  for (;;) {
    const left = budget - machine.counters.cycles;
    if (left <= 0) return status;
    status = await machine.run(BigInt(Math.min(left, OUTPUT_SLICE)));
    console.add(machine);
    if (status.kind !== "running" || console.stdout.length + console.stderr.length > cap) return status;
  }
}

/**
 * Console-expect steps (xv6's gradelib): `send` gives the guest console
 * input; `expect` runs until the console output after the previous match
 * matches, failing when `within` instructions pass first, the program stops
 * or waits for input, or the test's whole budget is spent.
 */
async function runSteps(
  machine: LiveMachine, steps: readonly Step[], budget: number, console: ConsoleText, failures: string[],
): Promise<{ status: MachineStatus; gaveUp: boolean }> {
  let status: MachineStatus = machine.status;
  let cursor = 0;
  for (const [j, step] of steps.entries()) {
    if ("send" in step) {
      machine.input(new TextEncoder().encode(step.send), false);
      status = machine.status;
      continue;
    }
    const re = compileRegex(step.expect, `steps.${j}.expect`);
    const stepStart = machine.counters.cycles;
    for (;;) {
      const text = console.merged();
      const m = re.exec(text.slice(cursor));
      if (m) {
        cursor += m.index + m[0].length;
        break;
      }
      const spent = machine.counters.cycles;
      const left = Math.min(step.within - (spent - stepStart), budget - spent);
      const stopped = status.kind !== "running";
      if (stopped || left <= 0) {
        if (budget - spent <= 0) return { status, gaveUp: false }; // runProblem reports the budget
        const why = stopped ? `the program ${status.kind === "waiting-input" ? "waited for input" : "stopped"}` : `${step.within} instructions passed`;
        failures.push(`step ${j + 1}: /${step.expect}/ did not appear in the console output before ${why}`);
        return { status, gaveUp: true };
      }
      status = await machine.run(BigInt(Math.min(left, STEP_SLICE)));
      console.add(machine);
    }
  }
  return { status, gaveUp: false };
}

function outcome(status: MachineStatus, instructions: number, budget: number): RunOutcome {
  const exited = status.kind === "exited" || status.kind === "halted";
  const signal = status.kind === "exited" && status.signal !== undefined ? status.signal : null;
  const reason = status.kind === "fault" || status.kind === "exited" ? status.reason : undefined;
  return {
    status: status.kind, exitCode: exited ? status.exitCode : null, signal, ...(reason ? { reason } : {}), instructions, budget,
  };
}

/** Why a run itself failed (before any expectation is looked at), or null. */
function runProblem(status: MachineStatus, budget: number, spent: number): string | null {
  // After console-expect steps a machine may still run: that is a failure only when the budget is gone.
  if (status.kind === "running" && spent >= budget) return `instruction budget of ${budget} spent`;
  if (status.kind === "exited" && status.signal !== undefined) {
    return `killed by ${signalName(status.signal)}${status.reason ? `: ${status.reason}` : ""}`;
  }
  if (status.kind === "fault") return `the machine stopped: ${status.reason}`;
  return null;
}

/** A test's console output, stdout and stderr apart and merged in the order written. */
class ConsoleText {
  readonly stdout = new StreamText();
  readonly stderr = new StreamText();
  private mergedText = "";
  private readonly decoder = new TextDecoder();

  add(machine: LiveMachine): void {
    for (const segment of machine.takeOutputSegments()) {
      (segment.stream === "stderr" ? this.stderr : this.stdout).add(segment.bytes);
      this.mergedText += this.decoder.decode(segment.bytes, { stream: true });
    }
  }

  merged(): string {
    return this.mergedText;
  }
}

class StreamText {
  private parts: Uint8Array[] = [];
  length = 0;

  add(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  /** The text, or its first `limit` bytes. */
  text(limit = Infinity): string {
    const out = new Uint8Array(Math.min(this.length, limit));
    let at = 0;
    for (const p of this.parts) {
      if (at >= out.length) break;
      const part = p.subarray(0, out.length - at);
      out.set(part, at);
      at += part.length;
    }
    return new TextDecoder().decode(out);
  }
}
