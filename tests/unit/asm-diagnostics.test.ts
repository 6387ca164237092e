// Errors as a compiler reports them: file:line:col, what was expected, every
// error of a file at once, never an exception.
import { describe, expect, it } from "vitest";
import { assemble, formatDiagnostics } from "../../src/asm/index.ts";

const errorsOf = (text: string, name = "sum.s") => formatDiagnostics(assemble([{ name, text }], { objectOnly: true }).diagnostics);

describe("assembler diagnostics", () => {
  it("names file, line and column of an unknown instruction", () => {
    expect(errorsOf("main:\n  li a0, 1\n  lw.x a0, 0(a1)\n")).toBe("sum.s:3:3: error: unknown instruction 'lw.x'");
  });

  it("reports every error of a file, each at its operand", () => {
    const text = [
      "  addi a0, a0, 5000", // range
      "  add a0, a1", // operand count
      "  lw a0, 8(q9)", // register
      "  fadd.d a0, fa1, fa2", // integer register where a float one belongs
      "  j nowhere_defined_locally", // fine at assembly time (external)
      "  beqz a0, 1b", // undefined local label
      "  .word 1 +", // bad expression
      "  .align 3, 0, 1, 2, 3", // too many? (ignored extra) -> no error expected from gas; we accept
      "  .frobnicate 3", // unknown directive
      "  csrr a0, notacsr",
      "x: x: nop",
    ].join("\n");
    const out = errorsOf(text).split("\n");
    expect(out).toEqual([
      "sum.s:1:16: error: immediate 5000 out of range for 'addi' (-2048..2047)",
      "sum.s:2:3: error: 'add' expects 3 operands, got 2",
      "sum.s:3:12: error: expected an integer register, got 'q9'",
      "sum.s:4:10: error: expected a float register, got integer register 'a0'",
      "sum.s:6:12: error: local label '1b' is not defined before this point",
      "sum.s:7:12: error: expected an expression",
      "sum.s:9:3: error: unknown directive '.frobnicate'",
      "sum.s:10:12: error: unknown CSR 'notacsr'",
      "sum.s:11:4: error: symbol 'x' is already defined",
    ]);
  });

  it("reports an undefined symbol at link time, and links nothing", () => {
    const r = assemble([{ name: "a.s", text: ".globl _start\n_start: call missing\n" }]);
    expect(r.executable).toBeUndefined();
    expect(formatDiagnostics(r.diagnostics)).toBe("a.s:1:1: error: undefined reference to 'missing'");
  });

  it("starts at main with a warning when there is no _start", () => {
    const r = assemble([{ name: "m.s", text: ".globl main\nmain: li a0, 0\n ret\n" }]);
    expect(r.executable).toBeDefined();
    expect(formatDiagnostics(r.diagnostics)).toBe("m.s:1:1: warning: no '_start' symbol; starting at 'main'");
    const v = new DataView(r.executable!.buffer);
    expect(v.getBigUint64(24, true)).toBe(0x100b0n); // e_entry: main, the first byte of .text
  });

  it("warns about RARS/Venus dialect in GNU mode but accepts it", () => {
    const r = assemble([{ name: "r.s", text: ".data\ns: .asciiz \"hi\"\n.eqv N, 3\n.text\n.globl _start\n_start: li a0, N\n" }], { objectOnly: true });
    expect(r.object).toBeDefined();
    expect(formatDiagnostics(r.diagnostics)).toBe(
      "r.s:2:4: warning: .asciiz is a RARS/Venus extension, not GNU as (accepted)\n" +
        "r.s:3:1: warning: .eqv is a RARS/Venus extension, not GNU as (accepted)",
    );
  });

  it("bounds runaway macro recursion with an error, not a hang", () => {
    const out = errorsOf(".macro m\n m\n.endm\n m\n");
    expect(out).toMatch(/^sum\.s:\d+:\d+: error: macro 'm' nested too deeply/);
  });

  it("finds .include files among the given sources, and names a missing one", () => {
    const ok = assemble([{ name: "main.s", text: '.include "defs.inc"\n.globl _start\n_start: li a0, VALUE\n' }, { name: "defs.inc", text: ".equ VALUE, 42\n" }], { objectOnly: true });
    expect(ok.diagnostics).toEqual([]);
    expect(errorsOf('.include "nope.inc"\n')).toBe("sum.s:1:10: error: cannot find include file 'nope.inc' (pass it with the sources)");
  });
});

describe("mangled sources", () => {
  it("never throw: every failure is a diagnostic (600 deterministic mutations of the corpus)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const lines: string[] = [];
    for (const d of ["student", "gcc", "edge", "course"]) {
      for (const f of readdirSync(`tests/asm/${d}`).sort()) if (/\.(s|asm)$/.test(f)) lines.push(...readFileSync(`tests/asm/${d}/${f}`, "utf8").split("\n"));
    }
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const junk = ["0x", "(", ")", ",", "%hi(", "%lo(x)", "1b", "2f", "-", "~", "99999999999999999999999", "'", '"', ".", ":", "a0", "f16", "#", ";", "\\", "-0x8000000000000000", "<<", "1/0", "%pcrel_lo(1f)", ".rept 3", ".endr", ".macro"];
    for (let iter = 0; iter < 600; iter++) {
      const out: string[] = [];
      for (let i = 1 + rnd(30); i > 0; i--) {
        let l = lines[rnd(lines.length)];
        if (rnd(2) === 0) {
          const toks = l.split(/(\s+|,)/);
          for (let j = 0; j < 3; j++) toks[rnd(toks.length)] = junk[rnd(junk.length)];
          l = toks.join("");
        }
        out.push(l);
      }
      const r = assemble([{ name: "f.s", text: out.join("\n") }]);
      if (!r.executable) expect(r.diagnostics.some((d) => d.severity === "error")).toBe(true);
    }
  });
});
