// A program the reader gives the landing page, as a machine that has not run:
// the same classification (src/vm/program-kind.ts) and the same defaults as
// the service's POST /v1/machines, so a program started here and one started
// there have the same first snapshot.
import { assemble as assembleSources, formatDiagnostics } from "../asm/index.ts";
import type { InitialMachine } from "../snapshot/machine.ts";
import { checkFitsBoard, classifyProgram } from "../vm/program-kind.ts";
import { prepareLinuxMachine } from "../vm/linux/linux-layer.ts";

/** The service's defaults (src/service/config.ts): 64 MiB of RAM, 1 MiB of output per stream. */
export const PAGE_RAM_BYTES = 64 << 20;
export const PAGE_OUTPUT_LIMIT = 1 << 20;

export class ProgramProblem extends Error {
  override name = "ProgramProblem";
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/**
 * Where the assembler plugs in: a function from `.s` source to an ELF. By
 * default edgevm's own (src/asm, as `edgevm as` links it); null refuses
 * assembly sources with a message that says so.
 */
export let assemble: ((source: string) => Uint8Array) | null = (source) => {
  const result = assembleSources([{ name: "program.s", text: source }]);
  if (!result.executable) throw new ProgramProblem(formatDiagnostics(result.diagnostics));
  return result.executable;
};
export function useAssembler(fn: ((source: string) => Uint8Array) | null): void {
  assemble = fn;
}

/** An ELF, or the text of an assembly source, as program bytes. */
export function programBytes(bytes: Uint8Array): Uint8Array {
  if (ELF_MAGIC.every((b, i) => bytes[i] === b)) return bytes;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 4096));
  if (/^\s*(\.|#|\/\/|[A-Za-z_][\w.]*:)/m.test(text) && !text.includes("\0")) {
    if (!assemble) throw new ProgramProblem("this looks like an assembly source; assembling .s files needs edgevm's assembler, which this build does not have yet (upload an ELF)");
    return assemble(new TextDecoder().decode(bytes));
  }
  throw new ProgramProblem("not a RISC-V 64-bit ELF (nor an assembly source)");
}

export async function initialFromProgram(core: WebAssembly.Module, given: Uint8Array): Promise<InitialMachine> {
  const bytes = programBytes(given);
  let program;
  try {
    program = classifyProgram(bytes);
  } catch (e) {
    throw new ProgramProblem(`not a RISC-V 64-bit ELF edgevm can load: ${(e as Error).message}`);
  }
  if (program.kind === "bare-metal") {
    try {
      checkFitsBoard(program.elf, PAGE_RAM_BYTES);
    } catch (e) {
      throw new ProgramProblem((e as Error).message);
    }
    return { kind: "elf", program: program.elf, ramBytes: PAGE_RAM_BYTES };
  }
  try {
    return await prepareLinuxMachine(core, bytes, {
      args: ["/program"], env: [], files: [], stdin: new Uint8Array(0), stdinClosed: false, seed: 0,
      memoryLimit: PAGE_RAM_BYTES, outputLimit: PAGE_OUTPUT_LIMIT, exePath: "/program",
    });
  } catch (e) {
    throw new ProgramProblem((e as Error).message);
  }
}
