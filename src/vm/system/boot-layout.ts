// Where the boot images go in RAM, by the rules QEMU 7.2 applies on its virt
// board (hw/riscv/boot.c and virt.c), so a kernel or firmware finds its
// initrd and device tree where it would under QEMU:
//   - firmware (--bios) at RAM base;
//   - the kernel at the firmware's end rounded up to 2 MiB (RV64; RAM base
//     without firmware), so OpenSBI's fw_dynamic hands over at 0x8020_0000;
//   - the initrd at kernel entry + min(RAM / 2, 128 MiB), far enough that a
//     decompressing kernel does not overwrite it, low enough to be in lowmem;
//   - the DTB at the highest 2 MiB boundary that leaves room for it below the
//     end of RAM or 3 GiB, whichever is lower, so 32-bit code can reach it.
// Unlike QEMU we also check that nothing overlaps and everything is in RAM.
import { RAM_BASE } from "./board.ts";

const MiB = 1 << 20;

/** RV64 kernels are aligned to 2 MiB (a megapage), RV32 ones to 4 MiB; we are RV64 only. */
export const KERNEL_ALIGN = 2 * MiB;
export const DTB_ALIGN = 2 * MiB;
export const DTB_LIMIT = 3072 * MiB;
export const INITRD_MAX_OFFSET = 128 * MiB;

export class BootLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BootLayoutError";
  }
}

const alignUp = (value: number, align: number) => Math.ceil(value / align) * align;
const alignDown = (value: number, align: number) => Math.floor(value / align) * align;
const hex = (n: number) => `0x${n.toString(16)}`;

/** A placed image: [start, end) in physical memory. */
export interface Region {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** Where the kernel is loaded: after the firmware (which ends at `firmwareEnd`), or at RAM base without one. */
export function kernelLoadAddress(firmwareEnd?: number): number {
  return firmwareEnd === undefined ? RAM_BASE : alignUp(firmwareEnd, KERNEL_ALIGN);
}

/** Where an initrd goes for a kernel entered at `kernelEntry` on a machine with `ramBytes` of RAM. */
export function initrdAddress(kernelEntry: number, ramBytes: number): number {
  return kernelEntry + Math.min(Math.floor(ramBytes / 2), INITRD_MAX_OFFSET);
}

/** Where a DTB of `dtbBytes` goes. */
export function dtbAddress(ramBytes: number, dtbBytes: number): number {
  const ramEnd = RAM_BASE + ramBytes;
  const top = RAM_BASE < DTB_LIMIT ? Math.min(ramEnd, DTB_LIMIT) : ramEnd;
  const at = alignDown(top - dtbBytes, DTB_ALIGN);
  if (at < RAM_BASE) throw new BootLayoutError(`a ${dtbBytes}-byte device tree does not fit in ${ramBytes >> 20} MiB of RAM`);
  return at;
}

/** Throws BootLayoutError unless every region lies in RAM and no two overlap. */
export function checkRegions(ramBytes: number, regions: readonly Region[]): void {
  const ramEnd = RAM_BASE + ramBytes;
  for (const r of regions) {
    if (r.start < RAM_BASE || r.end > ramEnd) {
      throw new BootLayoutError(`the ${r.name} (${hex(r.start)}..${hex(r.end)}) does not fit in RAM (${hex(RAM_BASE)}..${hex(ramEnd)}); give more --ram`);
    }
  }
  const sorted = [...regions].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (b.start < a.end) {
      throw new BootLayoutError(`the ${a.name} (${hex(a.start)}..${hex(a.end)}) overlaps the ${b.name} (${hex(b.start)}..${hex(b.end)})`);
    }
  }
}

export interface BootPlanInput {
  readonly ramBytes: number;
  /** Size of the firmware image loaded at RAM base (--bios), if any. */
  readonly firmwareBytes?: number;
  /** The kernel's extent in RAM and its entry; omit for a firmware-only boot. */
  readonly kernel?: { readonly start: number; readonly end: number; readonly entry: number };
  readonly initrdBytes?: number;
}

export interface BootPlan {
  readonly firmware?: Region;
  readonly kernel?: Region;
  readonly initrd?: Region;
  /** Where the trampoline jumps: the firmware, else the kernel's entry. */
  readonly startAddress: number;
  /** The kernel's entry, for fw_dynamic next_addr (0 when there is no kernel, as QEMU). */
  readonly kernelEntry: number;
  /** Places the DTB once its size is known (the DTB names the initrd, so it is built after it is placed). */
  placeDtb(dtbBytes: number): Region;
}

/** Plans the boot images; throws BootLayoutError when they do not fit. */
export function planBoot(input: BootPlanInput): BootPlan {
  const { ramBytes } = input;
  const firmware = input.firmwareBytes === undefined ? undefined : { name: "firmware", start: RAM_BASE, end: RAM_BASE + input.firmwareBytes };
  const kernel = input.kernel && { name: "kernel", start: input.kernel.start, end: input.kernel.end };
  const kernelEntry = input.kernel?.entry ?? 0;
  let initrd: Region | undefined;
  if (input.initrdBytes !== undefined) {
    if (!input.kernel) throw new BootLayoutError("an initrd needs a kernel");
    const start = initrdAddress(kernelEntry, ramBytes);
    initrd = { name: "initrd", start, end: start + input.initrdBytes };
  }
  const placed = [firmware, kernel, initrd].filter((r): r is Region => r !== undefined);
  checkRegions(ramBytes, placed);
  return {
    firmware,
    kernel,
    initrd,
    startAddress: firmware ? firmware.start : kernelEntry,
    kernelEntry,
    placeDtb(dtbBytes: number): Region {
      const start = dtbAddress(ramBytes, dtbBytes);
      const dtb = { name: "device tree", start, end: start + dtbBytes };
      checkRegions(ramBytes, [...placed, dtb]);
      return dtb;
    },
  };
}
