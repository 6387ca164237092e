// Test access to the raw wasm core (build/core.wasm), below BareMachine: the
// snapshot and console hooks that only hosts of later layers use.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { RAM_BASE, type CoreExports } from "../../src/vm/core-abi.ts";
import { findSymbol, segmentData, type Elf } from "../../src/vm/elf.ts";

/** The core as every host sees it (src/vm/core-abi.ts). */
export type RawCore = CoreExports;

export const EXIT = { Budget: 0, Halt: 1, ConsoleFull: 3, Ecall: 4, Trap: 6, PageAbsent: 7 } as const;

// The project's global types are Workers', where Module and Instance cannot be constructed directly.
const Module = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const module = new Module(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const Instance = WebAssembly.Instance as unknown as new (m: WebAssembly.Module, imports: object) => WebAssembly.Instance;

/** A fresh instance of the core, unlike any other: for tests that compare a reused instance with one. */
export function newInstance(): WebAssembly.Instance {
  return new Instance(module, {});
}

export function newCore(ramBytes: number, onDemand = false): RawCore {
  const core = newInstance().exports as unknown as RawCore;
  expect(core.init(ramBytes, onDemand ? 1 : 0)).toBe(0);
  return core;
}

export function ramOf(core: RawCore, ramBytes: number): Uint8Array {
  return new Uint8Array(core.memory.buffer, core.ramOffset() >>> 0, ramBytes);
}

/** A core (a fresh one, or `into` made a new machine) with a bare-metal ELF loaded at its physical addresses, ready to run. */
export function bootElf(elf: Elf, ramBytes: number, into?: RawCore): RawCore {
  const core = into ?? newCore(ramBytes);
  if (into) expect(into.init(ramBytes)).toBe(0);
  core.reset(elf.entry);
  for (const s of elf.segments) {
    if (s.memsz === 0n) continue;
    ramOf(core, ramBytes).set(segmentData(elf, s), Number(s.paddr - RAM_BASE));
    core.codeWritten(s.paddr, Number(s.memsz));
  }
  core.setHtif(findSymbol(elf, "tohost")?.value ?? 0n, findSymbol(elf, "fromhost")?.value ?? 0n);
  return core;
}

export function drainConsole(core: RawCore): string {
  const text = Buffer.from(new Uint8Array(core.memory.buffer, core.consoleOffset(), core.consoleLength())).toString("latin1");
  core.consoleClear();
  return text;
}

export function saveRecord(core: RawCore): Uint8Array {
  const length = core.stateSave();
  return new Uint8Array(core.memory.buffer, core.stateBuffer(), length).slice();
}

/** Writes a state record into the core and loads it; returns stateLoad's verdict. */
export function loadRecord(core: RawCore, record: Uint8Array): boolean {
  new Uint8Array(core.memory.buffer, core.stateBuffer(), record.length).set(record);
  return core.stateLoad(record.length) === 1;
}
