// What the kernel does between two stretches of user code: on the way in (an
// ecall is a syscall; any other exception a page fault to serve or a signal)
// and on the way out (a due timer raises SIGALRM, pending signals are
// delivered). Both hosts of a process run their core through this one class:
// LinuxProcess.run (process.ts) and the snapshot layer (snapshot-layer.ts),
// so a program behaves the same however it is run or sliced.
import { RUN_SLICE } from "../bare-machine.ts";
import type { Access } from "./address-space.ts";
import { NOMINAL_HZ } from "./clock.ts";
import { ProcessExit, type ProcessCore } from "./core.ts";
import type { Kernel, Outcome } from "./kernel.ts";
import {
  BUS_ADRALN, defaultAction, ILL_ILLOPC, SEGV_ACCERR, SEGV_MAPERR, SI_KERNEL, SIG_DFL, SIG_IGN, SIGBUS, SIGILL, SIGKILL,
  SIGSEGV, SIGTRAP, TRAP_BRKPT, type SigInfo,
} from "./signals.ts";
import { dispatch } from "./syscalls.ts";

export type LinuxStatus = "exited" | "killed" | "budget" | "waiting-input" | "output-limit" | "fault";

/** Why a run stopped; every status but budget and waiting-input ends the process. */
export interface Stop {
  status: LinuxStatus;
  /** The exit code (0-255) when exited. */
  exitCode: number;
  /** The signal that killed the process when killed, else 0. */
  signal: number;
  /** Why: the fault for "fault", the signal's cause for "killed", which stream for "output-limit". */
  reason?: string;
}

const NS_PER_CYCLE = BigInt(1e9 / NOMINAL_HZ);

export class KernelEntry {
  /** Set once the process has ended (exited, killed, faulted, output limit): later runs report it again. */
  final: Stop | undefined;

  constructor(
    readonly core: ProcessCore,
    readonly kernel: Kernel,
  ) {}

  /**
   * Before the core runs user code again: raises SIGALRM if it is due and
   * delivers pending signals. A Stop when one kills the process.
   */
  returnToUser(): Stop | undefined {
    this.kernel.checkAlarm();
    return this.deliverSignals();
  }

  /** A slice no longer than RUN_SLICE, `remaining`, or the cycles until SIGALRM is due. */
  sliceBudget(remaining: bigint): bigint {
    const budget = remaining < RUN_SLICE ? remaining : RUN_SLICE;
    const alarm = this.cyclesUntilAlarm();
    return alarm !== undefined && alarm < budget ? alarm : budget;
  }

  /**
   * Cycles until SIGALRM is due, rounded up (undefined when no alarm is armed
   * in the future): the run loop ends a core slice exactly there, so the
   * signal lands on the same instruction however the run is sliced.
   */
  cyclesUntilAlarm(): bigint | undefined {
    const due = this.kernel.alarm.dueNs;
    if (due === 0n) return undefined;
    const cycles = (due - this.kernel.clock.monotonicNs() + NS_PER_CYCLE - 1n) / NS_PER_CYCLE;
    return cycles > 0n ? cycles : undefined;
  }

  /** After the core's run() returned `reason`: serves it; a Stop when the run must end. */
  enter(reason: number): Stop | undefined {
    this.kernel.checkAlarm();
    switch (reason) {
      case ProcessExit.Budget:
        return undefined;
      case ProcessExit.Ecall:
        return this.syscall();
      case ProcessExit.Trap:
        return this.trap();
      case ProcessExit.Idle:
        return this.fault("the guest waits in wfi, which a process cannot do");
      default:
        return this.fault(`the core stopped with exit reason ${reason} in process mode`);
    }
  }

  /** Records a Stop that ends the process, so that later runs report it again; returns it. */
  settle(stop: Stop): Stop {
    if (stop.status !== "budget" && stop.status !== "waiting-input") this.final = stop;
    return stop;
  }

  private syscall(): Stop | undefined {
    const core = this.core;
    const k = this.kernel;
    const nr = Number(core.getX(17));
    const args = [10, 11, 12, 13, 14, 15].map((r) => core.getX(r));
    const result = dispatch(k, nr, args);
    if (typeof result === "object") {
      const stop = this.outcome(result);
      if (stop) return stop;
    } else {
      core.setX(10, BigInt.asUintN(64, BigInt(result)));
      core.setPc(core.getPc() + 4n);
    }
    if (k.forceSignal) return killed(k.forceSignal, "a signal frame could not be restored");
    if (k.outputLimitHit) return { status: "output-limit", exitCode: 0, signal: 0, reason: `${k.outputLimitHit} exceeded ${k.stdout.limit} bytes` };
    return undefined;
  }

  private outcome(o: Outcome): Stop | undefined {
    switch (o.kind) {
      case "exit":
        return { status: "exited", exitCode: o.code, signal: 0 };
      case "wait-input":
        return { status: "waiting-input", exitCode: 0, signal: 0 };
      case "fault":
        return this.fault(o.message);
      case "restored":
        return undefined;
    }
  }

  /** An exception in U-mode: a page to fault in, or a signal. */
  private trap(): Stop | undefined {
    const cause = Number(this.core.trapCause());
    const tval = Number(this.core.trapValue());
    const pc = Number(this.core.getPc());
    const access: Access | undefined = cause === 12 ? "exec" : cause === 13 ? "read" : cause === 15 ? "write" : undefined;
    if (access) {
      const served = this.kernel.mem.populate(tval, access);
      if (served === "ok") return undefined;
      if (served === "oom") return killed(SIGKILL, `out of memory: no RAM left for a page table at 0x${tval.toString(16)}`);
      const code = this.kernel.mem.vmaAt(tval) ? SEGV_ACCERR : SEGV_MAPERR;
      return this.forceSignal({ signo: SIGSEGV, code, addr: tval }, `${access === "exec" ? "fetch" : access} at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
    }
    switch (cause) {
      case 0:
      case 4:
      case 6:
        return this.forceSignal({ signo: SIGBUS, code: BUS_ADRALN, addr: tval }, `misaligned access at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
      case 1:
      case 5:
      case 7:
        return this.forceSignal({ signo: SIGSEGV, code: SEGV_ACCERR, addr: tval }, `access fault at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
      case 2:
        return this.forceSignal({ signo: SIGILL, code: ILL_ILLOPC, addr: pc }, `illegal instruction 0x${tval.toString(16)} at pc 0x${pc.toString(16)}`);
      case 3:
        return this.forceSignal({ signo: SIGTRAP, code: TRAP_BRKPT, addr: pc }, `breakpoint at pc 0x${pc.toString(16)}`);
      default:
        return this.fault(`unexpected exception ${cause} (tval 0x${tval.toString(16)}) at pc 0x${pc.toString(16)}`);
    }
  }

  /**
   * A synchronous signal (force_sig_fault): delivered to a handler, or, when
   * blocked, ignored or defaulted, it kills the process.
   */
  private forceSignal(info: SigInfo, why: string): Stop | undefined {
    const s = this.kernel.signals;
    const act = s.action(info.signo);
    if (act.handler === SIG_DFL || act.handler === SIG_IGN || s.isBlocked(info.signo)) return killed(info.signo, why);
    if (s.deliver(info, this.core, this.kernel.mem)) return undefined;
    return killed(SIGSEGV, `${why}; the signal frame could not be written`);
  }

  /** Delivers pending signals that are not blocked; a Stop when one kills the process. */
  private deliverSignals(): Stop | undefined {
    const k = this.kernel;
    for (let info = k.signals.takeDeliverable(); info; info = k.signals.takeDeliverable()) {
      const act = k.signals.action(info.signo);
      if (act.handler === SIG_IGN) continue;
      if (act.handler === SIG_DFL) {
        const action = defaultAction(info.signo);
        // Stop signals would stop the only process for good with nobody to continue it; they are ignored.
        if (action === "ignore" || action === "stop") continue;
        return killed(info.signo, info.code === SI_KERNEL ? "raised by the kernel (a timer or a broken pipe)" : "sent by the process to itself");
      }
      const saved = k.savedMask;
      k.savedMask = undefined;
      if (!k.signals.deliver(info, this.core, k.mem, saved)) return killed(SIGSEGV, "the signal frame could not be written");
    }
    return undefined;
  }

  private fault(message: string): Stop {
    return { status: "fault", exitCode: 0, signal: 0, reason: message };
  }
}

function killed(signal: number, why: string): Stop {
  return { status: "killed", exitCode: 0, signal, reason: why };
}
