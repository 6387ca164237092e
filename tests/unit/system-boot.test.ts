// The boot ROM's trampoline decoded instruction by instruction, the
// fw_dynamic block, and the placement of kernel, initrd and DTB checked
// against QEMU's rules and, when QEMU is installed, against QEMU itself
// (its in_asm log of the ROM and its registers at the first RAM instruction).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BootLayoutError, dtbAddress, initrdAddress, kernelLoadAddress, planBoot } from "../../src/vm/system/boot-layout.ts";
import { FW_DYNAMIC, FW_DYNAMIC_INFO_ADDRESS, ROM_LAYOUT, trampolineCode } from "../../src/vm/system/boot-rom.ts";
import { bootPlanInput } from "../../src/vm/system/boot-images.ts";
import { prepareSystemBoot } from "../../src/vm/system/boot-setup.ts";
import { findNode, findProperty, readCells } from "../../src/vm/system/fdt.ts";
import { readFdt } from "../../src/vm/system/fdt-reader.ts";
import { QEMU_SYSTEM, skipWithoutQemu } from "../support/qemu.ts";

const MiB = 1 << 20;

/** An independent decoder for the handful of RV64I/Zicsr forms the trampoline may use (unprivileged spec 2.3). */
function decode(insn: number): string {
  const opcode = insn & 0x7f;
  const rd = (insn >>> 7) & 31;
  const funct3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const immI = insn >> 20; // arithmetic shift sign-extends
  if (opcode === 0x17) return `auipc x${rd}, ${insn >>> 12}`;
  if (opcode === 0x13 && funct3 === 0) return `addi x${rd}, x${rs1}, ${immI}`;
  if (opcode === 0x03 && funct3 === 3) return `ld x${rd}, ${immI}(x${rs1})`;
  if (opcode === 0x67 && funct3 === 0) return `jalr x${rd}, ${immI}(x${rs1})`;
  if (opcode === 0x73 && funct3 === 2) return `csrrs x${rd}, 0x${(insn >>> 20).toString(16)}, x${rs1}`;
  return `unknown 0x${insn.toString(16)}`;
}

/** Runs the trampoline on a model hart whose ROM is `rom` at 0x1000: returns a0, a1, a2 and the pc it jumps to. */
function runTrampoline(rom: Uint8Array, mhartid: bigint): { a0: bigint; a1: bigint; a2: bigint; pc: bigint } {
  const view = new DataView(rom.buffer, rom.byteOffset);
  const x = new Array<bigint>(32).fill(0n);
  let pc = 0x1000n;
  for (let steps = 0; steps < 16; steps++) {
    const offset = Number(pc - 0x1000n);
    if (offset < 0 || offset >= rom.length) return { a0: x[10], a1: x[11], a2: x[12], pc };
    const insn = view.getUint32(offset, true);
    const [rd, rs1, imm] = [(insn >>> 7) & 31, (insn >>> 15) & 31, BigInt(insn >> 20)];
    const set = (v: bigint) => rd !== 0 && (x[rd] = BigInt.asUintN(64, v));
    let next = pc + 4n;
    switch (decode(insn).split(" ")[0]) {
      case "auipc": set(pc + BigInt((insn & 0xffff_f000) >> 0)); break;
      case "addi": set(x[rs1] + imm); break;
      case "csrrs": expect(insn >>> 20).toBe(0xf14); set(mhartid); break;
      case "ld": set(view.getBigUint64(Number(x[rs1] + imm - 0x1000n), true)); break;
      case "jalr": next = (x[rs1] + imm) & ~1n; set(pc + 4n); break;
      default: throw new Error(`the trampoline holds ${decode(insn)}`);
    }
    pc = next;
  }
  throw new Error("the trampoline did not leave the ROM");
}

describe("the boot ROM", () => {
  it("is auipc t0; addi a2; csrr a0, mhartid; ld a1; ld t0; jr t0", () => {
    expect(trampolineCode().map(decode)).toEqual([
      "auipc x5, 0",
      `addi x12, x5, ${ROM_LAYOUT.fwDynamicInfo}`,
      "csrrs x10, 0xf14, x0",
      `ld x11, ${ROM_LAYOUT.dtbAddress}(x5)`,
      `ld x5, ${ROM_LAYOUT.startAddress}(x5)`,
      "jalr x0, 0(x5)",
    ]);
  });

  it("hands a0 = hartid, a1 = DTB, a2 = fw_dynamic info to the firmware, with the kernel as next_addr in S-mode", () => {
    const boot = prepareSystemBoot({ ramBytes: 128 * MiB, firmwareBytes: 300_000, kernel: { start: 0x8020_0000, end: 0x8040_0000, entry: 0x8020_0000 } });
    const regs = runTrampoline(boot.rom, 0n);
    expect(regs).toEqual({ a0: 0n, a1: BigInt(boot.dtbRegion.start), a2: BigInt(FW_DYNAMIC_INFO_ADDRESS), pc: 0x8000_0000n });
    const info = new DataView(boot.rom.buffer, ROM_LAYOUT.fwDynamicInfo, FW_DYNAMIC.words * 8);
    const words = Array.from({ length: FW_DYNAMIC.words }, (_, i) => info.getBigUint64(i * 8, true));
    expect(words).toEqual([0x4942_534fn, 2n, 0x8020_0000n, 1n, 0n, 0n]);
    expect(new TextDecoder().decode(boot.rom.subarray(ROM_LAYOUT.fwDynamicInfo, ROM_LAYOUT.fwDynamicInfo + 4))).toBe("OSBI");
  });

  it("enters a kernel directly when there is no firmware", () => {
    const boot = prepareSystemBoot({ ramBytes: 128 * MiB, kernel: { start: 0x8000_0000, end: 0x8001_0000, entry: 0x8000_0000 } });
    expect(runTrampoline(boot.rom, 0n).pc).toBe(0x8000_0000n);
  });
});

describe("the boot layout (QEMU hw/riscv/boot.c rules)", () => {
  it("puts the kernel at the firmware's end rounded up to 2 MiB, or at RAM base", () => {
    expect(kernelLoadAddress()).toBe(0x8000_0000);
    expect(kernelLoadAddress(0x8000_0000 + 270_000)).toBe(0x8020_0000);
    expect(kernelLoadAddress(0x8020_0000)).toBe(0x8020_0000);
    expect(kernelLoadAddress(0x8020_0001)).toBe(0x8040_0000);
  });

  it("puts the initrd half-way into small RAM and 128 MiB past the kernel in large RAM", () => {
    expect(initrdAddress(0x8000_0000, 128 * MiB)).toBe(0x8400_0000);
    expect(initrdAddress(0x8020_0000, 256 * MiB)).toBe(0x8820_0000);
    expect(initrdAddress(0x8020_0000, 2048 * MiB)).toBe(0x8820_0000);
  });

  it("puts the DTB at the last 2 MiB boundary below the end of RAM or 3 GiB", () => {
    expect(dtbAddress(128 * MiB, 3000)).toBe(0x87e0_0000);
    expect(dtbAddress(128 * MiB, 1 * MiB)).toBe(0x87e0_0000);
    expect(dtbAddress(128 * MiB, 2 * MiB + 1)).toBe(0x87c0_0000);
    expect(dtbAddress(4096 * MiB, 3000)).toBe(0xbfe0_0000);
    expect(() => dtbAddress(2 * MiB, 3 * MiB)).toThrow(BootLayoutError);
  });

  it("refuses an initrd that runs into the device tree or past RAM", () => {
    const kernel = { start: 0x8000_0000, end: 0x8010_0000, entry: 0x8000_0000 };
    expect(() => planBoot({ ramBytes: 128 * MiB, kernel, initrdBytes: 70 * MiB })).toThrow(/initrd .* does not fit in RAM/);
    const plan = planBoot({ ramBytes: 128 * MiB, kernel, initrdBytes: 63 * MiB });
    expect(() => plan.placeDtb(3000)).toThrow(/initrd .* overlaps the device tree/);
    expect(() => planBoot({ ramBytes: 128 * MiB, firmwareBytes: 3 * MiB, kernel: { start: 0x8020_0000, end: 0x8030_0000, entry: 0x8020_0000 } })).toThrow(/firmware .* overlaps the kernel/);
  });

  it("loads an ELF where its segments say and a raw kernel after the firmware", () => {
    const elfBytes = new Uint8Array(readFileSync(new URL("../../tests/guest/cli/hello.elf", import.meta.url)));
    const elf = bootPlanInput({ ramBytes: 128 * MiB, kernel: elfBytes }).kernel!;
    expect(elf.start).toBe(0x8000_0000);
    expect(elf.end).toBeGreaterThan(elf.start);
    expect(elf.entry).toBe(0x8000_0000);
    const raw = bootPlanInput({ ramBytes: 128 * MiB, firmware: new Uint8Array(1000), kernel: new Uint8Array(5000), kernelMemoryBytes: 0x2c_3000 });
    expect(raw.firmwareBytes).toBe(1000);
    expect(raw.kernel).toEqual({ start: 0x8020_0000, end: 0x8020_0000 + 0x2c_3000, entry: 0x8020_0000 });
    expect(bootPlanInput({ ramBytes: 128 * MiB, kernel: new Uint8Array(16) }).kernel?.start).toBe(0x8000_0000);
  });

  it("names the placed initrd in /chosen", () => {
    const boot = prepareSystemBoot({ ramBytes: 256 * MiB, kernel: { start: 0x8020_0000, end: 0x8060_0000, entry: 0x8020_0000 }, initrdBytes: 4096, firmwareBytes: 100_000 });
    const chosen = findNode(readFdt(boot.dtb).root, "/chosen")!;
    expect(readCells(findProperty(chosen, "linux,initrd-start")!.value)).toEqual([0x8820_0000]);
    expect(readCells(findProperty(chosen, "linux,initrd-end")!.value)).toEqual([0x8820_1000]);
    expect(boot.dtbRegion.start).toBe(0x8fe0_0000);
  });
});

// ld rd, 0(rs1) and j . as raw words, for the firmware stand-in below.
const ldWord = (rd: number, rs1: number, offset: number) => ((offset << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x03) >>> 0;
const J_SELF = 0x0000_006f;
const J_NEXT = 0x0040_006f; // jal x0, +4: ends QEMU's translation block so the next one logs the registers
// lui t1, 0x100; lui t2, 0x5; addi t2, t2, 0x555; sw t2, 0(t1): write 0x5555 to the sifive,test finisher (QEMU exits).
const POWEROFF = [(0x100 << 12) | (6 << 7) | 0x37, (0x5 << 12) | (7 << 7) | 0x37, ((0x555 << 20) | (7 << 15) | (7 << 7) | 0x13) >>> 0, (7 << 20) | (6 << 15) | (2 << 12) | 0x23, J_SELF];

function words(list: number[]): Uint8Array {
  const out = new Uint8Array(list.length * 4);
  list.forEach((w, i) => new DataView(out.buffer).setUint32(i * 4, w, true));
  return out;
}

/** Runs QEMU with -d in_asm,cpu until the guest powers off; returns the log. */
function qemuLog(args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "edgevm-boot-"));
  const log = join(dir, "qemu.log");
  spawnSync(QEMU_SYSTEM, ["-machine", "virt", "-smp", "1", "-display", "none", "-monitor", "none", "-serial", "none", "-d", "in_asm,cpu", "-D", log, ...args.map((a) => a.replace("$DIR", dir))], {
    timeout: 10_000,
    input: "",
    env: { ...process.env },
    cwd: dir,
  });
  return readFileSync(log, "utf8");
}

/** The register file QEMU logs when it first reaches `pc`. */
function registersAt(log: string, pc: number): Record<string, bigint> {
  const at = log.indexOf(` pc       ${pc.toString(16).padStart(16, "0")}`);
  expect(at, `QEMU never reached 0x${pc.toString(16)}`).toBeGreaterThan(0);
  const block = log.slice(at, at + 4000);
  const regs: Record<string, bigint> = {};
  for (const m of block.matchAll(/x\d+\/(\w+)\s+([0-9a-f]{16})/g)) if (!(m[1] in regs)) regs[m[1]] = BigInt(`0x${m[2]}`);
  return regs;
}

describe("the boot ROM and layout against QEMU's virt machine", () => {
  it("has the same trampoline words QEMU executes at 0x1000", (ctx) => {
    if (skipWithoutQemu("boot ROM comparison with QEMU")) ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), "edgevm-rom-"));
    writeFileSync(join(dir, "k.bin"), words(POWEROFF));
    const log = qemuLog(["-m", "128M", "-bios", "none", "-kernel", join(dir, "k.bin")]);
    const executed = [...log.matchAll(/^0x00000000000010([0-9a-f]{2}):\s+([0-9a-f]{8})/gm)].map((m) => [parseInt(m[1], 16), parseInt(m[2], 16)]);
    expect(executed.map(([, w]) => w)).toEqual(trampolineCode());
    expect(executed.map(([off]) => off)).toEqual([0, 4, 8, 12, 16, 20]);
  });

  /** Boots QEMU with a stand-in firmware of `padTo` bytes, a kernel and an initrd; compares what the firmware sees with ours. */
  function compareFirmwareEntry(ramMiB: number, padTo: number): void {
    const dir = mkdtempSync(join(tmpdir(), "edgevm-fw-"));
    // A stand-in firmware: load the six fw_dynamic words (a2 = x12) into s2..s7, then power off.
    const code = words([...[18, 19, 20, 21, 22, 23].map((rd, i) => ldWord(rd, 12, i * 8)), J_NEXT, ...POWEROFF]);
    const firmware = new Uint8Array(Math.max(padTo, code.length));
    firmware.set(code);
    writeFileSync(join(dir, "fw.bin"), firmware);
    const kernel = words([J_SELF]);
    writeFileSync(join(dir, "k.bin"), kernel);
    const initrd = new Uint8Array(0x3456);
    writeFileSync(join(dir, "initrd"), initrd);
    const log = qemuLog(["-m", `${ramMiB}M`, "-bios", join(dir, "fw.bin"), "-kernel", join(dir, "k.bin"), "-initrd", join(dir, "initrd")]);
    const q = registersAt(log, 0x8000_0000 + 28);

    const ours = prepareSystemBoot(bootPlanInput({ ramBytes: ramMiB * MiB, firmware, kernel, initrd }));
    const regs = runTrampoline(ours.rom, 0n);
    expect({ a0: regs.a0, a1: regs.a1, a2: regs.a2 }).toEqual({ a0: q.a0, a1: q.a1, a2: q.a2 });
    const info = new DataView(ours.rom.buffer, ROM_LAYOUT.fwDynamicInfo);
    expect([q.s2, q.s3, q.s4, q.s5, q.s6, q.s7]).toEqual(Array.from({ length: 6 }, (_, i) => info.getBigUint64(i * 8, true)));
  }

  for (const ramMiB of [128, 256, 1024, 4096]) {
    it(`enters firmware with the same a0/a1/a2 and fw_dynamic info as QEMU (${ramMiB} MiB, kernel and initrd)`, (ctx) => {
      if (skipWithoutQemu("boot register comparison with QEMU")) ctx.skip();
      compareFirmwareEntry(ramMiB, 0);
    });
  }

  it("moves the kernel past a firmware larger than 2 MiB as QEMU does (fw_dynamic next_addr)", (ctx) => {
    if (skipWithoutQemu("kernel placement comparison with QEMU")) ctx.skip();
    expect(bootPlanInput({ ramBytes: 128 * MiB, firmware: new Uint8Array(2 * MiB + 5), kernel: new Uint8Array(8) }).kernel?.start).toBe(0x8040_0000);
    compareFirmwareEntry(256, 2 * MiB + 5);
  });

  it("places the initrd where QEMU's /chosen says", (ctx) => {
    if (skipWithoutQemu("initrd placement comparison with QEMU")) ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), "edgevm-initrd-"));
    writeFileSync(join(dir, "fw.bin"), words([J_SELF]));
    writeFileSync(join(dir, "k.bin"), words([J_SELF]));
    writeFileSync(join(dir, "initrd"), new Uint8Array(5000));
    for (const ramMiB of [64, 512]) {
      const dtbFile = join(dir, `q${ramMiB}.dtb`);
      spawnSync(QEMU_SYSTEM, ["-machine", `virt,dumpdtb=${dtbFile}`, "-m", `${ramMiB}M`, "-display", "none", "-monitor", "none", "-serial", "none",
        "-bios", join(dir, "fw.bin"), "-kernel", join(dir, "k.bin"), "-initrd", join(dir, "initrd")], { timeout: 10_000 });
      const chosen = findNode(readFdt(new Uint8Array(readFileSync(dtbFile))).root, "/chosen")!;
      const plan = planBoot({ ramBytes: ramMiB * MiB, firmwareBytes: 4, kernel: { start: 0x8020_0000, end: 0x8020_0004, entry: 0x8020_0000 }, initrdBytes: 5000 });
      expect(readCells(findProperty(chosen, "linux,initrd-start")!.value)).toEqual([plan.initrd!.start]);
      expect(readCells(findProperty(chosen, "linux,initrd-end")!.value)).toEqual([plan.initrd!.end]);
    }
  });
});
