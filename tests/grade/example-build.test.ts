// The example course's committed ELFs are what its sources build to: rebuilt
// with the RISC-V toolchains (skipped, saying why, where they are absent).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const have = (cc: string) => spawnSync(cc, ["--version"], { stdio: "ignore" }).status === 0;
const missing = ["riscv64-linux-gnu-gcc", "riscv64-unknown-elf-gcc"].filter((cc) => !have(cc));
if (missing.length > 0) console.log(`example-build: skipped, ${missing.join(" and ")} not installed (apt-get install gcc-riscv64-linux-gnu gcc-riscv64-unknown-elf)`);

describe.skipIf(missing.length > 0)("examples/grading/build.sh", () => {
  it("rebuilds every committed submission byte for byte", () => {
    const out = mkdtempSync(join(tmpdir(), "edgevm-example-build-"));
    try {
      const r = spawnSync("bash", ["examples/grading/build.sh"], { env: { ...process.env, OUT: out }, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      for (const lab of ["lab0-fib", "lab1-sum"]) {
        const committed = readdirSync(`examples/grading/${lab}/submissions`).sort();
        expect(readdirSync(join(out, lab, "submissions")).sort()).toEqual(committed);
        for (const f of committed) {
          expect(readFileSync(join(out, lab, "submissions", f)).equals(readFileSync(`examples/grading/${lab}/submissions/${f}`)), `${lab}/${f}`).toBe(true);
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
