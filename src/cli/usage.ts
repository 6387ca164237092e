// The help texts of the edgevm command: every option and every exit status.
import { DEFAULT_MAX_INSNS, DEFAULT_RAM_MIB, MAX_RAM_MIB } from "./defaults.ts";

const SNAPSHOT_RUN_USAGE = `  --quantum N     persist the machine and restore it afresh every N instructions
                  (snapshots, as the service runs it); the final snapshot does
                  not depend on N
  --store DIR     keep the snapshots in directory DIR (created if needed); with
                  --stats, "snapshot" is the final snapshot id and bytesRead /
                  bytesWritten count the store traffic of every quantum
`;

export const USAGE = `Usage: edgevm run FILE [options] [-- guest-args...]
       edgevm run FILE.s... [options] [-- guest-args...]

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
- assembly sources (FILE.s, .S or .asm, one or more) are assembled and
  linked first, as \`edgevm as\` does; the program then runs as above.
  Assembler errors are printed as file:line:col: error: ... and edgevm exits
  with status 2 without running anything.

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
  --bios FILE|none
                  system mode: M-mode firmware (ELF, or raw at 0x80000000) that
                  boots the kernel, as QEMU's -bios; "none" (the default): the
                  kernel is entered in M-mode at its entry point
  --initrd FILE   system mode: an initrd, placed as QEMU places it and named in
                  the device tree's /chosen (linux,initrd-start/end)
  --append ARGS   system mode: the kernel command line (/chosen bootargs, at
                  most 4096 bytes)
  --dump-dtb FILE system mode: write the device tree (DTB) the machine would
                  get, with the --ram, --bios, --initrd and --append given, to
                  FILE and exit 0 without running (compare it with
                  qemu-system-riscv64 -machine virt,dumpdtb=FILE); --bios,
                  --initrd and --append are used by --dump-dtb only, for now
  --abi linux|rars|venus
                  whose environment calls ecall makes (process mode): Linux's
                  syscalls (default), RARS's (a7 = 1 print_int, 4 print_string,
                  5 read_int, 8 read_string, 10 exit, 11 print_char, 34
                  print_hex, 9 sbrk, 17/93 exit with a0...) or Venus's (a0 =
                  the call, a1 its argument). Assembly sources are then laid
                  out as that tool does (RARS: .text 0x00400000, .data
                  0x10010000, gp 0x10008000; Venus: .data 0x10000000) and
                  start at main; its dialect (.asciiz, .eqv, .macro
                  name(%a) ... .end_macro) is accepted without a warning
  --check-calling-convention
                  process mode: check, as Venus's -cc does, that every .globl
                  function restores sp and s0-s11 before it returns; each
                  violation is reported with the function, the register and
                  the returning instruction (runs one instruction at a time:
                  slower)
${SNAPSHOT_RUN_USAGE}  --stats         print statistics as the last line on stderr, one JSON object:
                  {"instructions", "seconds" (guest execution), "mips",
                   "hostSeconds" (including loading), "status", "exitCode"};
                  Linux programs add "signal", "syscalls" (counts by name)
                  and "unsupportedSyscalls"; with --quantum or --store also
                  "snapshot", the final snapshot id, and the store traffic
  -h, --help      show this help

       edgevm resume SNAPSHOT_ID --store DIR [options]   (see edgevm resume --help)
       edgevm import FILE|URL --store DIR                (see edgevm import --help)
       edgevm as FILE.s... -o OUT [-c]                   (see edgevm as --help)
       edgevm grade SUITE SUBMISSION|DIR/ [options]      (see edgevm grade --help)

Exit status:
  0-255  the guest's exit code (bare metal: a code above 255 is reported
         modulo 256, or 1 when that would be 0)
  128+N  the Linux program was killed by signal N (139 for SIGSEGV), as a
         shell reports it
  0      also: --dump-dtb wrote the device tree
  2      bad usage or input (unknown option, unreadable file, not an RV64 ELF,
         segments outside RAM, a dynamically linked program, boot images that
         do not fit RAM or overlap, a file --dump-dtb cannot write)
  123    --check-calling-convention found a violation (the program ran to its end)
  124    the guest reached --max-insns
  125    edgevm could not go on (the guest waits in wfi with nothing to wake
         it, deadlocks, exceeds an output cap, a core fault, an internal error)
`;

export const RESUME_USAGE = `Usage: edgevm resume SNAPSHOT_ID --store DIR [options]

Continues a machine stored by \`edgevm run --store DIR\` (or by an earlier resume)
from snapshot SNAPSHOT_ID, printing its console output (a Linux program's stdout
and stderr apart), and stores the result.

Options:
  --store DIR     the snapshot directory (required)
  --stdin FILE    a Linux program's stdin: FILE's bytes follow what it has not
                  read yet, then end-of-file (- for edgevm's stdin); without
                  --stdin, a program that waits for input reads edgevm's stdin.
                  A bare-metal program gets FILE's bytes on its UART (which
                  has no end-of-file)
  --max-insns N   run at most N more instructions (default ${DEFAULT_MAX_INSNS}); exits with 124
  --quantum N     persist and restore every N instructions
  --stats         print statistics as the last line on stderr (see edgevm run --stats)
  -h, --help      show this help

Exit status: as for edgevm run; a stopped machine reports its exit code again.
`;

export const IMPORT_USAGE = `Usage: edgevm import FILE|URL --store DIR

Stores a snapshot in directory DIR (created if needed), to run it with
\`edgevm resume SNAPSHOT_ID --store DIR\`. FILE is a snapshot bundle (the
machine page's "Download snapshot", or GET /s/SNAPSHOT_ID/bundle); URL is a
shared machine's address (https://HOST/s/SNAPSHOT_ID), whose bundle is
fetched. Every object is checked against its id before it is stored. Prints
the snapshot id.

Options:
  --store DIR     the snapshot directory (required)
  -h, --help      show this help

Exit status:
  0      imported
  2      bad usage, an unreadable file, a bundle that fails its checks, or a
         URL that does not answer with one
  125    an internal error
`;

export const AS_USAGE = `Usage: edgevm as FILE.s... -o OUT [-c]

Assembles RISC-V assembly in GNU as syntax (RV64GC, RVC and linker
relaxation on, as riscv64-unknown-elf-gcc runs as) and links a static
executable laid out like riscv64-unknown-elf-ld's default script: .text at
0x10000 plus the headers, __global_pointer$, __bss_start, _edata and _end
defined. The entry point is _start, else main (with a warning). Files that
another file .includes (and .inc or .h files) are not assembled on their own.

Options:
  -o OUT      write the executable (or, with -c, the object) to OUT
  -c          write an ELF relocatable object instead (one FILE only)
  -h, --help  show this help

Errors and warnings are printed as file:line:col: error: message, all of a
file's errors at once.

Exit status:
  0  OUT written
  1  the sources have errors (nothing is written)
  2  bad usage or input (unknown option, unreadable file)
`;
