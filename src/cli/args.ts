// Command-line parsing for `edgevm`. Throws usage errors (exit status 2) with one-line messages.
import { usageError } from "./cli-error.ts";
import { DEFAULT_MAX_INSNS } from "./defaults.ts";
import { GRADE_USAGE, parseGradeArgs, type GradeArgs } from "./grade-command.ts";
import { parseQuantum, parseResumeArgs, RESUME_USAGE, SNAPSHOT_RUN_USAGE, type ResumeArgs } from "./snapshot-run.ts";

export { DEFAULT_MAX_INSNS };
export const DEFAULT_RAM_MIB = 128;
/** The core takes the RAM size in bytes as a u32. */
// The core tracks at most 2 GiB of guest RAM (one flag byte per page, docs/core.md).
export const MAX_RAM_MIB = 2048;

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
}

export type CliArgs = { command: "help"; usage: string } | RunArgs | ResumeArgs | GradeArgs;

export const USAGE = `Usage: edgevm run FILE [options] [-- guest-args...]

Runs a RISC-V RV64 ELF program on the edgevm emulator core. The kind of FILE
picks the mode:
- a static riscv64 Linux program (riscv64-linux-gnu-gcc -static) runs in
  process mode, like qemu-riscv64: argv is FILE then the guest args, the
  environment is empty unless --env adds to it, its stdout and stderr go to
  edgevm's stdout and stderr, and edgevm exits with its exit status. Its
  files live in an in-memory file system (/tmp writable, /dev/null, ...).
- a bare-metal ELF is loaded at its physical addresses in RAM (0x80000000
  up), like QEMU's "-machine virt -bios none -kernel FILE". Its console (UART
  and HTIF) goes to stdout, and edgevm exits with the guest's exit code.

Options:
  --max-insns N   stop after N instructions (default ${DEFAULT_MAX_INSNS}, so that a
                  runaway guest ends); exits with status 124
  --ram MiB       guest RAM in MiB, 1 to ${MAX_RAM_MIB} (default ${DEFAULT_RAM_MIB}); for a
                  Linux program, its memory limit (at most 2048)
  --stdin FILE    Linux programs: read stdin from FILE (default: edgevm's stdin)
  --file GUEST=HOST
                  Linux programs: copy the host file HOST to the absolute
                  guest path GUEST before the start (repeatable)
  --env KEY=VALUE Linux programs: add to the guest environment (repeatable);
                  environ lists them last first, as qemu-riscv64 does
${SNAPSHOT_RUN_USAGE}  --stats         print statistics as the last line on stderr, one JSON object:
                  {"instructions", "seconds" (guest execution), "mips",
                   "hostSeconds" (including loading), "status", "exitCode"};
                  Linux programs add "signal", "syscalls" (counts by name)
                  and "unsupportedSyscalls"; with --quantum or --store also
                  "snapshot", the final snapshot id, and the store traffic
  -h, --help      show this help

       edgevm resume SNAPSHOT_ID --store DIR [options]   (see edgevm resume --help)
       edgevm grade SUITE SUBMISSION|DIR/ [options]      (see edgevm grade --help)

Exit status:
  0-255  the guest's exit code (bare metal: a code above 255 is reported
         modulo 256, or 1 when that would be 0)
  128+N  the Linux program was killed by signal N (139 for SIGSEGV), as a
         shell reports it
  2      bad usage or input (unknown option, unreadable file, not an RV64 ELF,
         segments outside RAM, a dynamically linked program)
  124    the guest reached --max-insns
  125    edgevm could not go on (the guest waits in wfi with nothing to wake
         it, deadlocks, exceeds an output cap, a core fault, an internal error)
`;

const HINT = " (see edgevm --help)";

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    return { command: "help", usage: USAGE };
  }
  if (command === "run") return parseRun(rest);
  if (command === "resume") {
    const resume = parseResumeArgs(rest);
    return resume.command === "help" ? { command: "help", usage: RESUME_USAGE } : resume;
  }
  if (command === "grade") {
    const grade = parseGradeArgs(rest);
    return grade.command === "help" ? { command: "help", usage: GRADE_USAGE } : grade;
  }
  if (command.startsWith("-")) throw usageError(`unknown option ${command}${HINT}`);
  throw usageError(`unknown command '${command}'${HINT}`);
}

function parseRun(argv: readonly string[]): CliArgs {
  const run: RunArgs = {
    command: "run",
    file: "",
    maxInsns: DEFAULT_MAX_INSNS,
    ramMiB: DEFAULT_RAM_MIB,
    stats: false,
    guestArgs: [],
  };
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      run.guestArgs = argv.slice(i + 1);
      break;
    }
    if (arg === "-h" || arg === "--help") return { command: "help", usage: USAGE };
    if (arg.startsWith("-") && arg !== "-") {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      const value = (): string => {
        if (inline !== undefined) return inline;
        const next = argv[++i];
        if (next === undefined) throw usageError(`${name} needs a value${HINT}`);
        return next;
      };
      switch (name) {
        case "--max-insns":
          run.maxInsns = parseMaxInsns(value());
          break;
        case "--ram":
          run.ramMiB = parseRamMiB(value());
          break;
        case "--stats":
          if (inline !== undefined) throw usageError(`--stats takes no value${HINT}`);
          run.stats = true;
          break;
        case "--stdin":
          run.stdin = parseNonEmpty("--stdin", value());
          break;
        case "--file":
          (run.files ??= []).push(parseFileMapping(value()));
          break;
        case "--env":
          (run.env ??= []).push(parseEnv(value()));
          break;
        case "--quantum":
          run.quantum = parseQuantum(value());
          break;
        case "--store":
          run.store = parseNonEmpty("--store", value());
          break;
        default:
          throw usageError(`unknown option ${name}${HINT}`);
      }
      continue;
    }
    if (file !== undefined) throw usageError(`unexpected argument '${arg}' (guest arguments go after --)`);
    file = arg;
  }
  if (file === undefined || file === "") throw usageError(`run needs a FILE${HINT}`);
  run.file = file;
  return run;
}

/** Decimal digits, optionally grouped with underscores (10_000_000). */
function parsePositive(text: string): bigint | undefined {
  if (!/^[0-9]+(_[0-9]+)*$/.test(text)) return undefined;
  const n = BigInt(text.replaceAll("_", ""));
  return n > 0n ? n : undefined;
}

function parseMaxInsns(text: string): bigint {
  const n = parsePositive(text);
  if (n === undefined || n >= 1n << 64n) throw usageError(`--max-insns must be a positive integer, not '${text}'`);
  return n;
}

function parseNonEmpty(name: string, text: string): string {
  if (text === "") throw usageError(`${name} needs a file name`);
  return text;
}

function parseFileMapping(text: string): { guest: string; host: string } {
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

function parseEnv(text: string): string {
  const eq = text.indexOf("=");
  if (eq <= 0) throw usageError(`--env takes KEY=VALUE, not '${text}'`);
  if (text.includes("\0")) throw usageError("--env: a value cannot contain a NUL byte");
  return text;
}

function parseRamMiB(text: string): number {
  const n = parsePositive(text);
  if (n === undefined || n > BigInt(MAX_RAM_MIB)) {
    throw usageError(`--ram must be a whole number of MiB from 1 to ${MAX_RAM_MIB}, not '${text}'`);
  }
  return Number(n);
}
