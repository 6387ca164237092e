// Starting a process: a fresh core loaded with the program, and the kernel
// state it starts with (memory, files, console, clock, seed). LinuxProcess
// and the snapshot layer (snapshot-layer.ts) both start processes here, so a
// program starts the same way whichever host runs it.
import { ElfError, parseElf, type Elf } from "../elf.ts";
import { AddressSpace, PAGE_SIZE, type PhysicalMemory } from "./memory/address-space.ts";
import { GuestClock } from "./time/clock.ts";
import { ConsoleInput, OutputSink } from "./files/console.ts";
import { coreExports, MachineError, PageFlag, type CoreExports } from "../core-abi.ts";
import { FdTable } from "./files/fd-table.ts";
import { FileSystem } from "./files/fs.ts";
import { Kernel, type Identity } from "./kernel.ts";
import { loadProgram, LoadError } from "./memory/loader.ts";
import { GuestRandom } from "./time/random.ts";
import { absoluteGuestPath, populateRoot, type SeedFile } from "./files/rootfs.ts";
import { SignalState } from "./signals/signals.ts";
import { COURSE_LAYOUTS, type Abi } from "../course-abi/index.ts";

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
  /** Whose environment calls ecall makes (default linux); a course ABI also starts gp where that tool does. */
  abi?: Abi;
}

export const DEFAULT_MEMORY_LIMIT = 256 << 20;
export const DEFAULT_OUTPUT_LIMIT = 64 << 20;
/** The core's largest RAM. */
const MAX_MEMORY = 2048 * (1 << 20);
/** The dirty bit of the core's per-page flag bytes (docs/core.md). */

export const DEFAULT_IDENTITY: Identity = {
  pid: 1000,
  ppid: 1,
  uid: 0,
  gid: 0,
  nodename: "edgevm",
  release: "6.1.0-edgevm",
  version: "#1 SMP PREEMPT_DYNAMIC edgevm",
};

/**
 * Initialises a fresh core instance with the program loaded and the hart at
 * its entry in U-mode. Throws LoadError (bad program) or MachineError (bad
 * config, or a module that is not the core).
 */
export function bootProcess(instance: WebAssembly.Instance, program: Uint8Array, config: LinuxConfig): { core: CoreExports; kernel: Kernel } {
  const elf = parseProgram(program);
  const memoryLimit = checkMemoryLimit(config.memoryLimit ?? DEFAULT_MEMORY_LIMIT);
  const core = coreExports(instance);
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
  if (config.abi && config.abi !== "linux") {
    kernel.abi = config.abi;
    core.setX(3, COURSE_LAYOUTS[config.abi].gp);
  }
  core.flushTranslations();
  return { core, kernel };
}

/** The kernel-side state of a new process: memory, files with the program in them, console, clock, seed. */
function bootKernel(core: CoreExports, program: Uint8Array, config: LinuxConfig, memoryLimit: number): Kernel {
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
  kernel.thread.comm = bytes(exePath.slice(exePath.lastIndexOf("/") + 1)).slice(0, 15);
  return kernel;
}

function parseProgram(program: Uint8Array): Elf {
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

/** Guest RAM of `core` as the address space uses it. */
export function physicalMemory(core: CoreExports): PhysicalMemory {
  let view = new Uint8Array(0);
  let flags = new Uint8Array(0);
  return {
    // A new view only when the wasm memory was replaced (growing detaches the old buffer).
    // It covers the RAM that has memory yet (every frame handed out, see provide), so it is
    // renewed when that grows, and when growing the wasm memory detached the old buffer.
    bytes: () => {
      const backed = core.ramBacked() >>> 0;
      if (view.buffer !== core.memory.buffer || view.byteLength !== backed) {
        view = new Uint8Array(core.memory.buffer, core.ramOffset() >>> 0, backed);
      }
      return view;
    },
    provide: (end: number) => {
      if (core.backRam(end) === 0) throw new MachineError("config", `the host has no memory for ${end} bytes of guest RAM`);
    },
    codeWritten: (paddr: number, len: number) => core.codeWritten(BigInt(paddr), len),
    flushTranslations: () => core.flushTranslations(),
    // The core marks the pages its stores change; the host's own writes (syscall
    // results, page tables, the loader) set the same dirty bit (docs/core.md,
    // pageFlags), which is what a snapshot's persist looks at.
    wrote: (offset: number, len: number) => {
      if (flags.buffer !== core.memory.buffer || flags.byteLength === 0) {
        flags = new Uint8Array(core.memory.buffer, core.pageFlags() >>> 0, core.ramSize() >>> 12);
      }
      for (let page = Math.floor(offset / 4096); page <= Math.floor((offset + len - 1) / 4096); page++) flags[page] |= PageFlag.Dirty;
    },
  };
}

function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
