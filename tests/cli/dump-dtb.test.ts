// `edgevm run KERNEL --dump-dtb FILE`: the device tree a system machine would
// get (with --ram, --bios, --initrd, --append), written without running, and
// compared with the one QEMU builds for the same files when QEMU is installed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boardDtb } from "../../src/vm/system/device-tree.ts";
import { type FdtNode, findNode, findProperty, readCells, readStrings } from "../../src/vm/system/fdt.ts";
import { readFdt } from "../../src/vm/system/fdt-reader.ts";
import { QEMU_SYSTEM, skipWithoutQemu } from "../support/qemu.ts";

const HELLO = "tests/guest/cli/hello.elf";
const LINUX_HELLO = "tests/guest/linux/bin/hello";
const MiB = 1 << 20;

function edgevm(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/edgevm.mjs", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "edgevm-dump-dtb-"));
const tree = (file: string): FdtNode => readFdt(new Uint8Array(readFileSync(file))).root;
const chosen = (root: FdtNode) => findNode(root, "/chosen")!;
const cells = (node: FdtNode, name: string) => readCells(findProperty(node, name)!.value);

describe("edgevm run --dump-dtb", () => {
  it("writes the board's device tree and exits 0 without running the guest", () => {
    const out = join(dir, "plain.dtb");
    const r = edgevm("run", HELLO, "--dump-dtb", out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(""); // hello.elf prints when it runs
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(boardDtb({ ramBytes: 128 * MiB })))).toBe(true);
  });

  it("puts --append and the --initrd placement in /chosen and --ram in /memory", () => {
    const initrd = join(dir, "initrd.img");
    writeFileSync(initrd, new Uint8Array(5000));
    const out = join(dir, "chosen.dtb");
    const r = edgevm("run", HELLO, "--ram", "256", "--initrd", initrd, "--append", "console=ttyS0 quiet", "--dump-dtb", out);
    expect(r.status, r.stderr).toBe(0);
    const root = tree(out);
    expect(readStrings(findProperty(chosen(root), "bootargs")!.value)).toEqual(["console=ttyS0 quiet"]);
    // The kernel is entered at 0x80000000; the initrd goes 128 MiB past it (QEMU's rule for 256 MiB).
    expect(cells(chosen(root), "linux,initrd-start")).toEqual([0x8800_0000]);
    expect(cells(chosen(root), "linux,initrd-end")).toEqual([0x8800_0000 + 5000]);
    expect(cells(findNode(root, "/memory@80000000")!, "reg")).toEqual([0, 0x8000_0000, 0, 256 * MiB]);
  });

  it("places a raw kernel after --bios firmware, and the initrd after it", () => {
    const firmware = join(dir, "fw.bin");
    const kernel = join(dir, "Image");
    const initrd = join(dir, "initrd2.img");
    writeFileSync(firmware, new Uint8Array(300_000));
    writeFileSync(kernel, new Uint8Array(4096));
    writeFileSync(initrd, new Uint8Array(100));
    const out = join(dir, "fw.dtb");
    const r = edgevm("run", kernel, "--bios", firmware, "--initrd", initrd, "--dump-dtb", out);
    expect(r.status, r.stderr).toBe(0);
    expect(cells(chosen(tree(out)), "linux,initrd-start")).toEqual([0x8020_0000 + 64 * MiB]);
  });

  it("refuses a Linux program, an initrd that does not fit, and an unwritable file, in one line with status 2", () => {
    const linux = edgevm("run", LINUX_HELLO, "--dump-dtb", join(dir, "x.dtb"));
    expect(linux.status).toBe(2);
    expect(linux.stderr.trim()).toMatch(/^edgevm: --dump-dtb applies to system mode; .* is a Linux program$/);
    const big = join(dir, "big.img");
    writeFileSync(big, new Uint8Array(70 * MiB));
    const r = edgevm("run", HELLO, "--initrd", big, "--dump-dtb", join(dir, "y.dtb"));
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^edgevm: .*the initrd .* does not fit in RAM .*; give more --ram$/);
    const unwritable = edgevm("run", HELLO, "--dump-dtb", join(dir, "no-such-dir", "z.dtb"));
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr.trim()).toMatch(/^edgevm: --dump-dtb .*: no such file$/);
    expect(edgevm("run", HELLO, "--append", "x").stderr.trim()).toMatch(/^edgevm: --append: running with firmware, an initrd or a command line is not supported yet/);
  });

  it("gives the /chosen QEMU gives for the same kernel, initrd and command line", (ctx) => {
    if (skipWithoutQemu("--dump-dtb comparison with QEMU")) ctx.skip();
    const initrd = join(dir, "initrd3.img");
    writeFileSync(initrd, new Uint8Array(0x1_2345));
    const ours = join(dir, "ours.dtb");
    const qemu = join(dir, "qemu.dtb");
    const args = ["--initrd", initrd, "--append", "console=ttyS0 earlycon"];
    expect(edgevm("run", HELLO, "--ram", "512", ...args, "--dump-dtb", ours).status).toBe(0);
    const q = spawnSync(QEMU_SYSTEM, ["-machine", `virt,dumpdtb=${qemu}`, "-m", "512M", "-smp", "1", "-bios", "none", "-display", "none",
      "-monitor", "none", "-serial", "none", "-kernel", HELLO, "-initrd", initrd, "-append", "console=ttyS0 earlycon"], { timeout: 20_000 });
    expect(q.status).toBe(0);
    for (const name of ["bootargs", "linux,initrd-start", "linux,initrd-end", "stdout-path"]) {
      expect(Buffer.from(findProperty(chosen(tree(ours)), name)!.value), name).toEqual(Buffer.from(findProperty(chosen(tree(qemu)), name)!.value));
    }
  });
});
