// Puts a prepared boot (boot-setup.ts) into a system machine: the firmware,
// kernel and initrd where the plan says, the DTB at its address, and the
// hart where the boot ROM would leave it. The core has no boot ROM device
// (yet), so the host applies the trampoline's effect itself — a0 = hartid,
// a1 = DTB, a2 = fw_dynamic info, t0 = pc = start address — and puts the
// fw_dynamic info block in RAM, in the page below the DTB, instead of at
// 0x1028 (OpenSBI reads it through a2, wherever it is).
import { parseElf, segmentData } from "../elf.ts";
import { isElf } from "./boot-images.ts";
import { checkRegions, type Region } from "./boot-layout.ts";
import { ROM_LAYOUT } from "./boot-rom.ts";
import type { SystemBoot } from "./boot-setup.ts";

/** What loading needs of a machine: RAM writes that keep the core's page flags true, registers, reset. */
export interface BootTarget {
  writeRam(paddr: number, bytes: Uint8Array): void;
  reset(pc: number): void;
  setRegister(index: number, value: number): void;
}

export interface BootImages {
  readonly firmware?: Uint8Array;
  readonly kernel?: Uint8Array;
  readonly initrd?: Uint8Array;
}

const REG = { t0: 5, a0: 10, a1: 11, a2: 12 } as const;
const PAGE = 4096;

/** Writes an ELF's segments at their physical addresses, or raw bytes at `start`. */
function writeImage(target: BootTarget, bytes: Uint8Array, start: number): void {
  if (!isElf(bytes)) {
    target.writeRam(start, bytes);
    return;
  }
  const elf = parseElf(bytes);
  for (const s of elf.segments) {
    if (s.memsz === 0n) continue;
    const image = new Uint8Array(Number(s.memsz)); // the part past filesz is .bss: zero
    image.set(segmentData(elf, s));
    target.writeRam(Number(s.paddr), image);
  }
}

/** Where the fw_dynamic info goes in RAM: the page below the DTB. */
export function fwDynamicInfoRegion(boot: SystemBoot): Region {
  const start = boot.dtbRegion.start - PAGE;
  return { name: "fw_dynamic info", start, end: start + (ROM_LAYOUT.end - ROM_LAYOUT.fwDynamicInfo) };
}

/** Loads the images and sets the hart up to start; throws BootLayoutError when the info block collides. */
export function loadSystemBoot(target: BootTarget, boot: SystemBoot, images: BootImages, ramBytes: number): void {
  const info = fwDynamicInfoRegion(boot);
  const placed = [boot.plan.firmware, boot.plan.kernel, boot.plan.initrd, boot.dtbRegion, info].filter((r): r is Region => r !== undefined);
  checkRegions(ramBytes, placed);
  target.reset(boot.plan.startAddress);
  if (images.firmware && boot.plan.firmware) writeImage(target, images.firmware, boot.plan.firmware.start);
  if (images.kernel && boot.plan.kernel) writeImage(target, images.kernel, boot.plan.kernel.start);
  if (images.initrd && boot.plan.initrd) target.writeRam(boot.plan.initrd.start, images.initrd);
  target.writeRam(boot.dtbRegion.start, boot.dtb);
  target.writeRam(info.start, boot.rom.subarray(ROM_LAYOUT.fwDynamicInfo, ROM_LAYOUT.end));
  target.setRegister(REG.a0, 0);
  target.setRegister(REG.a1, boot.dtbRegion.start);
  target.setRegister(REG.a2, info.start);
  target.setRegister(REG.t0, boot.plan.startAddress);
}

/** The BootTarget of a SystemMachine (RAM writes through its DMA view, which marks pages dirty and drops decoded code). */
export function systemMachineTarget(machine: {
  readonly memory: { write(paddr: bigint, bytes: Uint8Array): void };
  readonly core: { reset(pc: bigint): void; setX(i: number, v: bigint): void };
}): BootTarget {
  return {
    writeRam: (paddr, bytes) => machine.memory.write(BigInt(paddr), bytes),
    reset: (pc) => machine.core.reset(BigInt(pc)),
    setRegister: (i, v) => machine.core.setX(i, BigInt(v)),
  };
}
