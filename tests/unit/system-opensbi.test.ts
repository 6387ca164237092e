// Debian's OpenSBI booted on edgevm's system machine with our boot files:
// the board's DTB (which OpenSBI parses to find its console, timer, IPI and
// reset devices), the fw_dynamic info and the register hand-over of the boot
// ROM. A stand-in kernel at 0x8020_0000 powers off through the finisher from
// S-mode, so reaching the halt proves OpenSBI entered the next stage.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bootPlanInput } from "../../src/vm/system/boot-images.ts";
import { loadSystemBoot, systemMachineTarget } from "../../src/vm/system/boot-loader.ts";
import { prepareSystemBoot } from "../../src/vm/system/boot-setup.ts";
import { SystemMachine } from "../../src/vm/system/system-machine.ts";
import { newInstance } from "../support/bare-core.ts";
import { findOpenSbiDynamic, findOpenSbiJumpElf } from "../support/qemu.ts";

const MiB = 1 << 20;
// lui t1, 0x100; lui t2, 0x5; addi t2, t2, 0x555; sw t2, 0(t1); j .  (poweroff with code 0)
const POWEROFF_KERNEL = new Uint8Array(new Uint32Array([0x0010_0337, 0x0000_53b7, 0x5553_8393, 0x0073_2023, 0x0000_006f]).buffer);

async function bootOpenSbi(firmwarePath: string) {
  const ramBytes = 128 * MiB;
  const firmware = new Uint8Array(readFileSync(firmwarePath));
  const boot = prepareSystemBoot({ ...bootPlanInput({ ramBytes, firmware, kernel: POWEROFF_KERNEL }), bootargs: "console=ttyS0" });
  const machine = SystemMachine.fromInstance(newInstance(), { ramBytes });
  loadSystemBoot(systemMachineTarget(machine), boot, { firmware, kernel: POWEROFF_KERNEL }, ramBytes);
  const chunks: Uint8Array[] = [];
  const result = await machine.run(100_000_000n, { onConsole: (b) => chunks.push(b) });
  const out = Buffer.concat(chunks).toString("latin1");
  const field = (name: string) => new RegExp(`^${name}\\s*: (.*)$`, "m").exec(out)?.[1];
  return { boot, result, out, field, pc: machine.core.getPc() };
}

const hex16 = (n: number) => `0x${n.toString(16).padStart(16, "0")}`;

describe("OpenSBI on edgevm's virt board", () => {
  it("fw_dynamic.bin boots on our DTB and enters the kernel in S-mode", async (ctx) => {
    const path = findOpenSbiDynamic();
    if (!path) {
      console.log("SKIP OpenSBI fw_dynamic boot: no fw_dynamic.bin (Debian package opensbi or qemu-system-data)");
      ctx.skip();
    }
    const { boot, result, out, field, pc } = await bootOpenSbi(path!);
    expect(result.status, out).toBe("halted");
    expect(result.exitCode).toBe(0);
    expect(pc).toBeGreaterThanOrEqual(0x8020_0000n);
    expect(field("Platform Name")).toBe("riscv-virtio,qemu");
    expect(field("Platform Console Device")).toBe("uart8250");
    expect(field("Platform Timer Device")).toBe("aclint-mtimer @ 10000000Hz");
    expect(field("Platform IPI Device")).toBe("aclint-mswi");
    expect(field("Platform Shutdown Device")).toBe("sifive_test");
    expect(field("Domain0 Next Address")).toBe(hex16(0x8020_0000));
    expect(field("Domain0 Next Arg1")).toBe(hex16(boot.dtbRegion.start));
    expect(field("Domain0 Next Mode")).toBe("S-mode");
    expect(field("Boot HART ISA Extensions")).toContain("sstc");
  });

  it("fw_jump.elf (an ELF firmware) boots too", async (ctx) => {
    const path = findOpenSbiJumpElf();
    if (!path) {
      console.log("SKIP OpenSBI fw_jump boot: no fw_jump.elf (Debian package opensbi)");
      ctx.skip();
    }
    const { result, out, field } = await bootOpenSbi(path!);
    expect(result.status, out).toBe("halted");
    expect(result.exitCode).toBe(0);
    expect(field("Platform Name")).toBe("riscv-virtio,qemu");
    expect(field("Domain0 Next Address")).toBe(hex16(0x8020_0000));
  });
});
