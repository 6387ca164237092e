// The one place that decides what a program file is, and so which machine
// runs it: the CLI (src/cli/run-command.ts) and the service
// (src/service/program.ts) both ask here. Kernel images (the RISC-V `Image`
// header) and assembly sources join this table as system mode and the
// assembler land.
import { RAM_BASE } from "./core-abi.ts";
import { checkFitsRam, ELFOSABI_LINUX, findSymbol, parseElf, type Elf } from "./elf.ts";

/** A program, parsed and classified: process mode for Linux programs, the virt board for bare-metal images. */
export type Program = { kind: ElfKind; elf: Elf };

/** Parses `bytes` as an ELF (throwing ElfError when it is not one edgevm can load) and classifies it. */
export function classifyProgram(bytes: Uint8Array): Program {
  const elf = parseElf(bytes);
  return { kind: classifyElf(elf), elf };
}

/** A bare-metal image must fit the board's RAM (throws ElfError, naming what lies outside). */
export function checkFitsBoard(elf: Elf, ramBytes: number): void {
  checkFitsRam(elf, RAM_BASE, BigInt(ramBytes));
}

export type ElfKind = "bare-metal" | "linux";

/**
 * Tells a bare-metal image (system mode: firmware, kernel, test ELF loaded at
 * physical addresses) from a Linux user program (process mode). ELF has no
 * field that says which, so this is a heuristic, applied in order:
 *  1. PT_INTERP: a dynamically linked program needs ld.so, so Linux.
 *  2. EI_OSABI GNU/Linux (3): set by the GNU toolchain when a program uses
 *     GNU extensions such as IFUNC, which static glibc programs do. Linux.
 *  3. A `tohost` symbol: the HTIF mailbox exists only on bare machines.
 *  4. Every PT_LOAD segment has its physical address at or above RAM_BASE:
 *     bare-metal (bare ELFs, OpenSBI and vmlinux all load into RAM). A Linux
 *     program is linked in low memory (ld's default is 0x10000, static-pie 0).
 *  5. Otherwise Linux.
 */
export function classifyElf(elf: Elf): ElfKind {
  if (elf.interp !== null) return "linux";
  if (elf.osabi === ELFOSABI_LINUX) return "linux";
  if (findSymbol(elf, "tohost")) return "bare-metal";
  const loaded = elf.segments.filter((s) => s.memsz > 0n);
  if (loaded.every((s) => s.paddr >= RAM_BASE)) return "bare-metal";
  return "linux";
}

