// The request and response bodies of every route, as zod schemas. They are
// the single source of truth: handlers validate with them and /openapi.json
// is generated from them, so the documentation cannot drift from the code.
import { z } from "zod";

const base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64 (RFC 4648, no line breaks)")
  .describe("base64 bytes");

export const SnapshotId = z.string().regex(/^[0-9a-f]{64}$/, "must be a snapshot id (64 lowercase hex digits)");
export const MachineId = z.string().regex(/^m_[0-9a-f]{32}$/, "must be a machine id (m_ and 32 hex digits)");

/** Console input of a run: text, or bytes in base64; `eof` ends the input stream. */
const ConsoleInput = {
  stdin: z.string().optional().describe("Bytes for the guest's standard input (console), as UTF-8 text."),
  stdinBase64: base64.optional().describe("The same as base64, for binary input; not together with stdin."),
};

const Budget = {
  maxInstructions: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Instructions this request may run (default and maximum: the service's per-request budget)."),
};

/** A program and everything it starts with. */
export const ProgramSpec = z
  .object({
    program: base64.describe("A static riscv64 Linux ELF (process mode) or a bare-metal RISC-V ELF (the virt board), base64."),
    args: z.array(z.string()).optional().describe("argv[1..] of a Linux program (argv[0] is /program)."),
    env: z.record(z.string(), z.string()).optional().describe("Environment of a Linux program."),
    files: z
      .record(z.string(), base64)
      .optional()
      .describe("Files placed in the guest file system of a Linux program, by absolute path, base64 content."),
    memoryMiB: z.number().int().positive().optional().describe("Guest RAM in MiB (default and maximum: the service's guest memory)."),
    seed: z.number().int().nonnegative().optional().describe("Seed of the guest's randomness (getrandom, AT_RANDOM). Default 0."),
  })
  .strict();

export const JobRequest = ProgramSpec.extend({ ...ConsoleInput, ...Budget }).strict();

export const MachineFromProgram = ProgramSpec.extend({ ...ConsoleInput }).strict();

export const CreateMachineRequest = z.union([
  MachineFromProgram,
  z.object({ snapshot: SnapshotId.describe("Start from this snapshot (a shared one, or another machine's head).") }).strict(),
]);

export const StepRequest = z
  .object({
    ...ConsoleInput,
    eof: z
      .boolean()
      .optional()
      .describe("No more input after this: a read at the end of it returns end-of-file (Linux programs; a bare-metal program's UART has no end-of-file, so it is ignored there)."),
    ...Budget,
  })
  .strict();

export const Status = z
  .enum(["running", "waiting-input", "exited", "halted", "fault"])
  .describe("running: budget spent, resumable; waiting-input: blocked on the console; exited / halted: done; fault: cannot go on.");

export const RunResult = z.object({
  status: Status,
  exitCode: z.number().int().nullable().describe("The guest's exit status when exited or halted."),
  signal: z.number().int().nullable().describe("The signal that killed a Linux program (exitCode is then 128 + signal)."),
  reason: z.string().optional().describe("Why: the fault, or what raised the signal that killed the program."),
  stdout: z.string().describe("Output of this request (UTF-8; invalid bytes replaced). System-mode machines write their console here."),
  stderr: z.string().describe("A Linux program's standard error in this request."),
  outputTruncated: z.boolean().describe("Output beyond the service's output limit was dropped from this answer."),
  instructions: z.number().int().describe("Instructions the guest retired in this request."),
  snapshot: SnapshotId.describe("The snapshot after this request: GET /s/{snapshot} shows it, POST /s/{snapshot}/run reruns from it."),
  parent: SnapshotId.nullable().describe("The snapshot the request started from (null for a new program)."),
});

export const JobResult = RunResult.extend({
  machine: z
    .object({ id: MachineId, url: z.string() })
    .optional()
    .describe("Present (status 202) when the guest has not finished: step this machine to continue."),
});

export const MachineView = z.object({
  id: MachineId,
  head: SnapshotId,
  version: z.number().int().describe("Moves of the head so far."),
  status: Status,
  exitCode: z.number().int().nullable(),
  signal: z.number().int().nullable(),
  reason: z.string().optional(),
  console: z.object({
    bytes: z.number().int().describe("Console bytes the machine ever wrote."),
    tail: z.string().describe("The last 8 KiB of them."),
  }),
  snapshotUrl: z.string(),
});

export const StepResult = RunResult.extend({ machine: MachineView });

export const SharedSnapshot = z.object({
  id: SnapshotId,
  format: z.string(),
  version: z.number().int(),
  mode: z.enum(["system", "process"]),
  ramBytes: z.number().int(),
  status: Status,
  exitCode: z.number().int().nullable(),
  signal: z.number().int().nullable(),
  reason: z.string().optional(),
  console: z.object({ bytes: z.number().int(), tail: z.string() }),
  memory: z.object({ chunkBytes: z.number().int(), chunks: z.number().int(), stored: z.number().int() }),
  parents: z.array(SnapshotId).describe("Ancestors, nearest first (as far as lineage metadata is kept, at most 32)."),
  runUrl: z.string(),
});

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

export type JobRequest = z.infer<typeof JobRequest>;
export type ProgramSpec = z.infer<typeof ProgramSpec>;
export type StepRequest = z.infer<typeof StepRequest>;
export type RunResult = z.infer<typeof RunResult>;
export type MachineView = z.infer<typeof MachineView>;
export type SharedSnapshot = z.infer<typeof SharedSnapshot>;
