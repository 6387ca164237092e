// Puts the pieces of a system boot together: places the images
// (boot-layout.ts), writes the device tree that names them (device-tree.ts)
// and the boot ROM that hands the DTB and fw_dynamic info to the first stage
// (boot-rom.ts). The machine copies `rom` to the ROM, `dtb` to `dtbAddress`,
// loads its images where `plan` says and resets the hart at the ROM's base.
import { type BootPlanInput, type BootPlan, planBoot, type Region } from "./boot-layout.ts";
import { BOOT_ROM, bootRomImage, FW_DYNAMIC } from "./boot-rom.ts";
import { boardDtb } from "./device-tree.ts";

export interface SystemBootInput extends BootPlanInput {
  readonly bootargs?: string;
  readonly rngSeed?: Uint8Array;
}

export interface SystemBoot {
  readonly plan: BootPlan;
  readonly dtb: Uint8Array;
  readonly dtbRegion: Region;
  /** Boot ROM contents, to be placed at `resetAddress`. */
  readonly rom: Uint8Array;
  /** Where the hart starts (the ROM's base, as on QEMU). */
  readonly resetAddress: number;
}

export function prepareSystemBoot(input: SystemBootInput): SystemBoot {
  const plan = planBoot(input);
  const dtb = boardDtb({
    ramBytes: input.ramBytes,
    bootargs: input.bootargs,
    initrd: plan.initrd && { start: plan.initrd.start, end: plan.initrd.end },
    rngSeed: input.rngSeed,
  });
  const dtbRegion = plan.placeDtb(dtb.length);
  const rom = bootRomImage({
    startAddress: plan.startAddress,
    dtbAddress: dtbRegion.start,
    // As QEMU: the next stage is entered in S-mode on hart 0.
    fwDynamic: { nextAddress: plan.kernelEntry, nextMode: FW_DYNAMIC.nextModeS, options: 0, bootHart: 0 },
  });
  return { plan, dtb, dtbRegion, rom, resetAddress: BOOT_ROM.base };
}
