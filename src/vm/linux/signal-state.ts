// The signals' part of the layer state: the blocked mask, the alternate
// stack, the dispositions set by rt_sigaction and the pending signals, each
// in signal-number order (delivery takes the lowest first anyway).
import { checkAscending, type StateReader, type StateWriter } from "./state-bytes.ts";
import { NSIG, SignalState, type SigAction, type SigInfo } from "./signals.ts";

export function writeSignals(w: StateWriter, s: SignalState): void {
  w.int(s.blocked).int(s.altStack.sp).int(s.altStack.size).int(s.altStack.flags);
  const actions = [...s.actions].sort(([a], [b]) => a - b);
  w.int(actions.length);
  for (const [sig, act] of actions) w.int(sig).int(act.handler).int(act.flags).int(act.mask);
  const pending = [...s.pending].sort(([a], [b]) => a - b);
  w.int(pending.length);
  for (const [sig, info] of pending) {
    if (info.signo !== sig) throw new Error(`pending signal ${sig} holds the siginfo of ${info.signo}`);
    w.int(sig).int(info.code);
    optional(w, info.addr);
    optional(w, info.pid);
  }
}

export function readSignals(r: StateReader): SignalState {
  const s = new SignalState();
  s.blocked = r.u64("blocked mask");
  s.altStack = { sp: r.num("alternate stack"), size: r.num("alternate stack size"), flags: r.num("alternate stack flags") };
  const actions = r.list("signal actions", () => {
    const sig = signo(r);
    const act: SigAction = { handler: r.u64(`signal ${sig} handler`), flags: r.u64(`signal ${sig} flags`), mask: r.u64(`signal ${sig} mask`) };
    return [sig, act] as const;
  });
  checkAscending(actions.map(([sig]) => sig), "signal actions");
  const pending = r.list("pending signals", () => {
    const sig = signo(r);
    const info: SigInfo = { signo: sig, code: r.num(`signal ${sig} code`) };
    const addr = readOptional(r, `signal ${sig} address`);
    const pid = readOptional(r, `signal ${sig} pid`);
    if (addr !== undefined) info.addr = addr;
    if (pid !== undefined) info.pid = pid;
    return [sig, info] as const;
  });
  checkAscending(pending.map(([sig]) => sig), "pending signals");
  s.actions = new Map(actions);
  s.pending = new Map(pending);
  return s;
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
