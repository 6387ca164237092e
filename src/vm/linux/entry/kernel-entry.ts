// What the kernel does between two stretches of user code: on the way in (an
// ecall is a syscall; any other exception a page fault to serve or a signal)
// and on the way out (a due timer raises SIGALRM, the scheduler picks the
// thread to run, pending signals are delivered). Both hosts of a process run
// their core through this one class:
// LinuxProcess.run (process.ts) and the snapshot layer (snapshot-layer.ts),
// so a program behaves the same however it is run or sliced.
import type { Access } from "../memory/address-space.ts";
import { RUN_SLICE, RunExit, TrapCause, type CoreExports } from "../../core-abi.ts";
import type { Kernel, Outcome } from "../kernel.ts";
import { endProcess, wakeAll } from "../tasks/processes.ts";
import { block, cyclesUntilEvent, schedule } from "../tasks/scheduler.ts";
import {
  BUS_ADRALN, defaultAction, ILL_ILLOPC, SEGV_ACCERR, SEGV_MAPERR, SI_KERNEL, SIG_DFL, SIG_IGN, SIGBUS, SIGILL, SIGKILL,
  SIGSEGV, SIGTRAP, TRAP_BRKPT, type SigInfo,
} from "../signals/signals.ts";
import { dispatch } from "./syscall-table.ts";
import { courseCall, type CourseAbi } from "../../course-abi/index.ts";

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

export class KernelEntry {
  /** Set once the process has ended (exited, killed, faulted, output limit): later runs report it again. */
  final: Stop | undefined;

  constructor(
    readonly core: CoreExports,
    readonly kernel: Kernel,
  ) {}

  /**
   * Before the core runs user code again: raises SIGALRM if it is due, lets
   * the scheduler put a runnable thread on the hart, and delivers that
   * thread's pending signals. A Stop when the process waits for input, is
   * deadlocked, or a signal kills it.
   */
  returnToUser(): Stop | undefined {
    for (;;) {
      this.kernel.checkAlarm();
      const stop = this.fatal() ?? this.schedule() ?? this.fatal() ?? this.deliverSignals();
      if (!this.childEnded(stop)) return stop;
    }
  }

  /**
   * A process other than the first one exited or was killed: it becomes a
   * zombie for its parent (processes.ts) and the hart goes on with another,
   * where the first one's end would end the run.
   */
  private childEnded(stop: Stop | undefined): boolean {
    const k = this.kernel;
    if (!stop || (stop.status !== "exited" && stop.status !== "killed") || k.identity.pid === k.initialPid) return false;
    endProcess(k, stop.status === "exited" ? (stop.exitCode & 0xff) << 8 : stop.signal & 0x7f);
    return true;
  }

  /** A slice no longer than RUN_SLICE, `remaining`, or the cycles until the next event (cyclesUntilEvent). */
  sliceBudget(remaining: bigint): bigint {
    const budget = remaining < RUN_SLICE ? remaining : RUN_SLICE;
    const event = this.cyclesUntilEvent();
    return event !== undefined && event < budget ? event : budget;
  }

  /**
   * Cycles until the kernel must act (SIGALRM due, the slice of the running
   * thread ends while another waits, a blocked thread's timeout), rounded
   * up; undefined when nothing is due. The run loop ends a core slice
   * exactly there, so that these land on the same instruction however the
   * run is sliced.
   */
  cyclesUntilEvent(): bigint | undefined {
    return cyclesUntilEvent(this.kernel);
  }

  /** After the core's run() returned `reason`: serves it; a Stop when the run must end. */
  enter(reason: number): Stop | undefined {
    this.kernel.checkAlarm();
    let stop: Stop | undefined;
    switch (reason) {
      case RunExit.Budget:
        break;
      case RunExit.Ecall:
        stop = this.syscall();
        break;
      case RunExit.Trap:
        stop = this.trap();
        break;
      case RunExit.Idle:
        return this.fault("the guest waits in wfi, which a process cannot do");
      default:
        return this.fault(`the core stopped with exit reason ${reason} in process mode`);
    }
    // Scheduling at once keeps a live thread on the hart (after an exit) and stops a run that cannot go on right there.
    for (;;) {
      stop = stop ?? this.fatal() ?? this.schedule() ?? this.fatal();
      if (!this.childEnded(stop)) return stop;
      stop = undefined;
    }
  }

  /** A signal sent to some thread whose default action ends the process (signalThread): it ends now. */
  private fatal(): Stop | undefined {
    const info = this.kernel.fatalSignal;
    if (!info) return undefined;
    this.kernel.fatalSignal = undefined;
    return killed(info.signo, killedBecause(info));
  }

  /** The scheduler's verdict as a Stop: waiting for input, or a deadlock. */
  private schedule(): Stop | undefined {
    const idle = schedule(this.kernel);
    if (!idle) return undefined;
    if (idle.kind === "waiting-input") return { status: "waiting-input", exitCode: 0, signal: 0 };
    return this.fault(idle.message);
  }

  /** Records a Stop that ends the process, so that later runs report it again; returns it. */
  settle(stop: Stop): Stop {
    if (stop.status !== "budget" && stop.status !== "waiting-input") this.final = stop;
    return stop;
  }

  private syscall(): Stop | undefined {
    const core = this.core;
    const k = this.kernel;
    if (k.abi !== "linux") return this.environmentCall(k.abi);
    const nr = Number(core.getX(17));
    const args = [10, 11, 12, 13, 14, 15].map((r) => core.getX(r));
    const thread = k.thread;
    const result = dispatch(k, nr, args);
    if (typeof result === "object") {
      const stop = this.outcome(result);
      if (stop) return stop;
    } else {
      core.setX(10, BigInt.asUintN(64, BigInt(result)));
      core.setPc(core.getPc() + 4n);
    }
    if (typeof result !== "object" || result.kind !== "block") thread.restartDeadline = undefined;
    // A call that completed may have changed what calls waiting to be made again wait for (a pipe).
    if (typeof result !== "object" || result.kind !== "block" || result.wait.kind !== "retry") wakeAll(k);
    if (k.forceSignal) return killed(k.forceSignal, "a signal frame could not be restored");
    if (k.outputLimitHit) return { status: "output-limit", exitCode: 0, signal: 0, reason: `${k.outputLimitHit} exceeded ${k.stdout.limit} bytes` };
    return undefined;
  }

  /** An ecall of a course ABI (src/vm/course-abi): results in a0/a1/fa0, or none; counted by name. */
  private environmentCall(abi: CourseAbi): Stop | undefined {
    const core = this.core;
    const k = this.kernel;
    const number = abi === "rars" ? core.getX(17) : core.getX(10);
    const name = `${abi}_${BigInt.asIntN(32, number)}`;
    const result = courseCall(abi, k, core);
    if (result && "kind" in result) {
      if (result.kind !== "block") k.counts.set(name, (k.counts.get(name) ?? 0) + 1);
      if (result.kind === "fault") k.unsupported.set(name, (k.unsupported.get(name) ?? 0) + 1);
      return this.outcome(result);
    }
    k.counts.set(name, (k.counts.get(name) ?? 0) + 1);
    if (result && "a0" in result) core.setX(10, result.a0);
    if (result && "a1" in result) core.setX(11, result.a1);
    if (result && "fa0" in result) core.setF(10, result.fa0);
    core.setPc(core.getPc() + 4n);
    wakeAll(k);
    if (k.outputLimitHit) return { status: "output-limit", exitCode: 0, signal: 0, reason: `${k.outputLimitHit} exceeded ${k.stdout.limit} bytes` };
    return undefined;
  }

  private outcome(o: Outcome): Stop | undefined {
    switch (o.kind) {
      case "exit":
        return { status: "exited", exitCode: o.code, signal: 0 };
      case "block":
        block(this.kernel, o.wait);
        return undefined;
      case "fault":
        return this.fault(o.message);
      case "thread-exit":
      case "restored":
        return undefined;
    }
  }

  /** An exception in U-mode: a page to fault in, or a signal. */
  private trap(): Stop | undefined {
    const cause = Number(this.core.trapCause());
    const tval = Number(this.core.trapValue());
    const pc = Number(this.core.getPc());
    const access: Access | undefined =
      cause === TrapCause.InstructionPage ? "exec" : cause === TrapCause.LoadPage ? "read" : cause === TrapCause.StorePage ? "write" : undefined;
    if (access) {
      const served = this.kernel.mem.populate(tval, access);
      if (served === "ok") return undefined;
      if (served === "oom") return killed(SIGKILL, `out of memory: no RAM left for the page at 0x${tval.toString(16)} or its page table`);
      const code = this.kernel.mem.vmaAt(tval) ? SEGV_ACCERR : SEGV_MAPERR;
      return this.forceSignal({ signo: SIGSEGV, code, addr: tval }, `${access === "exec" ? "fetch" : access} at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
    }
    switch (cause) {
      case TrapCause.InstructionMisaligned:
      case TrapCause.LoadMisaligned:
      case TrapCause.StoreMisaligned:
        return this.forceSignal({ signo: SIGBUS, code: BUS_ADRALN, addr: tval }, `misaligned access at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
      case TrapCause.InstructionAccess:
      case TrapCause.LoadAccess:
      case TrapCause.StoreAccess:
        return this.forceSignal({ signo: SIGSEGV, code: SEGV_ACCERR, addr: tval }, `access fault at 0x${tval.toString(16)}, pc 0x${pc.toString(16)}`);
      case TrapCause.IllegalInstruction:
        return this.forceSignal({ signo: SIGILL, code: ILL_ILLOPC, addr: pc }, `illegal instruction 0x${tval.toString(16)} at pc 0x${pc.toString(16)}`);
      case TrapCause.Breakpoint:
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

  /** Delivers the running thread's pending signals that it does not block; a Stop when one kills the process. */
  private deliverSignals(): Stop | undefined {
    const k = this.kernel;
    const stop = this.deliverPending();
    // rt_sigsuspend's mask comes back once no handler frame saved it (restore_saved_sigmask).
    const t = k.thread;
    if (!stop && t.savedMask !== undefined) {
      k.signals.setBlocked(t.savedMask);
      t.savedMask = undefined;
    }
    return stop;
  }

  private deliverPending(): Stop | undefined {
    const k = this.kernel;
    for (let info = k.signals.takeDeliverable(); info; info = k.signals.takeDeliverable()) {
      const act = k.signals.action(info.signo);
      if (act.handler === SIG_IGN) continue;
      if (act.handler === SIG_DFL) {
        const action = defaultAction(info.signo);
        // Stop signals would stop the only process for good with nobody to continue it; they are ignored.
        if (action === "ignore" || action === "stop") continue;
        return killed(info.signo, killedBecause(info));
      }
      const saved = k.thread.savedMask;
      k.thread.savedMask = undefined;
      if (!k.signals.deliver(info, this.core, k.mem, saved)) return killed(SIGSEGV, "the signal frame could not be written");
    }
    return undefined;
  }

  private fault(message: string): Stop {
    return { status: "fault", exitCode: 0, signal: 0, reason: message };
  }
}

function killedBecause(info: SigInfo): string {
  return info.code === SI_KERNEL ? "raised by the kernel (a timer or a broken pipe)" : "sent by the process to itself";
}

function killed(signal: number, why: string): Stop {
  return { status: "killed", exitCode: 0, signal, reason: why };
}
