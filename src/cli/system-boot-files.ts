// The system-mode boot files of `edgevm run` (the kernel, --bios, --initrd,
// --append) turned into a prepared boot (src/vm/system/boot-setup.ts), and
// `--dump-dtb FILE`: write the device tree that machine would get, then stop.
import { writeFile } from "node:fs/promises";
import { ElfError, parseElf } from "../vm/elf.ts";
import { classifyElf, type Program } from "../vm/program-kind.ts";
import { bootPlanInput, isElf } from "../vm/system/boot-images.ts";
import { BootLayoutError } from "../vm/system/boot-layout.ts";
import { prepareSystemBoot, type SystemBoot } from "../vm/system/boot-setup.ts";
import type { RunArgs } from "./args.ts";
import { describeFsError, usageError } from "./cli-error.ts";
import { readHostFile } from "./host-files.ts";

export interface SystemBootArgs {
  /** The kernel (or bare-metal program) file and its bytes. */
  readonly file: string;
  readonly kernel: Uint8Array;
  readonly ramMiB: number;
  /** --bios FILE; undefined or "none": no firmware, the kernel is entered in M-mode. */
  readonly bios?: string;
  readonly initrd?: string;
  readonly append?: string;
  /** For a raw kernel, the RAM it occupies beyond its file (a Linux Image's image_size). */
  readonly kernelMemoryBytes?: number;
}

/** Reads --bios and --initrd and prepares the boot; layout problems are usage errors (exit status 2). */
export async function prepareBootFromFiles(args: SystemBootArgs): Promise<SystemBoot> {
  const firmware = args.bios !== undefined && args.bios !== "none" ? await readHostFile(args.bios, `--bios ${args.bios}`, true) : undefined;
  const initrd = args.initrd !== undefined ? await readHostFile(args.initrd, `--initrd ${args.initrd}`, true) : undefined;
  try {
    const plan = bootPlanInput({
      ramBytes: args.ramMiB * 1024 * 1024,
      firmware,
      kernel: args.kernel,
      kernelMemoryBytes: args.kernelMemoryBytes,
      initrd,
    });
    return prepareSystemBoot({ ...plan, bootargs: args.append });
  } catch (e) {
    if (e instanceof BootLayoutError || e instanceof RangeError || e instanceof ElfError) throw usageError(`${args.file}: ${e.message}`);
    throw e;
  }
}

/** Options that only a system machine takes; a Linux program (process mode) refuses them. */
const SYSTEM_OPTIONS = ["--bios", "--initrd", "--append", "--dump-dtb"] as const;

function systemOptionsGiven(args: RunArgs): string[] {
  const given = { "--bios": args.bios, "--initrd": args.initrd, "--append": args.append, "--dump-dtb": args.dumpDtb };
  return SYSTEM_OPTIONS.filter((o) => given[o] !== undefined);
}

/**
 * Checks the system-mode options against the program before a run. The run
 * paths do not load firmware or an initrd yet (only --dump-dtb uses them), so
 * they are refused rather than silently ignored.
 */
export function checkSystemBootRun(args: RunArgs, program: Program): void {
  const given = systemOptionsGiven(args);
  if (given.length === 0) return;
  if (program.kind === "linux") throw usageError(`${given[0]} applies to system mode; ${args.file} is a Linux program`);
  throw usageError(`${given.join(", ")}: running with firmware, an initrd or a command line is not supported yet; --dump-dtb FILE writes the device tree they give`);
}

/** `--dump-dtb FILE`: writes the DTB a system machine booting `args.file` would get; returns exit status 0. */
export async function dumpDeviceTreeCommand(args: RunArgs, out: string): Promise<number> {
  const kernel = await readHostFile(args.file, args.file, true);
  if (isElf(kernel)) {
    try {
      if (classifyElf(parseElf(kernel)) === "linux") throw usageError(`--dump-dtb applies to system mode; ${args.file} is a Linux program`);
    } catch (e) {
      if (e instanceof ElfError) throw usageError(`${args.file}: ${e.message}`);
      throw e;
    }
  }
  const boot = await prepareBootFromFiles({ file: args.file, kernel, ramMiB: args.ramMiB, bios: args.bios, initrd: args.initrd, append: args.append });
  try {
    await writeFile(out, boot.dtb);
  } catch (e) {
    throw usageError(`--dump-dtb ${out}: ${describeFsError(e)}`);
  }
  return 0;
}
