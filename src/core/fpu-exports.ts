// Test entry point: the FPU on its own, with its accrued flags reachable from JS.
export * from "./fpu";
import { fpFlags } from "./fpu";

export function getFlags(): u32 {
  return fpFlags;
}

export function clearFlags(): void {
  fpFlags = 0;
}
