// `edgevm run FILE --quantum N --store DIR` and `edgevm resume SNAPSHOT_ID`:
// running a machine through snapshots (src/snapshot), persisted and restored
// between quanta as the service does, with a local directory as the store.
import {
  createSnapshot, isStopped, MemoryStore, SnapshotError, step, type InitialMachine, type ObjectStore, type SnapshotOptions,
  type StepInput, type StepResult,
} from "../snapshot/index.ts";
import type { MachineStatus, OutputSegment } from "../vm/guest-layer.ts";
import { DirectoryStore } from "../snapshot/store-directory.ts";
import type { Elf } from "../vm/elf.ts";
import type { Program } from "../vm/program-kind.ts";
import { signalName } from "../vm/linux/signals/signals.ts";
import { linuxLayerCodec, prepareLinuxMachine } from "../vm/linux/linux-layer.ts";
import type { ResumeArgs } from "./args.ts";
import { CliError, ExitStatus } from "./cli-error.ts";
import { exitStatusOf, type CliIo } from "./cli-io.ts";
import { loadCore } from "./load-core.ts";
import { readHostFile } from "./host-files.ts";
import { guestStderrOf, linuxConfigOf, linuxSetup, type LinuxRunArgs } from "./linux-command.ts";
import { checkBareMetalRun, readProgramFile } from "./program-file.ts";
import { round, runFigures } from "./run-stats.ts";

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

/** `edgevm run FILE` with --quantum and/or --store: a bare-metal ELF or a Linux program. */
export async function runInQuanta(args: QuantumRunArgs, io: CliIo, given?: Program): Promise<number> {
  const started = performance.now();
  const program = given ?? (await readProgramFile(args.file));
  const initial = program.kind === "linux" ? await linuxMachine(program.elf, args, io) : bareMachine(program.elf, args);
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
  checkBareMetalRun(elf, args);
  return { machine: { kind: "elf", program: elf, ramBytes: args.ramMiB * 1024 * 1024 }, core: null };
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

