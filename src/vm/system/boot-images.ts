// From the files a user gives (--bios, the kernel, --initrd) to the extents
// boot-layout.ts places, as QEMU 7.2 loads them on virt: an ELF at its
// physical addresses (the kernel entered at its physical entry), anything
// else as a raw image — the firmware at RAM base, the kernel at the
// firmware's end rounded up to 2 MiB (a Linux `Image` has no load address of
// its own and is entered at its first byte).
import { parseElf, physicalEntry, type Elf } from "../elf.ts";
import { RAM_BASE } from "./board.ts";
import { type BootPlanInput, kernelLoadAddress } from "./boot-layout.ts";

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function isElf(bytes: Uint8Array): boolean {
  return ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Where a loaded image lies: [start, end), and where it is entered. */
export interface ImageExtent {
  readonly start: number;
  readonly end: number;
  readonly entry: number;
}

function elfExtent(elf: Elf): ImageExtent {
  const loaded = elf.segments.filter((s) => s.memsz > 0n);
  if (loaded.length === 0) throw new RangeError("the ELF has no loadable segments");
  const start = loaded.reduce((min, s) => (s.paddr < min ? s.paddr : min), loaded[0].paddr);
  const end = loaded.reduce((max, s) => (s.paddr + s.memsz > max ? s.paddr + s.memsz : max), 0n);
  return { start: Number(start), end: Number(end), entry: Number(physicalEntry(elf)) };
}

/** The firmware's extent: an ELF where it says, a raw image at RAM base. */
export function firmwareExtent(bytes: Uint8Array): ImageExtent {
  if (isElf(bytes)) return elfExtent(parseElf(bytes));
  return { start: RAM_BASE, end: RAM_BASE + bytes.length, entry: RAM_BASE };
}

/**
 * The kernel's extent after a firmware ending at `firmwareEnd` (none: RAM
 * base). `memoryBytes` is how much RAM a raw image occupies when that is more
 * than the file (a Linux Image header's image_size, which covers its .bss).
 */
export function kernelExtent(bytes: Uint8Array, firmwareEnd?: number, memoryBytes?: number): ImageExtent {
  if (isElf(bytes)) return elfExtent(parseElf(bytes));
  const start = kernelLoadAddress(firmwareEnd);
  return { start, end: start + Math.max(bytes.length, memoryBytes ?? 0), entry: start };
}

export interface BootFiles {
  readonly ramBytes: number;
  readonly firmware?: Uint8Array;
  readonly kernel?: Uint8Array;
  /** For a raw kernel, the RAM it occupies if more than its size (see kernelExtent). */
  readonly kernelMemoryBytes?: number;
  readonly initrd?: Uint8Array;
}

/** The boot plan input for these files (what prepareSystemBoot takes, with the command line). */
export function bootPlanInput(files: BootFiles): BootPlanInput & { firmwareExtent?: ImageExtent } {
  const firmware = files.firmware && firmwareExtent(files.firmware);
  const kernel = files.kernel && kernelExtent(files.kernel, firmware?.end, files.kernelMemoryBytes);
  return {
    ramBytes: files.ramBytes,
    // The layout reserves firmware from RAM base to its end, as QEMU computes the kernel's address from it.
    firmwareBytes: firmware && firmware.end - RAM_BASE,
    firmwareExtent: firmware,
    kernel,
    initrdBytes: files.initrd?.length,
  };
}
