// Programs written for RARS and for Venus, run with their ABIs (`edgevm run
// --abi rars|venus FILE.s`): what they print is what those tools print by
// their documentation (RARS help "Syscalls", the Venus wiki's environmental
// calls); the tools themselves are not needed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { javaDouble, javaFloat } from "../../src/vm/course-abi/java-numbers.ts";

const DIR = "tests/asm/course";

function run(args: string[], stdin = "") {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-abi-"));
  try {
    const input = path.join(dir, "stdin");
    writeFileSync(input, stdin);
    const r = spawnSync(process.execPath, ["bin/edgevm.mjs", "run", "--stdin", input, ...args], { encoding: "utf8", timeout: 60_000 });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!existsSync("dist/cli.mjs"))("course ABIs", () => {
  it("RARS: print_string, read_int, print_int, print_char, sbrk, print_hex, exit with a code", () => {
    expect(run(["--abi", "rars", `${DIR}/rars-io.asm`], "21\n")).toEqual({
      stdout: "Enter a number: Twice that is 42\n0x00000015\n-5\n",
      stderr: "",
      status: 3,
    });
  });

  it("RARS: .macro name(%arg), floats as Java prints them, read_string (fgets), read_double, read_char", () => {
    expect(run(["--abi", "rars", `${DIR}/rars-macro.asm`], "hello\n2.5e-4\nZ")).toEqual({
      stdout: "macro one\n2.5\n0.1\n1.2345678E7\nhello\n\n2.5E-4\nZ4294967295\n00000000000000000000000000000101\n",
      stderr: "",
      status: 4,
    });
  });

  it("Venus: the call number in a0 and its argument in a1; exit2 with a code", () => {
    expect(run(["--abi", "venus", `${DIR}/venus-sum.s`])).toEqual({ stdout: "sum 1..10 = 55\n0x000000ff\n", stderr: "", status: 7 });
  });

  it("RARS lays the program out where RARS does: .text at 0x00400000, .data at 0x10010000, gp 0x10008000", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-abi-"));
    try {
      const src = path.join(dir, "where.asm");
      // exit code = (address of main >> 20) + (address of d >> 24) + (gp >> 12 & 0xf): 4 + 16 + 8
      writeFileSync(src, ".data\nd: .word 0\n.text\nmain:\n la t0, main\n srli t0, t0, 20\n la t1, d\n srli t1, t1, 24\n add a0, t0, t1\n srli t2, gp, 12\n andi t2, t2, 15\n add a0, a0, t2\n li a7, 93\n ecall\n");
      expect(run(["--abi", "rars", src]).status).toBe(28);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an unknown environment call stops the program with a message, not a hang", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "edgevm-abi-"));
    try {
      const src = path.join(dir, "bad.asm");
      writeFileSync(src, ".text\nmain: li a7, 50\n ecall\n");
      const r = run(["--abi", "rars", src]);
      expect(r.status).toBe(125);
      expect(r.stderr).toMatch(/^edgevm: RARS environment call 50 is not supported/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the same RARS source under --abi linux is assembled with dialect warnings", () => {
    const r = run([`${DIR}/rars-io.asm`]);
    expect(r.stderr).toContain("rars-io.asm:3:9: warning: .asciiz is a RARS/Venus extension, not GNU as (accepted)");
    expect(r.status).toBe(2); // no _start and no global main: not a Linux program
  });

  it("refuses --abi with snapshots (the layer state does not record it yet) and a bad ABI name", () => {
    expect(run(["--abi", "rars", "--quantum", "1000", `${DIR}/rars-io.asm`], "1\n").status).toBe(2);
    const bad = run(["--abi", "mars", `${DIR}/rars-io.asm`]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--abi must be linux, rars or venus, not 'mars'");
  });
});

describe("Java's float and double printing (RARS print_float / print_double)", () => {
  it("prints the shortest digits, with .0 and E notation as Java does", () => {
    expect([0.1, 1, 100, 1e7, 12345678, 1.5e-4, 0.001, -2.5, 1 / 3, 0, -0].map(javaDouble)).toEqual([
      "0.1", "1.0", "100.0", "1.0E7", "1.2345678E7", "1.5E-4", "0.001", "-2.5", "0.3333333333333333", "0.0", "-0.0",
    ]);
    expect([Math.fround(0.1), Math.fround(1 / 3), 2.5, Math.fround(1e10)].map(javaFloat)).toEqual(["0.1", "0.33333334", "2.5", "1.0E10"]);
    expect([NaN, Infinity, -Infinity].map(javaDouble)).toEqual(["NaN", "Infinity", "-Infinity"]);
  });
});
