// `edgevm run FILE` for a bare-metal ELF (the virt board, as QEMU's
// `-machine virt -bios none -kernel FILE`): console to stdout, the guest's
// exit code as edgevm's.
import { BareMachine, type BareRunResult } from "../vm/bare/bare-machine.ts";
import { MachineError } from "../vm/core-abi.ts";
import { hex, type Elf } from "../vm/elf.ts";
import type { RunArgs } from "./args.ts";
import { CliError, ExitStatus } from "./cli-error.ts";
import { exitStatusOf, type CliIo } from "./cli-io.ts";
import { loadCore } from "./load-core.ts";
import { checkBareMetalRun } from "./program-file.ts";
import { runFigures } from "./run-stats.ts";

export async function runBareMetal(elf: Elf, args: RunArgs, io: CliIo, started: number): Promise<number> {
  checkBareMetalRun(elf, args);
  const machine = await createMachine(args.ramMiB * 1024 * 1024);
  machine.load(elf);
  const result = await machine.run(args.maxInsns, { onConsole: (bytes) => io.stdout(bytes) });
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

function stats(result: BareRunResult, hostMs: number) {
  return {
    ...runFigures(Number(result.instructions), result.seconds, hostMs),
    status: result.status,
    exitCode: result.exitCode,
  };
}
