// Signals: dispositions (rt_sigaction, shared by the threads of the
// process), signals pending for the whole process, and per thread the blocked
// mask, the alternate stack and the signals sent to that thread; delivery
// through an rt_sigframe on the user stack exactly as
// arch/riscv/kernel/signal.c lays it out, returning through the sigreturn
// trampoline (loader.ts). Which thread a process-directed signal goes to is
// the scheduler's choice (scheduler.ts).
import type { AddressSpace } from "../memory/address-space.ts";
import { SIGRETURN_TRAMPOLINE } from "../memory/loader.ts";
import { StructWriter } from "../entry/structs.ts";

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGVTALRM = 26;
export const SIGPROF = 27;
export const SIGWINCH = 28;
export const SIGSYS = 31;
export const NSIG = 64;

/** strsignal() texts, for messages (glibc's wording). */
export const SIGNAL_NAMES: Record<number, [string, string]> = {
  1: ["SIGHUP", "Hangup"], 2: ["SIGINT", "Interrupt"], 3: ["SIGQUIT", "Quit"], 4: ["SIGILL", "Illegal instruction"],
  5: ["SIGTRAP", "Trace/breakpoint trap"], 6: ["SIGABRT", "Aborted"], 7: ["SIGBUS", "Bus error"],
  8: ["SIGFPE", "Floating point exception"], 9: ["SIGKILL", "Killed"], 10: ["SIGUSR1", "User defined signal 1"],
  11: ["SIGSEGV", "Segmentation fault"], 12: ["SIGUSR2", "User defined signal 2"], 13: ["SIGPIPE", "Broken pipe"],
  14: ["SIGALRM", "Alarm clock"], 15: ["SIGTERM", "Terminated"], 16: ["SIGSTKFLT", "Stack fault"],
  24: ["SIGXCPU", "CPU time limit exceeded"], 25: ["SIGXFSZ", "File size limit exceeded"],
  26: ["SIGVTALRM", "Virtual timer expired"], 27: ["SIGPROF", "Profiling timer expired"], 29: ["SIGIO", "I/O possible"],
  30: ["SIGPWR", "Power failure"], 31: ["SIGSYS", "Bad system call"],
};

export function signalName(sig: number): string {
  return SIGNAL_NAMES[sig]?.[0] ?? (sig >= 32 && sig <= NSIG ? `SIGRT${sig - 32}` : `signal ${sig}`);
}

export const SIG_DFL = 0n;
export const SIG_IGN = 1n;
export const SA_SIGINFO = 0x4n;
export const SA_ONSTACK = 0x0800_0000n;
export const SA_RESTART = 0x1000_0000n;
export const SA_NODEFER = 0x4000_0000n;
export const SA_RESETHAND = 0x8000_0000n;
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const MINSIGSTKSZ = 2048;

// si_code values (include/uapi/asm-generic/siginfo.h).
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_QUEUE = -1;
export const SI_TKILL = -6;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const ILL_ILLOPC = 1;
export const TRAP_BRKPT = 1;

/** The kernel's struct sigaction on riscv (no sa_restorer): handler, flags, mask; 24 bytes. */
export interface SigAction {
  handler: bigint;
  flags: bigint;
  mask: bigint;
}

export interface SigInfo {
  signo: number;
  code: number;
  /** si_addr for faults, or si_pid for kill (then uid follows). */
  addr?: number;
  pid?: number;
  /** si_value (int or pointer) of a queued signal (rt_sigqueueinfo); it follows si_uid. */
  value?: bigint;
}

/** The hart as signal delivery and thread switches need it (the core implements this). */
export interface Registers {
  getPc(): bigint;
  setPc(v: bigint): void;
  getX(i: number): bigint;
  setX(i: number, v: bigint): void;
  getF(i: number): bigint;
  setF(i: number, v: bigint): void;
  /** fcsr: frm << 5 | fflags. */
  getFcsr(): number;
  setFcsr(v: number): void;
  /** Drops the LR reservation (another thread takes the hart). */
  clearReservation(): void;
  /** Selects another process's page tables (the core; absent in tests that never fork). */
  setSatp?(v: bigint): void;
}

type DefaultAction = "terminate" | "core" | "ignore" | "stop";

/** siginfo_t (128 bytes): signo, errno, code, then si_addr for faults or si_pid and si_uid for kill, and si_value for sigqueue. */
export function encodeSiginfo(info: SigInfo): Uint8Array {
  const out = new StructWriter(128);
  out.u32(0, info.signo).u32(8, info.code);
  if (info.addr !== undefined) out.u64(16, info.addr);
  if (info.pid !== undefined) out.u32(16, info.pid).u32(20, 0);
  if (info.value !== undefined) out.u64(24, info.value);
  return out.bytes;
}

export function defaultAction(sig: number): DefaultAction {
  if ([SIGCHLD, SIGCONT, SIGURG, SIGWINCH].includes(sig)) return "ignore";
  if ([SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU].includes(sig)) return "stop";
  if ([SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS].includes(sig)) return "core";
  return "terminate";
}

const bit = (sig: number): bigint => 1n << BigInt(sig - 1);
/** SIGKILL and SIGSTOP, which no mask blocks and nobody can wait for. */
export const UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);

// rt_sigframe: siginfo (128) then ucontext; uc_mcontext at 176 inside ucontext.
const FRAME_SIZE = 128 + 960;
const UC = 128;
const UC_STACK = UC + 16;
const UC_SIGMASK = UC + 40;
const MC_GREGS = UC + 176;
const MC_FPREGS = MC_GREGS + 256;
/** struct __riscv_d_ext_state: f[32], then fcsr. */
const MC_FCSR = MC_FPREGS + 256;

/** What each thread has of its own: the blocked mask, the alternate stack, and signals sent to it (tkill, faults). */
export class ThreadSignals {
  blocked = 0n;
  pending = new Map<number, SigInfo>();
  altStack = { sp: 0, size: 0, flags: SS_DISABLE };
}

export class SignalState {
  actions = new Map<number, SigAction>();
  /** Process-directed signals that no thread could take yet (every thread blocks them): Linux's shared_pending. */
  shared = new Map<number, SigInfo>();
  /** The running thread's part; the scheduler points it at the thread on the hart. */
  thread = new ThreadSignals();

  get blocked(): bigint {
    return this.thread.blocked;
  }

  get altStack(): { sp: number; size: number; flags: number } {
    return this.thread.altStack;
  }

  set altStack(stack: { sp: number; size: number; flags: number }) {
    this.thread.altStack = stack;
  }

  action(sig: number): SigAction {
    return this.actions.get(sig) ?? { handler: SIG_DFL, flags: 0n, mask: 0n };
  }

  setBlocked(mask: bigint): void {
    this.thread.blocked = BigInt.asUintN(64, mask) & ~UNBLOCKABLE;
  }

  isBlocked(sig: number, t: ThreadSignals = this.thread): boolean {
    return (t.blocked & bit(sig)) !== 0n;
  }

  /** Whether sending `sig` now discards it: ignored, and not blocked by the thread that would get it (POSIX). */
  discards(sig: number, t: ThreadSignals = this.thread): boolean {
    const act = this.action(sig);
    const ignored = act.handler === SIG_IGN || (act.handler === SIG_DFL && defaultAction(sig) === "ignore");
    return ignored && !this.isBlocked(sig, t);
  }

  /** Queues a signal for thread `t`, or for the process without one (standard signals do not queue twice). */
  queue(info: SigInfo, t: ThreadSignals | undefined): void {
    const queue = t ? t.pending : this.shared;
    if (!queue.has(info.signo)) queue.set(info.signo, info);
  }

  /** Queues a signal for the running thread, unless discarded. */
  raise(info: SigInfo): void {
    if (!this.discards(info.signo)) this.queue(info, this.thread);
  }

  /** Whether `sig` is pending for the running thread or the process. */
  isPending(sig: number): boolean {
    return this.thread.pending.has(sig) || this.shared.has(sig);
  }

  /** The lowest-numbered signal of the thread's own, then of the process's, that it does not block; removed from its queue. */
  takeDeliverable(): SigInfo | undefined {
    for (const queue of [this.thread.pending, this.shared]) {
      const sig = [...queue.keys()].sort((a, b) => a - b).find((s) => !this.isBlocked(s));
      if (sig === undefined) continue;
      const info = queue.get(sig)!;
      queue.delete(sig);
      return info;
    }
    return undefined;
  }

  /** The lowest signal of `set` pending for thread `t`, then for the process; removed from its queue (rt_sigtimedwait). */
  take(set: bigint, t: ThreadSignals): SigInfo | undefined {
    for (const queue of [t.pending, this.shared]) {
      const sig = [...queue.keys()].sort((a, b) => a - b).find((s) => (set & bit(s)) !== 0n);
      if (sig === undefined) continue;
      const info = queue.get(sig)!;
      queue.delete(sig);
      return info;
    }
    return undefined;
  }

  /** Whether `sig` ends the process now for a thread blocking `blocked`: its default action kills (sig_fatal). */
  isFatal(sig: number, blocked: bigint): boolean {
    if (this.action(sig).handler !== SIG_DFL || (blocked & bit(sig)) !== 0n) return false;
    const action = defaultAction(sig);
    return action === "terminate" || action === "core";
  }

  hasDeliverable(t: ThreadSignals = this.thread): boolean {
    for (const queue of [t.pending, this.shared]) {
      for (const sig of queue.keys()) if (!this.isBlocked(sig, t)) return true;
    }
    return false;
  }

  /** Whether the thread's sp is on the alternate signal stack. */
  onAltStack(sp: number): boolean {
    return this.altStack.flags !== SS_DISABLE && sp > this.altStack.sp && sp <= this.altStack.sp + this.altStack.size;
  }

  /**
   * Pushes an rt_sigframe and points the hart at the handler. Returns false
   * when the frame cannot be written (Linux then kills with SIGSEGV).
   */
  deliver(info: SigInfo, regs: Registers, mem: AddressSpace, savedMask = this.blocked): boolean {
    const act = this.action(info.signo);
    let sp = Number(regs.getX(2));
    if (act.flags & SA_ONSTACK && this.altStack.flags !== SS_DISABLE && !this.onAltStack(sp)) {
      sp = this.altStack.sp + this.altStack.size;
    }
    sp -= FRAME_SIZE;
    sp -= sp % 16;
    const frame = new StructWriter(FRAME_SIZE);
    frame.bytes.set(encodeSiginfo(info), 0);
    frame.u64(UC_STACK, this.altStack.sp).u32(UC_STACK + 8, this.altStackFlags(Number(regs.getX(2))));
    frame.u64(UC_STACK + 16, this.altStack.size).u64(UC_SIGMASK, savedMask);
    frame.u64(MC_GREGS, regs.getPc());
    for (let i = 1; i < 32; i++) frame.u64(MC_GREGS + i * 8, regs.getX(i));
    for (let i = 0; i < 32; i++) frame.u64(MC_FPREGS + i * 8, regs.getF(i));
    frame.u32(MC_FCSR, regs.getFcsr());
    if (!mem.write(sp, frame.bytes)) return false;
    this.thread.blocked |= act.mask & ~UNBLOCKABLE;
    if (!(act.flags & SA_NODEFER)) this.thread.blocked |= bit(info.signo) & ~UNBLOCKABLE;
    if (act.flags & SA_RESETHAND) this.actions.delete(info.signo);
    regs.setX(1, BigInt(SIGRETURN_TRAMPOLINE));
    regs.setX(2, BigInt(sp));
    regs.setX(10, BigInt(info.signo));
    regs.setX(11, BigInt(sp));
    regs.setX(12, BigInt(sp + UC));
    regs.setPc(act.handler);
    return true;
  }

  private altStackFlags(sp: number): number {
    if (this.altStack.flags === SS_DISABLE) return SS_DISABLE;
    return this.onAltStack(sp) ? SS_ONSTACK : 0;
  }

  /** rt_sigreturn: restores registers and the mask from the frame at sp. False when it cannot be read. */
  sigreturn(regs: Registers, mem: AddressSpace): boolean {
    const sp = Number(regs.getX(2));
    const bytes = mem.read(sp, FRAME_SIZE);
    if (!bytes) return false;
    const view = new DataView(bytes.buffer);
    this.setBlocked(view.getBigUint64(UC_SIGMASK, true));
    regs.setPc(view.getBigUint64(MC_GREGS, true));
    for (let i = 1; i < 32; i++) regs.setX(i, view.getBigUint64(MC_GREGS + i * 8, true));
    for (let i = 0; i < 32; i++) regs.setF(i, view.getBigUint64(MC_FPREGS + i * 8, true));
    regs.setFcsr(view.getUint32(MC_FCSR, true) & 0xff);
    return true;
  }
}
