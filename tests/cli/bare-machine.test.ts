// BareMachine (the host side of system mode that `edgevm run` drives) against a
// scripted fake core, so loading and the slice loop are tested without the wasm core.
import { describe, expect, it } from "vitest";
import { BareMachine } from "../../src/vm/bare/bare-machine.ts";
import { MachineError, RUN_SLICE, RunExit } from "../../src/vm/core-abi.ts";
import { ElfError, parseElf } from "../../src/vm/elf.ts";
import { buildElf } from "./elf-builder.ts";

const RAM_OFFSET = 0x1_0000;
const CONSOLE_OFFSET = 0x100;

interface Step {
  reason: number;
  /** Instructions retired during the call (default: the whole budget). */
  retired?: bigint;
  console?: string;
  exitCode?: number;
}

function fakeCore(steps: Step[], { initResult = 0 } = {}) {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const calls: string[] = [];
  const budgets: bigint[] = [];
  let ramBytes = 0;
  let instret = 0n;
  let consoleLength = 0;
  let exitCode = 0;
  const exports = {
    memory,
    init: (bytes: number) => ((ramBytes = bytes), initResult),
    ramOffset: () => RAM_OFFSET,
    ramSize: () => ramBytes,
    ramBacked: () => ramBytes,
    backRam: () => 1,
    reset: (pc: bigint) => calls.push(`reset ${pc.toString(16)}`),
    getPc: () => 0x8000_0000n,
    setPc: () => {},
    getX: () => 0n,
    setX: () => {},
    setHtif: (to: bigint, from: bigint) => calls.push(`htif ${to.toString(16)} ${from.toString(16)}`),
    run: (budget: bigint) => {
      budgets.push(budget);
      const step = steps.shift() ?? { reason: RunExit.Fault };
      instret += step.retired ?? budget;
      if (step.console) {
        const bytes = new TextEncoder().encode(step.console);
        new Uint8Array(memory.buffer).set(bytes, CONSOLE_OFFSET + consoleLength);
        consoleLength += bytes.length;
      }
      exitCode = step.exitCode ?? 0;
      return step.reason;
    },
    exitCode: () => exitCode,
    instret: () => instret,
    cycle: () => instret,
    consoleOffset: () => CONSOLE_OFFSET,
    consoleLength: () => consoleLength,
    consoleClear: () => {
      consoleLength = 0;
      calls.push("consoleClear");
    },
    codeWritten: (paddr: bigint, len: number) => calls.push(`codeWritten ${paddr.toString(16)} ${len}`),
    faultReason: () => 1,
  };
  // The rest of the core's contract (src/vm/core-abi.ts), which a bare machine does not call.
  const unused = [
    "getF", "setF", "getFcsr", "setFcsr", "getPriv", "setPriv", "getSatp", "setSatp", "clearReservation", "enableUserFeatures",
    "flushTranslations", "runCycles", "setEcallExits", "setUserTrapExits", "trapCause", "trapValue", "consoleInputPush",
    "consoleInputPending", "stateBuffer", "stateSave", "stateLoad", "pageFlags", "clearDirty", "setPagesAbsent", "setPagePresent",
    "absentPage", "haltKind", "deviceMapClear", "deviceMap", "rtcSetEpoch", "irqSetLevel", "irqPending", "virtioSetDevice",
    "virtioConfig", "virtioNotifySlot", "virtioNotifyQueue", "virtioQueue", "virtioSetHostIndex", "virtioHostWord",
    "virtioSetHostWord", "virtioDriverFeatures", "virtioStatus", "virtioInterrupt", "dmaWritten",
  ];
  for (const name of unused) (exports as Record<string, unknown>)[name] = () => calls.push(`unexpected ${name}`);
  const instance = { exports } as unknown as WebAssembly.Instance;
  return { instance, calls, budgets, memory };
}

function machine(steps: Step[], ramBytes = 0x1_0000) {
  const fake = fakeCore(steps);
  return { ...fake, machine: BareMachine.fromInstance(fake.instance, { ramBytes }) };
}

describe("BareMachine.load", () => {
  it("copies segments to RAM, zeroes their bss, announces the code and resets to the entry", async () => {
    const { machine: m, calls } = machine([]);
    m.ram().fill(0xaa);
    const elf = parseElf(
      buildElf({
        entry: 0x8000_0004n,
        segments: [
          { vaddr: 0x8000_0000n, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
          { vaddr: 0x8000_1000n, data: Uint8Array.from([9]), memsz: 0x10n, flags: 6 },
        ],
        symbols: [{ name: "tohost", value: 0x8000_1000n }, { name: "fromhost", value: 0x8000_1008n }],
      }),
    );
    m.load(elf);
    const ram = m.ram();
    expect([...ram.subarray(0, 9)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0xaa]);
    expect([...ram.subarray(0x1000, 0x1011)]).toEqual([9, ...new Array(15).fill(0), 0xaa]);
    expect(calls).toEqual(["reset 80000004", "codeWritten 80000000 8", "codeWritten 80001000 16", "htif 80001000 80001008"]);
  });

  it("tells the core there is no HTIF mailbox when the ELF has none", async () => {
    const { machine: m, calls } = machine([]);
    m.load(parseElf(buildElf({ segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(4) }], symbols: null })));
    expect(calls).toContain("htif 0 0");
  });

  it("refuses an image that does not fit RAM, before writing anything", async () => {
    const { machine: m, calls } = machine([]);
    const elf = parseElf(buildElf({ segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(4), memsz: 0x2_0000n }] }));
    expect(() => m.load(elf)).toThrow(new ElfError("segment at 0x80000000-0x80020000 lies outside RAM 0x80000000-0x80010000"));
    expect(calls).toEqual([]);
  });
});

describe("BareMachine.run", () => {
  it("runs in slices and stops exactly at the budget", async () => {
    const { machine: m, budgets } = machine([{ reason: RunExit.Budget }, { reason: RunExit.Budget }, { reason: RunExit.Budget }]);
    const result = await m.run(2n * RUN_SLICE + 7n);
    expect(budgets).toEqual([RUN_SLICE, RUN_SLICE, 7n]);
    expect(result).toMatchObject({ status: "budget", instructions: 2n * RUN_SLICE + 7n, exitCode: 0 });
  });

  it("drains the console after every slice, in order", async () => {
    const { machine: m, calls } = machine([
      { reason: RunExit.Budget, console: "he" },
      { reason: RunExit.Budget },
      { reason: RunExit.Halt, retired: 5n, console: "llo", exitCode: 3 },
    ]);
    const chunks: string[] = [];
    const result = await m.run(100n * RUN_SLICE, { onConsole: (b) => chunks.push(new TextDecoder().decode(b)) });
    expect(chunks).toEqual(["he", "llo"]);
    expect(calls.filter((c) => c === "consoleClear")).toHaveLength(2);
    expect(result).toMatchObject({ status: "halted", exitCode: 3, instructions: 2n * RUN_SLICE + 5n });
  });

  it("resumes after CONSOLE_FULL with the budget that is left", async () => {
    const { machine: m, budgets } = machine([
      { reason: RunExit.ConsoleFull, retired: 10n, console: "x" },
      { reason: RunExit.Budget },
    ]);
    const result = await m.run(100n);
    expect(budgets).toEqual([100n, 90n]);
    expect(result).toMatchObject({ status: "budget", instructions: 100n });
  });

  it("does not trust an instret the guest moved backwards", async () => {
    const { machine: m, budgets } = machine([{ reason: RunExit.ConsoleFull, retired: -50n }, { reason: RunExit.Halt, retired: 1n }]);
    expect(await m.run(100n)).toMatchObject({ status: "halted", instructions: 1n });
    expect(budgets).toEqual([100n, 100n]);
  });

  it("reports idle and fault exits", async () => {
    expect(await machine([{ reason: RunExit.Idle, retired: 4n }]).machine.run(10n)).toMatchObject({ status: "idle", instructions: 4n });
    expect(await machine([{ reason: RunExit.Fault, retired: 0n }]).machine.run(10n)).toMatchObject({ status: "fault" });
    expect((await machine([{ reason: RunExit.Ecall, retired: 0n }]).machine.run(10n)).fault).toMatch(/process mode/);
    expect((await machine([{ reason: 42, retired: 0n }]).machine.run(10n)).fault).toMatch(/unknown exit reason 42/);
  });
});

describe("BareMachine setup errors", () => {
  it("rejects RAM the core cannot allocate", async () => {
    const fake = fakeCore([], { initResult: 1 });
    expect(() => BareMachine.fromInstance(fake.instance, { ramBytes: 4095 * 2 ** 20 })).toThrow(
      new MachineError("config", "guest RAM of 4095 MiB is too large for the core"),
    );
  });

  it("rejects a wasm module that is not the core", async () => {
    // The smallest valid module: magic and version, no exports. (Workers' types make Module abstract.)
    const Module = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
    const empty = new Module(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await expect(BareMachine.create(empty, { ramBytes: 1 << 20 })).rejects.toMatchObject({ kind: "core" });
  });
});
