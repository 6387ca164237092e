// `edgevm run FILE`: read the ELF, pick the guest mode, run it, report.
import { BareMachine, MachineError, type BareRunResult } from "../vm/bare-machine.ts";
import { classifyElf, hex, type Elf } from "../vm/elf.ts";
import type { RunArgs } from "./args.ts";
import { CliError, ExitStatus, usageError } from "./cli-error.ts";
import { checkBareMetalFits, readElfFile } from "./host-files.ts";
import { runFigures } from "./run-stats.ts";
import { runLinuxProgram } from "./linux-command.ts";
import { loadCore } from "./load-core.ts";

export interface CliIo {
  /** Guest console bytes, written as they are drained. */
  stdout(bytes: Uint8Array): void;
  /** One line of edgevm's own output (no trailing newline). */
  stderr(line: string): void;
  /** A Linux guest's stderr bytes (default: decoded and passed to stderr() line by line). */
  guestStderr?(bytes: Uint8Array): void;
  /** The next chunk of edgevm's own stdin for a Linux guest, null at EOF (default: no stdin). */
  readStdin?(): Promise<Uint8Array | null>;
}

export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const elf = await readElfFile(args.file);
  // The one place that chooses the guest mode for a program.
  switch (classifyElf(elf)) {
    case "bare-metal":
      return runBareMetal(elf, args, io, started);
    case "linux":
      return runLinuxProgram(elf, args, io, started);
  }
}

async function runBareMetal(elf: Elf, args: RunArgs, io: CliIo, started: number): Promise<number> {
  for (const [option, given] of [["--stdin", args.stdin], ["--file", args.files], ["--env", args.env]] as const) {
    if (given !== undefined) throw usageError(`${option} applies to Linux programs; ${args.file} is a bare-metal ELF`);
  }
  const ramBytes = args.ramMiB * 1024 * 1024;
  checkBareMetalFits(elf, args.file, ramBytes);
  const machine = await createMachine(ramBytes);
  machine.load(elf);
  const result = machine.run(args.maxInsns, { onConsole: (bytes) => io.stdout(bytes) });
  const status = reportOutcome(result, args, machine, io);
  if (args.stats) io.stderr(JSON.stringify(stats(result, performance.now() - started)));
  return status;
}

async function createMachine(ramBytes: number): Promise<BareMachine> {
  const module = await loadCore();
  try {
    return await BareMachine.create(module, { ramBytes });
  } catch (e) {
    if (e instanceof MachineError) {
      throw new CliError(e.kind === "config" ? ExitStatus.Usage : ExitStatus.Failure, e.message);
    }
    throw e;
  }
}

/** Prints why the guest stopped (unless it exited) and returns the process exit status. */
function reportOutcome(result: BareRunResult, args: RunArgs, machine: BareMachine, io: CliIo): number {
  const where = `after ${result.instructions} instructions, pc ${hex(machine.core.getPc())}`;
  switch (result.status) {
    case "halted":
      return exitStatusOf(result.exitCode);
    case "budget":
      io.stderr(`edgevm: instruction limit reached (--max-insns ${args.maxInsns}) ${where}; the guest did not exit`);
      return ExitStatus.Limit;
    case "idle":
      io.stderr(`edgevm: the guest waits in wfi with no interrupt that could wake it (${where})`);
      return ExitStatus.Failure;
    case "fault":
      io.stderr(`edgevm: ${result.fault ?? "the core faulted"} (${where})`);
      return ExitStatus.Failure;
  }
}

/** Process exit statuses are 8 bits; a failing guest must not look like a passing one. */
export function exitStatusOf(guestCode: number): number {
  const low = guestCode & 0xff;
  return low === 0 && guestCode !== 0 ? 1 : low;
}

function stats(result: BareRunResult, hostMs: number) {
  return {
    ...runFigures(Number(result.instructions), result.seconds, hostMs),
    status: result.status,
    exitCode: result.exitCode,
  };
}
