// `edgevm run FILE --quantum N --store DIR` and `edgevm resume SNAPSHOT_ID`:
// running a machine through snapshots (src/snapshot), persisted and restored
// between quanta as the service does, with a local directory as the store.
import {
  createSnapshot, isStopped, MemoryStore, SnapshotError, step, type MachineStatus, type ObjectStore, type SnapshotOptions,
  type StepResult,
} from "../snapshot/index.ts";
import { DirectoryStore } from "../snapshot/store-directory.ts";
import { classifyElf } from "../vm/elf.ts";
import { DEFAULT_MAX_INSNS } from "./defaults.ts";
import { CliError, ExitStatus, usageError } from "./cli-error.ts";
import { loadCore } from "./load-core.ts";
import { checkBareMetalFits, readElfFile, readHostFile } from "./host-files.ts";
import { round, runFigures } from "./run-stats.ts";
import { exitStatusOf, type CliIo } from "./run-command.ts";

/** The snapshot options of `edgevm run`, added to RunArgs. */
export interface SnapshotRunOptions {
  /** Persist and restore every N cycles (instructions plus idle cycles); null: one quantum. */
  quantum: bigint | null;
  /** The directory store; null keeps snapshots in memory (still persisted and restored every quantum). */
  store: string | null;
}

export interface QuantumRunArgs extends SnapshotRunOptions {
  file: string;
  maxInsns: bigint;
  ramMiB: number;
  stats: boolean;
}

export interface ResumeArgs {
  command: "resume";
  snapshot: string;
  store: string;
  stdin: string | null;
  maxInsns: bigint;
  quantum: bigint | null;
  stats: boolean;
}

export const SNAPSHOT_RUN_USAGE = `  --quantum N     persist the machine and restore it afresh every N instructions
                  (snapshots, as the service runs it); the final snapshot does
                  not depend on N
  --store DIR     keep the snapshots in directory DIR (created if needed); with
                  --stats, "snapshot" is the final snapshot id and bytesRead /
                  bytesWritten count the store traffic of every quantum
`;

export const RESUME_USAGE = `Usage: edgevm resume SNAPSHOT_ID --store DIR [options]

Continues a machine stored by \`edgevm run --store DIR\` (or by an earlier resume)
from snapshot SNAPSHOT_ID, printing its console output, and stores the result.

Options:
  --store DIR     the snapshot directory (required)
  --stdin FILE    console input for the guest (process mode; - for standard input)
  --max-insns N   run at most N more instructions (default ${DEFAULT_MAX_INSNS}); exits with 124
  --quantum N     persist and restore every N instructions
  --stats         print statistics as the last line on stderr (see edgevm run --stats)
  -h, --help      show this help

Exit status: as for edgevm run; a stopped machine reports its exit code again.
`;

const HINT = " (see edgevm resume --help)";

/** Values of --quantum: positive decimal integers, optionally grouped with underscores. */
export function parseQuantum(text: string): bigint {
  if (!/^[0-9]+(_[0-9]+)*$/.test(text) || BigInt(text.replaceAll("_", "")) <= 0n || BigInt(text.replaceAll("_", "")) >= 1n << 64n) {
    throw usageError(`--quantum must be a positive integer, not '${text}'`);
  }
  return BigInt(text.replaceAll("_", ""));
}

/** Parses the arguments after `resume`; { command: "help" } for -h. */
export function parseResumeArgs(argv: readonly string[]): ResumeArgs | { command: "help" } {
  const args: ResumeArgs = { command: "resume", snapshot: "", store: "", stdin: null, maxInsns: DEFAULT_MAX_INSNS, quantum: null, stats: false };
  let snapshot: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" || arg === "--help") return { command: "help" };
    if (!arg.startsWith("--")) {
      if (snapshot !== undefined) throw usageError(`unexpected argument '${arg}'${HINT}`);
      snapshot = arg;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw usageError(`${name} needs a value${HINT}`);
      return next;
    };
    switch (name) {
      case "--store": args.store = value(); break;
      case "--stdin": args.stdin = value(); break;
      case "--quantum": args.quantum = parseQuantum(value()); break;
      case "--max-insns": {
        const text = value();
        if (!/^[0-9]+(_[0-9]+)*$/.test(text) || BigInt(text.replaceAll("_", "")) <= 0n) {
          throw usageError(`--max-insns must be a positive integer, not '${text}'`);
        }
        args.maxInsns = BigInt(text.replaceAll("_", ""));
        break;
      }
      case "--stats":
        if (eq >= 0) throw usageError(`--stats takes no value${HINT}`);
        args.stats = true;
        break;
      default:
        throw usageError(`unknown option ${name}${HINT}`);
    }
  }
  if (snapshot === undefined) throw usageError(`resume needs a SNAPSHOT_ID${HINT}`);
  if (args.store === "") throw usageError(`resume needs --store DIR${HINT}`);
  args.snapshot = snapshot;
  return args;
}

/** `edgevm run FILE` with --quantum and/or --store. */
export async function runInQuanta(args: QuantumRunArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const elf = await readElfFile(args.file);
  if (classifyElf(elf) === "linux") throw usageError("--quantum and --store support bare-metal programs only, for now");
  const ramBytes = args.ramMiB * 1024 * 1024;
  checkBareMetalFits(elf, args.file, ramBytes);
  const store: ObjectStore = args.store === null ? new MemoryStore() : new DirectoryStore(args.store);
  const options: SnapshotOptions = { core: await loadCore() };
  const first = await snapshotCall(() => createSnapshot({ kind: "elf", program: elf, ramBytes }, store, options));
  return runFrom(first, new Uint8Array(0), { ...args, store: args.store ?? "" }, store, options, io, started);
}

/** `edgevm resume SNAPSHOT_ID --store DIR`. */
export async function resumeCommand(args: ResumeArgs, io: CliIo, readStdin?: () => Promise<Uint8Array>): Promise<number> {
  const started = performance.now();
  let input: Uint8Array = new Uint8Array(0);
  if (args.stdin !== null) input = args.stdin === "-" && readStdin ? await readStdin() : await readHostFile(args.stdin, args.stdin, true);
  const store = new DirectoryStore(args.store);
  const options: SnapshotOptions = { core: await loadCore() };
  return runFrom(args.snapshot, input, args, store, options, io, started);
}

interface QuantumRecord {
  result: StepResult;
}

async function runFrom(
  start: string,
  input: Uint8Array,
  args: { maxInsns: bigint; quantum: bigint | null; stats: boolean; store: string },
  store: ObjectStore,
  options: SnapshotOptions,
  io: CliIo,
  started: number,
): Promise<number> {
  const quanta: QuantumRecord[] = [];
  let id = start;
  let remaining = args.maxInsns;
  let pendingInput: Uint8Array = input;
  let status: MachineStatus = { kind: "running" };
  let instructions = 0;
  for (;;) {
    const budget = args.quantum !== null && args.quantum < remaining ? args.quantum : remaining;
    const result = await snapshotCall(() => step(id, { console: pendingInput }, budget, store, options));
    pendingInput = new Uint8Array(0);
    if (result.output.length > 0) io.stdout(result.output);
    quanta.push({ result });
    id = result.snapshotId;
    status = result.status;
    instructions += result.counters.instructions;
    remaining -= BigInt(result.counters.cycles);
    if (status.kind !== "running" || remaining <= 0n || (result.counters.cycles === 0 && result.parent === id)) break;
  }
  const exit = reportStatus(status, id, args, io);
  if (args.stats) io.stderr(JSON.stringify(stats(quanta, instructions, status, id, performance.now() - started)));
  return exit;
}

function reportStatus(status: MachineStatus, id: string, args: { maxInsns: bigint; store: string }, io: CliIo): number {
  const resume = args.store ? `; continue with: edgevm resume ${id} --store ${args.store}` : "";
  switch (status.kind) {
    case "halted":
    case "exited":
      return exitStatusOf(status.exitCode);
    case "running":
      io.stderr(`edgevm: instruction limit reached (--max-insns ${args.maxInsns}); snapshot ${id}${resume}`);
      return ExitStatus.Limit;
    case "waiting-input":
      io.stderr(`edgevm: the guest waits for console input; snapshot ${id}${resume} --stdin FILE`);
      return ExitStatus.Limit;
    case "fault":
      io.stderr(`edgevm: ${status.reason} (snapshot ${id})`);
      return ExitStatus.Failure;
  }
}

function stats(quanta: QuantumRecord[], instructions: number, status: MachineStatus, id: string, hostMs: number) {
  const sum = (f: (r: StepResult) => number) => quanta.reduce((n, q) => n + f(q.result), 0);
  const runSeconds = sum((r) => r.timings.runMs) / 1000;
  return {
    ...runFigures(instructions, runSeconds, hostMs),
    status: status.kind,
    exitCode: "exitCode" in status ? status.exitCode : 0,
    snapshot: id,
    quanta: quanta.length,
    bytesRead: sum((r) => r.counters.bytesRead),
    bytesWritten: sum((r) => r.counters.bytesWritten),
    restoreSeconds: round(sum((r) => r.timings.restoreMs) / 1000, 6),
    persistSeconds: round(sum((r) => r.timings.persistMs) / 1000, 6),
    /** Per quantum, in order: store bytes read and written. */
    bytesReadPerQuantum: quanta.map((q) => q.result.counters.bytesRead),
    bytesWrittenPerQuantum: quanta.map((q) => q.result.counters.bytesWritten),
  };
}

/** Snapshot errors as CLI errors: a wrong id or input is the user's (2), damage is a failure (125). */
async function snapshotCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof SnapshotError)) throw e;
    const usage = e.code === "invalid-id" || e.code === "invalid-input" || (e.code === "missing-object" && /^snapshot /.test(e.message));
    throw new CliError(usage ? ExitStatus.Usage : ExitStatus.Failure, `${e.message} [${e.code}]`);
  }
}


export { isStopped };
