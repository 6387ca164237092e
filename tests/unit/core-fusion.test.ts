// Fused instruction pairs (decode.ts, interp.ts): a pair run by one entry must
// be indistinguishable from the two instructions, however a run is sliced,
// when its code is rewritten, and when its halves lie in two pages.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseElf } from "../../src/vm/elf.ts";
import { bootElf, EXIT, newCore, ramOf, saveRecord, type RawCore as Core } from "../support/bare-core.ts";

const RAM_BYTES = 1 << 20;

// Frequent pairs of the benchmarks, fused or not, next to their variants.
// Assembled from this (riscv64-unknown-elf-gcc, -march=rv64gc, text at 0x8000_0000):
//   _start: li a0,0; li t0,6; call body
//           sh (c.addi t0,-2) over L1; fence.i; li t0,6; call body     # rewrite a pair's first half
//           sw (nop) over L2; fence.i; li t0,6; call body              # and its second half
//           li s0,5; li s1,0; li s2,1000; li s3,-1
//   2:      slli a1,s3,32; c.srli a1,32; c.add s1,a1                   # slli + c.srli, c.srli + c.add
//           slli a2,s3,40; c.srli a2,20; c.add s1,a2
//           li a3,77; li a4,1; andi a5,a3,4; bne a5,zero,3f; c.addi s1,1   # andi + bne (not fused)
//   3:      li a4,400; c.srli a3,1; bgeu a3,a4,4f; c.addi s1,2         # c.srli + bgeu
//   4:      addiw s2,s2,-1; li a5,995; bne s2,a5,2b
//           li a4,3; 5: c.addiw a4,-1; c.bnez a4,5b                    # c.addiw + c.bnez
//           li s5,3; 6: c.addiw s5,-1; bne s5,zero,6b                  # c.addiw + bne (not fused)
//           call far; sw 0x5555 to the test finisher
//   body:   L0: c.addi a0,1; L1: c.addi t0,-1; L2: bne t0,zero,L0; ret # c.addi + bne
//   far (0x8000_1ffa): li s6,4; 7: addiw s6,s6,-1 (at 0xffc); bne s6,zero,7b (next page); ret
//   (a pair whose halves are in two pages is never fused: each page is decoded by itself)
const MAIN =
  "0145994297000000e780c00a170300001303630a85639b83932f231073000f100000994297000000e780c0081703000013038308cd4323" +
  "2073000f100000994297000000e7800007154481441309803efd59939509028191ae94139689025182b2949306d004054793f74600639307" +
  "00850413070019858263f3e60089041b09f9ff9307303ee316f9fc0d477d377dff8d4afd3ae39f0afe97200000e78020f63703100095639b" +
  "8353552320730001a00505fd12e39e02fe8280";
const FAR = "114b1b0bfbffe31e0bfe8280";

function boot(): Core {
  const core = newCore(RAM_BYTES);
  const ram = ramOf(core, RAM_BYTES);
  ram.set(Buffer.from(MAIN, "hex"), 0);
  ram.set(Buffer.from(FAR, "hex"), 0x1ffa);
  core.codeWritten(0x8000_0000n, 0x3000);
  core.reset(0x8000_0000n);
  return core;
}

const reg = (core: Core, i: number) => BigInt.asUintN(64, core.getX(i));

describe("fused instruction pairs", () => {
  const whole = boot();
  const wholeReason = whole.run(1_000_000n);
  const expected = saveRecord(whole);

  it("compute what the instructions would, also after their code is rewritten", () => {
    expect(wholeReason).toBe(EXIT.Halt);
    expect(reg(whole, 10)).toBe(6n + 3n + 1n); // a0: 6 loops, 3 with the step rewritten, 1 with the branch gone
    expect(reg(whole, 5)).toBe(4n); // t0: the step stays -2
    expect(reg(whole, 9)).toBe(5n * (0xFFFF_FFFFn + 0xF_FFFF_F000_00n + 2n)); // s1
    expect(reg(whole, 18)).toBe(995n); // s2
    expect(reg(whole, 14)).toBe(0n); // a4
    expect(reg(whole, 21)).toBe(0n); // s5
    expect(reg(whole, 22)).toBe(0n); // s6: the pair split over two pages
  });

  for (const slice of [1n, 2n, 3n, 5n, 7n]) {
    it(`give the same state in slices of ${slice}, which end between the halves of every pair`, () => {
      const core = boot();
      let reason: number = EXIT.Budget;
      for (let i = 0; i < 100_000 && reason === EXIT.Budget; i++) {
        reason = core.run(slice);
        if (reason === EXIT.Budget) expect(core.runCycles()).toBe(slice);
      }
      expect(reason).toBe(EXIT.Halt);
      expect(core.instret()).toBe(whole.instret());
      expect(saveRecord(core)).toEqual(expected);
    });
  }

  // A budget ending on an instruction that a store earlier in its block rewrote:
  //   c.li a0,0; la t1,X; li t2,0x515; sh t2,0(t1); X: c.addi a0,1 (becomes c.addi a0,5); finisher
  // The STOP patched over X must not bring back X's old decode once the store dropped the page's.
  it("leave no stale decode behind when a store rewrites the instruction a budget stops at", () => {
    const code = "01451703000013030301930350512310730005053703100095639b8353552320730001a0";
    for (let budget = 1n; budget <= 8n; budget++) {
      const core = newCore(RAM_BYTES);
      ramOf(core, RAM_BYTES).set(Buffer.from(code, "hex"), 0);
      core.codeWritten(0x8000_0000n, 0x1000);
      core.reset(0x8000_0000n);
      let reason = core.run(budget);
      if (reason === EXIT.Budget) reason = core.run(100n);
      expect(reason).toBe(EXIT.Halt);
      expect(reg(core, 10), `budget ${budget}`).toBe(5n);
    }
  });

  // The benchmarks' hot loops are mostly fused pairs: every cut of a stretch of them lands the same.
  for (const name of ["intloop-small", "coremark-like-small"]) {
    it(`${name}: 201,000 instructions in slices of 1 and of 3 end as one run does`, () => {
      const elf = parseElf(readFileSync(new URL(`../../bench/bin/${name}.elf`, import.meta.url)));
      const one = bootElf(elf, 64 << 20);
      const skip = 150_000n; // past the start-up code, into the loops
      expect(one.run(skip + 201_000n)).toBe(EXIT.Budget);
      const reference = saveRecord(one);
      for (const slice of [1n, 3n]) {
        const core = bootElf(elf, 64 << 20);
        expect(core.run(skip)).toBe(EXIT.Budget);
        for (let done = 0n; done < 201_000n; done += slice) expect(core.run(slice)).toBe(EXIT.Budget);
        expect(saveRecord(core)).toEqual(reference);
      }
    });
  }
});
