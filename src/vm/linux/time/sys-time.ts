// Time syscalls over the guest clock (clock.ts): reading clocks, sleeping
// (the thread blocks; when no thread can run, time jumps forward), interval
// timers, CPU usage, and ppoll/pselect6, which wait for a pipe or stdin to
// become ready, or their timeout.
import { EBADF, EFAULT, EINVAL } from "../entry/errno.ts";
import type { Handler, Kernel, SyscallArgs, SyscallResult } from "../kernel.ts";
import { CLOCK_TICKS_PER_SECOND } from "../memory/loader.ts";
import { decodeTimespec, encodeRusage, encodeTimespec, encodeTimeval, encodeTms, StructWriter } from "../entry/structs.ts";

const TIMER_ABSTIME = 1;
const ITIMER_REAL = 0;
const NS_PER_TICK = 1_000_000_000n / BigInt(CLOCK_TICKS_PER_SECOND);

function clockGettime(k: Kernel, a: SyscallArgs): SyscallResult {
  const ns = k.clock.read(a.int(0));
  if (ns === undefined) return -EINVAL;
  return k.write(a.addr(1), encodeTimespec(ns)) ? 0 : -EFAULT;
}

function clockGetres(k: Kernel, a: SyscallArgs): SyscallResult {
  const ns = k.clock.resolutionNs(a.int(0));
  if (ns === undefined) return -EINVAL;
  if (a.addr(1) === 0) return 0;
  return k.write(a.addr(1), encodeTimespec(ns)) ? 0 : -EFAULT;
}

function gettimeofday(k: Kernel, a: SyscallArgs): SyscallResult {
  if (a.addr(0) !== 0 && !k.write(a.addr(0), encodeTimeval(k.clock.realtimeNs()))) return -EFAULT;
  if (a.addr(1) !== 0 && !k.write(a.addr(1), new Uint8Array(8))) return -EFAULT;
  return 0;
}

function readTimespec(k: Kernel, ptr: number): bigint | number {
  const raw = k.mem.read(ptr, 16);
  if (!raw) return -EFAULT;
  return decodeTimespec(raw) ?? -EINVAL;
}

/** Blocks the thread until the monotonic deadline; an interruption writes the time left at `remPtr`. */
function sleepUntil(k: Kernel, deadline: bigint, remPtr: number): SyscallResult {
  if (deadline <= k.clock.monotonicNs()) return 0;
  return { kind: "block", wait: { kind: "sleep", deadline, remaining: remPtr } };
}

function nanosleep(k: Kernel, a: SyscallArgs): SyscallResult {
  const ns = readTimespec(k, a.addr(0));
  if (typeof ns === "number") return ns;
  return sleepUntil(k, k.clock.monotonicNs() + ns, a.addr(1));
}

function clockNanosleep(k: Kernel, a: SyscallArgs): SyscallResult {
  const clock = a.int(0);
  const now = k.clock.read(clock);
  if (now === undefined || clock === 2 || clock === 3) return -EINVAL;
  const ns = readTimespec(k, a.addr(2));
  if (typeof ns === "number") return ns;
  const relative = a.int(1) & TIMER_ABSTIME ? ns - now : ns;
  return sleepUntil(k, k.clock.monotonicNs() + (relative > 0n ? relative : 0n), a.int(1) & TIMER_ABSTIME ? 0 : a.addr(3));
}

function times(k: Kernel, a: SyscallArgs): SyscallResult {
  if (a.addr(0) !== 0 && !k.write(a.addr(0), encodeTms(k.clock.cpuNs() / NS_PER_TICK))) return -EFAULT;
  return k.clock.monotonicNs() / NS_PER_TICK;
}

function getrusage(k: Kernel, a: SyscallArgs): SyscallResult {
  const who = a.int(0);
  if (who !== 0 && who !== 1 && who !== -1) return -EINVAL;
  const self = who !== -1;
  const bytes = encodeRusage(self ? k.clock.cpuNs() : 0n, self ? Math.ceil(k.mem.committedBytes / 1024) : 0);
  return k.write(a.addr(1), bytes) ? 0 : -EFAULT;
}

/** struct itimerval: it_interval then it_value, each a timeval. */
function encodeItimer(k: Kernel): Uint8Array {
  const left = k.alarm.dueNs === 0n ? 0n : k.alarm.dueNs - k.clock.monotonicNs();
  const out = new Uint8Array(32);
  out.set(encodeTimeval(k.alarm.intervalNs), 0);
  out.set(encodeTimeval(left > 0n ? left : 1000n), 16);
  if (k.alarm.dueNs === 0n) out.fill(0, 16);
  return out;
}

function getitimer(k: Kernel, a: SyscallArgs): SyscallResult {
  if (a.int(0) !== ITIMER_REAL) return -EINVAL;
  return k.write(a.addr(1), encodeItimer(k)) ? 0 : -EFAULT;
}

/** setitimer(ITIMER_REAL): SIGALRM at an exact guest instant (the run loop stops the core there). */
function setitimer(k: Kernel, a: SyscallArgs): SyscallResult {
  if (a.int(0) !== ITIMER_REAL) return -EINVAL;
  let next: [bigint, bigint] | undefined;
  if (a.addr(1) !== 0) {
    const raw = k.mem.read(a.addr(1), 32);
    if (!raw) return -EFAULT;
    const v = new DataView(raw.buffer);
    const tv = (at: number): bigint | undefined => {
      const sec = v.getBigInt64(at, true);
      const usec = v.getBigInt64(at + 8, true);
      return sec < 0n || usec < 0n || usec >= 1_000_000n ? undefined : sec * 1_000_000_000n + usec * 1000n;
    };
    const interval = tv(0);
    const value = tv(16);
    if (interval === undefined || value === undefined) return -EINVAL;
    next = [interval, value];
  }
  if (a.addr(2) !== 0 && !k.write(a.addr(2), encodeItimer(k))) return -EFAULT;
  if (next) {
    const [interval, value] = next;
    k.alarm = { intervalNs: interval, dueNs: value === 0n ? 0n : k.clock.monotonicNs() + value };
  }
  return 0;
}

const POLLIN = 0x1;
const POLLOUT = 0x4;
const POLLERR = 0x8;
const POLLHUP = 0x10;
const POLLNVAL = 0x20;

/** Poll events ready on `fd` now, and whether only more stdin could make it ready. */
function pollState(k: Kernel, fd: number, events: number): { revents: number; needsInput: boolean } {
  const file = k.file(fd);
  if (!file) return { revents: POLLNVAL, needsInput: false };
  const e = file.endpoint;
  let ready = POLLIN | POLLOUT;
  let needsInput = false;
  if (e.kind === "stdin") {
    ready = k.stdin.available > 0 ? POLLIN : k.stdin.closed ? POLLIN | POLLHUP : 0;
    needsInput = ready === 0 && (events & POLLIN) !== 0;
  } else if (e.kind === "pipe") {
    const pipe = k.fds.pipes.get(e.pipe)!;
    if (e.end === "read") ready = (pipe.buffer.length > 0 ? POLLIN : 0) | (pipe.writers === 0 ? POLLHUP : 0);
    else ready = pipe.readers === 0 ? POLLERR : pipe.buffer.length < 65536 ? POLLOUT : 0;
  }
  return { revents: ready & (events | POLLERR | POLLHUP | POLLNVAL), needsInput };
}

function ppoll(k: Kernel, a: SyscallArgs): SyscallResult {
  const [ptr, nfds] = [a.addr(0), a.addr(1)];
  if (nfds > 1024) return -EINVAL;
  const raw = nfds === 0 ? new Uint8Array(0) : k.mem.read(ptr, nfds * 8);
  if (!raw) return -EFAULT;
  const v = new DataView(raw.buffer);
  let ready = 0;
  let needsInput = false;
  const out = new StructWriter(nfds * 8);
  for (let i = 0; i < nfds; i++) {
    const fd = v.getInt32(i * 8, true);
    const events = v.getInt16(i * 8 + 4, true);
    const state = fd < 0 ? { revents: 0, needsInput: false } : pollState(k, fd, events);
    out.u32(i * 8, fd).u16(i * 8 + 4, events).u16(i * 8 + 6, state.revents);
    if (state.revents) ready++;
    needsInput ||= state.needsInput;
  }
  if (ready > 0) return k.write(ptr, out.bytes) ? ready : -EFAULT;
  const deadline = pollDeadline(k, a.addr(2));
  if (typeof deadline === "number") return deadline;
  // Timed out: nothing became ready.
  if (deadline !== undefined && deadline <= k.clock.monotonicNs()) return k.write(ptr, out.bytes) ? 0 : -EFAULT;
  return { kind: "block", wait: { kind: "retry", deadline, input: needsInput, what: "ppoll on descriptors that cannot become ready" } };
}

/**
 * The deadline of a poll's timeout (undefined: none, wait for ever), or
 * -errno. A poll made again after a wait keeps the deadline of its first
 * call, and a timeout of 0 is a deadline already passed.
 */
function pollDeadline(k: Kernel, timeoutPtr: number): bigint | undefined | number {
  if (timeoutPtr === 0) return undefined;
  const ns = readTimespec(k, timeoutPtr);
  if (typeof ns === "number") return ns;
  return k.deadline(ns);
}

/**
 * pselect6 over the same readiness as ppoll: fd_set bitmaps of nfds bits,
 * an optional timespec (NULL: wait for ever), the sigmask argument ignored.
 */
function pselect6(k: Kernel, a: SyscallArgs): SyscallResult {
  const nfds = a.int(0);
  if (nfds < 0 || nfds > 1024) return -EINVAL;
  const bytes = Math.ceil(nfds / 64) * 8;
  const sets: (Uint8Array | null)[] = [];
  for (const i of [1, 2, 3]) {
    if (a.addr(i) === 0) {
      sets.push(null);
      continue;
    }
    const set = k.mem.read(a.addr(i), bytes);
    if (!set) return -EFAULT;
    sets.push(set);
  }
  const out = sets.map((s) => (s ? new Uint8Array(s.length) : null));
  let ready = 0;
  let needsInput = false;
  const events = [POLLIN, POLLOUT, 0];
  for (let fd = 0; fd < nfds; fd++) {
    const bit = 1 << (fd % 8);
    for (let which = 0; which < 3; which++) {
      const set = sets[which];
      if (!set || !(set[fd >> 3] & bit)) continue;
      const state = pollState(k, fd, events[which]);
      if (state.revents & POLLNVAL) return -EBADF;
      const hit = which === 0 ? state.revents & (POLLIN | POLLHUP | POLLERR) : which === 1 ? state.revents & (POLLOUT | POLLERR) : 0;
      if (hit) {
        out[which]![fd >> 3] |= bit;
        ready++;
      }
      needsInput ||= state.needsInput;
    }
  }
  const writeSets = () => out.every((o, i) => !o || k.write(a.addr(i + 1), o));
  if (ready > 0) return writeSets() ? ready : -EFAULT;
  const deadline = pollDeadline(k, a.addr(4));
  if (typeof deadline === "number") return deadline;
  if (deadline !== undefined && deadline <= k.clock.monotonicNs()) return writeSets() ? 0 : -EFAULT;
  return { kind: "block", wait: { kind: "retry", deadline, input: needsInput, what: "select on descriptors that cannot become ready" } };
}

export const timeSyscalls: Record<string, Handler> = {
  clock_gettime: clockGettime,
  clock_getres: clockGetres,
  gettimeofday,
  nanosleep,
  clock_nanosleep: clockNanosleep,
  times,
  getrusage,
  getitimer,
  setitimer,
  ppoll,
  pselect6,
};
