// Core instances that ran a quantum and may run the next one, by module. A new
// instance costs a quantum more than its run: instantiating, growing a memory
// of the guest's size (which makes V8 collect garbage), and faulting in every
// page it touches. init() makes a used instance an empty machine again,
// clearing only the pages its last machine wrote (docs/core.md). One idle
// instance per module is kept: a host runs one quantum at a time per
// isolate or process, and each holds its guest's memory.
import { coreExports, type CoreExports } from "./core-abi.ts";

export interface CoreInstance {
  instance: WebAssembly.Instance;
  core: CoreExports;
}

const idle = new WeakMap<WebAssembly.Module, CoreInstance>();

/** A fresh instance of the core module, checked to be the core this host expects. */
export async function instantiateCore(module: WebAssembly.Module): Promise<CoreInstance> {
  const instance = await WebAssembly.instantiate(module, {});
  return { instance, core: coreExports(instance) };
}

/**
 * An instance for a new machine: an idle one when there is one, else a fresh
 * one. The caller calls init() before anything else, and gives it back with
 * releaseCore() only once the quantum ended without an error.
 */
export async function acquireCore(module: WebAssembly.Module): Promise<CoreInstance> {
  const reused = idle.get(module);
  if (reused) {
    idle.delete(module);
    return reused;
  }
  return instantiateCore(module);
}

/** An instance whose machine is done with it (nothing may use it afterwards but acquireCore). */
export function releaseCore(module: WebAssembly.Module, instance: CoreInstance): void {
  if (!idle.has(module)) idle.set(module, instance);
}
