// The whole kernel state of a process as one canonical byte string: what the
// snapshot layer stores as its state (docs/snapshot-format.md, "Process-mode
// layer state"). Equal states give equal bytes: maps are written in key
// order, integers in their one spelling, nothing from the host (no clocks,
// no insertion orders). Decoding checks every range and cross-reference the
// kernel relies on, then re-encodes and compares, so bytes that decode are
// exactly the bytes of the state they give.
import { physicalMemory } from "./boot.ts";
import { GuestClock } from "./clock.ts";
import { ConsoleInput, OutputSink } from "./console.ts";
import type { ProcessCore } from "./core.ts";
import { readFdTable, writeFdTable } from "./fd-state.ts";
import { fileContents, readFileSystem, writeFileSystem } from "./fs-state.ts";
import { Kernel, type Identity } from "./kernel.ts";
import type { Stop } from "./kernel-entry.ts";
import { readAddressSpace, writeAddressSpace } from "./memory-state.ts";
import { GuestRandom } from "./random.ts";
import { NSIG } from "./signals.ts";
import { readSignals, writeSignals } from "./signal-state.ts";
import { readThreads, writeThreads } from "./thread-state.ts";
import { checkAscending, StateError, StateReader, StateWriter } from "./state-bytes.ts";

export { StateError };

/** The state's first bytes, "EVLX". */
const MAGIC = new Uint8Array([0x45, 0x56, 0x4c, 0x58]);
// 3: pending signals carry si_value (rt_sigqueueinfo).
export const LINUX_STATE_VERSION = 3;

/** The process's state outside the core and guest RAM. */
export interface LinuxState {
  kernel: Kernel;
  /** How the process ended; undefined while it runs (or waits for input). */
  final: Stop | undefined;
}

const ENDINGS = ["exited", "killed", "output-limit", "fault"] as const;
const STREAMS = [undefined, "stdout", "stderr"] as const;
const RLIMIT_NLIMITS = 16;

export function encodeLinuxState(state: LinuxState): Uint8Array {
  // Processes other than the first are not part of this version of the state: refuse rather than lose them.
  if (state.kernel.procs.size > 1) throw new Error("a process-mode state with more than one process cannot be encoded yet");
  const w = new StateWriter();
  const contents = fileContents(state.kernel.fs);
  w.raw(MAGIC).int(LINUX_STATE_VERSION).int(contents.reduce((n, c) => n + c.length, 0));
  for (const c of contents) w.raw(c);
  writeRecords(w, state);
  return w.finish();
}

/** Everything after the contents area. */
function writeRecords(w: StateWriter, { kernel: k, final }: LinuxState): void {
  writeFinal(w, final);
  const id = k.identity;
  w.int(id.pid).int(id.ppid).int(id.uid).int(id.gid).text(id.nodename).text(id.release).text(id.version);
  w.int(k.memoryLimit).int(k.cwd).int(k.umask).int(k.forceSignal);
  w.int(STREAMS.indexOf(k.outputLimitHit));
  const rlimits = [...k.rlimits].sort(([a], [b]) => a - b);
  w.int(rlimits.length);
  for (const [resource, [soft, hard]] of rlimits) w.int(resource).int(soft).int(hard);
  for (const counts of [k.counts, k.unsupported]) {
    const sorted = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    w.int(sorted.length);
    for (const [name, n] of sorted) w.text(name).int(n);
  }
  w.int(k.alarm.dueNs).int(k.alarm.intervalNs).int(k.clock.epochSeconds).int(k.clock.sleptNs);
  for (const word of k.random.state) w.int(word);
  w.bytes(k.stdin.unread()).bool(k.stdin.closed);
  for (const sink of [k.stdout, k.stderr]) w.int(sink.limit).int(sink.total).bool(sink.overflowed);
  writeSignals(w, k.signals);
  writeThreads(w, k.threads);
  writeAddressSpace(w, k.mem);
  writeFileSystem(w, k.fs);
  writeFdTable(w, k.fds);
}

/**
 * Rebuilds the kernel of a process whose core (registers, satp) and guest RAM
 * were restored already. Throws StateError on bytes that are not a state of
 * this version.
 */
export function decodeLinuxState(bytes: Uint8Array, core: ProcessCore): LinuxState {
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
  const signals = readSignals(r);
  const threads = readThreads(r, identity.pid);
  signals.thread = threads.current.signals;
  const mem = readAddressSpace(r, physicalMemory(core), ramBytes, memoryLimit);
  const fs = readFileSystem(r, contents, () => clock.now());
  const fds = readFdTable(r, fs);
  r.end();
  // A removed working directory lives on (kernel.ts releaseInode), so the cwd is always a directory.
  if (fs.inodes.get(fields.cwd)?.kind !== "dir") throw new StateError(`the working directory ${fields.cwd} is not a directory`);
  // wasm hands u64 results to JS as signed bigints.
  if (BigInt.asUintN(64, core.getSatp()) !== mem.satp || core.getPriv() !== 0) {
    throw new StateError("the core does not run this process's page tables in U-mode");
  }
  const kernel = new Kernel(core, mem, fs, fds, stdin, stdout, stderr, clock, random, signals, identity, memoryLimit);
  Object.assign(kernel, fields, { alarm, threads });
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
  const rlimits = r.list("rlimits", () => [r.range("rlimit resource", 0, RLIMIT_NLIMITS - 1), [r.u64("rlimit soft"), r.u64("rlimit hard")]] as const);
  checkAscending(rlimits.map(([resource]) => resource), "rlimit resources");
  for (const [resource, [soft, hard]] of rlimits) fields.rlimits.set(resource, [soft, hard]);
  for (const [what, map] of [["syscall counts", fields.counts], ["unsupported syscall counts", fields.unsupported]] as const) {
    const list = r.list(what, () => [r.text(`a name in ${what}`), r.count(`a count in ${what}`)] as const);
    checkAscending(list.map(([name]) => name), what);
    for (const [name, n] of list) map.set(name, n);
  }
  return { identity, memoryLimit, fields };
}

function readTime(r: StateReader, core: ProcessCore) {
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
