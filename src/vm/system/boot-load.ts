// Puts a prepared system boot (boot-setup.ts: where each image goes, the
// device tree, the reset vector) into a SystemMachine and resets the hart, so
// the first instruction is the firmware's (or the kernel's) with the
// registers QEMU's reset trampoline hands it: a0 = hartid, a1 = DTB,
// a2 = the fw_dynamic info struct (docs/system-boot.md).
//
// The core does not map the boot ROM at 0x1000 yet, so the hart starts at
// the trampoline's target with those registers already set, and the
// fw_dynamic struct (six words, as in the ROM) sits in RAM just after the
// DTB, in the DTB's 2 MiB slot at the top of RAM: both edgevm-sbi and
// OpenSBI read it before anything else.
import { isElf } from "./boot-images.ts";
import { FW_DYNAMIC } from "./boot-rom.ts";
import type { SystemBoot } from "./boot-setup.ts";
import { parseElf, segmentData } from "../elf.ts";
import type { SystemMachine } from "./system-machine.ts";

export interface BootImages {
  readonly firmware?: Uint8Array;
  readonly kernel?: Uint8Array;
  readonly initrd?: Uint8Array;
}

const A0 = 10;
const A1 = 11;
const A2 = 12;

/** Writes an image where the plan put it: an ELF's segments at their physical addresses, anything else at `start`. */
function place(machine: SystemMachine, bytes: Uint8Array, start: number): void {
  if (!isElf(bytes)) {
    machine.memory.write(BigInt(start), bytes);
    machine.core.codeWritten(BigInt(start), bytes.length);
    return;
  }
  const elf = parseElf(bytes);
  for (const s of elf.segments) {
    if (s.memsz === 0n) continue;
    const image = new Uint8Array(Number(s.memsz));
    image.set(segmentData(elf, s));
    machine.memory.write(s.paddr, image);
    machine.core.codeWritten(s.paddr, image.length);
  }
}

/** The fw_dynamic info block (OpenSBI include/sbi/fw_dynamic.h), little-endian words. */
function fwDynamicInfo(boot: SystemBoot): Uint8Array {
  const words = [FW_DYNAMIC.magic, FW_DYNAMIC.version, boot.plan.kernelEntry, FW_DYNAMIC.nextModeS, 0, 0];
  const bytes = new Uint8Array(FW_DYNAMIC.words * 8);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, BigInt(w), true));
  return bytes;
}

/** Loads the images and the DTB, and resets the hart to the boot's start in M-mode. */
export function loadSystemBoot(machine: SystemMachine, boot: SystemBoot, images: BootImages): void {
  const { plan } = boot;
  machine.core.reset(BigInt(plan.startAddress));
  if (images.firmware && plan.firmware) place(machine, images.firmware, plan.firmware.start);
  if (images.kernel && plan.kernel) place(machine, images.kernel, plan.kernel.start);
  if (images.initrd && plan.initrd) machine.memory.write(BigInt(plan.initrd.start), images.initrd);
  machine.memory.write(BigInt(boot.dtbRegion.start), boot.dtb);
  const info = BigInt(Math.ceil(boot.dtbRegion.end / 8) * 8);
  machine.memory.write(info, fwDynamicInfo(boot));
  machine.core.setX(A0, 0n);
  machine.core.setX(A1, BigInt(boot.dtbRegion.start));
  machine.core.setX(A2, info);
}
