// The state the syscall handlers share (what a kernel keeps per process, the
// threads among it), and the argument and result conventions of a handler.
import type { AddressSpace } from "./memory/address-space.ts";
import type { GuestClock } from "./time/clock.ts";
import type { ConsoleInput, OutputSink } from "./files/console.ts";
import { EBADF, ENOTDIR } from "./entry/errno.ts";
import type { FdTable, OpenFile } from "./files/fd-table.ts";
import { pathFromBytes, ROOT_INO, type FileSystem } from "./files/fs.ts";
import type { GuestRandom } from "./time/random.ts";
import { signalProcess } from "./tasks/scheduler.ts";
import { SI_KERNEL, SIGALRM, type Registers, type SigInfo, type SignalState } from "./signals/signals.ts";
import { ThreadTable, type Thread, type Wait } from "./tasks/threads.ts";

/** What a handler asks the run loop to do instead of returning a value in a0. */
export type Outcome =
  /** The process ends (exit_group, or exit of its last thread). */
  | { kind: "exit"; code: number }
  /** The calling thread ended (exit with other threads left); the hart went to another. */
  | { kind: "thread-exit" }
  /** The calling thread blocks (scheduler.ts); pc stays at the ecall until the wait ends. */
  | { kind: "block"; wait: Wait }
  /** The process can never continue. */
  | { kind: "fault"; message: string }
  /** rt_sigreturn restored every register itself. */
  | { kind: "restored" };

/** A value for a0 (negative errno on failure), or an Outcome. */
export type SyscallResult = number | bigint | Outcome;

export type Handler = (k: Kernel, a: SyscallArgs) => SyscallResult;

/** The six argument registers a0..a5, read the ways the kernel's prototypes declare them. */
export class SyscallArgs {
  constructor(readonly raw: readonly bigint[]) {}

  /** int: the low 32 bits, signed. */
  int(i: number): number {
    return Number(BigInt.asIntN(32, this.raw[i]));
  }

  /** unsigned int. */
  uint(i: number): number {
    return Number(BigInt.asUintN(32, this.raw[i]));
  }

  /** long / off_t, signed 64 bits. */
  long(i: number): bigint {
    return BigInt.asIntN(64, this.raw[i]);
  }

  /**
   * A pointer or size_t as a number. Values above 2^53 lose precision but
   * stay far above TASK_SIZE, so range checks still reject them.
   */
  addr(i: number): number {
    return Number(this.raw[i]);
  }
}

export interface Identity {
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  nodename: string;
  release: string;
  version: string;
}

/**
 * What each process has of its own (fork copies it): the running process's
 * is in the Kernel's fields, every other live one's in its ProcessEntry.
 */
export interface ProcessView {
  mem: AddressSpace;
  fds: FdTable;
  signals: SignalState;
  threads: ThreadTable;
  identity: Identity;
  cwd: number;
  umask: number;
  rlimits: Map<number, [bigint, bigint]>;
  alarm: { dueNs: bigint; intervalNs: bigint };
  forceSignal: number;
  fatalSignal: SigInfo | undefined;
}

/** A process of the machine (processes.ts): live, or a zombie that its parent has not reaped yet. */
export interface ProcessEntry {
  pid: number;
  /** The parent's pid; 1 (init, which reaps at once) once the parent ended. */
  ppid: number;
  /** Undefined while it runs, then the wait status (code << 8, or the signal) until reaped. */
  status: number | undefined;
  /** Undefined for the running process (its view is the Kernel's fields) and for a zombie. */
  view: ProcessView | undefined;
}

export class Kernel {
  /** Every process by pid, the running one included; the run ends when `initialPid` ends. */
  procs = new Map<number, ProcessEntry>();
  readonly initialPid: number;
  cwd = ROOT_INO;
  umask = 0o022;
  /** The threads, the run queue and the slice (scheduler.ts). */
  threads: ThreadTable;
  rlimits = new Map<number, [bigint, bigint]>();
  /**
   * Whose environment calls an ecall makes: Linux's syscalls, or a course
   * tool's (src/vm/course-abi: RARS, Venus). Process mode otherwise runs the same.
   */
  abi: "linux" | "rars" | "venus" = "linux";
  /** Syscalls made, by name (unknown numbers as "syscall_N"). */
  counts = new Map<string, number>();
  /** Syscalls answered with ENOSYS because edgevm does not implement them. */
  unsupported = new Map<string, number>();
  /** Set when a write to stdout or stderr hit its cap: the run stops after this syscall. */
  outputLimitHit: "stdout" | "stderr" | undefined;
  /** ITIMER_REAL: when SIGALRM is due (monotonic ns) and its reload interval; dueNs 0n when disarmed. */
  alarm = { dueNs: 0n, intervalNs: 0n };
  /** A synchronous signal that must kill the process even if caught (a broken sigreturn frame). */
  forceSignal = 0;
  /** A signal that kills the process as soon as the kernel returns to user code (a default action sent to any thread). */
  fatalSignal: SigInfo | undefined;

  constructor(
    readonly regs: Registers,
    public mem: AddressSpace,
    readonly fs: FileSystem,
    public fds: FdTable,
    readonly stdin: ConsoleInput,
    readonly stdout: OutputSink,
    readonly stderr: OutputSink,
    readonly clock: GuestClock,
    readonly random: GuestRandom,
    public signals: SignalState,
    public identity: Identity,
    readonly memoryLimit: number,
  ) {
    this.threads = new ThreadTable(identity.pid, signals.thread);
    this.initialPid = identity.pid;
    this.procs.set(identity.pid, { pid: identity.pid, ppid: identity.ppid, status: undefined, view: undefined });
  }

  /** The thread making the current syscall (the one on the hart). */
  get thread(): Thread {
    return this.threads.current;
  }

  /**
   * The monotonic deadline of a wait `ns` from now, or, when the calling
   * thread makes a blocked call again, the deadline it had the first time.
   */
  deadline(ns: bigint): bigint {
    return this.thread.restartDeadline ?? this.clock.monotonicNs() + ns;
  }

  /** A path argument as a byte string, or -EFAULT / -ENAMETOOLONG. */
  path(ptr: number): string | number {
    const bytes = this.mem.readCString(ptr, 4096);
    return typeof bytes === "number" ? bytes : pathFromBytes(bytes);
  }

  /** The directory a *at() call resolves from: the cwd for AT_FDCWD, else the directory open at dirfd. */
  dirBase(dirfd: number, path: string): number {
    if (path.startsWith("/") || dirfd === AT_FDCWD) return this.cwd;
    const file = this.fds.get(dirfd);
    if (!file) return -EBADF;
    if (file.endpoint.kind !== "inode" || this.fs.get(file.endpoint.ino).kind !== "dir") return -ENOTDIR;
    return file.endpoint.ino;
  }

  file(fd: number): OpenFile | undefined {
    return this.fds.get(fd);
  }

  /**
   * After a name or a descriptor went away: an unlinked file or removed
   * directory goes away when nothing holds it, neither a descriptor nor the
   * working directory (Linux's cwd holds a reference too).
   */
  releaseInode(ino: number): void {
    if (ino <= 0 || ino === this.cwd || this.fds.isOpen(ino)) return;
    for (const p of this.procs.values()) if (p.view?.cwd === ino) return;
    this.fs.release(ino);
  }

  /** chdir / fchdir: the old working directory is released if it was removed meanwhile. */
  changeDir(ino: number): void {
    const old = this.cwd;
    this.cwd = ino;
    this.releaseInode(old);
  }

  write(ptr: number, bytes: Uint8Array): boolean {
    return this.mem.write(ptr, bytes);
  }

  /**
   * Raises SIGALRM if ITIMER_REAL is due, re-arming an interval timer at its
   * first expiry after now (overruns are not signalled twice, as hrtimer_forward
   * does), so a second check at the same instant changes nothing.
   */
  checkAlarm(): void {
    const due = this.alarm.dueNs;
    const now = this.clock.monotonicNs();
    if (due === 0n || now < due) return;
    signalProcess(this, { signo: SIGALRM, code: SI_KERNEL });
    const interval = this.alarm.intervalNs;
    this.alarm.dueNs = interval > 0n ? due + ((now - due) / interval + 1n) * interval : 0n;
  }
}

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_EACCESS = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
