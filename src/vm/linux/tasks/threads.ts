// The threads of the process as the kernel keeps them: per thread the
// registers saved while another thread has the hart, its own kernel state
// (tid, clear_child_tid, robust list, signal mask, alternate stack, signals
// sent to it) and what it waits for; and the run queue of the one hart.
// Plain data numbered by tid, so that the layer state can encode it; what
// changes it is scheduler.ts.
import { ThreadSignals } from "../signals/signals.ts";

/** The user registers of a thread that is off the hart. */
export interface Context {
  pc: bigint;
  /** x0..x31 (x0 stays 0). */
  x: bigint[];
  f: bigint[];
  /** frm << 5 | fflags. */
  fcsr: number;
}

/**
 * What a blocked thread waits for. A blocked thread's pc stays on its ecall;
 * a wait that completes writes the result to a0 and steps past it, while a
 * "retry" wait leaves the call to be made again. A signal the thread does not
 * block interrupts any wait (-EINTR).
 */
export type Wait =
  /** FUTEX_WAIT(_BITSET) on the word at `uaddr`, woken by a FUTEX_WAKE whose bitset meets `bitset`; `ticket` gives the FIFO order of waiters. */
  | { kind: "futex"; uaddr: number; bitset: number; deadline: bigint | undefined; ticket: number }
  /** nanosleep / clock_nanosleep until `deadline`; an interruption writes the time left at `remaining` (0: nowhere). */
  | { kind: "sleep"; deadline: bigint; remaining: number }
  /** rt_sigsuspend; `mask` is the caller's mask, restored after the signal that ends the wait. */
  | { kind: "sigsuspend"; mask: bigint }
  /** rt_sigtimedwait for a signal of `set` (unblocked meanwhile), its siginfo to `info` (0: nowhere); `mask` comes back after. */
  | { kind: "sigwait"; set: bigint; mask: bigint; info: number; deadline: bigint | undefined }
  /**
   * A call that cannot complete yet (a read of an empty pipe or stdin, a
   * poll): made again once another call completed (which may have changed
   * a pipe), when stdin has news for an `input` wait, or at `deadline`.
   */
  | { kind: "retry"; deadline: bigint | undefined; input: boolean; what: string };

/** Deadlines are monotonic nanoseconds (clock.ts). */
export function deadlineOf(w: Wait): bigint | undefined {
  return w.kind === "sigsuspend" ? undefined : w.deadline;
}

export class Thread {
  signals = new ThreadSignals();
  /** set_tid_address / CLONE_CHILD_CLEARTID: zeroed and futex-woken when the thread exits (how pthread_join waits). */
  clearChildTid = 0;
  /** set_robust_list: the head of the robust futexes the thread holds, released if it dies holding them. */
  robustList = 0;
  /** The mask to restore once the signal that ended an rt_sigsuspend is delivered (its frame saves this one). */
  savedMask: bigint | undefined;
  /** A retried call's absolute deadline (Linux's restart_block), so that making it again does not restart its timeout. */
  restartDeadline: bigint | undefined;
  wait: Wait | undefined;
  /** The task name (prctl PR_SET_NAME, pthread_setname_np), 15 bytes at most; a new thread gets its creator's. */
  comm: Uint8Array = new Uint8Array(0);
  /** The registers while another thread has the hart; undefined while they are in the core. */
  context: Context | undefined;

  constructor(readonly tid: number) {}
}

export class ThreadTable {
  /** Live threads by tid, in tid order (tids only grow, and decoding inserts them sorted). */
  all = new Map<number, Thread>();
  /** The thread whose registers are in the core: the running one, or a blocked one when none can run. */
  current: Thread;
  /** Runnable threads other than the current one, in the order they get the hart. */
  queue: Thread[] = [];
  /** The cycle count at which the current thread's slice ends (scheduler.ts SLICE_CYCLES). */
  sliceEnd = 0n;
  /** The next tid, shared by every process of the machine: pids and tids are one number space, as on Linux. */
  readonly ids: { next: number };
  /** The next futex wait's place in the FIFO order of waiters. */
  nextTicket = 0;
  /** The first thread's exit code if it called exit(2) while others ran: the process's status when the last one ends. */
  leaderExit: number | undefined;

  /** A process with one thread, tid = pid, whose signal state is `signals`. */
  constructor(
    readonly pid: number,
    signals: ThreadSignals,
    ids?: { next: number },
  ) {
    const first = new Thread(pid);
    first.signals = signals;
    this.all.set(pid, first);
    this.current = first;
    this.ids = ids ?? { next: pid + 1 };
  }

  get nextTid(): number {
    return this.ids.next;
  }

  set nextTid(tid: number) {
    this.ids.next = tid;
  }

  get(tid: number): Thread | undefined {
    return this.all.get(tid);
  }

  /** The first thread (tid = pid), while it lives. */
  get leader(): Thread | undefined {
    return this.all.get(this.pid);
  }
}
