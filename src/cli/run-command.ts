// `edgevm run FILE`: read the program (or assemble and link FILE.s...), let
// src/vm/program-kind.ts say what it is, and hand it to the command for that kind of machine, through snapshots
// when --quantum or --store ask for them.
import type { Program } from "../vm/program-kind.ts";
import type { RunArgs } from "./args.ts";
import { usageError } from "./cli-error.ts";
import { runBareMetal } from "./bare-command.ts";
import type { CliIo } from "./cli-io.ts";
import { runLinuxProgram } from "./linux-command.ts";
import { readProgramFile } from "./program-file.ts";
import { checkSystemBootRun, dumpDeviceTreeCommand } from "./system-boot-files.ts";
import { assembleProgram, type AssembledInfo } from "./as-command.ts";
import { runInQuanta } from "./snapshot-run.ts";

export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  if (args.dumpDtb !== undefined) return dumpDeviceTreeCommand(args, args.dumpDtb);
  const info: AssembledInfo = { lines: [], sources: [] };
  const program = args.sources
    ? await assembleProgram(args.sources, io, args.abi ?? "linux", args.checkCallingConvention ? info : undefined)
    : await readProgramFile(args.file);
  if (args.checkCallingConvention && program.kind !== "linux") throw usageError(`--check-calling-convention runs programs in process mode; ${args.file} is a bare-metal ELF`);
  if (args.checkCallingConvention && (args.quantum !== undefined || args.store !== undefined)) throw usageError("--check-calling-convention does not run through snapshots (--quantum, --store)");
  if (args.abi && args.abi !== "linux" && program.kind !== "linux") throw usageError(`--abi ${args.abi} runs programs in process mode; ${args.file} is a bare-metal ELF`);
  checkSystemBootRun(args, program);
  if (args.quantum !== undefined || args.store !== undefined) {
    const { command: _, ...run } = args;
    return runInQuanta({ ...run, quantum: args.quantum ?? null, store: args.store ?? null }, io, program);
  }
  return runDirect(program, args, io, started, info);
}

function runDirect(program: Program, args: RunArgs, io: CliIo, started: number, info: AssembledInfo): Promise<number> {
  switch (program.kind) {
    case "bare-metal":
      return runBareMetal(program.elf, args, io, started);
    case "linux":
      return runLinuxProgram(program.elf, args, io, started, info);
  }
}
