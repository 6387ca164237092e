// The suite: a course's tests for one assignment, as JSON. This schema is a
// contract (issue 14: checks outside the repository rely on these field
// names); `GET /v1/grade/schema` serves its JSON Schema, generated from it.
import { z } from "zod";
import { GradeError } from "./errors.ts";

/** Size limits of a suite: a suite is input from outside, so every part of it is bounded. */
export const SUITE_LIMITS = {
  tests: 200,
  nameChars: 200,
  /** Bytes of one test's stdin, and of one file's content (as text or base64). */
  inputChars: 1 << 20,
  args: 64,
  argChars: 4096,
  envEntries: 64,
  files: 16,
  /** One regex's source. */
  regexChars: 1000,
  /** Expected registers and memory words of one test. */
  registers: 33,
  memoryWords: 4096,
  steps: 200,
  points: 1_000_000,
} as const;

const L = SUITE_LIMITS;

const Name = z.string().min(1).max(L.nameChars);
const Regex = z.string().max(L.regexChars).describe("A JavaScript regular expression (no flags), which must match somewhere in the text.");
const Budget = z.number().int().positive().describe("Retired instructions (the unit of every edgevm budget; never wall-clock time).");

/** A guest file's content: UTF-8 text, or bytes as base64. */
export const FileContent = z.union([
  z.string().max(L.inputChars),
  z.strictObject({ base64: z.string().max(L.inputChars) }),
]);

const GuestPath = z
  .string()
  .max(4096)
  .regex(/^\//, "a guest path is absolute")
  .refine((p) => !p.includes("\0") && !p.split("/").includes(".."), "a guest path has no NUL and no '..' parts");

/** A register's expected value: an integer, or a string in decimal or 0x-hex (64-bit values exceed JSON's safe integers). */
const RegisterValue = z.union([
  z.number().int().refine(Number.isSafeInteger, "beyond 2^53 write the value as a string"),
  z.string().regex(/^(-?[0-9]+|0x[0-9a-fA-F]+)$/, "a decimal or 0x-hex integer"),
]);

export const REGISTER_NAMES = [
  "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
  "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
] as const;

/** x0..x31, the ABI names (RISC-V psABI, "Integer Register Convention"), fp for s0, and pc. */
export function registerIndex(name: string): number | "pc" | undefined {
  if (name === "pc") return "pc";
  if (name === "fp") return 8;
  const x = /^x([0-9]|[12][0-9]|3[01])$/.exec(name);
  if (x) return Number(x[1]);
  const i = (REGISTER_NAMES as readonly string[]).indexOf(name);
  return i < 0 ? undefined : i;
}

const Expect = z
  .strictObject({
    stdout: z.string().max(L.inputChars).optional().describe("The whole stdout (after normalize)."),
    stdoutMatches: Regex.optional(),
    stdoutContains: z.string().max(L.inputChars).optional(),
    stderr: z.string().max(L.inputChars).optional(),
    stderrMatches: Regex.optional(),
    stderrContains: z.string().max(L.inputChars).optional(),
    exitCode: z.number().int().min(0).max(255).optional().describe("A Linux program's exit status (128+N when signal N killed it), or a bare-metal program's HTIF / test-finisher code."),
    files: z.record(GuestPath, FileContent).optional().describe("Guest files and their contents after the run (Linux programs)."),
    registers: z
      .record(z.string().refine((r) => registerIndex(r) !== undefined, "a register name: x0..x31, an ABI name (a0, sp, ...) or pc"), RegisterValue)
      .optional()
      .describe("Integer registers when the program stops, compared modulo 2^64 (bare-metal and assembly programs)."),
    memory: z
      .strictObject({
        symbol: z.string().min(1).max(L.nameChars),
        words: z.array(z.number().int().min(-(2 ** 31)).max(2 ** 32 - 1)).min(1).max(L.memoryWords),
      })
      .optional()
      .describe("32-bit words at an ELF symbol when the program stops, compared modulo 2^32 (bare-metal and assembly programs)."),
  })
  .refine((e) => e.registers === undefined || Object.keys(e.registers).length <= L.registers, "too many registers");

/** One console-expect step, as xv6's gradelib drives QEMU: type a line, or wait for output. */
const Step = z.union([
  z.strictObject({ send: z.string().max(L.inputChars).describe("Bytes for the guest's console input.") }),
  z.strictObject({
    expect: Regex.describe("A regex the console output since the test started must match..."),
    within: Budget.describe("...within this many instructions of this step."),
  }),
]);

export const Visibility = z.enum(["visible", "hidden", "after_due_date", "after_published"]);
export const Normalize = z.enum(["trailing-whitespace", "whitespace", "none"]);

export const TestSpec = z.strictObject({
  name: Name,
  points: z.number().min(0).max(L.points).default(1).describe("Points for passing every expectation; fractional points are fine."),
  stdin: z.string().max(L.inputChars).optional().describe("A Linux program's stdin (then end-of-file), or a bare-metal program's UART input."),
  args: z.array(z.string().max(L.argChars)).max(L.args).optional().describe("Arguments after argv[0] (Linux programs)."),
  env: z.record(z.string().min(1).max(L.argChars).regex(/^[^=\0]+$/), z.string().max(L.argChars)).optional(),
  files: z.record(GuestPath, FileContent).optional().describe("Files placed in the guest file system before the start (Linux programs)."),
  maxInstructions: Budget.optional().describe("This test's instruction budget (default: the suite's defaults.maxInstructions)."),
  expect: Expect.default({}),
  steps: z.array(Step).max(L.steps).optional().describe("Console-expect steps, run after stdin; each expect must match within its budget."),
  normalize: Normalize.default("none").describe("How stdout, stderr and files are compared: trailing-whitespace strips it at each line's end and at the end; whitespace collapses every run to one space."),
  visibility: Visibility.default("visible"),
});

export const SuiteSpec = z.strictObject({
  name: Name,
  defaults: z
    .strictObject({
      maxInstructions: Budget.default(10_000_000),
      ramMiB: z.number().int().min(1).max(2048).default(64).describe("Guest RAM in MiB."),
    })
    .default({ maxInstructions: 10_000_000, ramMiB: 64 }),
  tests: z.array(TestSpec).min(1).max(L.tests),
});

export type Suite = z.infer<typeof SuiteSpec>;
export type Test = z.infer<typeof TestSpec>;
export type Expectations = Test["expect"];
export type Step = z.infer<typeof Step>;

/** What the host allows (the CLI's defaults are generous; the service's come from its configuration). */
export interface SuiteLimits {
  maxInstructionsPerTest: number;
  maxRamMiB: number;
}

export const DEFAULT_SUITE_LIMITS: SuiteLimits = { maxInstructionsPerTest: 10_000_000_000, maxRamMiB: 2048 };

/** The JSON Schema of a suite, as `GET /v1/grade/schema` serves it. */
export function suiteJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(SuiteSpec, { io: "input" }),
    $id: "https://edgevm.dev/schemas/grade-suite.json",
    title: "edgevm grading suite",
  };
}

/**
 * Checks a parsed JSON value as a suite: the schema, then what a schema
 * cannot say (unique test names, regexes that compile, budgets within the
 * host's limits). Throws GradeError with the code of the first problem.
 */
export function parseSuite(value: unknown, limits: SuiteLimits = DEFAULT_SUITE_LIMITS): Suite {
  const parsed = SuiteSpec.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    const tooBig = issue.code === "too_big";
    throw new GradeError(tooBig ? "suite_too_large" : "invalid_suite", `suite: ${where}${issue.message}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path, code: i.code, message: i.message })),
    });
  }
  const suite = parsed.data;
  const names = new Set<string>();
  for (const [i, test] of suite.tests.entries()) {
    if (names.has(test.name)) throw new GradeError("invalid_suite", `suite: tests.${i}.name: ${JSON.stringify(test.name)} names two tests`);
    names.add(test.name);
    for (const [field, source] of regexesOf(test)) compileRegex(source, `tests.${i}.${field}`);
    for (const content of [...Object.values(test.files ?? {}), ...Object.values(test.expect.files ?? {})]) fileBytes(content, `tests.${i}`);
  }
  checkLimits(suite, limits);
  return suite;
}

/** The suite's JSON text parsed and checked (a syntax error is invalid_suite too). */
export function parseSuiteText(text: string, limits?: SuiteLimits): Suite {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new GradeError("invalid_suite", `the suite is not JSON: ${(e as Error).message}`);
  }
  return parseSuite(value, limits);
}

function* regexesOf(test: Test): Generator<[string, string]> {
  if (test.expect.stdoutMatches !== undefined) yield ["expect.stdoutMatches", test.expect.stdoutMatches];
  if (test.expect.stderrMatches !== undefined) yield ["expect.stderrMatches", test.expect.stderrMatches];
  for (const [j, step] of (test.steps ?? []).entries()) if ("expect" in step) yield [`steps.${j}.expect`, step.expect];
}

export function compileRegex(source: string, where: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new GradeError("invalid_regex", `suite: ${where}: ${JSON.stringify(source)} does not compile: ${(e as Error).message}`);
  }
}

function checkLimits(suite: Suite, limits: SuiteLimits): void {
  if (suite.defaults.ramMiB > limits.maxRamMiB) {
    throw new GradeError("memory_too_large", `suite: defaults.ramMiB ${suite.defaults.ramMiB} is above the limit of ${limits.maxRamMiB}`);
  }
  const budgets: [string, number][] = [["defaults.maxInstructions", suite.defaults.maxInstructions]];
  suite.tests.forEach((t, i) => {
    if (t.maxInstructions !== undefined) budgets.push([`tests.${i}.maxInstructions`, t.maxInstructions]);
    (t.steps ?? []).forEach((s, j) => "within" in s && budgets.push([`tests.${i}.steps.${j}.within`, s.within]));
  });
  for (const [where, budget] of budgets) {
    if (budget > limits.maxInstructionsPerTest) {
      throw new GradeError("budget_too_large", `suite: ${where} ${budget} is above the limit of ${limits.maxInstructionsPerTest} instructions per test`);
    }
  }
}

/** A test's budget: its own, or the suite's default. */
export function budgetOf(suite: Suite, test: Test): number {
  return test.maxInstructions ?? suite.defaults.maxInstructions;
}

/** A file content as bytes. */
export function fileBytes(content: z.infer<typeof FileContent>, where = "a file"): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  let binary: string;
  try {
    binary = atob(content.base64);
  } catch {
    throw new GradeError("invalid_suite", `suite: ${where}: a file's base64 does not decode`);
  }
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** The suite without hidden tests' details, for people who may not see them (the service's GET for another token). */
export function publicView(suite: Suite): Suite {
  return { ...suite, tests: suite.tests.filter((t) => t.visibility === "visible") };
}
