// Console input through the UART: bytes pushed by the host reach a polling
// guest in order, unread input survives a save/load of the state record, and
// the input queue reports when it is full.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseElf, segmentData, findSymbol, RAM_BASE } from "../../src/vm/elf.ts";

interface Core {
  memory: WebAssembly.Memory;
  init(ramBytes: number): number;
  ramOffset(): number;
  reset(pc: bigint): void;
  setHtif(tohost: bigint, fromhost: bigint): void;
  codeWritten(paddr: bigint, len: number): void;
  run(budget: bigint): number;
  exitCode(): number;
  consoleOffset(): number;
  consoleLength(): number;
  consoleClear(): void;
  consoleInputPush(byte: number): number;
  consoleInputPending(): number;
  stateBuffer(): number;
  stateSave(): number;
  stateLoad(length: number): number;
}

const EXIT_BUDGET = 0;
const EXIT_HALT = 1;
const RAM_BYTES = 64 << 20; // tests/guest/rt puts the stack at the top of 64 MiB
const wasm = new WebAssembly.Module(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const echo = parseElf(readFileSync(new URL("../guest/cli/echo.elf", import.meta.url)));

function boot(): Core {
  const core = new WebAssembly.Instance(wasm, {}).exports as unknown as Core;
  expect(core.init(RAM_BYTES)).toBe(0);
  core.reset(echo.entry);
  for (const s of echo.segments) {
    if (s.memsz === 0n) continue;
    new Uint8Array(core.memory.buffer, core.ramOffset(), RAM_BYTES).set(segmentData(echo, s), Number(s.paddr - RAM_BASE));
    core.codeWritten(s.paddr, Number(s.memsz));
  }
  core.setHtif(findSymbol(echo, "tohost")!.value, 0n);
  return core;
}

function push(core: Core, text: string): void {
  for (const ch of text) expect(core.consoleInputPush(ch.charCodeAt(0))).toBe(1);
}

function drain(core: Core): string {
  const text = Buffer.from(new Uint8Array(core.memory.buffer, core.consoleOffset(), core.consoleLength())).toString("latin1");
  core.consoleClear();
  return text;
}

describe("UART console input", () => {
  it("reaches the guest in order across runs, and the guest waits for more", () => {
    const core = boot();
    expect(core.run(100_000n)).toBe(EXIT_BUDGET); // polling an empty UART
    expect(drain(core)).toBe("");
    push(core, "hello");
    expect(core.run(100_000n)).toBe(EXIT_BUDGET);
    expect(drain(core)).toBe("HELLO");
    expect(core.consoleInputPending()).toBe(0);
    push(core, " world.");
    expect(core.run(100_000n)).toBe(EXIT_HALT);
    expect(drain(core)).toBe(" WORLD\n");
    expect(core.exitCode()).toBe(0);
  });

  it("keeps unread input in the state record", () => {
    const first = boot();
    first.run(10_000n);
    push(first, "abc.");
    const length = first.stateSave();
    const record = new Uint8Array(first.memory.buffer, first.stateBuffer(), length).slice();
    const ram = new Uint8Array(first.memory.buffer, first.ramOffset(), RAM_BYTES).slice();

    const second = boot();
    new Uint8Array(second.memory.buffer, second.ramOffset(), RAM_BYTES).set(ram);
    new Uint8Array(second.memory.buffer, second.stateBuffer(), length).set(record);
    expect(second.stateLoad(length)).toBe(1);
    expect(second.consoleInputPending()).toBe(4);
    expect(second.run(100_000n)).toBe(EXIT_HALT);
    expect(drain(second)).toBe("ABC\n");
  });

  it("says when the input queue is full", () => {
    const core = boot();
    let accepted = 0;
    while (core.consoleInputPush(120) === 1) accepted++;
    expect(accepted).toBe(256);
    expect(core.consoleInputPending()).toBe(256);
  });
});
