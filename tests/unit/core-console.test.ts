// Console input through the UART: bytes pushed by the host reach a polling
// guest in order, unread input survives a save/load of the state record, and
// the input queue reports when it is full.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseElf } from "../../src/vm/elf.ts";
import { bootElf, drainConsole as drain, EXIT, loadRecord, ramOf, saveRecord, type RawCore as Core } from "../support/bare-core.ts";

const RAM_BYTES = 64 << 20; // tests/guest/rt puts the stack at the top of 64 MiB
const echo = parseElf(readFileSync(new URL("../guest/cli/echo.elf", import.meta.url)));
const boot = () => bootElf(echo, RAM_BYTES);

function push(core: Core, text: string): void {
  for (const ch of text) expect(core.consoleInputPush(ch.charCodeAt(0))).toBe(1);
}

describe("UART console input", () => {
  it("reaches the guest in order across runs, and the guest waits for more", () => {
    const core = boot();
    expect(core.run(100_000n)).toBe(EXIT.Budget); // polling an empty UART
    expect(drain(core)).toBe("");
    push(core, "hello");
    expect(core.run(100_000n)).toBe(EXIT.Budget);
    expect(drain(core)).toBe("HELLO");
    expect(core.consoleInputPending()).toBe(0);
    push(core, " world.");
    expect(core.run(100_000n)).toBe(EXIT.Halt);
    expect(drain(core)).toBe(" WORLD\n");
    expect(core.exitCode()).toBe(0);
  });

  it("keeps unread input in the state record", () => {
    const first = boot();
    first.run(10_000n);
    push(first, "abc.");
    const record = saveRecord(first);
    const ram = ramOf(first, RAM_BYTES).slice();

    const second = boot();
    ramOf(second, RAM_BYTES).set(ram);
    expect(loadRecord(second, record)).toBe(true);
    expect(second.consoleInputPending()).toBe(4);
    expect(second.run(100_000n)).toBe(EXIT.Halt);
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
