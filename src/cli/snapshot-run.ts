// `edgevm run FILE --quantum N --store DIR` and `edgevm resume SNAPSHOT_ID`:
// running a machine through snapshots (src/snapshot), persisted and restored
// between quanta as the service does, with a local directory as the store.
import {
  createSnapshot, isStopped, MemoryStore, SnapshotError, step, type InitialMachine, type MachineStatus, type ObjectStore,
  type OutputSegment, type SnapshotOptions, type StepInput, type StepResult,
} from "../snapshot/index.ts";
import { DirectoryStore } from "../snapshot/store-directory.ts";
import { classifyElf, type Elf } from "../vm/elf.ts";
import { signalName } from "../vm/linux/signals.ts";
import { linuxLayerCodec, prepareLinuxMachine } from "../vm/linux/snapshot-layer.ts";
import { DEFAULT_MAX_INSNS } from "./defaults.ts";
import { CliError, ExitStatus, usageError } from "./cli-error.ts";
import { loadCore } from "./load-core.ts";
import { checkBareMetalFits, readElfFile, readHostFile } from "./host-files.ts";
import { guestStderrOf, linuxConfigOf, linuxSetup, type LinuxRunArgs } from "./linux-command.ts";
import { round, runFigures } from "./run-stats.ts";
import { exitStatusOf, type CliIo } from "./run-command.ts";

/** The snapshot options of `edgevm run`, added to RunArgs. */
export interface SnapshotRunOptions {
  /** Persist and restore every N cycles (instructions plus idle cycles); null: one quantum. */
  quantum: bigint | null;
  /** The directory store; null keeps snapshots in memory (still persisted and restored every quantum). */
  store: string | null;
}

export interface QuantumRunArgs extends SnapshotRunOptions, Partial<Omit<LinuxRunArgs, "file" | "ramMiB">> {
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
from snapshot SNAPSHOT_ID, printing its console output (a Linux program's stdout
and stderr apart), and stores the result.

Options:
  --store DIR     the snapshot directory (required)
  --stdin FILE    a Linux program's stdin: FILE's bytes follow what it has not
                  read yet, then end-of-file (- for edgevm's stdin); without
                  --stdin, a program that waits for input reads edgevm's stdin.
                  A bare-metal program gets FILE's bytes on its UART (which
                  has no end-of-file)
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

/** `edgevm run FILE` with --quantum and/or --store: a bare-metal ELF or a Linux program. */
export async function runInQuanta(args: QuantumRunArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const elf = await readElfFile(args.file);
  const initial = classifyElf(elf) === "linux" ? await linuxMachine(elf, args, io) : bareMachine(elf, args);
  const store: ObjectStore = args.store === null ? new MemoryStore() : new DirectoryStore(args.store);
  const options = await snapshotOptions(initial.core);
  const first = await snapshotCall(() => createSnapshot(initial.machine, store, options));
  return runFrom(first, {}, { ...args, store: args.store ?? "" }, store, options, io, started);
}

interface Initial {
  machine: InitialMachine;
  /** The compiled core the machine was set up on, which must also be the snapshot options' core. */
  core: WebAssembly.Module | null;
}

async function linuxMachine(elf: Elf, args: QuantumRunArgs, io: CliIo): Promise<Initial> {
  const config = await linuxConfigOf({ ...args, guestArgs: args.guestArgs ?? [] }, io);
  const core = await loadCore();
  return { machine: await linuxSetup(args.file, () => prepareLinuxMachine(core, elf.bytes, config)), core };
}

function bareMachine(elf: Elf, args: QuantumRunArgs): Initial {
  for (const [option, given] of [["--stdin", args.stdin], ["--file", args.files], ["--env", args.env]] as const) {
    if (given !== undefined) throw usageError(`${option} applies to Linux programs; ${args.file} is a bare-metal ELF`);
  }
  const ramBytes = args.ramMiB * 1024 * 1024;
  checkBareMetalFits(elf, args.file, ramBytes);
  return { machine: { kind: "elf", program: elf, ramBytes }, core: null };
}

/** Every machine this CLI stores can be restored by it: both modes, so the Linux layer's codec always. */
async function snapshotOptions(core: WebAssembly.Module | null): Promise<SnapshotOptions> {
  return { core: core ?? (await loadCore()), layers: [linuxLayerCodec] };
}

/** `edgevm resume SNAPSHOT_ID --store DIR`. */
export async function resumeCommand(args: ResumeArgs, io: CliIo, readStdin?: () => Promise<Uint8Array>): Promise<number> {
  const started = performance.now();
  let input: StepInput = {};
  if (args.stdin !== null) {
    const bytes = args.stdin === "-" && readStdin ? await readStdin() : await readHostFile(args.stdin, args.stdin, true);
    input = { console: bytes, consoleEnd: true };
  }
  const store = new DirectoryStore(args.store);
  return runFrom(args.snapshot, input, args, store, await snapshotOptions(null), io, started);
}

interface QuantumRecord {
  result: StepResult;
}

/**
 * Steps the machine from snapshot `start` until it stops or --max-insns is
 * spent. A Linux program that waits for input is given edgevm's stdin as it
 * arrives (end-of-file when it ends), as `edgevm run` without snapshots does;
 * `input` (from --stdin) is given first.
 */
async function runFrom(
  start: string,
  input: StepInput,
  args: { maxInsns: bigint; quantum: bigint | null; stats: boolean; store: string },
  store: ObjectStore,
  options: SnapshotOptions,
  io: CliIo,
  started: number,
): Promise<number> {
  const quanta: QuantumRecord[] = [];
  const guestStderr = guestStderrOf(io);
  let id = start;
  let remaining = args.maxInsns;
  let pendingInput = input;
  let status: MachineStatus = { kind: "running" };
  let instructions = 0;
  for (;;) {
    const budget = args.quantum !== null && args.quantum < remaining ? args.quantum : remaining;
    const result = await snapshotCall(() => step(id, pendingInput, budget, store, options));
    pendingInput = {};
    writeOutput(result.segments, io, guestStderr);
    quanta.push({ result });
    id = result.snapshotId;
    status = result.status;
    instructions += result.counters.instructions;
    remaining -= BigInt(result.counters.cycles);
    if (status.kind === "waiting-input" && io.readStdin && remaining > 0n) {
      const chunk = await io.readStdin();
      pendingInput = chunk === null ? { consoleEnd: true } : { console: chunk };
      continue;
    }
    if (status.kind !== "running" || remaining <= 0n || (result.counters.cycles === 0 && result.parent === id)) break;
  }
  const exit = reportStatus(status, id, args, io);
  if (args.stats) io.stderr(JSON.stringify(stats(quanta, instructions, status, id, performance.now() - started)));
  return exit;
}

/** A Linux guest's stdout and stderr to edgevm's, in the order written; a bare machine's console to stdout. */
function writeOutput(segments: readonly OutputSegment[], io: CliIo, guestStderr: (bytes: Uint8Array) => void): void {
  for (const s of segments) {
    if (s.stream === "stderr") guestStderr(s.bytes);
    else io.stdout(s.bytes);
  }
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
    ...("signal" in status && status.signal !== undefined && { signal: status.signal, signalName: signalName(status.signal) }),
    ...("reason" in status && status.reason !== undefined && { reason: status.reason }),
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
