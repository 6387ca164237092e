// `edgevm run PROG` for a static riscv64 Linux program (process mode): reads
// the request's files, runs the process, feeds it edgevm's stdin when it
// waits for input, and reports the way a shell running qemu-riscv64 would.
import { MachineError } from "../vm/core-abi.ts";
import { hex, type Elf } from "../vm/elf.ts";
import { LoadError } from "../vm/linux/memory/loader.ts";
import { LinuxProcess, type LinuxConfig, type LinuxRunResult } from "../vm/linux/process.ts";
import type { SeedFile } from "../vm/linux/files/rootfs.ts";
import { signalName } from "../vm/linux/signals/signals.ts";
import type { RunArgs } from "./args.ts";
import { CliError, ExitStatus, usageError } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { loadCore } from "./load-core.ts";
import { readHostFile } from "./host-files.ts";
import { runFigures } from "./run-stats.ts";

/** What `edgevm run PROG` passes to a Linux program (also through snapshots, src/cli/snapshot-run.ts). */
export type LinuxRunArgs = Pick<RunArgs, "file" | "guestArgs" | "stdin" | "files" | "env" | "ramMiB">;

export async function runLinuxProgram(elf: Elf, args: RunArgs, io: CliIo, started: number): Promise<number> {
  const config = await linuxConfigOf(args, io);
  const module = await loadCore();
  const process = await linuxSetup(args.file, () => LinuxProcess.create(module, elf.bytes, config));
  const guestStderr = guestStderrOf(io);
  let total: LinuxRunResult;
  let remaining = args.maxInsns;
  let seconds = 0;
  for (;;) {
    const result = process.run(remaining, { onStdout: (b) => io.stdout(b), onStderr: (b) => guestStderr(b) });
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
  return status;
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
