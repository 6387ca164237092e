// The threads' part of the layer state: the scheduler (the thread on the
// hart, the end of its slice, the run queue in order, the next tid and futex
// ticket) and every thread in tid order with its own kernel state, what it
// waits for, and its registers unless it is the one on the hart (those are
// the core's). Decoding checks what the scheduler relies on: the run queue
// holds exactly the runnable threads but the current one, tids and tickets
// are below the next ones, and only the current thread lacks saved registers.
import { checkAscending, StateError, type StateReader, type StateWriter } from "../state-bytes.ts";
import { readPending, writePending } from "../signals/signal-state.ts";
import { ThreadSignals } from "../signals/signals.ts";
import { Thread, ThreadTable, type Context, type Wait } from "./threads.ts";

const WAIT_KINDS = ["futex", "sleep", "sigsuspend", "retry", "sigwait"] as const;
/** Tids must fit a robust futex word's owner field (FUTEX_TID_MASK). */
const MAX_TID = 0x3fff_ffff;

/** `onHart`: the running process's table, whose current thread's registers are the core's; every other process's thread has its own. */
export function writeThreads(w: StateWriter, table: ThreadTable, onHart = true): void {
  w.int(table.current.tid).int(table.sliceEnd).int(table.nextTid).int(table.nextTicket);
  optional(w, table.leaderExit);
  w.int(table.queue.length);
  for (const t of table.queue) w.int(t.tid);
  const threads = [...table.all.values()].sort((a, b) => a.tid - b.tid);
  w.int(threads.length);
  for (const t of threads) {
    const s = t.signals;
    w.int(t.tid).bytes(t.comm).int(t.clearChildTid).int(t.robustList).int(s.blocked).int(s.altStack.sp).int(s.altStack.size).int(s.altStack.flags);
    writePending(w, s.pending);
    optional(w, t.savedMask);
    optional(w, t.restartDeadline);
    writeWait(w, t.wait);
    if (t === table.current && onHart) continue;
    if (!t.context) throw new Error(`thread ${t.tid} is off the hart without its registers`);
    writeContext(w, t.context);
  }
}

function writeWait(w: StateWriter, wait: Wait | undefined): void {
  if (!wait) {
    w.int(0);
    return;
  }
  w.int(WAIT_KINDS.indexOf(wait.kind) + 1);
  switch (wait.kind) {
    case "futex":
      w.int(wait.uaddr).int(wait.bitset);
      optional(w, wait.deadline);
      w.int(wait.ticket);
      break;
    case "sleep":
      w.int(wait.deadline).int(wait.remaining);
      break;
    case "sigsuspend":
      w.int(wait.mask);
      break;
    case "retry":
      optional(w, wait.deadline);
      w.bool(wait.input).text(wait.what);
      break;
    case "sigwait":
      w.int(wait.set).int(wait.mask).int(wait.info);
      optional(w, wait.deadline);
      break;
  }
}

function writeContext(w: StateWriter, c: Context): void {
  w.int(c.pc);
  for (let i = 1; i < 32; i++) w.int(c.x[i]!);
  for (let i = 0; i < 32; i++) w.int(c.f[i]!);
  w.int(c.fcsr);
}

/** The thread table of process `pid`; the caller points the signal state at the current thread's part. */
export function readThreads(r: StateReader, pid: number, onHart = true, ids?: { next: number }): ThreadTable {
  const currentTid = r.range("current thread", 1, MAX_TID);
  const sliceEnd = r.big("slice end");
  const nextTid = r.range("next tid", 2, MAX_TID + 1);
  const nextTicket = r.count("next futex ticket");
  const leaderExit = r.bool("first thread's exit code present") ? r.range("first thread's exit code", 0, 255) : undefined;
  const queueTids = r.list("run queue", () => r.range("a queued thread", 1, MAX_TID));
  const threads = r.list("threads", () => readThread(r, onHart ? currentTid : -1, nextTicket));
  checkAscending(threads.map((t) => t.tid), "threads");
  if (sliceEnd < 0n) throw new StateError("a negative slice end");
  // Every process's table shares the one tid counter, so each records the same next tid.
  if (ids && ids.next !== nextTid) throw new StateError(`process ${pid} records next tid ${nextTid}, not ${ids.next}`);
  const table = new ThreadTable(pid, new ThreadSignals(), ids);
  table.all = new Map(threads.map((t) => [t.tid, t]));
  const current = table.all.get(currentTid);
  if (!current) throw new StateError(`the current thread ${currentTid} does not exist`);
  if (threads[threads.length - 1]!.tid >= nextTid) throw new StateError("a thread's tid is not below the next tid");
  if (leaderExit !== undefined && table.all.has(pid)) throw new StateError("the first thread has an exit code but lives");
  const queue = queueTids.map((tid) => table.all.get(tid));
  const runnable = threads.filter((t) => t !== current && !t.wait);
  if (queue.some((t) => !t || t === current || t.wait) || new Set(queue).size !== queue.length || queue.length !== runnable.length) {
    throw new StateError("the run queue is not the runnable threads other than the current one");
  }
  const tickets = threads.flatMap((t) => (t.wait?.kind === "futex" ? [t.wait.ticket] : []));
  if (new Set(tickets).size !== tickets.length) throw new StateError("two futex waiters hold the same ticket");
  Object.assign(table, { current, queue, sliceEnd, nextTid, nextTicket, leaderExit });
  return table;
}

function readThread(r: StateReader, currentTid: number, nextTicket: number): Thread {
  const t = new Thread(r.range("tid", 1, MAX_TID));
  const what = `thread ${t.tid}`;
  t.comm = r.bytes(`${what} comm`, 15);
  t.clearChildTid = r.num(`${what} clear_child_tid`);
  t.robustList = r.num(`${what} robust list`);
  const s = t.signals;
  s.blocked = r.u64(`${what} blocked mask`);
  s.altStack = { sp: r.num(`${what} alternate stack`), size: r.num(`${what} alternate stack size`), flags: r.num(`${what} alternate stack flags`) };
  s.pending = readPending(r, `${what} pending signals`);
  t.savedMask = r.bool(`${what} saved mask present`) ? r.u64(`${what} saved mask`) : undefined;
  t.restartDeadline = r.bool(`${what} restart deadline present`) ? deadline(r, `${what} restart deadline`) : undefined;
  t.wait = readWait(r, what, nextTicket);
  if (t.tid !== currentTid) t.context = readContext(r, what);
  return t;
}

function readWait(r: StateReader, what: string, nextTicket: number): Wait | undefined {
  const kind = r.range(`${what} wait`, 0, WAIT_KINDS.length);
  switch (WAIT_KINDS[kind - 1]) {
    case undefined:
      return undefined;
    case "futex": {
      const uaddr = r.count(`${what} futex address`);
      if (uaddr % 4 !== 0) throw new StateError(`${what} waits on a misaligned futex`);
      const bitset = r.range(`${what} futex bitset`, 1, 0xffff_ffff);
      const at = r.bool(`${what} futex deadline present`) ? deadline(r, `${what} futex deadline`) : undefined;
      return { kind: "futex", uaddr, bitset, deadline: at, ticket: r.range(`${what} futex ticket`, 0, nextTicket - 1) };
    }
    case "sleep":
      return { kind: "sleep", deadline: deadline(r, `${what} sleep deadline`), remaining: r.count(`${what} remaining-time pointer`) };
    case "sigsuspend":
      return { kind: "sigsuspend", mask: r.u64(`${what} mask after sigsuspend`) };
    case "retry": {
      const at = r.bool(`${what} retry deadline present`) ? deadline(r, `${what} retry deadline`) : undefined;
      return { kind: "retry", deadline: at, input: r.bool(`${what} waits for input`), what: r.text(`${what} wait`) };
    }
    case "sigwait": {
      const [set, mask, info] = [r.u64(`${what} awaited signals`), r.u64(`${what} mask after sigwait`), r.count(`${what} siginfo pointer`)];
      const at = r.bool(`${what} sigwait deadline present`) ? deadline(r, `${what} sigwait deadline`) : undefined;
      return { kind: "sigwait", set, mask, info, deadline: at };
    }
  }
}

function readContext(r: StateReader, what: string): Context {
  const pc = r.u64(`${what} pc`);
  const x = [0n];
  for (let i = 1; i < 32; i++) x.push(r.u64(`${what} x${i}`));
  const f: bigint[] = [];
  for (let i = 0; i < 32; i++) f.push(r.u64(`${what} f${i}`));
  return { pc, x, f, fcsr: r.range(`${what} fcsr`, 0, 0xff) };
}

function deadline(r: StateReader, what: string): bigint {
  const v = r.big(what);
  if (v < 0n) throw new StateError(`${what}: negative`);
  return v;
}

function optional(w: StateWriter, v: number | bigint | undefined): void {
  if (v === undefined) w.int(0);
  else w.int(1).int(v);
}
