// The system-mode boot files of `edgevm run` (the kernel, --bios, --initrd,
// --append) turned into a prepared boot (src/vm/system/boot-setup.ts), and
// `--dump-dtb FILE`: write the device tree that machine would get, then stop.
import { writeFile } from "node:fs/promises";
import { ElfError } from "../vm/elf.ts";
import { bootPlanInput } from "../vm/system/boot-images.ts";
import { BootLayoutError } from "../vm/system/boot-layout.ts";
import { prepareSystemBoot, type SystemBoot } from "../vm/system/boot-setup.ts";
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

/** `--dump-dtb FILE`: writes the DTB and returns exit status 0. */
export async function dumpDeviceTree(args: SystemBootArgs, out: string): Promise<number> {
  const boot = await prepareBootFromFiles(args);
  try {
    await writeFile(out, boot.dtb);
  } catch (e) {
    throw usageError(`--dump-dtb ${out}: ${describeFsError(e)}`);
  }
  return 0;
}
