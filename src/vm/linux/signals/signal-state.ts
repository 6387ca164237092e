// The signals' part of the layer state: the dispositions set by rt_sigaction
// and the signals pending for the whole process, each in signal-number order
// (delivery takes the lowest first anyway). The per-thread part (mask,
// alternate stack, the thread's own pending signals) is in thread-state.ts,
// with the same encoding of a pending list.
import { checkAscending, type StateReader, type StateWriter } from "../state-bytes.ts";
import { NSIG, SignalState, type SigAction, type SigInfo } from "./signals.ts";

export function writeSignals(w: StateWriter, s: SignalState): void {
  const actions = [...s.actions].sort(([a], [b]) => a - b);
  w.int(actions.length);
  for (const [sig, act] of actions) w.int(sig).int(act.handler).int(act.flags).int(act.mask);
  writePending(w, s.shared);
}

/** A SignalState with the process's part; its `thread` is the scheduler's to set. */
export function readSignals(r: StateReader): SignalState {
  const s = new SignalState();
  const actions = r.list("signal actions", () => {
    const sig = signo(r);
    const act: SigAction = { handler: r.u64(`signal ${sig} handler`), flags: r.u64(`signal ${sig} flags`), mask: r.u64(`signal ${sig} mask`) };
    return [sig, act] as const;
  });
  checkAscending(actions.map(([sig]) => sig), "signal actions");
  s.actions = new Map(actions);
  s.shared = readPending(r, "pending signals of the process");
  return s;
}

export function writePending(w: StateWriter, pending: Map<number, SigInfo>): void {
  const sorted = [...pending].sort(([a], [b]) => a - b);
  w.int(sorted.length);
  for (const [sig, info] of sorted) {
    if (info.signo !== sig) throw new Error(`pending signal ${sig} holds the siginfo of ${info.signo}`);
    w.int(sig).int(info.code);
    optional(w, info.addr);
    optional(w, info.pid);
    w.bool(info.value !== undefined);
    if (info.value !== undefined) w.int(info.value);
  }
}

export function readPending(r: StateReader, what: string): Map<number, SigInfo> {
  const pending = r.list(what, () => {
    const sig = signo(r);
    const info: SigInfo = { signo: sig, code: r.num(`signal ${sig} code`) };
    const addr = readOptional(r, `signal ${sig} address`);
    const pid = readOptional(r, `signal ${sig} pid`);
    if (addr !== undefined) info.addr = addr;
    if (pid !== undefined) info.pid = pid;
    if (r.bool(`signal ${sig} value present`)) info.value = r.u64(`signal ${sig} value`);
    return [sig, info] as const;
  });
  checkAscending(pending.map(([sig]) => sig), what);
  return new Map(pending);
}

function signo(r: StateReader): number {
  return r.range("signal number", 1, NSIG);
}

function optional(w: StateWriter, v: number | undefined): void {
  if (v === undefined) w.int(0);
  else w.int(1).int(v);
}

function readOptional(r: StateReader, what: string): number | undefined {
  return r.bool(`${what} present`) ? r.num(what) : undefined;
}
