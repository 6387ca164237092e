// `edgevm as FILE.s... -o OUT [-c]`, and the assembling step of
// `edgevm run FILE.s...`: sources through src/asm, diagnostics to stderr in
// the compiler's file:line:col form, the executable or object out.
import { writeFile } from "node:fs/promises";
import { assemble, formatDiagnostic, type AssembleOptions, type AssembleResult, type SourceFile, type SourceLine } from "../asm/index.ts";
import { COURSE_LAYOUTS } from "../vm/course-abi/index.ts";
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

/**
 * How a course ABI's tool lays a program out and starts it: RARS puts .text
 * at 0x00400000 and .data at 0x10010000, Venus .data at 0x10000000; both
 * start at main (or the first instruction) and do no linker relaxation (gp
 * is the tool's, not __global_pointer$).
 */
function courseOptions(abi: "linux" | "rars" | "venus"): AssembleOptions {
  if (abi === "linux") return {};
  const layout = COURSE_LAYOUTS[abi];
  return { dialect: abi, link: { textStart: layout.text, dataStart: layout.data, relax: false, courseEntry: true } };
}

/** What `run` knows of a program it assembled: where each line's code is, for messages. */
export interface AssembledInfo {
  lines: SourceLine[];
  sources: SourceFile[];
}

/** Assembles and links for `run`; errors end the command with status 2 before any machine starts. */
export async function assembleProgram(
  files: readonly string[], io: CliIo, abi: "linux" | "rars" | "venus" = "linux", info?: AssembledInfo,
): Promise<Program> {
  const sources = await readSources(files);
  const options = courseOptions(abi);
  if (info) options.link = { ...options.link, lineTable: true };
  const result = assemble(sources, options);
  if (info) {
    info.lines = result.lines ?? [];
    info.sources = sources;
  }
  report(result, io);
  if (!result.executable) {
    const n = result.diagnostics.filter((d) => d.severity === "error").length;
    throw usageError(`${n} error${n === 1 ? "" : "s"} in the assembly sources; nothing was run`);
  }
  return classifyProgram(result.executable);
}
