// Process syscalls: exit_group, identity, signals, limits, scheduling,
// randomness and system information (threads and futexes: sys-threads.ts).
import { EAGAIN, ECHILD, EFAULT, EINVAL, ENOENT, ENOMEM, ENOSYS, EPERM, ESRCH } from "../entry/errno.ts";
import type { Handler, Kernel, ProcessEntry, SyscallArgs, SyscallResult } from "../kernel.ts";
import { children, CLD_EXITED, CLD_KILLED, companyArrives, withProcess } from "./processes.ts";
import { signalProcess, signalThread } from "./scheduler.ts";
import {
  MINSIGSTKSZ,
  NSIG,
  SI_TKILL,
  SI_USER,
  SIGCHLD,
  SIGKILL,
  SIGSEGV,
  SIGSTOP,
  SS_DISABLE,
  UNBLOCKABLE,
  encodeSiginfo,
  type SigAction,
  type SigInfo,
} from "../signals/signals.ts";
import { decodeTimespec, encodeRlimit, encodeSysinfo, encodeUtsname, RLIM_INFINITY, StructWriter } from "../entry/structs.ts";

/** exit_group: every thread ends, and the process with them. */
function exitGroup(k: Kernel, a: SyscallArgs): SyscallResult {
  return { kind: "exit", code: a.int(0) & 0xff };
}

function uname(k: Kernel, a: SyscallArgs): SyscallResult {
  const id = k.identity;
  const bytes = encodeUtsname({
    sysname: "Linux",
    nodename: id.nodename,
    release: id.release,
    version: id.version,
    machine: "riscv64",
    domainname: "(none)",
  });
  return k.write(a.addr(0), bytes) ? 0 : -EFAULT;
}

// ---- signals ---------------------------------------------------------------

function validSignal(sig: number): boolean {
  return sig >= 1 && sig <= NSIG;
}

function rtSigaction(k: Kernel, a: SyscallArgs): SyscallResult {
  const sig = a.int(0);
  if (a.addr(3) !== 8 || !validSignal(sig)) return -EINVAL;
  let next: SigAction | undefined;
  if (a.addr(1) !== 0) {
    if (sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
    const raw = k.mem.read(a.addr(1), 24);
    if (!raw) return -EFAULT;
    const v = new DataView(raw.buffer);
    next = { handler: v.getBigUint64(0, true), flags: v.getBigUint64(8, true), mask: v.getBigUint64(16, true) };
  }
  if (a.addr(2) !== 0) {
    const old = k.signals.action(sig);
    const out = new StructWriter(24).u64(0, old.handler).u64(8, old.flags).u64(16, old.mask).bytes;
    if (!k.write(a.addr(2), out)) return -EFAULT;
  }
  if (next) {
    k.signals.actions.set(sig, next);
    // A signal now ignored is discarded even if pending (POSIX), for every thread.
    if (next.handler === 1n) {
      k.signals.shared.delete(sig);
      for (const t of k.threads.all.values()) t.signals.pending.delete(sig);
    }
  }
  return 0;
}

function rtSigprocmask(k: Kernel, a: SyscallArgs): SyscallResult {
  const how = a.int(0);
  if (a.addr(3) !== 8) return -EINVAL;
  const old = k.signals.blocked;
  if (a.addr(1) !== 0) {
    const set = k.mem.readU64(a.addr(1));
    if (set === null) return -EFAULT;
    if (how === 0) k.signals.setBlocked(old | set);
    else if (how === 1) k.signals.setBlocked(old & ~set);
    else if (how === 2) k.signals.setBlocked(set);
    else return -EINVAL;
  }
  if (a.addr(2) !== 0 && !k.mem.writeU64(a.addr(2), old)) return -EFAULT;
  return 0;
}

function rtSigpending(k: Kernel, a: SyscallArgs): SyscallResult {
  let set = 0n;
  for (const sig of [...k.signals.thread.pending.keys(), ...k.signals.shared.keys()]) set |= 1n << BigInt(sig - 1);
  return k.mem.writeU64(a.addr(0), set & k.signals.blocked) ? 0 : -EFAULT;
}

function sigaltstack(k: Kernel, a: SyscallArgs): SyscallResult {
  const s = k.signals;
  const sp = Number(k.regs.getX(2));
  if (a.addr(1) !== 0) {
    const old = new StructWriter(24).u64(0, s.altStack.sp).u32(8, s.altStack.flags === SS_DISABLE ? SS_DISABLE : s.onAltStack(sp) ? 1 : 0).u64(16, s.altStack.size).bytes;
    if (!k.write(a.addr(1), old)) return -EFAULT;
  }
  if (a.addr(0) !== 0) {
    const raw = k.mem.read(a.addr(0), 24);
    if (!raw) return -EFAULT;
    if (s.onAltStack(sp)) return -EPERM;
    const v = new DataView(raw.buffer);
    const flags = v.getInt32(8, true) & ~(1 << 31); // SS_AUTODISARM is accepted and ignored
    if (flags !== 0 && flags !== SS_DISABLE) return -EINVAL;
    if (flags === SS_DISABLE) {
      s.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
    } else {
      const size = Number(v.getBigUint64(16, true));
      if (size < MINSIGSTKSZ) return -ENOMEM;
      s.altStack = { sp: Number(v.getBigUint64(0, true)), size, flags: 0 };
    }
  }
  return 0;
}

function rtSigreturn(k: Kernel): SyscallResult {
  if (k.signals.sigreturn(k.regs, k.mem)) return { kind: "restored" };
  k.signals.raise({ signo: SIGSEGV, code: SI_USER });
  k.forceSignal = SIGSEGV;
  return { kind: "restored" };
}

/**
 * kill: a process-directed signal. The pid is this process (or 0, -1: the
 * group and everyone it may signal, which is only itself), or the tid of one
 * of its threads, which then is the one preferred to take it.
 */
/**
 * kill: to the caller (its pid, or one of its threads' tids), to another
 * process, or with 0 or -1 to every process (each is its own group, but
 * children would be in their parent's: all of them is what a parent's
 * kill(0) reaches). A zombie takes a signal and ignores it.
 */
function kill(k: Kernel, a: SyscallArgs): SyscallResult {
  const [target, sig] = [a.int(0), a.int(1)];
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const info: SigInfo = { signo: sig, code: SI_USER, pid: k.identity.pid };
  const all = target === 0 || target === -1;
  if (all) {
    for (const p of [...k.procs.values()]) if (p.view) withProcess(k, p.pid, () => sig !== 0 && signalProcess(k, info));
  }
  const own = target === k.identity.pid || all;
  const thread = own ? k.threads.leader : k.threads.get(target);
  if (!own && !thread) {
    const other = k.procs.get(target);
    if (!other) return -ESRCH;
    if (other.view && sig !== 0) withProcess(k, target, () => signalProcess(k, info));
    companyArrives(k);
    return 0;
  }
  if (sig !== 0) signalProcess(k, info, thread);
  return 0;
}

// ---- children ---------------------------------------------------------------

const WNOHANG = 1;
const WUNTRACED = 2;
const WEXITED = 4;
const WCONTINUED = 8;
const WNOWAIT = 0x0100_0000;
const WNOTHREAD = 0x2000_0000;
const WALL = 0x4000_0000;
const WCLONE = 0x8000_0000;
const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;

/**
 * The children a wait looks at (`pid` > 0: that one; otherwise all, since
 * they are all in the caller's group) and the zombie among them to reap,
 * the oldest first, as Linux walks its children list.
 */
function waitable(k: Kernel, pid: number | undefined): { any: boolean; zombie: ProcessEntry | undefined } {
  const mine = children(k).filter((p) => pid === undefined || p.pid === pid);
  return { any: mine.length > 0, zombie: mine.find((p) => p.status !== undefined) };
}

/** wait4(pid, wstatus, options, rusage): what waitpid and wait call; blocks (made again) until a child ends. */
function wait4(k: Kernel, a: SyscallArgs): SyscallResult {
  const [pid, statusPtr, options, rusage] = [a.int(0), a.addr(1), a.int(2), a.addr(3)];
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) return -EINVAL;
  // INT_MIN cannot name a group (kernel_wait4).
  if (pid === -0x8000_0000) return -ESRCH;
  const { any, zombie } = waitable(k, pid > 0 ? pid : undefined);
  if (!any) return -ECHILD;
  if (!zombie) return options & WNOHANG ? 0 : { kind: "block", wait: { kind: "retry", deadline: undefined, input: false, what: "wait4" } };
  if (statusPtr !== 0 && !k.write(statusPtr, new StructWriter(4).u32(0, zombie.status!).bytes)) return -EFAULT;
  // No resource usage is accounted per process: a struct rusage of zeros.
  if (rusage !== 0 && !k.write(rusage, new Uint8Array(144))) return -EFAULT;
  k.procs.delete(zombie.pid);
  return zombie.pid;
}

/** waitid(idtype, id, infop, options, rusage): the siginfo flavour, with WNOWAIT to look without reaping. */
function waitid(k: Kernel, a: SyscallArgs): SyscallResult {
  const [idtype, id, infop, options, rusage] = [a.int(0), a.int(1), a.addr(2), a.int(3), a.addr(4)];
  if (options & ~(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) return -EINVAL;
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -EINVAL;
  if (idtype !== P_ALL && idtype !== P_PID && idtype !== P_PGID) return -EINVAL;
  if (idtype === P_PID && id <= 0) return -EINVAL;
  const { any, zombie } = waitable(k, idtype === P_PID ? id : undefined);
  if (!any) return -ECHILD;
  if (!zombie || !(options & WEXITED)) {
    if (!(options & WNOHANG)) return { kind: "block", wait: { kind: "retry", deadline: undefined, input: false, what: "waitid" } };
    return infop === 0 || k.write(infop, new Uint8Array(128)) ? 0 : -EFAULT;
  }
  const status = zombie.status!;
  const killedBy = status & 0x7f;
  if (infop !== 0) {
    const info = encodeSiginfo({ signo: SIGCHLD, code: killedBy ? CLD_KILLED : CLD_EXITED, pid: zombie.pid, value: BigInt(killedBy || status >> 8) });
    if (!k.write(infop, info)) return -EFAULT;
  }
  if (rusage !== 0 && !k.write(rusage, new Uint8Array(144))) return -EFAULT;
  if (!(options & WNOWAIT)) k.procs.delete(zombie.pid);
  return 0;
}

/**
 * The siginfo a process hands rt_sigqueueinfo/rt_tgsigqueueinfo. Only a
 * signal to itself may claim a kernel or kill(2) origin (si_code >= 0 or
 * SI_TKILL), as Linux checks, so that nobody forges one to another process.
 */
function queuedInfo(k: Kernel, sig: number, addr: number, target: number): SigInfo | number {
  const raw = k.mem.read(addr, 128);
  if (!raw) return -EFAULT;
  const v = new DataView(raw.buffer, raw.byteOffset);
  const code = v.getInt32(8, true);
  if ((code >= 0 || code === SI_TKILL) && target !== k.identity.pid) return -EPERM;
  return { signo: sig, code, pid: v.getUint32(16, true), value: v.getBigUint64(24, true) };
}

/** rt_sigqueueinfo(pid, sig, info): sigqueue(3), a process-directed signal with the caller's siginfo. */
function rtSigqueueinfo(k: Kernel, a: SyscallArgs): SyscallResult {
  const [target, sig] = [a.int(0), a.int(1)];
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const thread = target === k.identity.pid ? k.threads.leader : k.threads.get(target);
  if (!thread) return -ESRCH;
  const info = queuedInfo(k, sig, a.addr(2), target);
  if (typeof info === "number") return info;
  if (sig !== 0) signalProcess(k, info, thread);
  return 0;
}

/** rt_tgsigqueueinfo(tgid, tid, sig, info): the same for one thread (pthread_sigqueue). */
function rtTgsigqueueinfo(k: Kernel, a: SyscallArgs): SyscallResult {
  const [tgid, tid, sig] = [a.int(0), a.int(1), a.int(2)];
  if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG) return -EINVAL;
  const thread = tgid === k.identity.pid ? k.threads.get(tid) : undefined;
  if (!thread) return -ESRCH;
  const info = queuedInfo(k, sig, a.addr(3), tgid);
  if (typeof info === "number") return info;
  if (sig !== 0) signalThread(k, thread, info);
  return 0;
}

/**
 * rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of
 * `set`, or waits for one (with them unblocked meanwhile), or its timeout
 * (EAGAIN). sigwait and sigtimedwait are built on it.
 */
function rtSigtimedwait(k: Kernel, a: SyscallArgs): SyscallResult {
  if (a.addr(3) !== 8) return -EINVAL;
  const raw = k.mem.readU64(a.addr(0));
  if (raw === null) return -EFAULT;
  const set = raw & ~UNBLOCKABLE;
  let deadline: bigint | undefined;
  if (a.addr(2) !== 0) {
    const ts = k.mem.read(a.addr(2), 16);
    if (!ts) return -EFAULT;
    const ns = decodeTimespec(ts);
    if (ns === undefined) return -EINVAL;
    deadline = k.clock.monotonicNs() + ns;
  }
  const info = k.signals.take(set, k.thread.signals);
  if (info) return a.addr(1) === 0 || k.write(a.addr(1), encodeSiginfo(info)) ? info.signo : -EFAULT;
  if (deadline !== undefined && deadline <= k.clock.monotonicNs()) return -EAGAIN;
  const mask = k.signals.blocked;
  k.signals.setBlocked(mask & ~set);
  return { kind: "block", wait: { kind: "sigwait", set, mask, info: a.addr(1), deadline } };
}

/** rt_sigsuspend: waits with `mask` blocked until a signal is delivered; the old mask returns after it. */
function rtSigsuspend(k: Kernel, a: SyscallArgs): SyscallResult {
  if (a.addr(1) !== 8) return -EINVAL;
  const mask = k.mem.readU64(a.addr(0));
  if (mask === null) return -EFAULT;
  const old = k.signals.blocked;
  k.signals.setBlocked(mask);
  return { kind: "block", wait: { kind: "sigsuspend", mask: old } };
}

// ---- limits ----------------------------------------------------------------

const RLIMIT_STACK = 3;
const RLIMIT_CORE = 4;
const RLIMIT_NOFILE = 7;
const RLIMIT_MEMLOCK = 8;
const RLIMIT_AS = 9;
const RLIMIT_NLIMITS = 16;

function rlimit(k: Kernel, resource: number): [bigint, bigint] {
  const set = k.rlimits.get(resource);
  if (set) return set;
  switch (resource) {
    case RLIMIT_STACK:
      return [8n << 20n, RLIM_INFINITY];
    case RLIMIT_CORE:
      return [0n, RLIM_INFINITY];
    case RLIMIT_NOFILE:
      return [1024n, 1024n];
    case RLIMIT_MEMLOCK:
      return [8n << 20n, 8n << 20n];
    case RLIMIT_AS:
      return [BigInt(k.memoryLimit), BigInt(k.memoryLimit)];
    default:
      return [RLIM_INFINITY, RLIM_INFINITY];
  }
}

function prlimit64(k: Kernel, a: SyscallArgs): SyscallResult {
  const pid = a.int(0);
  const resource = a.uint(1);
  if (pid !== 0 && pid !== k.identity.pid) return -ESRCH;
  if (resource >= RLIMIT_NLIMITS) return -EINVAL;
  const old = rlimit(k, resource);
  let next: [bigint, bigint] | undefined;
  if (a.addr(2) !== 0) {
    const raw = k.mem.read(a.addr(2), 16);
    if (!raw) return -EFAULT;
    const v = new DataView(raw.buffer);
    next = [v.getBigUint64(0, true), v.getBigUint64(8, true)];
    if (next[0] > next[1]) return -EINVAL;
    if (next[1] > old[1]) return -EPERM;
  }
  if (a.addr(3) !== 0 && !k.write(a.addr(3), encodeRlimit(old[0], old[1]))) return -EFAULT;
  if (next) k.rlimits.set(resource, next);
  return 0;
}

function getrlimit(k: Kernel, a: SyscallArgs): SyscallResult {
  const resource = a.uint(0);
  if (resource >= RLIMIT_NLIMITS) return -EINVAL;
  const [cur, max] = rlimit(k, resource);
  return k.write(a.addr(1), encodeRlimit(cur, max)) ? 0 : -EFAULT;
}

function setrlimit(k: Kernel, a: SyscallArgs): SyscallResult {
  const resource = a.uint(0);
  if (resource >= RLIMIT_NLIMITS) return -EINVAL;
  const raw = k.mem.read(a.addr(1), 16);
  if (!raw) return -EFAULT;
  const v = new DataView(raw.buffer);
  const next: [bigint, bigint] = [v.getBigUint64(0, true), v.getBigUint64(8, true)];
  if (next[0] > next[1]) return -EINVAL;
  if (next[1] > rlimit(k, resource)[1]) return -EPERM;
  k.rlimits.set(resource, next);
  return 0;
}

// ---- system information ----------------------------------------------------

function sysinfo(k: Kernel, a: SyscallArgs): SyscallResult {
  const uptime = Number(k.clock.monotonicNs() / 1_000_000_000n);
  const free = Math.max(0, k.memoryLimit - k.mem.committedBytes);
  return k.write(a.addr(0), encodeSysinfo(uptime, k.memoryLimit, free, 1)) ? 0 : -EFAULT;
}

function getrandom(k: Kernel, a: SyscallArgs): SyscallResult {
  if (a.uint(2) & ~7) return -EINVAL; // GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE
  // Linux fills up to 32 MiB per call; 1 MiB keeps the host buffer small (callers loop on short counts).
  const len = Math.min(a.addr(1), 1 << 20);
  const bytes = k.random.bytes(len);
  return k.write(a.addr(0), bytes) ? len : -EFAULT;
}

const PR_SET_NAME = 15;
const PR_GET_NAME = 16;

function prctl(k: Kernel, a: SyscallArgs): SyscallResult {
  switch (a.int(0)) {
    case PR_SET_NAME: {
      const name = k.mem.readCString(a.addr(1), 4096);
      if (typeof name === "number") return -EFAULT;
      k.thread.comm = name.slice(0, 15);
      return 0;
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(16);
      out.set(k.thread.comm);
      return k.write(a.addr(1), out) ? 0 : -EFAULT;
    }
    default:
      return -EINVAL;
  }
}

/** Whether a scheduling call's pid names this process's threads: 0 (the caller), the pid, or a live tid. */
function ownTask(k: Kernel, pid: number): boolean {
  return pid === 0 || pid === k.identity.pid || k.threads.get(pid) !== undefined;
}

/** One CPU, number 0. */
function schedGetaffinity(k: Kernel, a: SyscallArgs): SyscallResult {
  const len = a.addr(1);
  if (!ownTask(k, a.int(0))) return -ESRCH;
  if (len < 8 || len % 8 !== 0) return -EINVAL;
  return k.write(a.addr(2), new StructWriter(8).u64(0, 1).bytes) ? 8 : -EFAULT;
}

function getcpu(k: Kernel, a: SyscallArgs): SyscallResult {
  for (const ptr of [a.addr(0), a.addr(1)]) {
    if (ptr !== 0 && !k.write(ptr, new Uint8Array(4))) return -EFAULT;
  }
  return 0;
}

function getresid(k: Kernel, a: SyscallArgs, id: number): SyscallResult {
  for (let i = 0; i < 3; i++) if (!k.write(a.addr(i), new StructWriter(4).u32(0, id).bytes)) return -EFAULT;
  return 0;
}

/** Deliberately ENOSYS, as on kernels that predate them; glibc falls back (qemu-riscv64 7.2 does the same). */
const absent: Handler = () => -ENOSYS;

export const processSyscalls: Record<string, Handler> = {
  exit_group: exitGroup,
  getpid: (k) => k.identity.pid,
  getppid: (k) => k.identity.ppid,
  getuid: (k) => k.identity.uid,
  geteuid: (k) => k.identity.uid,
  getgid: (k) => k.identity.gid,
  getegid: (k) => k.identity.gid,
  getresuid: (k, a) => getresid(k, a, k.identity.uid),
  getresgid: (k, a) => getresid(k, a, k.identity.gid),
  getgroups: () => 0,
  getpgid: (k) => k.identity.pid,
  getsid: (k) => k.identity.pid,
  setpgid: () => 0,
  setsid: () => -EPERM,
  rseq: absent,
  riscv_hwprobe: absent,
  riscv_flush_icache: () => 0,
  uname,
  rt_sigaction: rtSigaction,
  rt_sigprocmask: rtSigprocmask,
  rt_sigpending: rtSigpending,
  rt_sigreturn: rtSigreturn,
  rt_sigsuspend: rtSigsuspend,
  rt_sigtimedwait: rtSigtimedwait,
  sigaltstack,
  kill,
  rt_sigqueueinfo: rtSigqueueinfo,
  rt_tgsigqueueinfo: rtTgsigqueueinfo,
  prlimit64,
  getrlimit,
  setrlimit,
  sysinfo,
  getrandom,
  prctl,
  personality: () => 0,
  sched_getaffinity: schedGetaffinity,
  sched_setaffinity: (k, a) => (ownTask(k, a.int(0)) ? 0 : -ESRCH),
  sched_getscheduler: () => 0,
  sched_getparam: (k, a) => (k.write(a.addr(1), new Uint8Array(4)) ? 0 : -EFAULT),
  sched_get_priority_max: () => 0,
  sched_get_priority_min: () => 0,
  getcpu,
  wait4,
  waitid,
  // There is no program to run but the one (and no /bin/sh): a child that tries exits 127, as under a shell.
  execve: () => -ENOENT,
  execveat: () => -ENOENT,
};
