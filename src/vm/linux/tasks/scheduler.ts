// The scheduler of the one hart: threads run round-robin in slices of
// SLICE_CYCLES retired instructions, and give the hart up earlier when they
// block (futex, sleep, sigsuspend, a read or poll that must wait) or yield.
// Every decision depends on the cycle counter and on what the guest did,
// never on the host: a slice ends exactly at its cycle (the run loop bounds
// the core's runs by cyclesUntilEvent), and the slice's end is kernel state
// that snapshots carry, so a program is scheduled the same however its run is
// cut into host calls and quanta.
//
// When no thread can run, time jumps to the next deadline (a timed wait or
// the alarm) as a sleeping single thread's did; with none, the process waits
// for stdin if a thread reads it, and is otherwise deadlocked.
import { NOMINAL_HZ } from "../time/clock.ts";
import { EAGAIN, EFAULT, EINTR, ETIMEDOUT } from "../entry/errno.ts";
import type { Kernel } from "../kernel.ts";
import { encodeSiginfo, type Registers, type SigInfo } from "../signals/signals.ts";
import { encodeTimespec } from "../entry/structs.ts";
import { deadlineOf, Thread, type Context, type Wait } from "./threads.ts";
import { liveViews, nextRunnable, otherRunnable, switchProcess, withProcess } from "./processes.ts";

/**
 * 10,000 instructions: 100 µs of guest time at the nominal 100 MHz. Short
 * enough that a thread spinning on another's progress wastes little (a spin
 * costs up to a slice per hand-over), long enough that a switch stays a few
 * percent of a slice: saving and loading the 64 registers took 0.7 µs
 * (2-core bench VM, Node 20, 2026-11-25) against 20-30 µs for the slice.
 */
export const SLICE_CYCLES = 10_000n;

const NS_PER_CYCLE = BigInt(1e9 / NOMINAL_HZ);

export function saveContext(regs: Registers): Context {
  const x: bigint[] = [];
  const f: bigint[] = [];
  for (let i = 0; i < 32; i++) x.push(i === 0 ? 0n : BigInt.asUintN(64, regs.getX(i)));
  for (let i = 0; i < 32; i++) f.push(BigInt.asUintN(64, regs.getF(i)));
  return { pc: BigInt.asUintN(64, regs.getPc()), x, f, fcsr: regs.getFcsr() };
}

export function loadContext(regs: Registers, c: Context): void {
  for (let i = 1; i < 32; i++) regs.setX(i, c.x[i]!);
  for (let i = 0; i < 32; i++) regs.setF(i, c.f[i]!);
  regs.setFcsr(c.fcsr);
  regs.setPc(c.pc);
}

/** Puts `t` on the hart with a fresh slice; the thread there keeps its registers unless it has exited. */
function switchTo(k: Kernel, t: Thread): void {
  const table = k.threads;
  const from = table.current;
  if (from === t) return;
  if (table.all.get(from.tid) === from) from.context = saveContext(k.regs);
  loadContext(k.regs, t.context!);
  t.context = undefined;
  // A trap return clears the reservation on Linux: an SC of one thread must not succeed on another's LR.
  k.regs.clearReservation();
  table.current = t;
  k.signals.thread = t.signals;
  table.sliceEnd = k.clock.cycles() + SLICE_CYCLES;
}

export function makeRunnable(k: Kernel, t: Thread): void {
  t.wait = undefined;
  if (t !== k.threads.current && !k.threads.queue.includes(t)) enqueue(k, t);
}

/**
 * Puts `t` at the end of the run queue. A running thread that had the hart
 * to itself past its slice gets a fresh slice now that it has company, so a
 * thread that creates or wakes another goes on for a slice before the hart
 * changes hands (a woken thread does not preempt its waker, as on Linux).
 */
function enqueue(k: Kernel, t: Thread): void {
  const table = k.threads;
  const now = k.clock.cycles();
  if (table.queue.length === 0 && !table.current.wait && now >= table.sliceEnd) table.sliceEnd = now + SLICE_CYCLES;
  table.queue.push(t);
}

/** Ends `t`'s blocked call with `result` in a0, past its ecall, and makes it runnable. */
function finish(k: Kernel, t: Thread, result: number): void {
  t.restartDeadline = undefined;
  const value = BigInt.asUintN(64, BigInt(result));
  // A thread whose registers are in the core has no saved context (every thread of a process off the hart has one).
  if (t.context === undefined) {
    k.regs.setX(10, value);
    k.regs.setPc(k.regs.getPc() + 4n);
  } else {
    t.context!.x[10] = value;
    t.context!.pc += 4n;
  }
  makeRunnable(k, t);
}

/**
 * A signal ends `t`'s wait: -EINTR (Linux would restart some calls; glibc
 * retries them on EINTR), or for rt_sigtimedwait the signal it waited for.
 */
function interrupt(k: Kernel, t: Thread): void {
  const w = t.wait!;
  if (w.kind === "sigwait") {
    finish(k, t, takeAwaited(k, t, w));
    return;
  }
  let result = -EINTR;
  if (w.kind === "sleep" && w.remaining !== 0) {
    const left = w.deadline - k.clock.monotonicNs();
    if (!k.mem.write(w.remaining, encodeTimespec(left > 0n ? left : 0n))) result = -EFAULT;
  }
  if (w.kind === "sigsuspend") t.savedMask = w.mask;
  finish(k, t, result);
}

/** rt_sigtimedwait ends: the mask comes back, and the awaited signal is taken (its number) if one came. */
function takeAwaited(k: Kernel, t: Thread, w: Extract<Wait, { kind: "sigwait" }>): number {
  t.signals.blocked = w.mask;
  const info = k.signals.take(w.set, t.signals);
  if (!info) return -EINTR;
  if (w.info !== 0 && !k.mem.write(w.info, encodeSiginfo(info))) return -EFAULT;
  return info.signo;
}

/** `t`'s deadline passed. */
function expire(k: Kernel, t: Thread): void {
  const w = t.wait!;
  if (w.kind === "sigwait") {
    t.signals.blocked = w.mask;
    finish(k, t, -EAGAIN);
  } else if (w.kind === "futex") finish(k, t, -ETIMEDOUT);
  else if (w.kind === "sleep") finish(k, t, 0);
  // A retried call sees its deadline passed itself (restartDeadline) and returns what it returns on a timeout.
  else makeRunnable(k, t);
}

/** The current thread blocks in its syscall (a handler's "block" outcome); a signal it can take interrupts at once. */
export function block(k: Kernel, wait: Wait): void {
  const t = k.threads.current;
  t.wait = wait;
  if (wait.kind === "retry") t.restartDeadline = wait.deadline;
  if (k.signals.hasDeliverable(t.signals)) interrupt(k, t);
}

/** A syscall completed, which may have changed what "retry" waiters wait for (pipes): they make their calls again. */
export function wakeRetries(k: Kernel): void {
  for (const t of k.threads.all.values()) if (t.wait?.kind === "retry") makeRunnable(k, t);
}

/** The futex waiters on `uaddr` whose bitset meets `bitset`, first come first. */
function futexWaiters(k: Kernel, uaddr: number, bitset: number): Thread[] {
  const found: Thread[] = [];
  for (const t of k.threads.all.values()) {
    const w = t.wait;
    if (w?.kind === "futex" && w.uaddr === uaddr && (w.bitset & bitset) !== 0) found.push(t);
  }
  return found.sort((a, b) => (a.wait as { ticket: number }).ticket - (b.wait as { ticket: number }).ticket);
}

/** FUTEX_WAKE: wakes up to `n` waiters (their FUTEX_WAIT returns 0); the number woken. */
export function futexWake(k: Kernel, uaddr: number, n: number, bitset = 0xffff_ffff): number {
  const woken = futexWaiters(k, uaddr, bitset).slice(0, Math.max(0, n));
  for (const t of woken) finish(k, t, 0);
  return woken.length;
}

/** FUTEX_REQUEUE: wakes `nWake` waiters on `uaddr`, moves up to `nMove` more to the end of `uaddr2`'s queue; woken plus moved. */
export function futexRequeue(k: Kernel, uaddr: number, uaddr2: number, nWake: number, nMove: number): number {
  const woken = futexWake(k, uaddr, nWake);
  const moved = futexWaiters(k, uaddr, 0xffff_ffff).slice(0, Math.max(0, nMove));
  for (const t of moved) {
    const w = t.wait as Extract<Wait, { kind: "futex" }>;
    t.wait = { ...w, uaddr: uaddr2, ticket: k.threads.nextTicket++ };
  }
  return woken + moved.length;
}

/**
 * A signal for thread `t` (tkill, tgkill, a fault): queued for it, waking it
 * if it can take it. One that kills by default ends the whole process at
 * once, whichever thread runs (complete_signal's group exit).
 */
export function signalThread(k: Kernel, t: Thread, info: SigInfo): void {
  if (k.signals.discards(info.signo, t.signals)) return;
  k.signals.queue(info, t.signals);
  // A thread in rt_sigtimedwait takes the signals it waits for even if they kill by default (real_blocked).
  const blocked = t.wait?.kind === "sigwait" ? t.wait.mask : t.signals.blocked;
  if (k.signals.isFatal(info.signo, blocked)) k.fatalSignal ??= info;
  if (t.wait && !k.signals.isBlocked(info.signo, t.signals)) interrupt(k, t);
}

/**
 * A signal for the process (kill, SIGALRM, SIGPIPE), given to one thread as
 * complete_signal (kernel/signal.c) picks it: `preferred` (the thread kill
 * named, by default the first thread) if it does not block the signal, else
 * the running thread, else the first that does not; when every thread
 * blocks it, it waits in the process's queue for one to unblock it.
 */
export function signalProcess(k: Kernel, info: SigInfo, preferred: Thread | undefined = k.threads.leader): void {
  const table = k.threads;
  const wants = (t: Thread | undefined): t is Thread => t !== undefined && !k.signals.isBlocked(info.signo, t.signals);
  const target = [preferred, table.current, ...table.all.values()].find(wants);
  if (target) signalThread(k, target, info);
  else k.signals.queue(info, undefined);
}

/** A new thread (clone with CLONE_THREAD), runnable after the others; registers copied from the caller's, with `setup`'s changes. */
export function spawn(k: Kernel, setup: (t: Thread, c: Context) => void): Thread {
  const table = k.threads;
  const t = new Thread(table.nextTid++);
  const c = saveContext(k.regs);
  c.pc += 4n;
  c.x[10] = 0n;
  t.signals.blocked = table.current.signals.blocked;
  t.comm = table.current.comm;
  setup(t, c);
  t.context = c;
  table.all.set(t.tid, t);
  enqueue(k, t);
  return t;
}

/** Removes an exited thread; the hart goes to the next runnable thread, or to a blocked one to wait with. */
export function retire(k: Kernel, t: Thread): void {
  const table = k.threads;
  table.all.delete(t.tid);
  table.queue = table.queue.filter((q) => q !== t);
  if (t !== table.current) return;
  const next = table.queue.shift() ?? table.all.values().next().value;
  if (next) switchTo(k, next);
}

/** sched_yield: the slice ends now (the caller goes behind the runnable threads and processes, if there are any). */
export function yieldSlice(k: Kernel): void {
  if (k.threads.queue.length > 0 || otherRunnable(k)) k.threads.sliceEnd = k.clock.cycles();
}

/** Why scheduling cannot go on: the process waits for stdin, or can never continue. */
export type Idle = { kind: "waiting-input" } | { kind: "deadlock"; message: string };

/** Wakes the running process's threads whose deadline passed or whose stdin has news. */
function wakeDue(k: Kernel): void {
  const now = k.clock.monotonicNs();
  for (const t of k.threads.all.values()) {
    const w = t.wait;
    if (!w) continue;
    const deadline = deadlineOf(w);
    if (deadline !== undefined && deadline <= now) expire(k, t);
    else if (w.kind === "retry" && w.input && (k.stdin.available > 0 || k.stdin.closed)) makeRunnable(k, t);
  }
}

/** The processes off the hart, each in turn with the Kernel's fields its (processes.ts withProcess). */
function forEachOther(k: Kernel, fn: () => void): void {
  for (const p of [...k.procs.values()]) if (p.view) withProcess(k, p.pid, fn);
}

/**
 * Makes the current thread one that can run: wakes threads whose deadline
 * passed or whose stdin has news (in every process), ends a spent slice
 * (the hart goes to the next thread of the process, and to the next
 * process that can run), and when nobody can run moves time to the next
 * deadline. Idempotent: called again at the same cycle it changes nothing,
 * so extra calls (at host slice boundaries) do not change the schedule.
 */
export function schedule(k: Kernel): Idle | undefined {
  for (;;) {
    wakeDue(k);
    forEachOther(k, () => {
      k.checkAlarm();
      wakeDue(k);
    });
    const table = k.threads;
    const current = table.current;
    if (!current.wait) {
      if (k.clock.cycles() >= table.sliceEnd) {
        if (table.queue.length > 0) {
          table.queue.push(current);
          switchTo(k, table.queue.shift()!);
        }
        const other = nextRunnable(k);
        if (other !== undefined) switchProcess(k, other);
      }
      return undefined;
    }
    const next = table.queue.shift();
    if (next) {
      switchTo(k, next);
      return undefined;
    }
    const other = nextRunnable(k);
    if (other !== undefined) {
      switchProcess(k, other);
      continue;
    }
    const idle = passTime(k);
    if (idle) return idle;
  }
}

/** Every process's alarm comes due if it is time (the running one's last, so that it ends up on the hart). */
function checkAlarms(k: Kernel): void {
  forEachOther(k, () => k.checkAlarm());
  k.checkAlarm();
}

/** Nobody can run: time moves to the alarm or the first deadline, whichever comes first; or the machine is stuck. */
function passTime(k: Kernel): Idle | undefined {
  const views = liveViews(k);
  const waits = views.flatMap((v) => [...v.threads.all.values()].map((t) => t.wait!));
  // Input may arrive between runs (the ecall is made again on resume), so it comes before time moves.
  if (waits.some((w) => w.kind === "retry" && w.input)) return { kind: "waiting-input" };
  let first: bigint | undefined;
  for (const w of waits) {
    const d = deadlineOf(w);
    if (d !== undefined && (first === undefined || d < first)) first = d;
  }
  let alarm: bigint | undefined;
  for (const v of views) if (v.alarm.dueNs !== 0n && (alarm === undefined || v.alarm.dueNs < alarm)) alarm = v.alarm.dueNs;
  if (alarm !== undefined && (first === undefined || alarm <= first)) {
    k.clock.sleep(alarm - k.clock.monotonicNs());
    checkAlarms(k);
    if (!k.threads.current.wait || k.threads.queue.length > 0 || otherRunnable(k)) return undefined;
    // A signal nobody takes wakes nobody; an interval timer then fires once more at the deadline, not at every period.
  }
  if (first === undefined) return { kind: "deadlock", message: deadlockMessage(k) };
  k.clock.sleep(first - k.clock.monotonicNs());
  checkAlarms(k);
  return undefined;
}

function deadlockMessage(k: Kernel): string {
  const threads = liveViews(k).flatMap((v) => [...v.threads.all.values()]);
  const what = (w: Wait): string => {
    switch (w.kind) {
      case "futex":
        return `futex wait on 0x${w.uaddr.toString(16)}`;
      case "sigsuspend":
        return "sigsuspend";
      case "sigwait":
        return "sigwait";
      case "sleep":
        return "sleep";
      case "retry":
        return w.what;
    }
  };
  if (threads.length === 1) return `deadlock: ${what(threads[0]!.wait!)}, with no timeout and no signal to come`;
  const each = threads.map((t) => `thread ${t.tid}: ${what(t.wait!)}`).join("; ");
  return `deadlock: every thread waits for ever (${each}), with no timeout and no signal to come`;
}

/**
 * Cycles until the next event the run loop must stop the core at: the alarm,
 * the end of the slice when another thread waits for the hart, a blocked
 * thread's deadline. Undefined when there is none.
 */
export function cyclesUntilEvent(k: Kernel): bigint | undefined {
  const now = k.clock.monotonicNs();
  let best: bigint | undefined;
  const consider = (cycles: bigint) => {
    if (cycles > 0n && (best === undefined || cycles < best)) best = cycles;
  };
  const untilNs = (at: bigint) => consider((at - now + NS_PER_CYCLE - 1n) / NS_PER_CYCLE);
  const table = k.threads;
  if (table.queue.length > 0 || otherRunnable(k)) consider(table.sliceEnd - k.clock.cycles());
  for (const v of liveViews(k)) {
    if (v.alarm.dueNs !== 0n) untilNs(v.alarm.dueNs);
    for (const t of v.threads.all.values()) {
      const d = t.wait && deadlineOf(t.wait);
      if (d !== undefined) untilNs(d);
    }
  }
  return best;
}
