// A static riscv64 Linux program running in process mode (like
// qemu-riscv64): the core runs it in U-mode on Sv39 page tables this host
// builds, every ecall comes back here as a syscall, every other exception as
// a page fault to serve or a signal. Platform-neutral (no Node imports): the
// same class runs in the CLI, in Workers and in a browser.
//
// Determinism: nothing here reads a host clock or host randomness (guest time
// comes from the cycle counter, randomness from the seed) and every
// iteration order is fixed, so the same program, config and input give the
// same output and the same final guest state, however run() is sliced.
import { RUN_SLICE, MachineError } from "../bare-machine.ts";
import { parseElf, ElfError } from "../elf.ts";
import { AddressSpace, PAGE_SIZE, type Access } from "./address-space.ts";
import { GuestClock, NOMINAL_HZ } from "./clock.ts";
import { ConsoleInput, OutputSink } from "./console.ts";
import { processCore, ProcessExit, type ProcessCore } from "./core.ts";
import { FdTable } from "./fd-table.ts";
import { FileSystem } from "./fs.ts";
import { Kernel, type Identity, type Outcome } from "./kernel.ts";
import { loadProgram, LoadError } from "./loader.ts";
import { GuestRandom } from "./random.ts";
import { absoluteGuestPath, populateRoot, type SeedFile } from "./rootfs.ts";
import {
  BUS_ADRALN,
  defaultAction,
  ILL_ILLOPC,
  SEGV_ACCERR,
  SEGV_MAPERR,
  SI_KERNEL,
  SIG_DFL,
  SIG_IGN,
  SIGBUS,
  SIGILL,
  SIGKILL,
  SIGSEGV,
  SIGTRAP,
  SignalState,
  TRAP_BRKPT,
  type SigInfo,
} from "./signals.ts";
import { dispatch } from "./syscalls.ts";

export interface LinuxConfig {
  /** argv, argv[0] included (the program path as given). */
  args: string[];
  /** Environment strings "KEY=VALUE" (default: none). */
  env?: string[];
  /** Files placed in the guest file system before start. */
  files?: SeedFile[];
  /** Initial stdin bytes. */
  stdin?: Uint8Array;
  /** Whether stdin ends after those bytes (EOF) or more may come (a read then waits). Default true. */
  stdinClosed?: boolean;
  /** Seed of getrandom, /dev/urandom and AT_RANDOM. Default 0. */
  seed?: number | bigint | string;
  /** Guest memory (RAM) in bytes: mappings beyond it fail with ENOMEM. Default 256 MiB. */
  memoryLimit?: number;
  /** Cap of stdout and of stderr, each, in bytes. Default 64 MiB. */
  outputLimit?: number;
  /** Cap of the bytes regular files may hold in the guest file system. Default: the memory limit. */
  fileSystemLimit?: number;
  /** Where the program lives in the guest file system (/proc/self/exe). Default: argv[0] made absolute. */
  exePath?: string;
  /** CLOCK_REALTIME at the first instruction, in seconds since 1970. */
  epochSeconds?: number;
  /** pid, uid, hostname... overrides. */
  identity?: Partial<Identity>;
}

export type LinuxStatus = "exited" | "killed" | "budget" | "waiting-input" | "output-limit" | "fault";

export interface LinuxRunResult {
  status: LinuxStatus;
  /** The exit code (0-255) when exited. */
  exitCode: number;
  /** The signal that killed the process when killed, else 0. */
  signal: number;
  /** Instructions executed by this call. */
  instructions: bigint;
  /** Output produced during this call (empty for a stream given to onStdout / onStderr). */
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** Syscalls made since the start, by name, in name order. */
  syscallCounts: Record<string, number>;
  /** Syscalls answered with ENOSYS because they are not implemented, by name. */
  unsupported: Record<string, number>;
  /** Why: the fault for "fault", the signal's cause for "killed", which stream for "output-limit". */
  reason?: string;
  /** Time inside the core's run() (0 where the clock is frozen, as in Workers). */
  seconds: number;
}

export interface LinuxRunOptions {
  /** Receives stdout as the guest writes it (then it is not collected in the result). */
  onStdout?: (bytes: Uint8Array) => void;
  onStderr?: (bytes: Uint8Array) => void;
}

export const DEFAULT_MEMORY_LIMIT = 256 << 20;
/** The dirty bit of the core's per-page flag bytes (docs/core.md). */
const PAGE_DIRTY = 4;
export const DEFAULT_OUTPUT_LIMIT = 64 << 20;
/** The core's largest RAM. */
const MAX_MEMORY = 2048 * (1 << 20);

const DEFAULT_IDENTITY: Identity = {
  pid: 1000,
  ppid: 1,
  uid: 0,
  gid: 0,
  nodename: "edgevm",
  release: "6.1.0-edgevm",
  version: "#1 SMP PREEMPT_DYNAMIC edgevm",
};

type Final = Omit<LinuxRunResult, "instructions" | "stdout" | "stderr" | "syscallCounts" | "unsupported" | "seconds">;

export class LinuxProcess {
  /** Set once the process has ended (exited, killed, faulted, output limit): later runs report it again. */
  private final: Final | undefined;
  /** Instructions executed since the start. */
  totalInstructions = 0n;

  private constructor(
    readonly core: ProcessCore,
    readonly kernel: Kernel,
  ) {}

  /** Instantiates a fresh core and loads the program. Throws LoadError or MachineError on bad input. */
  static async create(module: WebAssembly.Module, program: Uint8Array, config: LinuxConfig): Promise<LinuxProcess> {
    return LinuxProcess.fromInstance(await WebAssembly.instantiate(module, {}), program, config);
  }

  static fromInstance(instance: WebAssembly.Instance, program: Uint8Array, config: LinuxConfig): LinuxProcess {
    const elf = parseProgram(program);
    const memoryLimit = checkMemoryLimit(config.memoryLimit ?? DEFAULT_MEMORY_LIMIT);
    const core = processCore(instance);
    // RAM on demand: the frames a process gets come from the bottom of RAM up, and a hello world needs about a hundred.
    if (core.init(memoryLimit, 1) !== 0) throw new MachineError("config", `guest memory of ${memoryLimit} bytes is too large for the core`);
    const kernel = bootKernel(core, program, config, memoryLimit);
    const argv0 = config.args[0] ?? "";
    const loaded = loadProgram(kernel.mem, elf, {
      argv: config.args.map(bytes),
      envp: (config.env ?? []).map(bytes),
      execfn: bytes(argv0),
      random: kernel.random.bytes(16),
      uid: kernel.identity.uid,
      gid: kernel.identity.gid,
    });
    // A new task as the kernel starts it: U-mode at the entry, every register 0 but sp, the FPU on.
    core.reset(BigInt(loaded.entry));
    core.setSatp(kernel.mem.satp);
    core.enableUserFeatures();
    core.setPriv(0);
    core.setEcallExits(1);
    core.setUserTrapExits(1);
    core.setX(2, BigInt(loaded.sp));
    core.flushTranslations();
    return new LinuxProcess(core, kernel);
  }

  /** More stdin for a process that is (or will be) waiting for input. */
  pushStdin(data: Uint8Array): void {
    this.kernel.stdin.push(data);
  }

  /** No more stdin: reads at the end return EOF. */
  closeStdin(): void {
    this.kernel.stdin.close();
  }

  /** Runs at most `maxInstructions` (in RUN_SLICE slices), serving syscalls and page faults. */
  run(maxInstructions: bigint, options: LinuxRunOptions = {}): LinuxRunResult {
    const k = this.kernel;
    k.stdout.listener = options.onStdout;
    k.stderr.listener = options.onStderr;
    let executed = 0n;
    let seconds = 0;
    const finish = (outcome: Final): LinuxRunResult => {
      if (outcome.status !== "budget" && outcome.status !== "waiting-input") this.final = outcome;
      this.totalInstructions += executed;
      return {
        ...outcome,
        instructions: executed,
        stdout: k.stdout.take(),
        stderr: k.stderr.take(),
        syscallCounts: sortedRecord(k.counts),
        unsupported: sortedRecord(k.unsupported),
        seconds,
      };
    };
    if (this.final) return finish(this.final);
    for (;;) {
      const ended = this.deliverSignals();
      if (ended) return finish(ended);
      if (executed >= maxInstructions) return finish({ status: "budget", exitCode: 0, signal: 0 });
      const budget = this.sliceBudget(maxInstructions - executed);
      const started = performance.now();
      const reason = this.core.run(budget) >>> 0;
      seconds += (performance.now() - started) / 1000;
      executed += clamp(this.core.runCycles(), 0n, budget);
      k.checkAlarm();
      const stop = this.afterRun(reason);
      if (stop) return finish(stop);
    }
  }

  /** A slice no longer than RUN_SLICE, the caller's budget, or the time until SIGALRM is due. */
  private sliceBudget(remaining: bigint): bigint {
    let budget = remaining < RUN_SLICE ? remaining : RUN_SLICE;
    const due = this.kernel.alarm.dueNs;
    if (due !== 0n) {
      const cycles = (due - this.kernel.clock.monotonicNs() + BigInt(1e9 / NOMINAL_HZ) - 1n) / BigInt(1e9 / NOMINAL_HZ);
      if (cycles > 0n && cycles < budget) budget = cycles;
    }
    return budget;
  }

  /** Handles why the core stopped; a Final when the run must end. */
  private afterRun(reason: number): Final | undefined {
    switch (reason) {
      case ProcessExit.Budget:
        return undefined;
      case ProcessExit.Ecall:
        return this.syscall();
      case ProcessExit.Trap:
        return this.trap();
      case ProcessExit.Idle:
        return this.fault("the guest waits in wfi, which a process cannot do");
      default:
        return this.fault(`the core stopped with exit reason ${reason} in process mode`);
    }
  }

  private syscall(): Final | undefined {
    const core = this.core;
    const k = this.kernel;
    const nr = Number(core.getX(17));
    const args = [10, 11, 12, 13, 14, 15].map((r) => core.getX(r));
    const result = dispatch(k, nr, args);
    if (typeof result === "object") {
      const stop = this.outcome(result);
      if (stop) return stop;
    } else {
      core.setX(10, BigInt.asUintN(64, BigInt(result)));
      core.setPc(core.getPc() + 4n);
    }
    if (k.forceSignal) return this.killed(k.forceSignal, "a signal frame could not be restored");
    if (k.outputLimitHit) return this.ended("output-limit", `${k.outputLimitHit} exceeded ${k.stdout.limit} bytes`);
    return undefined;
  }

  private outcome(o: Outcome): Final | undefined {
    switch (o.kind) {
      case "exit":
        return { status: "exited", exitCode: o.code, signal: 0 };
      case "wait-input":
        return { status: "waiting-input", exitCode: 0, signal: 0 };
      case "fault":
        return this.fault(o.message);
      case "restored":
        return undefined;
    }
  }

  /** An exception in U-mode: a page to fault in, or a signal. */
  private trap(): Final | undefined {
    const cause = Number(this.core.trapCause());
    const tval = Number(this.core.trapValue());
    const pc = Number(this.core.getPc());
    const access: Access | undefined = cause === 12 ? "exec" : cause === 13 ? "read" : cause === 15 ? "write" : undefined;
    if (access) {
      const served = this.kernel.mem.populate(tval, access);
      if (served === "ok") return undefined;
      if (served === "oom") return this.killed(SIGKILL, `out of memory: no RAM left for a page table at 0x${tval.toString(16)}`);
      const code = this.kernel.mem.vmaAt(tval) ? SEGV_ACCERR : SEGV_MAPERR;
      return this.forceSignal({ signo: SIGSEGV, code, addr: tval }, `${access === "exec" ? "fetch" : access} at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
    }
    switch (cause) {
      case 0:
      case 4:
      case 6:
        return this.forceSignal({ signo: SIGBUS, code: BUS_ADRALN, addr: tval }, `misaligned access at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
      case 1:
      case 5:
      case 7:
        return this.forceSignal({ signo: SIGSEGV, code: SEGV_ACCERR, addr: tval }, `access fault at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
      case 2:
        return this.forceSignal({ signo: SIGILL, code: ILL_ILLOPC, addr: pc }, `illegal instruction 0x${tval.toString(16)} at pc 0x${pc.toString(16)}`);
      case 3:
        return this.forceSignal({ signo: SIGTRAP, code: TRAP_BRKPT, addr: pc }, `breakpoint at pc 0x${pc.toString(16)}`);
      default:
        return this.fault(`unexpected exception ${cause} (tval 0x${tval.toString(16)}) at pc 0x${pc.toString(16)}`);
    }
  }

  /**
   * A synchronous signal (force_sig_fault): delivered to a handler, or, when
   * blocked, ignored or defaulted, it kills the process.
   */
  private forceSignal(info: SigInfo, why: string): Final | undefined {
    const s = this.kernel.signals;
    const act = s.action(info.signo);
    if (act.handler === SIG_DFL || act.handler === SIG_IGN || s.isBlocked(info.signo)) return this.killed(info.signo, why);
    if (s.deliver(info, this.core, this.kernel.mem)) return undefined;
    return this.killed(SIGSEGV, `${why}; the signal frame could not be written`);
  }

  /** Delivers pending signals that are not blocked; a Final when one kills the process. */
  private deliverSignals(): Final | undefined {
    const k = this.kernel;
    for (let info = k.signals.takeDeliverable(); info; info = k.signals.takeDeliverable()) {
      const act = k.signals.action(info.signo);
      if (act.handler === SIG_IGN) continue;
      if (act.handler === SIG_DFL) {
        const action = defaultAction(info.signo);
        // Stop signals would stop the only process for good with nobody to continue it; they are ignored.
        if (action === "ignore" || action === "stop") continue;
        return this.killed(info.signo, info.code === SI_KERNEL ? "raised by the kernel (a timer or a broken pipe)" : "sent by the process to itself");
      }
      const saved = k.savedMask;
      k.savedMask = undefined;
      if (!k.signals.deliver(info, this.core, k.mem, saved)) return this.killed(SIGSEGV, "the signal frame could not be written");
    }
    return undefined;
  }

  private killed(signal: number, why: string): Final {
    return { status: "killed", exitCode: 0, signal, reason: why };
  }

  private fault(message: string): Final {
    return { status: "fault", exitCode: 0, signal: 0, reason: message };
  }

  private ended(status: LinuxStatus, reason: string): Final {
    return { status, exitCode: 0, signal: 0, reason };
  }
}

/** The kernel-side state of a new process: memory, files with the program in them, console, clock, seed. */
function bootKernel(core: ProcessCore, program: Uint8Array, config: LinuxConfig, memoryLimit: number): Kernel {
  const mem = new AddressSpace(physicalMemory(core), core.ramSize() >>> 0, memoryLimit);
  const clock = new GuestClock(() => core.cycle(), config.epochSeconds);
  const fs = new FileSystem(() => clock.now(), config.fileSystemLimit ?? memoryLimit);
  const exePath = config.exePath ?? absoluteGuestPath(config.args[0] || "/program");
  const problem = populateRoot(fs, exePath, program, config.files ?? []);
  if (problem) throw new LoadError(problem);
  const outputLimit = config.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
  const kernel = new Kernel(
    core,
    mem,
    fs,
    FdTable.withConsole(),
    new ConsoleInput(config.stdin, config.stdinClosed ?? true),
    new OutputSink(outputLimit),
    new OutputSink(outputLimit),
    clock,
    new GuestRandom(config.seed ?? 0),
    new SignalState(),
    { ...DEFAULT_IDENTITY, ...config.identity },
    memoryLimit,
  );
  kernel.comm = bytes(exePath.slice(exePath.lastIndexOf("/") + 1)).slice(0, 15);
  return kernel;
}

function parseProgram(program: Uint8Array) {
  try {
    return parseElf(program);
  } catch (e) {
    if (e instanceof ElfError) throw new LoadError(e.message);
    throw e;
  }
}

function checkMemoryLimit(bytes: number): number {
  if (!Number.isInteger(bytes) || bytes < 1 << 20 || bytes > MAX_MEMORY || bytes % PAGE_SIZE !== 0) {
    throw new MachineError("config", `guest memory must be a multiple of 4 KiB from 1 MiB to 2 GiB, not ${bytes} bytes`);
  }
  return bytes;
}

function physicalMemory(core: ProcessCore) {
  let view = new Uint8Array(0);
  let flags = new Uint8Array(0);
  return {
    // A new view only when the wasm memory was replaced (growing detaches the old buffer).
    // It covers the RAM that has memory yet: every frame handed out (provide).
    bytes: () => {
      if (view.buffer !== core.memory.buffer || view.byteLength === 0) {
        view = new Uint8Array(core.memory.buffer, core.ramOffset() >>> 0, core.ramBacked() >>> 0);
      }
      return view;
    },
    provide: (end: number) => {
      if (core.backRam(end) === 0) throw new MachineError("config", `the host has no memory for ${end} bytes of guest RAM`);
    },
    codeWritten: (paddr: number, len: number) => core.codeWritten(BigInt(paddr), len),
    flushTranslations: () => core.flushTranslations(),
    // The core marks the pages its stores change; the host's own writes (syscall
    // results, page tables, the loader) set the same dirty bit (docs/core.md, pageFlags).
    wrote: (offset: number, len: number) => {
      if (flags.buffer !== core.memory.buffer || flags.byteLength === 0) {
        flags = new Uint8Array(core.memory.buffer, core.pageFlags() >>> 0, core.ramSize() >>> 12);
      }
      for (let page = Math.floor(offset / 4096); page <= Math.floor((offset + len - 1) / 4096); page++) flags[page] |= PAGE_DIRTY;
    },
  };
}

function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function clamp(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}
