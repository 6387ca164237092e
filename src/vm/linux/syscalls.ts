// The syscall table: RISC-V Linux numbers (the asm-generic table, see
// syscall-names.ts) to handlers, and the dispatch that counts every call.
// An unknown or unimplemented syscall returns -ENOSYS and is counted as
// unsupported; it never stops the host.
import { ENOSYS } from "./errno.ts";
import { SyscallArgs, type Handler, type Kernel, type SyscallResult } from "./kernel.ts";
import { fileSyscalls } from "./sys-files.ts";
import { memorySyscalls } from "./sys-memory.ts";
import { processSyscalls } from "./sys-process.ts";
import { threadSyscalls } from "./sys-threads.ts";
import { timeSyscalls } from "./sys-time.ts";
import { SYSCALL_NAMES } from "./syscall-names.ts";

export const HANDLERS: ReadonlyMap<string, Handler> = new Map(
  Object.entries({ ...fileSyscalls, ...memorySyscalls, ...processSyscalls, ...threadSyscalls, ...timeSyscalls }),
);

for (const name of HANDLERS.keys()) {
  if (![...SYSCALL_NAMES.values()].includes(name)) throw new Error(`handler for unknown syscall ${name}`);
}

export function syscallName(nr: number): string {
  return SYSCALL_NAMES.get(nr) ?? `syscall_${nr}`;
}

/** Runs syscall `nr` with arguments a0..a5 and counts it. */
export function dispatch(k: Kernel, nr: number, args: readonly bigint[]): SyscallResult {
  const name = syscallName(nr);
  const handler = HANDLERS.get(name);
  const result = handler ? handler(k, new SyscallArgs(args)) : -ENOSYS;
  // A call that will be made again (a "retry" wait: stdin, a pipe, a poll) is counted when it completes.
  if (typeof result === "object" && result.kind === "block" && result.wait.kind === "retry") return result;
  k.counts.set(name, (k.counts.get(name) ?? 0) + 1);
  if (!handler) k.unsupported.set(name, (k.unsupported.get(name) ?? 0) + 1);
  return result;
}
