// The committed edgevm-sbi fixture: the module's bytes are the .bin's, and a
// rebuild from the sources gives the same bytes (skipped without Debian's
// riscv64-unknown-elf-gcc).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { edgevmSbiImage } from "../../src/vm/system/sbi/edgevm-sbi-image.ts";

const DIR = "src/vm/system/sbi";
const gcc = spawnSync("riscv64-unknown-elf-gcc", ["--version"], { encoding: "utf8" });
const recorded = readFileSync(join(DIR, "TOOLCHAIN"), "utf8").split("\n")[0];
const haveGcc = !gcc.error && gcc.status === 0 && gcc.stdout.split("\n")[0] === recorded;
if (!haveGcc) console.log(`sbi-firmware: ${recorded} not installed; skipping the rebuild check`);

describe("edgevm-sbi fixture", () => {
  it("edgevm-sbi-image.ts holds edgevm-sbi.bin's bytes", () => {
    const bin = new Uint8Array(readFileSync(join(DIR, "edgevm-sbi.bin")));
    expect(edgevmSbiImage()).toEqual(bin);
    // starts with `csrr t0, mhartid` (entry.S): the image is code, not a header
    expect(new DataView(bin.buffer).getUint32(0, true)).toBe(0xf14022f3);
  });

  it.skipIf(!haveGcc)("rebuilds byte for byte from its sources", () => {
    const tmp = mkdtempSync(join(tmpdir(), "edgevm-sbi-"));
    try {
      cpSync(DIR, tmp, { recursive: true });
      const r = spawnSync("bash", [join(tmp, "build.sh")], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      for (const f of ["edgevm-sbi.bin", "edgevm-sbi.elf", "edgevm-sbi-image.ts", "TOOLCHAIN"]) {
        expect(readFileSync(join(tmp, f)).equals(readFileSync(join(DIR, f))), f).toBe(true);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
