// Grading's view of the layers below: what a submission is (a static Linux
// program, a bare-metal ELF; assembly sources and kernels are hooks for
// issues 15 and 12), how one is booted into the snapshot every test of a
// launch forks from, and what can be read back from a machine after a test
// (registers, files, memory at a symbol). The one module of src/grade that
// imports src/vm and the snapshot layer's machine internals.
import {
  LiveMachine, readChunk, readManifest, type InitialMachine, type ObjectId, type ObjectStore, type SnapshotOptions,
} from "../snapshot/index.ts";
import { MachineError } from "../vm/core-abi.ts";
import { checkFitsRam, ElfError, findSymbol, parseElf, type Elf } from "../vm/elf.ts";
import type { GuestLayer, GuestLayerCodec, MachineStatus } from "../vm/guest-layer.ts";
import { ROOT_INO } from "../vm/linux/files/fs.ts";
import { LinuxLayer, linuxLayerCodec, prepareLinuxMachine } from "../vm/linux/linux-layer.ts";
import { LoadError } from "../vm/linux/memory/loader.ts";
import { signalName } from "../vm/linux/signals/signals.ts";
import { classifyElf } from "../vm/program-kind.ts";
import { GradeError } from "./errors.ts";

export { LiveMachine, signalName, type MachineStatus, type ObjectId, type ObjectStore, type SnapshotOptions };

/** The guest-OS layers grading restores (the snapshot options of a grading host). */
export const gradeLayers: readonly GuestLayerCodec[] = [linuxLayerCodec];

export type SubmissionKind = "linux" | "bare-metal" | "assembly" | "kernel";

/** A submission as it arrives: one file (an ELF, or .s source), or a kernel with a disk image. */
export type SubmissionInput =
  | { kind?: undefined; bytes: Uint8Array; name?: string }
  | { kind: "kernel"; kernel: Uint8Array; disk?: Uint8Array };

export interface Submission {
  kind: "linux" | "bare-metal";
  /** The program that runs (for assembly sources, the ELF they assembled to). */
  bytes: Uint8Array;
  elf: Elf;
  /** What was submitted, as it came (the report's sha256 is of these bytes). */
  submitted: Uint8Array;
  /** The submission was assembly source that `assemble` turned into `bytes`. */
  assembled: boolean;
}

/**
 * The hook for the assembler (issue 15): assembly sources in, a linked RISC-V
 * ELF out; a GradeError (invalid_submission, with the assembler's
 * diagnostics in its message) for sources that do not assemble. A host that
 * has the assembler passes one; without it assembly is unsupported_submission.
 */
export type Assemble = (sources: { name: string; text: string }[]) => Promise<Uint8Array>;

/**
 * Tells what a submission is. Assembly sources go through `assemble` (and
 * then the rest of grading treats the ELF like any other, registers and
 * memory included); kernels need the virt board (issue 12: boot them with
 * their disk and drive the console with the test's steps) and are refused
 * with `unsupported_submission` until it lands.
 */
export async function readSubmission(input: SubmissionInput, assemble?: Assemble): Promise<Submission> {
  if (input.kind === "kernel") {
    throw new GradeError("unsupported_submission", "kernel + disk submissions need the virt board (issue 12), which this build does not have yet");
  }
  const submitted = input.bytes;
  const isElf = submitted.length >= 4 && submitted[0] === 0x7f && submitted[1] === 0x45 && submitted[2] === 0x4c && submitted[3] === 0x46;
  let bytes = submitted;
  let assembled = false;
  if (!isElf) {
    const isAssembly = input.name?.endsWith(".s") || input.name?.endsWith(".S") || looksLikeAssembly(submitted);
    if (!isAssembly) throw new GradeError("invalid_submission", "the submission is not an ELF file (nor assembly source)");
    if (!assemble) {
      throw new GradeError("unsupported_submission", "assembly sources need edgevm's assembler (issue 15), which this build does not have yet; submit the linked ELF");
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(submitted);
    } catch {
      throw new GradeError("invalid_submission", "the assembly source is not UTF-8 text");
    }
    bytes = await assemble([{ name: input.name ?? "submission.s", text }]);
    assembled = true;
  }
  let elf: Elf;
  try {
    elf = parseElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new GradeError("invalid_submission", `the submission is not a RISC-V 64-bit ELF: ${e.message}`);
    throw e;
  }
  return { kind: classifyElf(elf), bytes, elf, submitted, assembled };
}

function looksLikeAssembly(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return /^\s*\.(text|globl|global|section|data|option|attribute)\b/m.test(head) && !head.includes("\0");
}

/** What a test's start depends on besides stdin: tests that share it fork from one booted snapshot. */
export interface Launch {
  args: string[];
  env: Record<string, string>;
  files: { path: string; data: Uint8Array }[];
  ramMiB: number;
  /** Cap of what a Linux program may write to stdout, and to stderr. */
  outputLimit: number;
}

/** The machine of a launch before its first instruction. Throws GradeError for a program that cannot start. */
export async function bootLaunch(submission: Submission, launch: Launch, options: SnapshotOptions): Promise<InitialMachine> {
  const ramBytes = launch.ramMiB * (1 << 20);
  if (submission.kind === "bare-metal") {
    try {
      checkFitsRam(submission.elf, 0x8000_0000n, BigInt(ramBytes));
    } catch (e) {
      if (e instanceof ElfError) throw new GradeError("invalid_submission", e.message);
      throw e;
    }
    return { kind: "elf", program: submission.elf, ramBytes };
  }
  try {
    return await prepareLinuxMachine(options.core, submission.bytes, {
      args: ["/program", ...launch.args],
      // Sorted: the environment block is part of the start state, so its order must not depend on how the suite spelled it.
      env: Object.keys(launch.env).sort().map((k) => `${k}=${launch.env[k]}`),
      files: launch.files,
      stdin: new Uint8Array(0),
      stdinClosed: false,
      seed: 0,
      memoryLimit: ramBytes,
      outputLimit: launch.outputLimit,
      exePath: "/program",
    });
  } catch (e) {
    if (e instanceof LoadError) throw new GradeError("invalid_submission", `the program cannot be loaded: ${e.message}`);
    if (e instanceof MachineError) throw new GradeError("invalid_submission", e.message);
    throw e;
  }
}

/** A restored machine with its guest layer in reach (the snapshot layer keeps it private). */
export interface RestoredMachine {
  machine: LiveMachine;
  layer: GuestLayer | null;
}

export async function restoreMachine(store: ObjectStore, id: ObjectId, options: SnapshotOptions): Promise<RestoredMachine> {
  let layer: GuestLayer | null = null;
  const layers = (options.layers ?? gradeLayers).map((codec) => ({
    ...codec,
    decode: async (...args: Parameters<GuestLayerCodec["decode"]>) => (layer = await codec.decode(...args)),
  }));
  const machine = await LiveMachine.restore(store, id, { ...options, layers });
  return { machine, layer };
}

/** A guest file's bytes after a run (Linux programs); null when there is no regular file at `path`. */
export function guestFile(layer: GuestLayer | null, path: string): Uint8Array | null {
  if (!(layer instanceof LinuxLayer)) return null;
  const fs = layer.kernel.fs;
  const ino = fs.resolve(ROOT_INO, path);
  if (ino < 0) return null;
  const inode = fs.get(ino);
  return inode.kind === "file" ? inode.data.slice(0, inode.size) : null;
}

/** Where a symbol's words live, or a GradeError naming what is missing. */
export function symbolAddress(submission: Submission, symbol: string): bigint {
  const found = findSymbol(submission.elf, symbol);
  if (!found) {
    const why = submission.elf.symbols.length === 0 ? "the ELF has no symbol table (stripped?)" : "no such symbol in the ELF";
    throw new GradeError("wrong_submission_kind", `expect.memory: ${JSON.stringify(symbol)}: ${why}`);
  }
  return found.value;
}

/** `count` little-endian 32-bit words of a stored snapshot's RAM at physical address `paddr` (bare-metal machines). */
export async function readWords(store: ObjectStore, id: ObjectId, paddr: bigint, count: number): Promise<number[] | null> {
  const { manifest } = await readManifest(store, id);
  const offset = paddr - 0x8000_0000n;
  if (offset < 0n || offset + BigInt(count * 4) > BigInt(manifest.machine.ramBytes)) return null;
  const bytes = new Uint8Array(count * 4);
  const start = Number(offset);
  const chunkBytes = manifest.chunkBytes;
  for (let c = Math.floor(start / chunkBytes); c * chunkBytes < start + bytes.length; c++) {
    const ref = manifest.memory[c];
    if (ref === null || ref === undefined) continue; // a zero chunk
    const length = Math.min(chunkBytes, manifest.machine.ramBytes - c * chunkBytes);
    const { content } = await readChunk(store, ref, length);
    const from = Math.max(start, c * chunkBytes);
    const to = Math.min(start + bytes.length, c * chunkBytes + length);
    bytes.set(content.subarray(from - c * chunkBytes, to - c * chunkBytes), from - start);
  }
  const view = new DataView(bytes.buffer);
  return Array.from({ length: count }, (_, i) => view.getUint32(i * 4, true));
}
