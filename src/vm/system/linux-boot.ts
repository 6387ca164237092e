// What a Linux kernel `Image` adds to a system boot: with no --bios it gets
// edgevm-sbi (docs/sbi.md) at RAM base instead of running in M-mode, and it
// occupies its header's image_size in RAM (its .bss lies past the file), so
// nothing is placed on top of it.
import type { BootFiles } from "./boot-images.ts";
import { parseKernelImageHeader } from "./kernel-image.ts";
import { edgevmSbiImage } from "./sbi/edgevm-sbi-image.ts";

export interface KernelBootFiles {
  readonly ramBytes: number;
  readonly kernel: Uint8Array;
  /** --bios FILE's bytes; "none" for --bios none; undefined when not given. */
  readonly firmware?: Uint8Array | "none";
  readonly initrd?: Uint8Array;
}

/** The boot files for a kernel: a Linux Image without --bios boots on edgevm-sbi; an ELF without --bios boots alone. */
export function kernelBootFiles(files: KernelBootFiles): BootFiles {
  const header = parseKernelImageHeader(files.kernel);
  const firmware =
    files.firmware === "none" ? undefined : (files.firmware ?? (header ? edgevmSbiImage() : undefined));
  const imageSize = header ? Number(header.imageSize) : 0;
  return {
    ramBytes: files.ramBytes,
    firmware,
    kernel: files.kernel,
    kernelMemoryBytes: imageSize > files.kernel.length ? imageSize : undefined,
    initrd: files.initrd,
  };
}
