// `edgevm grade SUITE SUBMISSION` and `edgevm grade SUITE DIR/`: a suite
// (docs/grading.md) against one submission, printing a report, or against
// every file of a folder in parallel, printing a summary table (and a CSV).
import { readdir, readFile, stat, writeFile, mkdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import {
  FORMATS, GradeError, gradeLayers, gradeSubmission, isReportFormat, parseSuiteText, renderReport, suiteJsonSchema,
  type GradeHost, type Report, type ReportFormat, type Suite,
} from "../grade/index.ts";
import { MemoryStore, type ObjectStore } from "../snapshot/index.ts";
import { DirectoryStore } from "../snapshot/store-directory.ts";
import { CliError, describeFsError, usageError } from "./cli-error.ts";
import { loadCore } from "./load-core.ts";
import { fileOption, parseCommand, type CommandSyntax } from "./options.ts";

export interface GradeArgs {
  command: "grade";
  suite: string;
  submission: string;
  format: ReportFormat;
  output: string | null;
  tests: string[];
  store: string | null;
  /** Folder mode: parallel graders (default: the host's cores). */
  jobs: number | null;
  /** Folder mode: write each submission's report (in --format) into this folder. */
  reports: string | null;
  /** --schema: print the suite's JSON Schema instead of grading. */
  schema: boolean;
}

export interface GradeIo {
  stdout(bytes: Uint8Array): void;
  stderr(line: string): void;
  /** A progress line for a terminal (rewritten in place); absent when stderr is not a TTY. */
  progress?(text: string): void;
}

export const GRADE_USAGE = `Usage: edgevm grade SUITE SUBMISSION [options]
       edgevm grade SUITE DIR/ [options]
       edgevm grade --schema [-o FILE]

Runs the tests of SUITE (a JSON file, docs/grading.md) against SUBMISSION (a
static riscv64 Linux ELF or a bare-metal ELF). Every test starts from one
snapshot of the submission and runs within its instruction budget, so the
same suite and submission always give the same report.

With a folder, grades every file in it in parallel and prints one line per
submission (a summary table); -o FILE writes the table as CSV.

Options:
  --format F      text (default), json (everything), gradescope (Gradescope's
                  results.json), junit (JUnit XML) or html
  -o, --output FILE
                  write the report to FILE instead of stdout (a folder: the CSV)
  --test NAME     run only the test NAME (repeatable)
  --store DIR     keep every test's start and end snapshots in DIR, so that
                  the report's \`edgevm resume\` commands work as written
  --jobs N        a folder: graders in parallel (default: the number of cores)
  --reports DIR   a folder: also write each submission's report (in --format)
                  to DIR/NAME.EXT
  --schema        print the JSON Schema of a suite (as GET /v1/grade/schema)
  -h, --help      show this help

Exit status:
  0   every test passed (a folder: of every submission)
  1   some test failed (a folder: or a submission could not be graded)
  2   bad usage, a bad suite (schema, regex, budget) or a bad submission
      (not an ELF, the wrong kind for the suite), with a one-line error
  125 edgevm could not go on (an internal error)
`;

const HINT = " (see edgevm grade --help)";

const GRADE_SYNTAX: CommandSyntax<GradeArgs & { positionals: string[] }> = {
  hint: HINT,
  optionPrefix: "-",
  options: {
    "--format": {
      takesValue: true,
      apply: (g, v) => {
        if (!isReportFormat(v)) throw usageError(`--format must be one of ${FORMATS.join(", ")}, not '${v}'`);
        g.format = v;
      },
    },
    "-o": { takesValue: true, apply: (g, v) => (g.output = fileOption("-o", v)) },
    "--output": { takesValue: true, apply: (g, v) => (g.output = fileOption("--output", v)) },
    "--test": { takesValue: true, apply: (g, v) => g.tests.push(v) },
    "--schema": { takesValue: false, apply: (g) => (g.schema = true) },
    "--store": { takesValue: true, apply: (g, v) => (g.store = fileOption("--store", v)) },
    "--reports": { takesValue: true, apply: (g, v) => (g.reports = fileOption("--reports", v)) },
    "--jobs": {
      takesValue: true,
      apply: (g, v) => {
        if (!/^[1-9][0-9]{0,2}$/.test(v)) throw usageError(`--jobs must be a whole number from 1 to 999, not '${v}'`);
        g.jobs = Number(v);
      },
    },
  },
  positional: (g, arg) => g.positionals.push(arg),
};

/** Parses the arguments after `grade`. */
export function parseGrade(argv: readonly string[]): GradeArgs | { command: "help"; usage: string } {
  const args = {
    command: "grade" as const, suite: "", submission: "", format: "text" as ReportFormat, output: null, tests: [], store: null, jobs: null,
    reports: null, schema: false, positionals: [] as string[],
  };
  if (parseCommand(argv, args, GRADE_SYNTAX) === "help") return { command: "help", usage: GRADE_USAGE };
  const { positionals, ...rest } = args;
  if (args.schema) {
    if (positionals.length > 0) throw usageError(`grade --schema takes no SUITE or SUBMISSION${HINT}`);
    return rest;
  }
  if (positionals.length !== 2) throw usageError(`grade needs a SUITE and a SUBMISSION (or a folder of them)${HINT}`);
  return { ...rest, suite: positionals[0]!, submission: positionals[1]! };
}

export async function gradeCommand(args: GradeArgs, io: GradeIo): Promise<number> {
  if (args.schema) {
    await emit(JSON.stringify(suiteJsonSchema(), null, 2) + "\n", args.output, io);
    return 0;
  }
  const suiteText = await readText(args.suite, "suite");
  const suite = gradeErrors(() => parseSuiteText(suiteText));
  let isDir: boolean;
  try {
    isDir = (await stat(args.submission)).isDirectory();
  } catch (e) {
    throw usageError(`cannot read submission ${args.submission}: ${describeFsError(e)}`);
  }
  if (isDir) return gradeFolder(args, suite, suiteText, io);
  const bytes = await readBytes(args.submission, "submission");
  const started = performance.now();
  const report = await gradeOne(suite, bytes, basename(args.submission), args, io.progress);
  const out = renderReport(report, args.format, { executionSeconds: (performance.now() - started) / 1000 });
  await emit(out, args.output, io);
  return report.failed === 0 ? 0 : 1;
}

let compiledCore: Promise<WebAssembly.Module> | undefined;

/** Grades one submission in this thread; GradeError becomes a usage error (exit 2). */
export async function gradeOne(
  suite: Suite, bytes: Uint8Array, name: string, args: Pick<GradeArgs, "store" | "tests">, progress?: (text: string) => void,
): Promise<Report> {
  const core = await (compiledCore ??= loadCore());
  const store: ObjectStore = args.store ? new DirectoryStore(args.store) : new MemoryStore();
  const storeArg = args.store ? quoteArg(args.store) : "DIR";
  const host: GradeHost = {
    store,
    options: { core, layers: gradeLayers },
    reproduce: (start, _end, budget) => ({ command: `edgevm resume ${start} --store ${storeArg} --max-insns ${budget}` }),
    ...(progress && { progress: (done, total) => progress(bar(done, total, name)) }),
  };
  try {
    return await gradeSubmission(suite, { bytes, name }, host, args.tests);
  } catch (e) {
    if (e instanceof GradeError) throw usageError(`${name}: ${e.message} [${e.code}]`);
    throw e;
  } finally {
    progress?.("");
  }
}

// ---- a folder of submissions ------------------------------------------------

export interface FolderRow {
  submission: string;
  score: number | null;
  maxScore: number | null;
  passed: number | null;
  failed: number | null;
  error: string | null;
}

async function gradeFolder(args: GradeArgs, suite: Suite, suiteText: string, io: GradeIo): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(args.submission, { withFileTypes: true })).filter((d) => d.isFile() && !d.name.startsWith(".")).map((d) => d.name).sort();
  } catch (e) {
    throw usageError(`cannot read folder ${args.submission}: ${describeFsError(e)}`);
  }
  if (names.length === 0) throw usageError(`folder ${args.submission} has no submissions`);
  if (args.reports) await mkdir(args.reports, { recursive: true });
  const jobs = Math.min(args.jobs ?? availableParallelism(), names.length);
  const rows = new Array<FolderRow>(names.length);
  let done = 0;
  io.progress?.(bar(0, names.length, "submissions"));
  const pool = await graderPool(jobs, suiteText, args);
  try {
    await Promise.all(
      Array.from({ length: jobs }, async (_, worker) => {
        for (let i = worker; i < names.length; i += jobs) {
          const name = names[i]!;
          rows[i] = await pool.grade(worker, join(args.submission, name), name, suite);
          done++;
          io.progress?.(bar(done, names.length, "submissions"));
        }
      }),
    );
  } finally {
    await pool.close();
    io.progress?.("");
  }
  io.stdout(new TextEncoder().encode(summaryTable(rows)));
  if (args.output) await emit(summaryCsv(rows), args.output, io);
  return rows.every((r) => r.error === null && r.failed === 0) ? 0 : 1;
}

interface GraderPool {
  grade(worker: number, path: string, name: string, suite: Suite): Promise<FolderRow>;
  close(): Promise<void>;
}

/**
 * Graders on worker threads (the bundled CLI ships dist/grade-worker.mjs),
 * one per job; run from the sources, where there is no worker bundle, the
 * submissions are graded in this thread instead.
 */
async function graderPool(jobs: number, suiteText: string, args: GradeArgs): Promise<GraderPool> {
  const workerUrl = new URL("./grade-worker.mjs", import.meta.url);
  const hasWorker = await stat(workerUrl).then((s) => s.isFile(), () => false);
  const options = { store: args.store, tests: args.tests, format: args.format, reports: args.reports };
  if (!hasWorker) {
    return {
      grade: (_w, path, name, suite) => gradeFile(suite, path, name, options),
      close: async () => {},
    };
  }
  const { Worker } = await import("node:worker_threads");
  const workers = Array.from({ length: jobs }, () => new Worker(workerUrl, { workerData: { suiteText, options } }));
  return {
    grade: (w, path, name) =>
      new Promise<FolderRow>((resolve, reject) => {
        const worker = workers[w]!;
        const onMessage = (row: FolderRow) => {
          worker.off("error", reject);
          resolve(row);
        };
        worker.once("message", onMessage);
        worker.once("error", reject);
        worker.postMessage({ path, name });
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export interface FileOptions {
  store: string | null;
  tests: string[];
  format: ReportFormat;
  reports: string | null;
}

/** One submission of a folder as a summary row; its report goes to --reports when asked. Never throws for a bad submission. */
export async function gradeFile(suite: Suite, path: string, name: string, options: FileOptions): Promise<FolderRow> {
  try {
    const bytes = await readBytes(path, "submission");
    const report = await gradeOne(suite, bytes, name, options);
    if (options.reports) await writeFile(join(options.reports, `${name}.${EXTENSIONS[options.format]}`), renderReport(report, options.format));
    return { submission: name, score: report.score, maxScore: report.maxScore, passed: report.passed, failed: report.failed, error: null };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return { submission: name, score: null, maxScore: null, passed: null, failed: null, error: e.message };
  }
}

const EXTENSIONS: Record<ReportFormat, string> = { text: "txt", json: "json", gradescope: "results.json", junit: "xml", html: "html" };

export function summaryTable(rows: readonly FolderRow[]): string {
  const cells = rows.map((r) => [
    r.submission,
    r.score === null ? "-" : `${r.score}/${r.maxScore}`,
    r.passed === null ? "-" : String(r.passed),
    r.failed === null ? "-" : String(r.failed),
    r.error ?? "",
  ]);
  const header = ["submission", "score", "passed", "failed", "error"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join("  ").trimEnd();
  const graded = rows.filter((r) => r.score !== null);
  const mean = graded.length ? graded.reduce((s, r) => s + r.score!, 0) / graded.length : 0;
  return [line(header), ...cells.map(line), `${rows.length} submissions, ${graded.length} graded, mean score ${Math.round(mean * 1000) / 1000}`].join("\n") + "\n";
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. */
export function summaryCsv(rows: readonly FolderRow[]): string {
  const field = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [["submission", "score", "max_score", "passed", "failed", "error"].join(",")];
  for (const r of rows) lines.push([r.submission, r.score, r.maxScore, r.passed, r.failed, r.error].map(field).join(","));
  return lines.join("\r\n") + "\r\n";
}

// ---- helpers ------------------------------------------------------------------

function bar(done: number, total: number, what: string): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${what}`;
}

function gradeErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GradeError) throw usageError(`${e.message} [${e.code}]`);
    throw e;
  }
}

async function readText(path: string, what: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(path, what));
}

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw usageError(`cannot read ${what} ${path}: ${describeFsError(e)}`);
  }
}

async function emit(text: string, output: string | null, io: GradeIo): Promise<void> {
  if (output === null) {
    io.stdout(new TextEncoder().encode(text));
    return;
  }
  try {
    await writeFile(output, text);
  } catch (e) {
    throw usageError(`cannot write ${output}: ${describeFsError(e)}`);
  }
}

/** A path as one shell word (quoted only when it needs to be). */
function quoteArg(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

