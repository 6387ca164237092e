// Command-line parsing for `edgevm`: each command's options as a table for
// options.ts. Throws usage errors (exit status 2) with one-line messages.
import { usageError } from "./cli-error.ts";
import { DEFAULT_MAX_INSNS, DEFAULT_RAM_MIB, MAX_RAM_MIB } from "./defaults.ts";
import { countOption, fileOption, parseCommand, positiveInteger, type CommandSyntax } from "./options.ts";
import { AS_USAGE, IMPORT_USAGE, RESUME_USAGE, USAGE } from "./usage.ts";
import { parseGrade, type GradeArgs } from "./grade-command.ts";

export interface RunArgs {
  command: "run";
  file: string;
  maxInsns: bigint;
  ramMiB: number;
  stats: boolean;
  /** Arguments after `--`, for the guest program (process mode passes them as argv). */
  guestArgs: string[];
  /** Process mode: a host file whose bytes are the guest's stdin (then EOF); unset = the host's stdin. */
  stdin?: string;
  /** Process mode: host files copied into the guest file system (--file GUEST=HOST); absent when none. */
  files?: { guest: string; host: string }[];
  /** Process mode: the guest's environment, "KEY=VALUE" strings in order (--env); absent when none. */
  env?: string[];
  /** Persist and restore through snapshots every N instructions (--quantum). */
  quantum?: bigint;
  /** Keep the snapshots in this directory (--store). */
  store?: string;
  /** System mode: M-mode firmware loaded at RAM base (--bios FILE), or "none". */
  bios?: string;
  /** System mode: an initrd placed in RAM and named in /chosen (--initrd FILE). */
  initrd?: string;
  /** System mode: the kernel command line, /chosen bootargs (--append "ARGS"). */
  append?: string;
  /** System mode: write the device tree the machine would get to this file and stop (--dump-dtb FILE). */
  dumpDtb?: string;
  /** Assembly sources to assemble and link first (FILE and any further *.s given before --). */
  sources?: string[];
  /** Whose environment calls ecall makes: linux (default), rars or venus (src/vm/course-abi). */
  abi?: "linux" | "rars" | "venus";
  /** Check that every .globl function restores sp and s0-s11 (src/vm/calling-convention). */
  checkCallingConvention?: boolean;
}

export interface AsArgs {
  command: "as";
  sources: string[];
  output: string;
  /** Write a relocatable object instead of a linked executable (-c, as gcc). */
  objectOnly: boolean;
}

export interface ResumeArgs {
  command: "resume";
  snapshot: string;
  store: string;
  stdin: string | null;
  maxInsns: bigint;
  quantum: bigint | null;
  stats: boolean;
}

export interface ImportArgs {
  command: "import";
  /** A bundle file, or the http(s) URL of a shared snapshot page (/s/ID). */
  source: string;
  store: string;
}

export type CliArgs = { command: "help"; usage: string } | RunArgs | ResumeArgs | ImportArgs | AsArgs | GradeArgs;

const HINT = " (see edgevm --help)";
const RESUME_HINT = " (see edgevm resume --help)";
const IMPORT_HINT = " (see edgevm import --help)";

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    return { command: "help", usage: USAGE };
  }
  if (command === "run") return parseRun(rest);
  if (command === "resume") return parseResume(rest);
  if (command === "import") return parseImport(rest);
  if (command === "as") return parseAs(rest);
  if (command === "grade") return parseGrade(rest);
  if (command.startsWith("-")) throw usageError(`unknown option ${command}${HINT}`);
  throw usageError(`unknown command '${command}'${HINT}`);
}

const RUN_SYNTAX: CommandSyntax<RunArgs> = {
  hint: HINT,
  optionPrefix: "-",
  options: {
    "--max-insns": { takesValue: true, apply: (run, v) => (run.maxInsns = countOption("--max-insns", v)) },
    "--ram": { takesValue: true, apply: (run, v) => (run.ramMiB = ramMiB(v)) },
    "--stats": { takesValue: false, apply: (run) => (run.stats = true) },
    "--stdin": { takesValue: true, apply: (run, v) => (run.stdin = fileOption("--stdin", v)) },
    "--file": { takesValue: true, apply: (run, v) => (run.files ??= []).push(fileMapping(v)) },
    "--env": { takesValue: true, apply: (run, v) => (run.env ??= []).push(envEntry(v)) },
    "--quantum": { takesValue: true, apply: (run, v) => (run.quantum = countOption("--quantum", v)) },
    "--store": { takesValue: true, apply: (run, v) => (run.store = fileOption("--store", v)) },
    "--bios": { takesValue: true, apply: (run, v) => (run.bios = fileOption("--bios", v)) },
    "--initrd": { takesValue: true, apply: (run, v) => (run.initrd = fileOption("--initrd", v)) },
    "--append": { takesValue: true, apply: (run, v) => (run.append = v) },
    "--dump-dtb": { takesValue: true, apply: (run, v) => (run.dumpDtb = fileOption("--dump-dtb", v)) },
    "--abi": { takesValue: true, apply: (run, v) => (run.abi = abiOption(v)) },
    "--check-calling-convention": { takesValue: false, apply: (run) => (run.checkCallingConvention = true) },
  },
  positional(run, arg) {
    if (run.file !== "" && !(isAssemblySource(run.file) && isAssemblySource(arg))) {
      throw usageError(`unexpected argument '${arg}' (guest arguments go after --)`);
    }
    if (run.file === "") run.file = arg;
    if (isAssemblySource(arg)) (run.sources ??= []).push(arg);
  },
  rest: (run, args) => (run.guestArgs = args),
};

function parseRun(argv: readonly string[]): CliArgs {
  const run: RunArgs = { command: "run", file: "", maxInsns: DEFAULT_MAX_INSNS, ramMiB: DEFAULT_RAM_MIB, stats: false, guestArgs: [] };
  if (parseCommand(argv, run, RUN_SYNTAX) === "help") return { command: "help", usage: USAGE };
  if (run.file === "") throw usageError(`run needs a FILE${HINT}`);
  return run;
}

const RESUME_SYNTAX: CommandSyntax<ResumeArgs> = {
  hint: RESUME_HINT,
  optionPrefix: "--",
  options: {
    "--store": { takesValue: true, apply: (r, v) => (r.store = v) },
    "--stdin": { takesValue: true, apply: (r, v) => (r.stdin = v) },
    "--quantum": { takesValue: true, apply: (r, v) => (r.quantum = countOption("--quantum", v)) },
    "--max-insns": { takesValue: true, apply: (r, v) => (r.maxInsns = countOption("--max-insns", v)) },
    "--stats": { takesValue: false, apply: (r) => (r.stats = true) },
  },
  positional(resume, arg) {
    if (resume.snapshot !== "") throw usageError(`unexpected argument '${arg}'${RESUME_HINT}`);
    resume.snapshot = arg;
  },
};

function parseResume(argv: readonly string[]): CliArgs {
  const resume: ResumeArgs = { command: "resume", snapshot: "", store: "", stdin: null, maxInsns: DEFAULT_MAX_INSNS, quantum: null, stats: false };
  if (parseCommand(argv, resume, RESUME_SYNTAX) === "help") return { command: "help", usage: RESUME_USAGE };
  if (resume.snapshot === "") throw usageError(`resume needs a SNAPSHOT_ID${RESUME_HINT}`);
  if (resume.store === "") throw usageError(`resume needs --store DIR${RESUME_HINT}`);
  return resume;
}

const IMPORT_SYNTAX: CommandSyntax<ImportArgs> = {
  hint: IMPORT_HINT,
  optionPrefix: "--",
  options: { "--store": { takesValue: true, apply: (r, v) => (r.store = v) } },
  positional(imp, arg) {
    if (imp.source !== "") throw usageError(`unexpected argument '${arg}'${IMPORT_HINT}`);
    imp.source = arg;
  },
};

function parseImport(argv: readonly string[]): CliArgs {
  const imp: ImportArgs = { command: "import", source: "", store: "" };
  if (parseCommand(argv, imp, IMPORT_SYNTAX) === "help") return { command: "help", usage: IMPORT_USAGE };
  if (imp.source === "") throw usageError(`import needs a FILE or URL${IMPORT_HINT}`);
  if (imp.store === "") throw usageError(`import needs --store DIR${IMPORT_HINT}`);
  return imp;
}

function abiOption(text: string): "linux" | "rars" | "venus" {
  if (text === "linux" || text === "rars" || text === "venus") return text;
  throw usageError(`--abi must be linux, rars or venus, not '${text}'`);
}

/** `.s` and `.S` (GNU as), `.asm` (RARS, Venus): assembled and linked before running. */
export function isAssemblySource(file: string): boolean {
  return /\.(s|S|asm)$/.test(file);
}

const AS_HINT = " (see edgevm as --help)";

const AS_SYNTAX: CommandSyntax<AsArgs> = {
  hint: AS_HINT,
  optionPrefix: "-",
  options: {
    "-o": { takesValue: true, apply: (a, v) => (a.output = fileOption("-o", v)) },
    "-c": { takesValue: false, apply: (a) => (a.objectOnly = true) },
  },
  positional: (a, arg) => a.sources.push(arg),
};

function parseAs(argv: readonly string[]): CliArgs {
  const as: AsArgs = { command: "as", sources: [], output: "", objectOnly: false };
  if (parseCommand(argv, as, AS_SYNTAX) === "help") return { command: "help", usage: AS_USAGE };
  if (as.sources.length === 0) throw usageError(`as needs at least one FILE.s${AS_HINT}`);
  if (as.output === "") throw usageError(`as needs -o OUT${AS_HINT}`);
  return as;
}

function fileMapping(text: string): { guest: string; host: string } {
  const eq = text.indexOf("=");
  if (eq < 0) throw usageError(`--file takes GUEST=HOST, not '${text}'`);
  const guest = text.slice(0, eq);
  const host = text.slice(eq + 1);
  if (!guest.startsWith("/") || guest.endsWith("/")) {
    throw usageError(`--file: the guest path must be an absolute file path, not '${guest}'`);
  }
  if (host === "") throw usageError(`--file: no host file given for ${guest}`);
  return { guest, host };
}

function envEntry(text: string): string {
  const eq = text.indexOf("=");
  if (eq <= 0) throw usageError(`--env takes KEY=VALUE, not '${text}'`);
  if (text.includes("\0")) throw usageError("--env: a value cannot contain a NUL byte");
  return text;
}

function ramMiB(text: string): number {
  const n = positiveInteger(text);
  if (n === undefined || n > BigInt(MAX_RAM_MIB)) {
    throw usageError(`--ram must be a whole number of MiB from 1 to ${MAX_RAM_MIB}, not '${text}'`);
  }
  return Number(n);
}
