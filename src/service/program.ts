// From a request's program spec to a machine that has not run yet: decode
// and check the ELF, let src/vm/program-kind.ts tell a Linux program (process
// mode) from a bare-metal image (the virt board), and apply the service's limits on the way.
import type { InitialMachine, SnapshotOptions } from "../snapshot/index.ts";
import { MachineError } from "../vm/core-abi.ts";
import { ElfError } from "../vm/elf.ts";
import { checkFitsBoard, classifyProgram, type Program } from "../vm/program-kind.ts";
import { LoadError } from "../vm/linux/memory/loader.ts";
import { prepareLinuxMachine as prepareLinux } from "../vm/linux/linux-layer.ts";
import type { ServiceConfig } from "./config.ts";
import { ApiError } from "./errors.ts";
import type { ProgramSpec } from "./schemas.ts";

export interface ProgramStart {
  /** Console input given with the program: a Linux program's stdin, a bare-metal program's UART input. */
  stdin: Uint8Array;
  /** Whether stdin ends after those bytes (a job) or more may come with later steps (a machine). */
  stdinClosed: boolean;
}

/** A program spec whose program and files are base64 (JSON bodies) or already bytes (multipart bodies). */
export type ProgramInput = Omit<ProgramSpec, "program" | "files"> & {
  program: string | Uint8Array;
  files?: Record<string, string | Uint8Array>;
};

export async function initialMachine(
  spec: ProgramInput,
  start: ProgramStart,
  config: ServiceConfig,
  options: SnapshotOptions,
): Promise<InitialMachine> {
  const program = typeof spec.program === "string" ? decodeBase64(spec.program, "program") : spec.program;
  if (program.length > config.maxProgramBytes) {
    throw new ApiError(413, "program_too_large", `the program has ${program.length} bytes; the limit is ${config.maxProgramBytes}`);
  }
  const memoryMiB = spec.memoryMiB ?? config.guestMemoryMiB;
  if (memoryMiB > config.guestMemoryMiB) {
    throw new ApiError(400, "memory_too_large", `memoryMiB ${memoryMiB} is above the limit of ${config.guestMemoryMiB}`);
  }
  const files = Object.entries(spec.files ?? {});
  if (files.length > config.maxFiles) {
    throw new ApiError(400, "too_many_files", `${files.length} files; the limit is ${config.maxFiles}`);
  }
  for (const [path] of files) checkGuestPath(path);
  let classified: Program;
  try {
    classified = classifyProgram(program);
  } catch (e) {
    if (e instanceof ElfError) throw new ApiError(400, "not_elf", `the program is not a RISC-V 64-bit ELF: ${e.message}`);
    throw e;
  }
  const ramBytes = memoryMiB * (1 << 20);
  const elf = classified.elf;
  if (classified.kind === "bare-metal") {
    const linuxOnly = ["args", "env", "files", "seed"].filter((k) => spec[k as keyof ProgramInput] !== undefined);
    if (linuxOnly.length > 0) {
      throw new ApiError(400, "not_a_linux_program", `a bare-metal program takes no ${linuxOnly.join(", ")}`);
    }
    try {
      checkFitsBoard(elf, ramBytes);
    } catch (e) {
      if (e instanceof ElfError) throw new ApiError(400, "program_does_not_fit", e.message);
      throw e;
    }
    // A UART has no end of input, so stdinClosed has nothing to tell it.
    return { kind: "elf", program: elf, ramBytes, ...(start.stdin.length > 0 && { console: start.stdin }) };
  }
  try {
    return await prepareLinux(options.core, program, {
      args: ["/program", ...(spec.args ?? [])],
      env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      files: files.map(([path, content]) => ({
        path,
        data: typeof content === "string" ? decodeBase64(content, `files[${JSON.stringify(path)}]`) : content,
      })),
      stdin: start.stdin,
      stdinClosed: start.stdinClosed,
      seed: spec.seed ?? 0,
      memoryLimit: ramBytes,
      outputLimit: config.maxOutputBytes,
      exePath: "/program",
    });
  } catch (e) {
    if (e instanceof LoadError) throw new ApiError(400, "invalid_program", e.message);
    if (e instanceof MachineError && e.kind === "config") throw new ApiError(400, "invalid_config", e.message);
    throw e;
  }
}

/**
 * A file's guest path: absolute and canonical, naming a file rather than a
 * directory ("/", "/a/"), with no empty, "." or ".." parts, so that one
 * path means one file however the guest's file system resolves it.
 */
function checkGuestPath(path: string): void {
  const parts = path.split("/").slice(1);
  if (!path.startsWith("/") || path.includes("\0") || parts.some((part) => part === "" || part === "." || part === "..")) {
    throw new ApiError(400, "invalid_file", `files: ${JSON.stringify(path)} is not an absolute path of a file (no trailing "/", no empty, "." or ".." parts)`);
  }
}

// RFC 4648 section 4 base64, canonical (section 3.5): padded to a multiple
// of four, and the bits the padding leaves over are zero. atob follows the
// WHATWG forgiving decoder, which also takes unpadded text, whitespace and
// nonzero leftover bits, so one byte string would have many spellings.
// (Checked by hand: a regular expression with a repeated group overflows
// V8's backtrack stack on a body of a few megabytes.)
const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function isCanonicalBase64(text: string): boolean {
  if (text.length % 4 !== 0 || !BASE64_ALPHABET.test(text)) return false;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  if (padding === 0) return true;
  // The last digit before "==" carries 2 bits of data and 4 spare; before "=", 4 and 2.
  const last = BASE64_DIGITS.indexOf(text[text.length - padding - 1]!);
  return (last & (padding === 2 ? 0b1111 : 0b11)) === 0;
}

/** Base64 to bytes; atob is native in Workers and far faster than decoding in script. */
export function decodeBase64(text: string, what: string): Uint8Array {
  let binary: string;
  try {
    if (!isCanonicalBase64(text)) throw new Error("not canonical");
    binary = atob(text);
  } catch {
    throw new ApiError(400, "invalid_base64", `${what} is not canonical base64 (RFC 4648: padded with "=" to a multiple of 4 characters, no line breaks)`);
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
