// The wasm core as process mode drives it: the bare-machine exports plus the
// hooks that let the host act as the kernel (docs/core.md, "Host contract").
import { checkedExports, RunExit, type CoreExports } from "../bare-machine.ts";

export interface ProcessCore extends CoreExports {
  /** Cycles the last run() used: in U-mode, the instructions it retired. */
  runCycles(): bigint;
  /** Offset in memory of one flag byte per RAM page (4 = dirty). */
  pageFlags(): number;
  getF(i: number): bigint;
  setF(i: number, v: bigint): void;
  getPriv(): number;
  setEcallExits(on: number): void;
  setUserTrapExits(on: number): void;
  trapCause(): bigint;
  trapValue(): bigint;
  setPriv(p: number): void;
  getSatp(): bigint;
  setSatp(v: bigint): void;
  enableUserFeatures(): void;
  flushTranslations(): void;
  getFcsr(): number;
  setFcsr(v: number): void;
  clearReservation(): void;
}

/** run()'s exit reasons; process mode handles Ecall and Trap itself. */
export const ProcessExit = RunExit;

const PROCESS_FUNCTIONS = [
  "init", "ramOffset", "ramSize", "ramBacked", "backRam", "reset", "getPc", "setPc", "getX", "setX", "getF", "setF", "getPriv", "run",
  "instret", "cycle", "runCycles", "codeWritten", "setEcallExits", "setUserTrapExits", "trapCause", "trapValue", "setPriv",
  "getSatp", "setSatp", "enableUserFeatures", "flushTranslations", "pageFlags", "getFcsr", "setFcsr", "clearReservation",
] as const;

/** The exports of a fresh core instance, checked to be the core process mode expects. */
export function processCore(instance: WebAssembly.Instance): ProcessCore {
  return checkedExports<ProcessCore>(instance, PROCESS_FUNCTIONS);
}

/** The process-mode view of a core another host instantiated and checked (the snapshot runner's). */
export function processCoreOf(exports: CoreExports): ProcessCore {
  return processCore({ exports } as unknown as WebAssembly.Instance);
}
