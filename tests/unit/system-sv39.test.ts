// The sv39 benchmark guest as a test of system mode in the core: S-mode code
// under Sv39 whose page tables change every round, with M-mode timer
// interrupts arriving throughout. Its checksum is the one the same work
// gives natively with the page permutation applied in software
// (bench/workloads/sv39.c), so a wrong translation, a lost store or a
// clobbered register in the interrupt path shows as a mismatch.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BareMachine } from "../../src/vm/bare-machine.ts";
import { parseElf } from "../../src/vm/elf.ts";
import { newInstance } from "../support/bare-core.ts";

const reference = JSON.parse(readFileSync(new URL("../../bench/bin/reference.json", import.meta.url), "utf8"));

describe("system mode under Sv39 with timer interrupts (bench/bin/sv39-small.elf)", () => {
  it("computes the reference checksum and takes timer interrupts", () => {
    const elf = parseElf(readFileSync(new URL("../../bench/bin/sv39-small.elf", import.meta.url)));
    const machine = BareMachine.fromInstance(newInstance(), { ramBytes: 64 << 20 });
    machine.load(elf);
    const chunks: Uint8Array[] = [];
    const result = machine.run(200_000_000n, { onConsole: (bytes) => chunks.push(bytes) });
    const out = Buffer.concat(chunks).toString("latin1");
    expect(result.status, out).toBe("halted");
    expect(result.exitCode, out).toBe(0);
    expect(out).toContain(`checksum ${reference.elfs["sv39-small.elf"].checksum}\n`);
    expect(out).toMatch(/\nok\n/);
    const interrupts = Number(/timer interrupts (\d+)/.exec(out)?.[1]);
    expect(interrupts).toBeGreaterThan(5);
  });
});
