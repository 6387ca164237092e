// `edgevm run --check-calling-convention` (as Venus's -cc): every .globl
// function must give back sp and s0-s11 as it found them.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";

const run = (args: string[]) => spawnSync(process.execPath, ["bin/edgevm.mjs", "run", ...args], { encoding: "utf8", timeout: 60_000 });

describe.skipIf(!existsSync("dist/cli.mjs"))("--check-calling-convention", () => {
  it("catches the seeded violation: names the function, the register and the returning instruction", () => {
    const r = run(["--check-calling-convention", "tests/asm/course/cc-violation.s"]);
    expect(r.stderr.trim()).toBe(
      "edgevm: calling convention: 'square' returned without restoring s0 (0x7 on entry, 0x64 on return) at tests/asm/course/cc-violation.s:26: 'ret'",
    );
    expect(r.status).toBe(123);
  });

  it("passes compiled code and a recursive .globl function (and they print what they print unchecked)", () => {
    for (const files of [["tests/asm/gcc/crt0.s", "tests/asm/gcc/lib.s", "tests/asm/gcc/sort.s"], ["tests/asm/student/fib.s"]]) {
      const checked = run(["--check-calling-convention", ...files]);
      const plain = run(files);
      expect(checked.stderr).toBe("");
      expect({ stdout: checked.stdout, status: checked.status }).toEqual({ stdout: plain.stdout, status: plain.status });
      expect(checked.status).toBe(0);
    }
  });

  it("without the option the violation goes unnoticed", () => {
    const r = run(["tests/asm/course/cc-violation.s"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(100);
  });
});
