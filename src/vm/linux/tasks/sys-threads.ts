// Thread syscalls: clone for threads (what pthread_create passes), thread
// exit with its clear_child_tid wake (what pthread_join waits for) and robust
// futexes, futexes, tids, tkill/tgkill and sched_yield. The threads share
// everything but registers, signal masks and their own pending signals, as
// CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD threads do.
import { EAGAIN, EFAULT, EINVAL, ENOMEM, ENOSYS, ESRCH, ETIMEDOUT } from "../entry/errno.ts";
import { forkProcess, withProcess } from "./processes.ts";
import type { Handler, Kernel, SyscallArgs, SyscallResult } from "../kernel.ts";
import { futexRequeue, futexWake, retire, signalThread, spawn, yieldSlice } from "./scheduler.ts";
import { NSIG, SI_TKILL } from "../signals/signals.ts";
import { decodeTimespec, StructWriter } from "../entry/structs.ts";
import type { Thread } from "./threads.ts";

const CLONE_VM = 0x100;
const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_VFORK = 0x4000;
const CLONE_THREAD = 0x10000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x10_0000;
const CLONE_CHILD_CLEARTID = 0x20_0000;
const CLONE_CHILD_SETTID = 0x100_0000;
/** Flags a thread may add to CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD without changing what edgevm does. */
const THREAD_OPTIONS =
  0xff /* CSIGNAL: no exit signal for a thread */ | 0x4_0000 /* CLONE_SYSVSEM */ | CLONE_SETTLS | CLONE_PARENT_SETTID |
  CLONE_CHILD_CLEARTID | 0x40_0000 /* CLONE_DETACHED */ | 0x80_0000 /* CLONE_UNTRACED */ | CLONE_CHILD_SETTID;
const CSIGNAL = 0xff;
const SIGCHLD = 17;
const FORK_OPTIONS = CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
const THREAD = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
/** Linux's default threads-max is far higher; past this many, a guest creating threads in a loop gets EAGAIN. */
const MAX_THREADS = 4096;

/** A syscall edgevm answers with ENOSYS for some arguments, counted as unsupported like an unknown one. */
function unsupported(k: Kernel, name: string): SyscallResult {
  k.unsupported.set(name, (k.unsupported.get(name) ?? 0) + 1);
  return -ENOSYS;
}

/**
 * clone(flags, newsp, parent_tid, tls, child_tid), the generic argument
 * order riscv uses: a thread (what pthread_create passes) or a process
 * (fork's SIGCHLD, posix_spawn's CLONE_VM | CLONE_VFORK, processes.ts).
 */
function clone(k: Kernel, a: SyscallArgs): SyscallResult {
  const flags = a.uint(0);
  const [newsp, parentTid, tls, childTid] = [a.raw[1]!, a.addr(2), a.raw[3]!, a.addr(4)];
  // copy_process's consistency rules come first, as on Linux.
  if (flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) return -EINVAL;
  if (flags & CLONE_SIGHAND && !(flags & CLONE_VM)) return -EINVAL;
  if (!(flags & CLONE_THREAD)) return forkClone(k, flags, newsp, parentTid, tls, childTid);
  if ((flags & THREAD) !== THREAD || flags & ~(THREAD | THREAD_OPTIONS) || flags & CLONE_VFORK) return unsupported(k, "clone");
  if (k.threads.all.size >= MAX_THREADS) return -EAGAIN;
  const t = spawn(k, (child, c) => {
    if (newsp !== 0n) c.x[2] = BigInt.asUintN(64, newsp);
    if (flags & CLONE_SETTLS) c.x[4] = BigInt.asUintN(64, tls);
    if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = childTid;
  });
  // Linux ignores a failed store of the tid (copy_process / schedule_tail).
  const tid = new StructWriter(4).u32(0, t.tid).bytes;
  if (flags & CLONE_PARENT_SETTID) k.write(parentTid, tid);
  if (flags & CLONE_CHILD_SETTID) k.write(childTid, tid);
  return t.tid;
}

/**
 * exit: the calling thread ends. With others left, its robust futexes are
 * released and its clear_child_tid zeroed and woken (mm_release), and the
 * hart goes to another thread; the last thread's exit ends the process, with
 * the first thread's code if that one exited before.
 */
function exit(k: Kernel, a: SyscallArgs): SyscallResult {
  const code = a.int(0) & 0xff;
  const table = k.threads;
  const t = k.thread;
  if (table.all.size === 1) return { kind: "exit", code: table.leaderExit ?? code };
  releaseRobustList(k, t);
  if (t.clearChildTid !== 0 && k.write(t.clearChildTid, new Uint8Array(4))) futexWake(k, t.clearChildTid, 1);
  if (t.tid === table.pid) table.leaderExit = code;
  retire(k, t);
  return { kind: "thread-exit" };
}

/**
 * A new process. CLONE_VM | CLONE_VFORK (posix_spawn, hence system and
 * popen) is served as a fork: the child gets a copy rather than the
 * parent's memory, which only matters to what the child writes before it
 * execs or exits, and exec fails here anyway (a child that exits 127).
 * Sharing descriptors, cwd or dispositions with a process, and exit signals
 * other than SIGCHLD, are not implemented (ENOSYS).
 */
function forkClone(k: Kernel, flags: number, newsp: bigint, parentTid: number, tls: bigint, childTid: number): SyscallResult {
  if (flags & ~FORK_OPTIONS || (flags & CLONE_VM && !(flags & CLONE_VFORK)) || (flags & CSIGNAL) !== SIGCHLD) return unsupported(k, "clone");
  if (k.procs.size >= MAX_THREADS) return -EAGAIN;
  const pid = forkProcess(k, (child, c) => {
    if (newsp !== 0n) c.x[2] = BigInt.asUintN(64, newsp);
    if (flags & CLONE_SETTLS) c.x[4] = BigInt.asUintN(64, tls);
    if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = childTid;
  });
  if (pid === undefined) return -ENOMEM;
  // Linux ignores a failed store of the tid; the child's store goes to its own memory.
  const tid = new StructWriter(4).u32(0, pid).bytes;
  if (flags & CLONE_PARENT_SETTID) k.write(parentTid, tid);
  if (flags & CLONE_CHILD_SETTID) withProcess(k, pid, () => k.write(childTid, tid));
  return pid;
}

function setTidAddress(k: Kernel, a: SyscallArgs): SyscallResult {
  k.thread.clearChildTid = a.addr(0);
  return k.thread.tid;
}

/** sizeof(struct robust_list_head): next, futex_offset, list_op_pending. */
const ROBUST_HEAD_SIZE = 24;

function setRobustList(k: Kernel, a: SyscallArgs): SyscallResult {
  if (a.addr(1) !== ROBUST_HEAD_SIZE) return -EINVAL;
  k.thread.robustList = a.addr(0);
  return 0;
}

function getRobustList(k: Kernel, a: SyscallArgs): SyscallResult {
  const tid = a.int(0);
  const t = tid === 0 ? k.thread : k.threads.get(tid);
  if (!t) return -ESRCH;
  if (!k.mem.writeU64(a.addr(1), BigInt(t.robustList))) return -EFAULT;
  return k.mem.writeU64(a.addr(2), BigInt(ROBUST_HEAD_SIZE)) ? 0 : -EFAULT;
}

const FUTEX_WAITERS = 0x8000_0000;
const FUTEX_OWNER_DIED = 0x4000_0000;
const FUTEX_TID_MASK = 0x3fff_ffff;
const ROBUST_LIST_LIMIT = 2048;

/**
 * exit_robust_list (kernel/futex/core.c): every robust futex the dying thread
 * still owns gets FUTEX_OWNER_DIED and one waiter woken, so that the next
 * pthread_mutex_lock returns EOWNERDEAD instead of waiting for ever.
 */
function releaseRobustList(k: Kernel, t: Thread): void {
  const head = t.robustList;
  if (head === 0) return;
  const ptr = (at: number): number | undefined => {
    const v = k.mem.readU64(at);
    return v === null ? undefined : Number(v);
  };
  const first = ptr(head);
  const offsetRaw = k.mem.readU64(head + 8);
  const pending = ptr(head + 16);
  if (first === undefined || offsetRaw === null || pending === undefined) return;
  const offset = Number(BigInt.asIntN(64, offsetRaw));
  // Bit 0 of an entry marks a PI futex, which edgevm does not implement (FUTEX_LOCK_PI is ENOSYS).
  const pendingEntry = pending - (pending % 2);
  let entry = first - (first % 2);
  for (let n = 0; entry !== head && n < ROBUST_LIST_LIMIT; n++) {
    const next = ptr(entry);
    if (entry !== pendingEntry) ownerDied(k, t, entry + offset, false);
    if (next === undefined) return;
    entry = next - (next % 2);
  }
  if (pendingEntry !== 0) ownerDied(k, t, pendingEntry + offset, true);
}

/** handle_futex_death for one futex word. */
function ownerDied(k: Kernel, t: Thread, uaddr: number, pendingOp: boolean): void {
  if (uaddr % 4 !== 0) return;
  const word = k.mem.read(uaddr, 4);
  if (!word) return;
  const value = new DataView(word.buffer).getUint32(0, true);
  // A lock being taken when the thread died, not taken yet: a waiter may be asleep on it.
  if (pendingOp && value === 0) {
    futexWake(k, uaddr, 1);
    return;
  }
  if ((value & FUTEX_TID_MASK) !== t.tid) return;
  const died = ((value & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0;
  if (!k.write(uaddr, new StructWriter(4).u32(0, died).bytes)) return;
  if (died & FUTEX_WAITERS) futexWake(k, uaddr, 1);
}

// ---- futex -----------------------------------------------------------------

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CLOCK_REALTIME = 256;
const BITSET_MATCH_ANY = 0xffff_ffff;

/**
 * futex(uaddr, op, val, timeout or val2, uaddr2, val3). Keys are virtual
 * addresses in the caller's process: its threads share one address space and
 * processes share no memory (fork copies), so private and shared futexes are
 * the same. PI futexes: ENOSYS.
 */
function futex(k: Kernel, a: SyscallArgs): SyscallResult {
  const uaddr = a.addr(0);
  const op = a.int(1);
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  if (op & FUTEX_CLOCK_REALTIME && cmd !== FUTEX_WAIT_BITSET) return -ENOSYS;
  if (uaddr % 4 !== 0) return -EINVAL;
  switch (cmd) {
    case FUTEX_WAIT:
      return futexWait(k, a, BITSET_MATCH_ANY);
    case FUTEX_WAIT_BITSET:
      return a.uint(5) === 0 ? -EINVAL : futexWait(k, a, a.uint(5));
    case FUTEX_WAKE:
      return futexWake(k, uaddr, a.int(2));
    case FUTEX_WAKE_BITSET:
      return a.uint(5) === 0 ? -EINVAL : futexWake(k, uaddr, a.int(2), a.uint(5));
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
      const [nWake, nMove, uaddr2] = [a.int(2), a.int(3), a.addr(4)];
      if (nWake < 0 || nMove < 0 || uaddr2 % 4 !== 0) return -EINVAL;
      if (cmd === FUTEX_CMP_REQUEUE) {
        const word = readWord(k, uaddr);
        if (word === undefined) return -EFAULT;
        if (word !== a.uint(5)) return -EAGAIN;
      }
      return futexRequeue(k, uaddr, uaddr2, nWake, nMove);
    }
    case FUTEX_WAKE_OP:
      return futexWakeOp(k, uaddr, a.int(2), a.int(3), a.addr(4), a.uint(5));
    default:
      return -ENOSYS;
  }
}

function readWord(k: Kernel, uaddr: number): number | undefined {
  const word = k.mem.read(uaddr, 4);
  return word ? new DataView(word.buffer).getUint32(0, true) : undefined;
}

/**
 * FUTEX_WAIT (relative timeout on CLOCK_MONOTONIC) and FUTEX_WAIT_BITSET
 * (absolute, on CLOCK_REALTIME with FUTEX_CLOCK_REALTIME): blocks while the
 * word holds `val`.
 */
function futexWait(k: Kernel, a: SyscallArgs, bitset: number): SyscallResult {
  const uaddr = a.addr(0);
  let deadline: bigint | undefined;
  if (a.addr(3) !== 0) {
    const raw = k.mem.read(a.addr(3), 16);
    if (!raw) return -EFAULT;
    const ns = decodeTimespec(raw);
    if (ns === undefined) return -EINVAL;
    const now = k.clock.monotonicNs();
    if ((a.int(1) & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)) === FUTEX_WAIT) deadline = now + ns;
    else deadline = a.int(1) & FUTEX_CLOCK_REALTIME ? ns - (k.clock.realtimeNs() - now) : ns;
  }
  const word = readWord(k, uaddr);
  if (word === undefined) return -EFAULT;
  if (word !== a.uint(2)) return -EAGAIN;
  if (deadline !== undefined && deadline <= k.clock.monotonicNs()) return -ETIMEDOUT;
  return { kind: "block", wait: { kind: "futex", uaddr, bitset, deadline, ticket: k.threads.nextTicket++ } };
}

/**
 * FUTEX_WAKE_OP (kernel/futex/waitwake.c): *uaddr2 = op(*uaddr2); wake
 * `n` on uaddr, and `n2` on uaddr2 if the old value compares as the op
 * says. glibc's condition variables used it; it costs little to keep.
 */
function futexWakeOp(k: Kernel, uaddr: number, n: number, n2: number, uaddr2: number, encoded: number): SyscallResult {
  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20; // bits 12..23, signed
  const cmparg = (encoded << 20) >> 20; // bits 0..11, signed
  if ((encoded >>> 28) & 8) oparg = 1 << (oparg & 31);
  if (op > 4 || cmp > 5) return -ENOSYS;
  if (uaddr2 % 4 !== 0) return -EINVAL;
  const old = readWord(k, uaddr2);
  if (old === undefined) return -EFAULT;
  const next = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg][op]!;
  if (!k.write(uaddr2, new StructWriter(4).u32(0, next >>> 0).bytes)) return -EFAULT;
  let woken = futexWake(k, uaddr, n);
  const signedOld = old | 0;
  const compares = [signedOld === cmparg, signedOld !== cmparg, signedOld < cmparg, signedOld <= cmparg, signedOld > cmparg, signedOld >= cmparg];
  if (compares[cmp]) woken += futexWake(k, uaddr2, n2);
  return woken;
}

// ---- signals to threads ----------------------------------------------------

function signalTo(k: Kernel, tid: number, sig: number): SyscallResult {
  if (sig < 0 || sig > NSIG || tid <= 0) return -EINVAL;
  const t = k.threads.get(tid);
  if (!t) return -ESRCH;
  if (sig !== 0) signalThread(k, t, { signo: sig, code: SI_TKILL, pid: k.identity.pid });
  return 0;
}

export const threadSyscalls: Record<string, Handler> = {
  clone,
  // glibc tries clone3 first where it has a wrapper for it, and falls back to clone on ENOSYS (as with qemu-riscv64 7.2).
  clone3: () => -ENOSYS,
  exit,
  gettid: (k) => k.thread.tid,
  set_tid_address: setTidAddress,
  set_robust_list: setRobustList,
  get_robust_list: getRobustList,
  futex,
  sched_yield: (k) => {
    yieldSlice(k);
    return 0;
  },
  tkill: (k, a) => signalTo(k, a.int(0), a.int(1)),
  tgkill: (k, a) => (a.int(0) <= 0 ? -EINVAL : a.int(0) !== k.identity.pid ? -ESRCH : signalTo(k, a.int(1), a.int(2))),
};
