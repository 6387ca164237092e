// The syscall table: RISC-V Linux numbers (the asm-generic table, see
// syscall-names.ts) to handlers, and the dispatch that counts every call.
// An unknown or unimplemented syscall returns -ENOSYS and is counted as
// unsupported; it never stops the host.
import { ENOSYS } from "./errno.ts";
import { SyscallArgs, type Handler, type Kernel, type SyscallResult } from "../kernel.ts";
import { fileSyscalls } from "../files/sys-files.ts";
import { memorySyscalls } from "../memory/sys-memory.ts";
import { processSyscalls } from "../tasks/sys-process.ts";
import { threadSyscalls } from "../tasks/sys-threads.ts";
import { timeSyscalls } from "../time/sys-time.ts";
import { SYSCALL_NAMES } from "./syscall-names.ts";

// Handlers are written by name, grouped by subsystem; at load time they go
// into a dense array indexed by syscall number, so a call is one array load.
const BY_NAME: ReadonlyMap<string, Handler> = new Map(
  Object.entries({ ...fileSyscalls, ...memorySyscalls, ...processSyscalls, ...threadSyscalls, ...timeSyscalls }),
);

const NAMES: readonly string[] = buildNames();
const TABLE: readonly (Handler | undefined)[] = NAMES.map((name) => BY_NAME.get(name));

function buildNames(): string[] {
  const known = new Set(SYSCALL_NAMES.values());
  for (const name of BY_NAME.keys()) if (!known.has(name)) throw new Error(`handler for unknown syscall ${name}`);
  const size = Math.max(...SYSCALL_NAMES.keys()) + 1;
  return Array.from({ length: size }, (_, nr) => SYSCALL_NAMES.get(nr) ?? `syscall_${nr}`);
}

export function syscallName(nr: number): string {
  return (nr >= 0 && nr < NAMES.length ? NAMES[nr] : undefined) ?? `syscall_${nr}`;
}

/** Runs syscall `nr` with arguments a0..a5 and counts it. */
export function dispatch(k: Kernel, nr: number, args: readonly bigint[]): SyscallResult {
  const name = syscallName(nr);
  const handler = nr >= 0 && nr < TABLE.length ? TABLE[nr] : undefined;
  const result = handler ? handler(k, new SyscallArgs(args)) : -ENOSYS;
  // A call that will be made again (a "retry" wait: stdin, a pipe, a poll) is counted when it completes.
  if (typeof result === "object" && result.kind === "block" && result.wait.kind === "retry") return result;
  k.counts.set(name, (k.counts.get(name) ?? 0) + 1);
  if (!handler) k.unsupported.set(name, (k.unsupported.get(name) ?? 0) + 1);
  return result;
}
