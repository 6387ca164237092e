// The program a command names: read, classified once (src/vm/program-kind.ts),
// and checked against the options given for it, with one-line usage errors.
import { ElfError, type Elf } from "../vm/elf.ts";
import { checkFitsBoard, classifyProgram, type Program } from "../vm/program-kind.ts";
import type { RunArgs } from "./args.ts";
import { usageError } from "./cli-error.ts";
import { readHostFile } from "./host-files.ts";

export async function readProgramFile(file: string): Promise<Program> {
  const bytes = await readHostFile(file, file, true, ", not an ELF file");
  try {
    return classifyProgram(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw usageError(`${file}: ${e.message}`);
    throw e;
  }
}

/** A bare-metal ELF takes no Linux options and must fit guest RAM; checked before any core is loaded. */
export function checkBareMetalRun(elf: Elf, args: Pick<RunArgs, "file" | "ramMiB" | "stdin" | "files" | "env">): void {
  for (const [option, given] of [["--stdin", args.stdin], ["--file", args.files], ["--env", args.env]] as const) {
    if (given !== undefined) throw usageError(`${option} applies to Linux programs; ${args.file} is a bare-metal ELF`);
  }
  try {
    checkFitsBoard(elf, args.ramMiB * 1024 * 1024);
  } catch (e) {
    if (e instanceof ElfError) throw usageError(`${args.file}: ${e.message}`);
    throw e;
  }
}
