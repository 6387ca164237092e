// Processes: fork makes a child with a copy of the caller's memory and its
// own descriptors (sharing the open file descriptions), signal dispositions,
// cwd, umask and limits, and one thread, the caller's copy. Every process runs
// on the one hart; the scheduler (scheduler.ts) moves the hart between them.
// The handlers only ever see the running process: the Kernel's per-process
// fields are its, and the others wait in their ProcessEntry's view until a
// switch swaps them in (with satp, so the core walks their page tables).
// A process that ends becomes a zombie holding its wait status, and SIGCHLD
// goes to its parent, until wait4 reaps it.
import type { Kernel, ProcessEntry, ProcessView } from "../kernel.ts";
import { loadContext, makeRunnable, saveContext, signalProcess, SLICE_CYCLES, wakeRetries } from "./scheduler.ts";
import { SIGCHLD, SignalState, ThreadSignals } from "../signals/signals.ts";
import { ThreadTable, type Context, type Thread } from "./threads.ts";

/** si_code of SIGCHLD (include/uapi/asm-generic/siginfo.h). */
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;

/** init: the parent of a process whose parent ended (it reaps at once, so nobody waits for such a child). */
export const INIT_PID = 1;

export function viewOf(k: Kernel): ProcessView {
  return {
    mem: k.mem, fds: k.fds, signals: k.signals, threads: k.threads, identity: k.identity, cwd: k.cwd, umask: k.umask,
    rlimits: k.rlimits, alarm: k.alarm, forceSignal: k.forceSignal, fatalSignal: k.fatalSignal,
  };
}

function install(k: Kernel, v: ProcessView): void {
  k.mem = v.mem;
  k.fds = v.fds;
  k.signals = v.signals;
  k.threads = v.threads;
  k.identity = v.identity;
  k.cwd = v.cwd;
  k.umask = v.umask;
  k.rlimits = v.rlimits;
  k.alarm = v.alarm;
  k.forceSignal = v.forceSignal;
  k.fatalSignal = v.fatalSignal;
}

/** The live processes with their views (the running one's taken from the Kernel), in pid order. */
export function liveViews(k: Kernel): ProcessView[] {
  const views: ProcessView[] = [];
  for (const p of k.procs.values()) {
    if (p.pid === k.identity.pid) views.push(viewOf(k));
    else if (p.view) views.push(p.view);
  }
  return views;
}

/**
 * Runs `fn` with the Kernel's fields those of process `pid`, registers
 * aside: its threads are all off the hart (their contexts hold their
 * registers), so waking one writes its context, never the core.
 */
export function withProcess<T>(k: Kernel, pid: number, fn: () => T): T {
  const running = k.identity.pid;
  if (pid === running) return fn();
  const target = k.procs.get(pid)!;
  const self = k.procs.get(running)!;
  self.view = viewOf(k);
  install(k, target.view!);
  target.view = undefined;
  try {
    return fn();
  } finally {
    target.view = viewOf(k);
    install(k, self.view);
    self.view = undefined;
  }
}

/**
 * A decoded state whose running process is not the first: the Kernel's
 * fields become that process's (the core already holds its registers and
 * satp), and the first one's go to its entry.
 */
export function resumeProcess(k: Kernel, pid: number): void {
  const first = k.procs.get(k.identity.pid)!;
  const target = k.procs.get(pid)!;
  first.view = viewOf(k);
  install(k, target.view!);
  target.view = undefined;
}

/**
 * Puts process `pid` on the hart: the running thread's registers go to its
 * context (unless its process ended), the new process's current thread's
 * come in, and the core walks the new page tables from a clean TLB.
 */
export function switchProcess(k: Kernel, pid: number): void {
  const running = k.identity.pid;
  if (pid === running) return;
  const self = k.procs.get(running)!;
  if (self.status === undefined) {
    const t = k.threads.current;
    if (k.threads.all.get(t.tid) === t) t.context = saveContext(k.regs);
    self.view = viewOf(k);
  }
  const target = k.procs.get(pid)!;
  install(k, target.view!);
  target.view = undefined;
  const t = k.threads.current;
  loadContext(k.regs, t.context!);
  t.context = undefined;
  k.regs.clearReservation();
  k.regs.setSatp?.(k.mem.satp);
  k.mem.phys.flushTranslations();
  k.threads.sliceEnd = k.clock.cycles() + SLICE_CYCLES;
}

/** Whether a process off the hart has a thread that can run. */
export function runnable(v: ProcessView): boolean {
  return !v.threads.current.wait || v.threads.queue.length > 0;
}

/**
 * fork: process `pid` is the caller's copy, its one thread returning 0 from
 * the caller's ecall (`setup` adjusts it). Undefined when its memory does
 * not fit (ENOMEM).
 */
export function forkProcess(k: Kernel, setup: (t: Thread, c: Context) => void): number | undefined {
  const mem = k.mem.fork();
  if (!mem) return undefined;
  const pid = k.threads.nextTid++;
  const caller = k.thread;
  const signals = new SignalState();
  for (const [sig, act] of k.signals.actions) signals.actions.set(sig, { ...act });
  const own = new ThreadSignals();
  own.blocked = caller.signals.blocked;
  own.altStack = { ...caller.signals.altStack };
  signals.thread = own;
  const threads = new ThreadTable(pid, own, k.threads.ids);
  const t = threads.current;
  t.comm = caller.comm;
  const c = saveContext(k.regs);
  c.pc += 4n;
  c.x[10] = 0n;
  setup(t, c);
  t.context = c;
  const rlimits = new Map<number, [bigint, bigint]>();
  for (const [r, [soft, hard]] of k.rlimits) rlimits.set(r, [soft, hard]);
  const view: ProcessView = {
    mem, fds: k.fds.fork(), signals, threads, identity: { ...k.identity, pid, ppid: k.identity.pid }, cwd: k.cwd, umask: k.umask,
    // Timers are not inherited (fork(2)).
    rlimits, alarm: { dueNs: 0n, intervalNs: 0n }, forceSignal: 0, fatalSignal: undefined,
  };
  k.procs.set(pid, { pid, ppid: k.identity.pid, status: undefined, view });
  companyArrives(k);
  return pid;
}

/**
 * A process that had the hart to itself past its slice gets a fresh one
 * when another becomes runnable, so that the hart changes hands a slice
 * later, as when a thread wakes another (scheduler.ts enqueue).
 */
export function companyArrives(k: Kernel): void {
  const table = k.threads;
  const now = k.clock.cycles();
  if (table.queue.length === 0 && !table.current.wait && now >= table.sliceEnd) table.sliceEnd = now + SLICE_CYCLES;
}

export function otherRunnable(k: Kernel): boolean {
  for (const p of k.procs.values()) if (p.view && runnable(p.view)) return true;
  return false;
}

/** The next process after the running one, in cyclic pid order, that can run. */
export function nextRunnable(k: Kernel): number | undefined {
  const pids = [...k.procs.values()].filter((p) => p.view && runnable(p.view)).map((p) => p.pid);
  if (pids.length === 0) return undefined;
  return pids.find((pid) => pid > k.identity.pid) ?? pids[0];
}

/**
 * The running process ended (not the first one: that ends the run) with
 * wait status `status`: its descriptors close (a pipe's last writer gives
 * EOF), its memory is freed, its children go to init, its parent gets
 * SIGCHLD and its waiters are woken, and the hart goes to another process.
 */
export function endProcess(k: Kernel, status: number): void {
  const pid = k.identity.pid;
  const self = k.procs.get(pid)!;
  for (const ino of k.fds.closeAll()) k.releaseInode(ino);
  const cwd = k.cwd;
  k.cwd = 0;
  k.releaseInode(cwd);
  k.mem.destroy();
  self.status = status;
  for (const p of [...k.procs.values()]) {
    if (p.ppid !== pid) continue;
    p.ppid = INIT_PID;
    if (p.view) p.view.identity = { ...p.view.identity, ppid: INIT_PID };
    // Its zombies are init's, which reaps them at once.
    if (p.status !== undefined) k.procs.delete(p.pid);
  }
  const parent = k.procs.get(self.ppid);
  const next = parent && parent.status === undefined ? parent.pid : (nextRunnable(k) ?? firstLive(k));
  if (next === undefined) throw new Error("no process left to run, yet the first one has not ended");
  switchProcess(k, next);
  if (self.ppid === INIT_PID) k.procs.delete(pid);
  // Waiters wake before SIGCHLD comes, so that a handler runs on the way back to the wait4 made again (which
  // then reaps), as Linux restarts it, rather than interrupting it with EINTR.
  wakeAll(k);
  if (parent && parent.status === undefined) {
    const killed = (status & 0x7f) !== 0;
    // si_status follows si_uid, where si_value would be.
    signalProcess(k, { signo: SIGCHLD, code: killed ? CLD_KILLED : CLD_EXITED, pid, value: BigInt(killed ? status & 0x7f : status >> 8) });
  }
}

function firstLive(k: Kernel): number | undefined {
  for (const p of k.procs.values()) if (p.status === undefined && p.view) return p.pid;
  return undefined;
}

/** A syscall completed: calls made again when something changed (a pipe) are, in every process. */
export function wakeAll(k: Kernel): void {
  wakeRetries(k);
  let woke = false;
  for (const p of k.procs.values()) {
    const v = p.view;
    if (!v) continue;
    for (const t of v.threads.all.values()) {
      if (t.wait?.kind !== "retry") continue;
      withProcess(k, p.pid, () => makeRunnable(k, t));
      woke = true;
    }
  }
  if (woke) companyArrives(k);
}

/** The children of the running process, in pid order. */
export function children(k: Kernel): ProcessEntry[] {
  return [...k.procs.values()].filter((p) => p.ppid === k.identity.pid && p.pid !== k.identity.pid);
}
