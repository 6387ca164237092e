// `edgevm run PROG` for a static riscv64 Linux program (process mode): reads
// the request's files, runs the process, feeds it edgevm's stdin when it
// waits for input, and reports the way a shell running qemu-riscv64 would.
import { MachineError } from "../vm/core-abi.ts";
import { hex, type Elf } from "../vm/elf.ts";
import { LoadError } from "../vm/linux/memory/loader.ts";
import { LinuxProcess, type LinuxConfig, type LinuxRunOptions, type LinuxRunResult } from "../vm/linux/process.ts";
import { CallingConventionChecker, type Violation } from "../vm/calling-convention/checker.ts";
import type { AssembledInfo } from "./as-command.ts";
import type { SeedFile } from "../vm/linux/files/rootfs.ts";
import { signalName } from "../vm/linux/signals/signals.ts";
import type { RunArgs } from "./args.ts";
import { CliError, ExitStatus, usageError } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { loadCore } from "./load-core.ts";
import { readHostFile } from "./host-files.ts";
import { runFigures } from "./run-stats.ts";

/** What `edgevm run PROG` passes to a Linux program (also through snapshots, src/cli/snapshot-run.ts). */
export type LinuxRunArgs = Pick<RunArgs, "file" | "guestArgs" | "stdin" | "files" | "env" | "ramMiB" | "abi">;

export async function runLinuxProgram(elf: Elf, args: RunArgs, io: CliIo, started: number, info?: AssembledInfo): Promise<number> {
  const config = await linuxConfigOf(args, io);
  const module = await loadCore();
  const process = await linuxSetup(args.file, () => LinuxProcess.create(module, elf.bytes, config));
  const guestStderr = guestStderrOf(io);
  const checker = args.checkCallingConvention ? checkerFor(elf, process) : undefined;
  const callbacks = { onStdout: (b: Uint8Array) => io.stdout(b), onStderr: (b: Uint8Array) => guestStderr(b) };
  let total: LinuxRunResult;
  let remaining = args.maxInsns;
  let seconds = 0;
  for (;;) {
    const result = checker ? runChecked(process, remaining, checker, callbacks) : process.run(remaining, callbacks);
    remaining -= result.instructions;
    seconds += result.seconds;
    total = { ...result, seconds };
    if (result.status !== "waiting-input") break;
    const chunk = io.readStdin ? await io.readStdin() : null;
    if (chunk === null) process.closeStdin();
    else process.pushStdin(chunk);
  }
  const status = report(total, args, process, io);
  if (args.stats) io.stderr(JSON.stringify(stats(total, process, performance.now() - started)));
  if (checker && checker.violations.length > 0) {
    for (const v of checker.violations) io.stderr(describeViolation(v, elf, info));
    return ExitStatus.CallingConvention;
  }
  return status;
}

/** Every global symbol at an executable address is a function to check (Venus -cc checks .globl functions). */
function checkerFor(elf: Elf, process: LinuxProcess): CallingConventionChecker {
  const text = elf.segments.filter((s) => (s.flags & 1) !== 0);
  const functions = new Map<bigint, string>();
  for (const s of elf.symbols) {
    if (s.bind === 0 || (s.type !== 0 && s.type !== 2)) continue;
    if (text.some((seg) => s.value >= seg.vaddr && s.value < seg.vaddr + seg.memsz) && !functions.has(s.value)) functions.set(s.value, s.name);
  }
  const fetch = (pc: bigint) => {
    const b = process.kernel.mem.read(Number(pc), 2);
    return b ? b[0] | (b[1] << 8) : null;
  };
  return new CallingConventionChecker(functions, fetch);
}

/** One instruction at a time, so the checker sees every call and return. */
function runChecked(process: LinuxProcess, budget: bigint, checker: CallingConventionChecker, callbacks: LinuxRunOptions): LinuxRunResult {
  let executed = 0n;
  let seconds = 0;
  for (;;) {
    const pc = process.core.getPc();
    const r = process.run(1n, callbacks);
    checker.step(pc, process.core.getPc(), process.core);
    executed += r.instructions;
    seconds += r.seconds;
    if (r.status !== "budget" || executed >= budget) return { ...r, instructions: executed, seconds };
  }
}

function describeViolation(v: Violation, elf: Elf, info?: AssembledInfo): string {
  const hex = (x: bigint) => `0x${BigInt.asUintN(64, x).toString(16)}`;
  let where = `pc ${hex(v.at)}`;
  const fn = elf.symbols.filter((s) => s.bind !== 0 && s.value <= v.at).sort((a, b) => (a.value > b.value ? -1 : 1))[0];
  if (fn) where += ` (${fn.name}+${hex(v.at - fn.value)})`;
  const line = info?.lines.filter((l) => l.addr <= v.at).at(-1);
  if (line) {
    const text = info!.sources.find((s) => s.name === line.file)?.text.split("\n")[line.line - 1]?.trim() ?? "";
    where = `${line.file}:${line.line}: '${text}'`;
  }
  return `edgevm: calling convention: '${v.function}' returned without restoring ${v.register} (${hex(v.onEntry)} on entry, ${hex(v.onReturn)} on return) at ${where}`;
}

/** The process's argv, environment, files, stdin and memory, read from the host as the options name them. */
export async function linuxConfigOf(args: LinuxRunArgs, io: CliIo): Promise<LinuxConfig> {
  const files = await Promise.all((args.files ?? []).map(async (f): Promise<SeedFile> => ({ path: f.guest, data: await readHostFile(f.host, `--file ${f.host}`, false) })));
  const stdin = args.stdin === undefined ? undefined : await readHostFile(args.stdin, `--stdin ${args.stdin}`, false);
  return {
    args: [args.file, ...args.guestArgs],
    // qemu-riscv64 hands a program its environment in reverse order (its envlist
    // prepends); so does the CLI, so that `env -i A=1 B=2 qemu-riscv64 prog` and
    // `edgevm run prog --env A=1 --env B=2` print the same environ.
    env: [...(args.env ?? [])].reverse(),
    files,
    stdin,
    // Without --stdin the guest reads edgevm's own stdin as it arrives (none in an embedding without readStdin).
    stdinClosed: stdin !== undefined || io.readStdin === undefined,
    memoryLimit: args.ramMiB * 1024 * 1024,
    ...(args.abi !== undefined && args.abi !== "linux" && { abi: args.abi }),
  };
}

/** Starts a process, reporting a program or config process mode refuses as the CLI does. */
export async function linuxSetup<T>(file: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    if (e instanceof LoadError) throw usageError(`${file}: ${e.message}`);
    if (e instanceof MachineError) throw new CliError(e.kind === "config" ? ExitStatus.Usage : ExitStatus.Failure, e.message);
    throw e;
  }
}

/** The exit status a shell would show; edgevm's own line on stderr only when edgevm stopped the program. */
function report(result: LinuxRunResult, args: RunArgs, process: LinuxProcess, io: CliIo): number {
  const where = `after ${process.totalInstructions} instructions, pc ${hex(process.core.getPc())}`;
  switch (result.status) {
    case "exited":
      return result.exitCode;
    case "killed":
      // qemu-riscv64 prints nothing itself (with core dumps off, the default); the shell shows the status.
      return 128 + result.signal;
    case "budget":
      io.stderr(`edgevm: instruction limit reached (--max-insns ${args.maxInsns}) ${where}; the guest did not exit`);
      return ExitStatus.Limit;
    case "output-limit":
      io.stderr(`edgevm: the guest's ${result.reason ?? "output"} (${where}); it was stopped`);
      return ExitStatus.Failure;
    case "fault":
      io.stderr(`edgevm: ${result.reason ?? "the process faulted"} (${where})`);
      return ExitStatus.Failure;
    case "waiting-input":
      io.stderr(`edgevm: the guest waits for input that cannot come (${where})`);
      return ExitStatus.Failure;
  }
}

function stats(result: LinuxRunResult, process: LinuxProcess, hostMs: number) {
  return {
    ...runFigures(Number(process.totalInstructions), result.seconds, hostMs),
    status: result.status,
    exitCode: result.exitCode,
    signal: result.signal,
    ...(result.signal !== 0 && { signalName: signalName(result.signal) }),
    ...(result.reason !== undefined && { reason: result.reason }),
    syscalls: result.syscallCounts,
    unsupportedSyscalls: result.unsupported,
  };
}

/** Where a Linux guest's stderr bytes go: the embedding's byte stream, or its line-oriented stderr(). */
export function guestStderrOf(io: CliIo): (bytes: Uint8Array) => void {
  return io.guestStderr ? (bytes) => io.guestStderr!(bytes) : lineWriter(io);
}

/** Guest stderr through the line-oriented stderr() of an embedding that gives no byte stream. */
function lineWriter(io: CliIo): (bytes: Uint8Array) => void {
  const decoder = new TextDecoder();
  let pending = "";
  return (bytes) => {
    pending += decoder.decode(bytes, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) io.stderr(line);
  };
}
