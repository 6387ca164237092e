// The whole kernel state of a process as one canonical byte string: what the
// snapshot layer stores as its state (docs/snapshot-format.md, "Process-mode
// layer state"). Equal states give equal bytes: maps are written in key
// order, integers in their one spelling, nothing from the host (no clocks,
// no insertion orders). Decoding checks every range and cross-reference the
// kernel relies on, then re-encodes and compares, so bytes that decode are
// exactly the bytes of the state they give.
import { physicalMemory } from "./boot.ts";
import { GuestClock } from "./time/clock.ts";
import { ConsoleInput, OutputSink } from "./files/console.ts";
import type { CoreExports } from "../core-abi.ts";
import { checkReferences, readDescriptors, readFdTable, writeDescriptors, writeFdTable } from "./files/fd-state.ts";
import { fileContents, readFileSystem, writeFileSystem } from "./files/fs-state.ts";
import { Kernel, type Identity, type ProcessEntry } from "./kernel.ts";
import type { Stop } from "./entry/kernel-entry.ts";
import { readAddressSpace, readSiblingSpace, writeAddressSpace, writeSiblingSpace } from "./memory/memory-state.ts";
import { INIT_PID, liveViews, resumeProcess } from "./tasks/processes.ts";
import { GuestRandom } from "./time/random.ts";
import { NSIG } from "./signals/signals.ts";
import { readPending, readSignals, writePending, writeSignals } from "./signals/signal-state.ts";
import { readThreads, writeThreads } from "./tasks/thread-state.ts";
import { checkAscending, StateError, StateReader, StateWriter } from "./state-bytes.ts";

export { StateError };

/** The state's first bytes, "EVLX". */
const MAGIC = new Uint8Array([0x45, 0x56, 0x4c, 0x58]);
// 3: pending signals carry si_value (rt_sigqueueinfo).
// 4: processes (fork): the process table, and every other process's own state after the first's.
export const LINUX_STATE_VERSION = 4;

/** The process's state outside the core and guest RAM. */
export interface LinuxState {
  kernel: Kernel;
  /** How the process ended; undefined while it runs (or waits for input). */
  final: Stop | undefined;
}

const ENDINGS = ["exited", "killed", "output-limit", "fault"] as const;
const STREAMS = [undefined, "stdout", "stderr"] as const;
const RLIMIT_NLIMITS = 16;
/** pids are tids (thread-state.ts: they fit a robust futex word's owner field). */
const MAX_TID = 0x3fff_ffff;

export function encodeLinuxState(state: LinuxState): Uint8Array {
  const w = new StateWriter();
  const contents = fileContents(state.kernel.fs);
  w.raw(MAGIC).int(LINUX_STATE_VERSION).int(contents.reduce((n, c) => n + c.length, 0));
  for (const c of contents) w.raw(c);
  writeRecords(w, state);
  return w.finish();
}

/**
 * Everything after the contents area. The records the first process had
 * alone come first, for the first process (the one whose end ends the run)
 * whether it runs or not; the process table and the others' own state follow.
 */
function writeRecords(w: StateWriter, { kernel: k, final }: LinuxState): void {
  writeFinal(w, final);
  const views = new Map(liveViews(k).map((v) => [v.identity.pid, v]));
  const first = views.get(k.initialPid);
  if (!first) throw new Error("the first process is gone but the run has not ended");
  const id = first.identity;
  w.int(id.pid).int(id.ppid).int(id.uid).int(id.gid).text(id.nodename).text(id.release).text(id.version);
  w.int(k.memoryLimit).int(first.cwd).int(first.umask).int(first.forceSignal);
  w.int(STREAMS.indexOf(k.outputLimitHit));
  writeRlimits(w, first.rlimits);
  for (const counts of [k.counts, k.unsupported]) {
    const sorted = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    w.int(sorted.length);
    for (const [name, n] of sorted) w.text(name).int(n);
  }
  w.int(first.alarm.dueNs).int(first.alarm.intervalNs).int(k.clock.epochSeconds).int(k.clock.sleptNs);
  for (const word of k.random.state) w.int(word);
  w.bytes(k.stdin.unread()).bool(k.stdin.closed);
  for (const sink of [k.stdout, k.stderr]) w.int(sink.limit).int(sink.total).bool(sink.overflowed);
  const running = k.identity.pid;
  w.int(running);
  writeSignals(w, first.signals);
  writeThreads(w, first.threads, running === k.initialPid);
  writeAddressSpace(w, first.mem);
  writeFileSystem(w, k.fs);
  writeFdTable(w, first.fds);
  const entries = [...k.procs.values()].sort((a, b) => a.pid - b.pid);
  w.int(entries.length);
  for (const p of entries) w.int(p.pid).int(p.ppid).int(p.status === undefined ? 0 : p.status + 1);
  for (const p of entries) {
    const v = views.get(p.pid);
    if (!v) continue;
    writePending(w, new Map(v.fatalSignal ? [[v.fatalSignal.signo, v.fatalSignal]] : []));
    if (p.pid === k.initialPid) continue;
    const same = v.identity.uid === id.uid && v.identity.gid === id.gid && v.identity.nodename === id.nodename && v.identity.ppid === p.ppid;
    if (!same || v.identity.release !== id.release || v.identity.version !== id.version) throw new Error(`process ${p.pid} has an identity of its own`);
    w.int(v.cwd).int(v.umask).int(v.forceSignal).int(v.alarm.dueNs).int(v.alarm.intervalNs);
    writeRlimits(w, v.rlimits);
    writeSignals(w, v.signals);
    writeThreads(w, v.threads, p.pid === running);
    writeSiblingSpace(w, v.mem);
    writeDescriptors(w, v.fds);
  }
}

function writeRlimits(w: StateWriter, limits: Map<number, [bigint, bigint]>): void {
  const rlimits = [...limits].sort(([a], [b]) => a - b);
  w.int(rlimits.length);
  for (const [resource, [soft, hard]] of rlimits) w.int(resource).int(soft).int(hard);
}

function readRlimits(r: StateReader): Map<number, [bigint, bigint]> {
  const rlimits = r.list("rlimits", () => [r.range("rlimit resource", 0, RLIMIT_NLIMITS - 1), [r.u64("rlimit soft"), r.u64("rlimit hard")]] as const);
  checkAscending(rlimits.map(([resource]) => resource), "rlimit resources");
  return new Map(rlimits.map(([resource, [soft, hard]]) => [resource, [soft, hard]]));
}

/**
 * Rebuilds the kernel of a process whose core (registers, satp) and guest RAM
 * were restored already. Throws StateError on bytes that are not a state of
 * this version.
 */
export function decodeLinuxState(bytes: Uint8Array, core: CoreExports): LinuxState {
  const r = new StateReader(bytes);
  const contents = readHeader(r);
  const recordsAt = r.offset;
  const final = readFinal(r);
  const ramBytes = core.ramSize() >>> 0;
  const { identity, memoryLimit, fields } = readProcess(r, ramBytes);
  const { alarm, clock } = readTime(r, core);
  const random = new GuestRandom(0);
  random.state = [0, 1, 2, 3].map(() => r.range("random state word", 0, 0xffff_ffff));
  const { stdin, stdout, stderr } = readConsole(r);
  const running = r.range("running process", 1, MAX_TID);
  const signals = readSignals(r);
  const threads = readThreads(r, identity.pid, running === identity.pid);
  signals.thread = threads.current.signals;
  const mem = readAddressSpace(r, physicalMemory(core), ramBytes, memoryLimit);
  const fs = readFileSystem(r, contents, () => clock.now());
  const fds = readFdTable(r, fs);
  const kernel = new Kernel(core, mem, fs, fds, stdin, stdout, stderr, clock, random, signals, identity, memoryLimit);
  Object.assign(kernel, fields, { alarm, threads });
  readProcessTable(r, kernel, running);
  r.end();
  checkReferences(liveViews(kernel).map((v) => v.fds), fs);
  for (const v of liveViews(kernel)) {
    // A removed working directory lives on (kernel.ts releaseInode), so the cwd is always a directory.
    if (fs.inodes.get(v.cwd)?.kind !== "dir") throw new StateError(`the working directory ${v.cwd} is not a directory`);
  }
  if (running !== kernel.initialPid) resumeProcess(kernel, running);
  // wasm hands u64 results to JS as signed bigints.
  if (BigInt.asUintN(64, core.getSatp()) !== kernel.mem.satp || core.getPriv() !== 0) {
    throw new StateError("the core does not run this process's page tables in U-mode");
  }
  const state = { kernel, final };
  // The contents area is the files' data by construction (readFileSystem checks the sizes add up), so only the records are compared.
  const records = new StateWriter();
  writeRecords(records, state);
  if (!sameBytes(records.finish(), bytes.subarray(recordsAt))) throw new StateError("the state is not in its canonical form");
  return state;
}

/** The magic and version; returns the contents area. */
function readHeader(r: StateReader): Uint8Array {
  const magic = r.raw(MAGIC.length, "magic");
  if (magic.some((b, i) => b !== MAGIC[i])) throw new StateError("not a process-mode layer state (no EVLX magic)");
  const version = r.num("version");
  if (version !== LINUX_STATE_VERSION) throw new StateError(`state version ${version}; this edgevm reads version ${LINUX_STATE_VERSION}`);
  return r.raw(r.count("contents length"), "file contents");
}

/** Identity, memory limit, and the Kernel fields that are plain values. */
function readProcess(r: StateReader, ramBytes: number) {
  const identity: Identity = {
    pid: r.num("pid"), ppid: r.num("ppid"), uid: r.num("uid"), gid: r.num("gid"),
    nodename: r.text("nodename"), release: r.text("release"), version: r.text("version"),
  };
  const memoryLimit = r.count("memory limit");
  // A process's RAM is its memory limit (boot.ts), so a mismatch means the state belongs to another core record.
  if (memoryLimit !== ramBytes) throw new StateError(`memory limit ${memoryLimit} differs from the core's RAM of ${ramBytes} bytes`);
  const fields = {
    cwd: r.count("cwd"), umask: r.range("umask", 0, 0o777),
    forceSignal: r.range("forced signal", 0, NSIG), outputLimitHit: STREAMS[r.range("output limit hit", 0, 2)],
    rlimits: new Map<number, [bigint, bigint]>(), counts: new Map<string, number>(), unsupported: new Map<string, number>(),
  };
  fields.rlimits = readRlimits(r);
  for (const [what, map] of [["syscall counts", fields.counts], ["unsupported syscall counts", fields.unsupported]] as const) {
    const list = r.list(what, () => [r.text(`a name in ${what}`), r.count(`a count in ${what}`)] as const);
    checkAscending(list.map(([name]) => name), what);
    for (const [name, n] of list) map.set(name, n);
  }
  return { identity, memoryLimit, fields };
}

/**
 * The process table and every process's own state but the first's (which
 * `k` holds).
 */
function readProcessTable(r: StateReader, k: Kernel, running: number): void {
  const entries = r.list("processes", (): ProcessEntry => {
    const pid = r.range("a pid", 1, MAX_TID);
    const ppid = r.count(`process ${pid} parent`);
    const status = r.range(`process ${pid} state`, 0, 0xffff + 1);
    return { pid, ppid, status: status === 0 ? undefined : status - 1, view: undefined };
  });
  checkAscending(entries.map((p) => p.pid), "processes");
  const first = entries.find((p) => p.pid === k.initialPid);
  if (!first || first.status !== undefined || first.ppid !== k.identity.ppid) throw new StateError("the process table does not hold the first process as its records say");
  if (!entries.some((p) => p.pid === running && p.status === undefined)) throw new StateError(`the running process ${running} is not a live process`);
  k.procs = new Map(entries.map((p) => [p.pid, p]));
  const ids = k.threads.ids;
  for (const p of entries) {
    if (p.pid >= ids.next) throw new StateError(`pid ${p.pid} is not below the next tid`);
    if (p.status !== undefined) {
      if (p.status & 0x80 || ((p.status & 0x7f) !== 0 && p.status >> 8 !== 0)) throw new StateError(`process ${p.pid} has a wait status of 0x${p.status.toString(16)}`);
      continue;
    }
    const pending = readPending(r, `process ${p.pid} fatal signal`);
    if (pending.size > 1) throw new StateError(`process ${p.pid} has two fatal signals`);
    const fatalSignal = [...pending.values()][0];
    if (p.pid === k.initialPid) {
      k.fatalSignal = fatalSignal;
      continue;
    }
    if (k.procs.get(p.ppid)?.status !== undefined && p.ppid !== INIT_PID) throw new StateError(`process ${p.pid} has no live parent`);
    const cwd = r.count(`process ${p.pid} cwd`);
    const umask = r.range(`process ${p.pid} umask`, 0, 0o777);
    const forceSignal = r.range(`process ${p.pid} forced signal`, 0, NSIG);
    const alarm = { dueNs: r.big(`process ${p.pid} alarm due`), intervalNs: r.big(`process ${p.pid} alarm interval`) };
    if (alarm.dueNs < 0n || alarm.intervalNs < 0n) throw new StateError("a negative alarm time");
    const rlimits = readRlimits(r);
    const signals = readSignals(r);
    const threads = readThreads(r, p.pid, p.pid === running, ids);
    signals.thread = threads.current.signals;
    const mem = readSiblingSpace(r, k.mem);
    const fds = readDescriptors(r, k.fds);
    p.view = { mem, fds, signals, threads, identity: { ...k.identity, pid: p.pid, ppid: p.ppid }, cwd, umask, rlimits, alarm, forceSignal, fatalSignal };
  }
  if (k.mem.pool.committed > k.mem.limitPages) throw new StateError("the processes commit more than the memory limit");
}

function readTime(r: StateReader, core: CoreExports) {
  const alarm = { dueNs: r.big("alarm due"), intervalNs: r.big("alarm interval") };
  if (alarm.dueNs < 0n || alarm.intervalNs < 0n) throw new StateError("a negative alarm time");
  const clock = new GuestClock(() => core.cycle(), r.num("epoch seconds"));
  clock.sleptNs = r.big("time slept");
  if (clock.sleptNs < 0n) throw new StateError("a negative time slept");
  return { alarm, clock };
}

function readConsole(r: StateReader) {
  const stdin = new ConsoleInput(r.bytes("unread stdin"), r.bool("stdin closed"));
  const [stdout, stderr] = ["stdout", "stderr"].map((what) => {
    const sink = new OutputSink(r.count(`${what} limit`));
    sink.total = r.count(`${what} bytes written`, sink.limit);
    sink.overflowed = r.bool(`${what} overflowed`);
    return sink;
  }) as [OutputSink, OutputSink];
  return { stdin, stdout, stderr };
}

function writeFinal(w: StateWriter, final: Stop | undefined): void {
  if (!final) {
    w.int(0);
    return;
  }
  const ending = ENDINGS.indexOf(final.status as (typeof ENDINGS)[number]);
  if (ending < 0) throw new Error(`${final.status} does not end a process`);
  w.int(ending + 1).int(final.exitCode).int(final.signal);
  if (final.reason === undefined) w.int(0);
  else w.int(1).text(final.reason);
}

function readFinal(r: StateReader): Stop | undefined {
  const ending = r.range("end of the process", 0, ENDINGS.length);
  if (ending === 0) return undefined;
  const stop: Stop = { status: ENDINGS[ending - 1]!, exitCode: r.range("exit code", 0, 255), signal: r.range("signal", 0, NSIG) };
  if (r.bool("reason present")) stop.reason = r.text("reason");
  return stop;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
