// `edgevm as FILE.s... -o OUT [-c]`, and the assembling step of
// `edgevm run FILE.s...`: sources through src/asm, diagnostics to stderr in
// the compiler's file:line:col form, the executable or object out.
import { writeFile } from "node:fs/promises";
import { assemble, formatDiagnostic, type AssembleResult, type SourceFile } from "../asm/index.ts";
import { classifyProgram, type Program } from "../vm/program-kind.ts";
import type { AsArgs } from "./args.ts";
import { CliError, describeFsError, ExitStatus, usageError } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { readHostFile } from "./host-files.ts";

/** Limit on one source file, so a mistaken argument cannot exhaust memory. */
const MAX_SOURCE_BYTES = 16 << 20;

async function readSources(files: readonly string[]): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const f of files) {
    const bytes = await readHostFile(f, f, true);
    if (bytes.length > MAX_SOURCE_BYTES) throw usageError(`${f}: larger than ${MAX_SOURCE_BYTES >> 20} MiB`);
    out.push({ name: f, text: new TextDecoder().decode(bytes) });
  }
  return out;
}

function report(result: AssembleResult, io: CliIo): void {
  for (const d of result.diagnostics) io.stderr(formatDiagnostic(d));
}

export async function asCommand(args: AsArgs, io: CliIo): Promise<number> {
  const sources = await readSources(args.sources);
  const result = assemble(sources, { objectOnly: args.objectOnly });
  report(result, io);
  const bytes = args.objectOnly ? result.object : result.executable;
  if (!bytes) return 1;
  try {
    await writeFile(args.output, bytes);
  } catch (e) {
    throw new CliError(ExitStatus.Usage, `${args.output}: ${describeFsError(e)}`);
  }
  return 0;
}

/** Assembles and links for `run`; errors end the command with status 2 before any machine starts. */
export async function assembleProgram(files: readonly string[], io: CliIo): Promise<Program> {
  const result = assemble(await readSources(files));
  report(result, io);
  if (!result.executable) {
    const n = result.diagnostics.filter((d) => d.severity === "error").length;
    throw usageError(`${n} error${n === 1 ? "" : "s"} in the assembly sources; nothing was run`);
  }
  return classifyProgram(result.executable);
}
