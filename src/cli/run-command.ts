// `edgevm run FILE`: read the program, let src/vm/program-kind.ts say what it
// is, and hand it to the command for that kind of machine, through snapshots
// when --quantum or --store ask for them.
import type { Program } from "../vm/program-kind.ts";
import type { RunArgs } from "./args.ts";
import { runBareMetal } from "./bare-command.ts";
import type { CliIo } from "./cli-io.ts";
import { runLinuxProgram } from "./linux-command.ts";
import { readProgramFile } from "./program-file.ts";
import { checkSystemBootRun, dumpDeviceTreeCommand } from "./system-boot-files.ts";
import { runInQuanta } from "./snapshot-run.ts";

export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  if (args.dumpDtb !== undefined) return dumpDeviceTreeCommand(args, args.dumpDtb);
  const program = await readProgramFile(args.file);
  checkSystemBootRun(args, program);
  if (args.quantum !== undefined || args.store !== undefined) {
    const { command: _, ...run } = args;
    return runInQuanta({ ...run, quantum: args.quantum ?? null, store: args.store ?? null }, io, program);
  }
  return runDirect(program, args, io, started);
}

function runDirect(program: Program, args: RunArgs, io: CliIo, started: number): Promise<number> {
  switch (program.kind) {
    case "bare-metal":
      return runBareMetal(program.elf, args, io, started);
    case "linux":
      return runLinuxProgram(program.elf, args, io, started);
  }
}
