// edgevm-sbi (src/vm/system/sbi) on QEMU's virt board: the committed
// firmware runs the S-mode check payload (tests/guest/sbi) with and without
// Sstc, and boots the Linux Image of `npm run images` to a shell whose exit
// status reaches the host, beside Debian's OpenSBI doing the same.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtImagesDir, IMAGES_ABSENT } from "../support/linux-images.ts";
import { haveQemuSystem, OPENSBI_DIR, runQemuConsole } from "../support/qemu-console.ts";

const SBI_ELF = "src/vm/system/sbi/edgevm-sbi.elf";
const SBI_BIN = "src/vm/system/sbi/edgevm-sbi.bin";
const CHECK = "tests/guest/sbi/sbi-check.elf";

const qemu = haveQemuSystem();
if (!qemu) console.log("sbi-qemu: qemu-system-riscv64 not found; skipping");

describe.skipIf(!qemu)("edgevm-sbi on QEMU virt", () => {
  for (const cpu of ["rv64", "rv64,sstc=off"]) {
    it(`passes every SBI check (-cpu ${cpu})`, async () => {
      const r = await runQemuConsole({ bios: SBI_ELF, kernel: CHECK, prompt: "\u0000", extraArgs: ["-cpu", cpu] });
      const lines = r.output.split("\n").filter((l) => /^(probe )?(ok|FAIL) /.test(l));
      expect(lines.length, r.output).toBe(25);
      expect(lines.filter((l) => l.includes("FAIL")), r.output).toEqual([]);
      expect(r.output).toContain("L\ndbcn write\n");
      expect(r.status, r.output).toBe(42); // SRST shutdown, reason 0xF0000000 | 42
    });
  }

  it("the flat binary is the ELF's image (QEMU loads either)", async () => {
    const r = await runQemuConsole({ bios: SBI_BIN, kernel: CHECK, prompt: "\u0000" });
    expect(r.status, r.output).toBe(42);
  });
});

const images = builtImagesDir();
if (!images) console.log(`sbi-qemu: ${IMAGES_ABSENT}; skipping the Linux boots`);
const firmwares: [string, string][] = [
  ["edgevm-sbi", SBI_ELF],
  ["OpenSBI fw_dynamic.bin", `${OPENSBI_DIR}/fw_dynamic.bin`],
  ["OpenSBI fw_jump.elf", `${OPENSBI_DIR}/fw_jump.elf`],
];

describe.skipIf(!qemu || !images)("the linux Image on QEMU virt", () => {
  for (const [name, bios] of firmwares) {
    it.skipIf(!existsSync(bios))(`boots to a shell with ${name}; exit N powers off with N`, async () => {
      const r = await runQemuConsole({
        bios,
        kernel: `${images}/Image`,
        input: "uname -a; echo $((6*7))\nexit 7\n",
        timeoutMs: 90_000,
      });
      expect(r.prompted, r.output).toBe(true);
      expect(r.output).toMatch(/\nLinux edgevm 6\.1\.\d+ #1 .* riscv64 GNU\/Linux\n42\n/);
      expect(r.output).not.toContain("\u001b[6n");
      expect(r.status, r.output).toBe(7);
    }, 120_000);
  }
});
