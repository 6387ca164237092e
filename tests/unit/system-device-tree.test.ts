// The board's device tree: stable against our own golden blob, and compared
// node by node, property by property, with the tree QEMU 7.2 gives its virt
// machine (qemu-system-riscv64 -machine virt,dumpdtb=F), when QEMU is installed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hartIsaString } from "../../src/vm/system/board.ts";
import { boardDeviceTree, boardDtb, QEMU_NODES_ABSENT, QEMU_PROPERTIES_DIFFERENT, STDOUT_PATH } from "../../src/vm/system/device-tree.ts";
import { type FdtNode, findNode, findProperty, readCells, readStrings, walkNodes } from "../../src/vm/system/fdt.ts";
import { readFdt } from "../../src/vm/system/fdt-reader.ts";
import { bootPlanInput } from "../../src/vm/system/boot-images.ts";
import { prepareSystemBoot } from "../../src/vm/system/boot-setup.ts";
import { findOpenSbiDynamic, QEMU_SYSTEM, runQemu, skipWithoutQemu } from "../support/qemu.ts";

const MiB = 1 << 20;
const GOLDEN = "tests/fixtures/system/virt-128m.dtb";
const GOLDEN_OPTIONS = { ramBytes: 128 * MiB, bootargs: "console=ttyS0 earlycon", initrd: { start: 0x8400_0000, end: 0x8412_3456 } };

/** Properties whose cells hold phandles, and how many cells follow each phandle (for this board's providers). */
const PHANDLE_PROPS: Record<string, number> = { "interrupt-parent": 0, regmap: 0, cpu: 0, "interrupts-extended": 1 };

/** A property value as comparable text, with phandles replaced by the path of the node they name. */
function comparable(root: FdtNode, name: string, value: Uint8Array): string {
  const stride = PHANDLE_PROPS[name];
  if (stride === undefined) return Array.from(value, (b) => b.toString(16).padStart(2, "0")).join("");
  const byPhandle = new Map<number, string>();
  for (const { path, node } of walkNodes(root)) {
    const ph = findProperty(node, "phandle");
    if (ph) byPhandle.set(readCells(ph.value)[0], path);
  }
  const cells = readCells(value);
  const out: string[] = [];
  for (let i = 0; i < cells.length; i += stride + 1) {
    out.push(`&{${byPhandle.get(cells[i]) ?? `unknown phandle ${cells[i]}`}}`, ...cells.slice(i + 1, i + 1 + stride).map(String));
  }
  return out.join(" ");
}

interface Difference {
  readonly where: string;
  readonly ours?: string;
  readonly qemu?: string;
}

/** Every node and property on which the two trees differ (phandle numbers aside). */
function compareTrees(ours: FdtNode, qemu: FdtNode): { missingNodes: string[]; extraNodes: string[]; properties: Difference[] } {
  const ourNodes = new Map(walkNodes(ours).map((n) => [n.path, n.node]));
  const qemuNodes = new Map(walkNodes(qemu).map((n) => [n.path, n.node]));
  const missingNodes = [...qemuNodes.keys()].filter((p) => !ourNodes.has(p));
  const extraNodes = [...ourNodes.keys()].filter((p) => !qemuNodes.has(p));
  const properties: Difference[] = [];
  for (const [path, node] of ourNodes) {
    const theirs = qemuNodes.get(path);
    if (!theirs) continue;
    const names = new Set([...node.properties, ...theirs.properties].map((p) => p.name));
    for (const name of [...names].sort()) {
      const a = findProperty(node, name);
      const b = findProperty(theirs, name);
      const av = a && comparable(ours, name, a.value);
      const bv = b && comparable(qemu, name, b.value);
      if (av !== bv) properties.push({ where: `${path === "/" ? "" : path} ${name}`.trim(), ours: av, qemu: bv });
    }
  }
  return { missingNodes, extraNodes, properties };
}

function qemuDtb(args: string[]): FdtNode {
  const dir = mkdtempSync(join(tmpdir(), "edgevm-dtb-"));
  const file = join(dir, "qemu.dtb");
  const machineArg = args[0];
  runQemu([...["-machine", `${machineArg},dumpdtb=${file}`], "-smp", "1", "-bios", "none", ...args.slice(1)]);
  return readFdt(new Uint8Array(readFileSync(file))).root;
}

describe("the board's device tree", () => {
  it("matches our golden blob byte for byte", () => {
    const blob = boardDtb(GOLDEN_OPTIONS);
    if (process.env.EDGEVM_UPDATE_FIXTURES) writeFileSync(GOLDEN, blob);
    expect(Buffer.from(blob).equals(readFileSync(GOLDEN))).toBe(true);
  });

  it("describes the hart, RAM and console as our core and board have them", () => {
    const root = readFdt(boardDtb({ ramBytes: 256 * MiB })).root;
    const cpu = findNode(root, "/cpus/cpu@0")!;
    expect(readStrings(findProperty(cpu, "riscv,isa")!.value)).toEqual([hartIsaString()]);
    expect(hartIsaString()).toMatch(/^rv64imafdc_zicsr_zifencei/);
    expect(readStrings(findProperty(cpu, "mmu-type")!.value)).toEqual(["riscv,sv48"]);
    expect(readCells(findProperty(findNode(root, "/cpus")!, "timebase-frequency")!.value)).toEqual([10_000_000]);
    expect(readCells(findProperty(findNode(root, "/memory@80000000")!, "reg")!.value)).toEqual([0, 0x8000_0000, 0, 256 * MiB]);
    const chosen = findNode(root, "/chosen")!;
    expect(readStrings(findProperty(chosen, "stdout-path")!.value)).toEqual([STDOUT_PATH]);
    expect(findNode(root, STDOUT_PATH)).toBeDefined();
    // No command line and no initrd: no properties for them (as QEMU).
    expect(chosen.properties.map((p) => p.name)).toEqual(["stdout-path"]);
  });

  it("puts bootargs and the initrd bounds in /chosen, in two cells above 4 GiB", () => {
    const low = findNode(boardDeviceTree(GOLDEN_OPTIONS), "/chosen")!;
    expect(readStrings(findProperty(low, "bootargs")!.value)).toEqual(["console=ttyS0 earlycon"]);
    expect(readCells(findProperty(low, "linux,initrd-start")!.value)).toEqual([0x8400_0000]);
    expect(readCells(findProperty(low, "linux,initrd-end")!.value)).toEqual([0x8412_3456]);
    const high = findNode(boardDeviceTree({ ramBytes: 4096 * MiB, initrd: { start: 0x1_0000_0000, end: 0x1_0000_1000 } }), "/chosen")!;
    expect(readCells(findProperty(high, "linux,initrd-start")!.value)).toEqual([1, 0]);
    expect(() => boardDeviceTree({ ramBytes: 128 * MiB, initrd: { start: 10, end: 5 } })).toThrow(/before its start/);
    expect(() => boardDeviceTree({ ramBytes: 128 * MiB, bootargs: "x".repeat(4097) })).toThrow(/4097 bytes; at most 4096/);
    expect(() => boardDeviceTree({ ramBytes: 128 * MiB, bootargs: "x".repeat(4096) })).not.toThrow();
  });

  const qemuCases: { name: string; args: string[]; options: Parameters<typeof boardDtb>[0] }[] = [
    { name: "128 MiB, no kernel", args: ["virt", "-m", "128M"], options: { ramBytes: 128 * MiB } },
    { name: "1 GiB", args: ["virt", "-m", "1G"], options: { ramBytes: 1024 * MiB } },
  ];

  for (const c of qemuCases) {
    it(`differs from QEMU's virt tree (${c.name}) only where QEMU_NODES_ABSENT and QEMU_PROPERTIES_DIFFERENT say`, (ctx) => {
      if (skipWithoutQemu("DTB comparison with QEMU")) ctx.skip();
      const diff = compareTrees(readFdt(boardDtb(c.options)).root, qemuDtb(c.args));
      if (process.env.EDGEVM_SHOW_DTB_DIFF) console.log(JSON.stringify(diff, null, 1));
      expect(diff.extraNodes).toEqual([]);
      expect(diff.missingNodes.sort()).toEqual(Object.keys(QEMU_NODES_ABSENT).sort());
      const unexplained = diff.properties.filter((d) => !(d.where in QEMU_PROPERTIES_DIFFERENT));
      expect(unexplained).toEqual([]);
      // Each documented difference still exists (otherwise the list is stale).
      expect(diff.properties.map((d) => d.where).sort()).toEqual(Object.keys(QEMU_PROPERTIES_DIFFERENT).sort());
    });
  }

  it("writes the same /chosen as QEMU for a kernel with an initrd and a command line", (ctx) => {
    if (skipWithoutQemu("DTB /chosen comparison with QEMU")) ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), "edgevm-chosen-"));
    writeFileSync(join(dir, "kernel.bin"), new Uint8Array([0x6f, 0, 0, 0])); // j . (a raw image QEMU loads at RAM base)
    writeFileSync(join(dir, "initrd"), new Uint8Array(0x1_2345));
    const qemu = qemuDtb(["virt", "-m", "256M", "-kernel", join(dir, "kernel.bin"), "-initrd", join(dir, "initrd"), "-append", "console=ttyS0 quiet"]);
    // QEMU's rule (hw/riscv/boot.c): initrd at kernel + min(RAM/2, 128 MiB); here 0x80000000 + 128 MiB.
    const ours = boardDeviceTree({ ramBytes: 256 * MiB, bootargs: "console=ttyS0 quiet", initrd: { start: 0x8800_0000, end: 0x8800_0000 + 0x1_2345 } });
    const diff = compareTrees(ours, qemu).properties.filter((d) => d.where.startsWith("/chosen"));
    expect(diff.map((d) => d.where)).toEqual(["/chosen rng-seed"]);
  });
});

describe("the board's device tree in use", () => {
  it("boots Debian's OpenSBI (fw_dynamic) under QEMU, which finds the board's devices in it and enters the kernel", (ctx) => {
    if (skipWithoutQemu("OpenSBI boot with our DTB")) ctx.skip();
    const opensbi = findOpenSbiDynamic();
    if (!opensbi) {
      console.log("SKIP OpenSBI boot with our DTB: no fw_dynamic.bin (Debian package opensbi)");
      ctx.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), "edgevm-opensbi-"));
    // The "kernel": lui t1, 0x100; lui t2, 0x5; addi t2, t2, 0x555; sw t2, 0(t1): power off through the finisher.
    const kernel = new Uint8Array(new Uint32Array([0x0010_0337, 0x0000_53b7, 0x5553_8393, 0x0073_2023, 0x0000_006f]).buffer);
    writeFileSync(join(dir, "kernel.bin"), kernel);
    const firmware = new Uint8Array(readFileSync(opensbi!));
    const boot = prepareSystemBoot({ ...bootPlanInput({ ramBytes: 128 * MiB, firmware, kernel }), bootargs: "console=ttyS0" });
    writeFileSync(join(dir, "ours.dtb"), boot.dtb);
    const out = spawnSync(QEMU_SYSTEM, ["-machine", "virt", "-m", "128M", "-display", "none", "-monitor", "none", "-serial", "stdio",
      "-bios", opensbi!, "-dtb", join(dir, "ours.dtb"), "-kernel", join(dir, "kernel.bin")], { encoding: "utf8", timeout: 20_000 });
    expect(out.status, out.stdout + out.stderr).toBe(0); // the kernel powered off: OpenSBI handed over to it
    const field = (name: string) => new RegExp(`^${name}\\s*: (.*)$`, "m").exec(out.stdout)?.[1];
    expect(field("Platform Name")).toBe("riscv-virtio,qemu");
    expect(field("Platform HART Count")).toBe("1");
    expect(field("Platform Console Device")).toBe("uart8250");
    expect(field("Platform Timer Device")).toBe("aclint-mtimer @ 10000000Hz");
    expect(field("Platform Shutdown Device")).toBe("sifive_test");
    expect(field("Domain0 Next Address")).toBe(`0x${boot.plan.kernelEntry.toString(16).padStart(16, "0")}`);
    expect(field("Domain0 Next Arg1")).toBe(`0x${boot.dtbRegion.start.toString(16).padStart(16, "0")}`);
    expect(field("Domain0 Next Mode")).toBe("S-mode");
  });
});
