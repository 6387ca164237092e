// System mode's view of the core: the whole contract lives in core-abi.ts
// (the devices' exports included); this module names the parts the virt
// board's host code uses, so that the board's files import one place.
export { CoreDeviceKind, HaltKind, VirtqueueField, type CoreExports as SystemCoreExports } from "../core-abi.ts";
export { coreExports as systemCoreExports } from "../core-abi.ts";
