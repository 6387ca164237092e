// One request's worth of guest execution: quantum after quantum through
// step(), until the guest stops, waits for input, spends the request's budget
// or fills the request's output allowance. Every quantum is a full
// restore-run-persist, so whatever happens to the request, the last snapshot
// is a complete machine and nothing the guest did is lost.
import {
  isStopped, step, type InitialMachine, type ObjectId, type ObjectStore, type SnapshotOptions,
} from "../snapshot/index.ts";
import type { MachineStatus } from "../vm/guest-layer.ts";
import { concatBytes } from "../vm/bytes.ts";
import type { ServiceConfig } from "./config.ts";
import type { RunResult } from "./schemas.ts";
import { snapshotProblem } from "./snapshot-reads.ts";

export interface RunContext {
  store: ObjectStore;
  options: SnapshotOptions;
  config: ServiceConfig;
}

export interface RunInput {
  console?: Uint8Array;
  /** No console input follows: reads at the end see end-of-file. */
  consoleEnd?: boolean;
}

export async function runQuanta(
  source: ObjectId | InitialMachine,
  input: RunInput,
  budget: number,
  ctx: RunContext,
): Promise<RunResult> {
  const stdout = new OutputCollector(ctx.config.maxOutputBytes);
  const stderr = new OutputCollector(ctx.config.maxOutputBytes);
  let current = source;
  let parent: ObjectId | null = null;
  let status: MachineStatus = { kind: "running" };
  let instructions = 0;
  let remaining = budget;
  let first = true;
  do {
    const quantum = Math.min(remaining, ctx.config.quantumInstructions);
    const r = await stepChecked(current, first ? input : {}, quantum, ctx);
    if (first) parent = r.parent;
    first = false;
    current = r.snapshotId;
    status = r.status;
    instructions += r.counters.instructions;
    for (const segment of r.segments) (segment.stream === "stderr" ? stderr : stdout).add(segment.bytes);
    // A quantum that used nothing (a machine that cannot go on) must not loop forever.
    if (r.counters.cycles === 0) break;
    remaining -= r.counters.cycles;
  } while (remaining > 0 && status.kind === "running" && !stdout.full && !stderr.full);
  return {
    ...statusFields(status),
    stdout: stdout.text(),
    stderr: stderr.text(),
    outputTruncated: stdout.truncated || stderr.truncated,
    instructions,
    snapshot: current as ObjectId,
    parent,
  };
}

/** The status, exit code and reason fields of an answer. */
export function statusFields(status: MachineStatus): Pick<RunResult, "status" | "exitCode" | "signal" | "reason"> {
  const exitCode = status.kind === "exited" || status.kind === "halted" ? status.exitCode : null;
  const signal = status.kind === "exited" && status.signal !== undefined ? status.signal : null;
  const reason = status.kind === "fault" || status.kind === "exited" ? status.reason : undefined;
  return { status: status.kind, exitCode, signal, ...(reason !== undefined && { reason }) };
}

export function finished(status: RunResult["status"]): boolean {
  return isStopped({ kind: status } as MachineStatus);
}

async function stepChecked(source: ObjectId | InitialMachine, input: RunInput, budget: number, ctx: RunContext) {
  try {
    return await step(source, input, BigInt(budget), ctx.store, ctx.options);
  } catch (e) {
    throw await snapshotProblem(e, typeof source === "string" ? source : null, ctx.store);
  }
}

/** Output up to a cap; what is beyond it is counted, not kept. */
class OutputCollector {
  private parts: Uint8Array[] = [];
  private kept = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  get full(): boolean {
    return this.kept >= this.cap;
  }

  add(bytes: Uint8Array): void {
    const room = this.cap - this.kept;
    if (bytes.length > room) this.truncated = true;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    if (part.length === 0) return;
    this.parts.push(part);
    this.kept += part.length;
  }

  text(): string {
    return new TextDecoder().decode(concatBytes(this.parts));
  }
}
