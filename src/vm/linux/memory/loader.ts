// Loads a static (or static-pie) riscv64 Linux ELF into an address space and
// builds the initial stack the way Linux's binfmt_elf does (fs/binfmt_elf.c,
// create_elf_tables): strings at the top, then the platform string and
// AT_RANDOM bytes, then argc, argv[], envp[] and the auxiliary vector from a
// 16-byte aligned sp.
import {
  AddressSpace,
  MMAP_BASE,
  MMAP_MIN,
  PAGE_SIZE,
  pageDown,
  pageUp,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  STACK_SIZE,
  STACK_TOP,
  TASK_SIZE,
} from "./address-space.ts";
import { ET_DYN, ET_EXEC, PF_R, PF_W, PF_X, type Elf, type ProgramHeader } from "../../elf.ts";

/** A program that cannot run in process mode; the message is one line. */
export class LoadError extends Error {
  override name = "LoadError";
}

/**
 * Where a static-pie (ET_DYN) program is loaded: Linux's ELF_ET_DYN_BASE for
 * riscv64 (2/3 of TASK_SIZE, page aligned) with address randomization off,
 * so every run uses the same addresses.
 */
export const STATIC_PIE_BASE = 0x2a_aaaa_a000;

/** A page with `li a7, 139; ecall` (rt_sigreturn) that signal handlers return to, as the vDSO provides on Linux. */
export const SIGRETURN_TRAMPOLINE = MMAP_BASE;
const TRAMPOLINE_CODE = new Uint8Array([0x93, 0x08, 0xb0, 0x08, 0x73, 0x00, 0x00, 0x00]);

/** What Linux reports in AT_HWCAP for RV64GC: one bit per single-letter extension, I M A F D C. */
export const HWCAP_RV64GC = ["I", "M", "A", "F", "D", "C"].reduce((m, l) => m | (1 << (l.charCodeAt(0) - 65)), 0);
export const CLOCK_TICKS_PER_SECOND = 100;
/** Bytes of argv and envp strings accepted (Linux allows a quarter of the stack limit). */
const MAX_ARG_BYTES = STACK_SIZE / 4;

// Auxiliary vector keys (include/uapi/linux/auxvec.h).
export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_EXECFN = 31;

export interface ExecArgs {
  /** argv strings (bytes, without NUL). */
  argv: Uint8Array[];
  /** envp strings "K=V" (bytes, without NUL). */
  envp: Uint8Array[];
  /** The executed file name as given (AT_EXECFN). */
  execfn: Uint8Array;
  /** 16 bytes for AT_RANDOM. */
  random: Uint8Array;
  uid: number;
  gid: number;
}

export interface LoadedProgram {
  entry: number;
  sp: number;
  /** The offset added to every p_vaddr (0 for ET_EXEC). */
  bias: number;
  /** Address of the program headers in memory (AT_PHDR). */
  phdr: number;
}

/** Checks that the ELF is a program process mode can run; throws LoadError otherwise. */
export function checkLinuxProgram(elf: Elf): void {
  if (elf.interp !== null) {
    throw new LoadError(`dynamically linked (interpreter ${elf.interp}); process mode runs static programs: link with -static`);
  }
  if (elf.type !== ET_EXEC && elf.type !== ET_DYN) throw new LoadError(`ELF type ${elf.type} is not an executable`);
  const bias = elf.type === ET_DYN ? loadBias(elf) : 0;
  for (const s of elf.segments) {
    if (s.memsz === 0n) continue;
    // Linux maps segments from the file page by page (elf_map): an offset that
    // is not congruent to the address modulo the page size cannot be mapped.
    if ((Number(s.vaddr) - s.offset) % PAGE_SIZE !== 0) {
      throw new LoadError(
        `segment ${s.index}: file offset 0x${s.offset.toString(16)} and address 0x${s.vaddr.toString(16)} differ modulo the page size, so Linux cannot map it`,
      );
    }
    const start = Number(s.vaddr) + bias;
    const end = start + Number(s.memsz);
    if (!Number.isSafeInteger(end) || start < MMAP_MIN || end > MMAP_BASE) {
      throw new LoadError(
        `segment ${s.index} at 0x${start.toString(16)}-0x${end.toString(16)} lies outside the user address space ` +
          `0x${MMAP_MIN.toString(16)}-0x${MMAP_BASE.toString(16)}`,
      );
    }
  }
  const entry = Number(elf.entry) + bias;
  const inText = elf.segments.some((s) => s.flags & PF_X && entry >= Number(s.vaddr) + bias && entry < Number(s.vaddr + s.memsz) + bias);
  if (!inText) throw new LoadError(`entry point 0x${entry.toString(16)} is not in an executable segment`);
}

function loadBias(elf: Elf): number {
  const align = elf.segments.reduce((a, s) => Math.max(a, Number(s.align)), PAGE_SIZE);
  const first = elf.segments.reduce((a, s) => Math.min(a, pageDown(Number(s.vaddr))), TASK_SIZE);
  const base = STATIC_PIE_BASE - (STATIC_PIE_BASE % align);
  return base - first;
}

/** Maps the segments, the stack and the sigreturn page; returns where to start. Throws LoadError. */
export function loadProgram(space: AddressSpace, elf: Elf, exec: ExecArgs): LoadedProgram {
  checkLinuxProgram(elf);
  const bias = elf.type === ET_DYN ? loadBias(elf) : 0;
  let brk = 0;
  let mappedEnd = 0;
  const segments = elf.segments.filter((s) => s.memsz > 0n).sort((a, b) => (a.vaddr < b.vaddr ? -1 : 1));
  for (const s of segments) {
    const vaddr = Number(s.vaddr) + bias;
    const start = pageDown(vaddr);
    const end = pageUp(vaddr + Number(s.memsz));
    const prot = protOf(s);
    // A page shared with the previous segment keeps its contents and gets both protections.
    let from = start;
    if (start < mappedEnd) {
      from = Math.min(end, mappedEnd);
      space.protect(start, from, (space.vmaAt(start)?.prot ?? 0) | prot);
    }
    if (from < end && space.map(from, end, prot, "elf", true) !== 0) {
      throw new LoadError(`the program's segments need more memory than the limit (${formatMiB(space.limitPages * PAGE_SIZE)})`);
    }
    space.poke(vaddr, elf.bytes.subarray(s.offset, s.offset + s.filesz));
    mappedEnd = Math.max(mappedEnd, end);
    brk = Math.max(brk, end);
  }
  space.initBrk(brk);
  if (space.map(SIGRETURN_TRAMPOLINE, SIGRETURN_TRAMPOLINE + PAGE_SIZE, PROT_READ | PROT_EXEC, "sigreturn", true) !== 0) {
    throw new LoadError("no memory for the signal trampoline");
  }
  space.poke(SIGRETURN_TRAMPOLINE, TRAMPOLINE_CODE);
  if (space.map(STACK_TOP - STACK_SIZE, STACK_TOP, PROT_READ | PROT_WRITE, "stack") !== 0) {
    throw new LoadError(`the ${formatMiB(STACK_SIZE)} stack does not fit the memory limit`);
  }
  const phdr = phdrAddress(elf, bias);
  const entry = Number(elf.entry) + bias;
  const sp = buildStack(space, exec, [
    [AT_HWCAP, HWCAP_RV64GC],
    [AT_PAGESZ, PAGE_SIZE],
    [AT_CLKTCK, CLOCK_TICKS_PER_SECOND],
    [AT_PHDR, phdr],
    [AT_PHENT, 56],
    [AT_PHNUM, elf.programHeaders.length],
    [AT_BASE, 0],
    [AT_FLAGS, 0],
    [AT_ENTRY, entry],
    [AT_UID, exec.uid],
    [AT_EUID, exec.uid],
    [AT_GID, exec.gid],
    [AT_EGID, exec.gid],
    [AT_SECURE, 0],
  ]);
  return { entry, sp, bias, phdr };
}

function protOf(s: ProgramHeader): number {
  return (s.flags & PF_R ? PROT_READ : 0) | (s.flags & PF_W ? PROT_WRITE : 0) | (s.flags & PF_X ? PROT_EXEC : 0);
}

/** AT_PHDR: the PT_PHDR segment, else where the loaded image holds the file's program header table. */
function phdrAddress(elf: Elf, bias: number): number {
  const pt = elf.programHeaders.find((p) => p.type === 6);
  if (pt) return Number(pt.vaddr) + bias;
  const phoff = Number(new DataView(elf.bytes.buffer, elf.bytes.byteOffset).getBigUint64(32, true));
  for (const s of elf.segments) {
    if (phoff >= s.offset && phoff < s.offset + s.filesz) return Number(s.vaddr) + bias + (phoff - s.offset);
  }
  return 0;
}

/**
 * Writes the initial stack below STACK_TOP and returns sp. From the top
 * down: an 8-byte zero end marker, the file name, the envp strings, the argv
 * strings, the platform string, 16 random bytes; then, 16-byte aligned,
 * argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
 */
function buildStack(space: AddressSpace, exec: ExecArgs, aux: [number, number][]): number {
  const stringBytes = [...exec.argv, ...exec.envp].reduce((n, s) => n + s.length + 1, 0);
  if (stringBytes > MAX_ARG_BYTES) throw new LoadError(`arguments and environment exceed ${MAX_ARG_BYTES} bytes (E2BIG)`);
  let p = STACK_TOP - 8;
  const put = (bytes: Uint8Array): number => {
    p -= bytes.length + 1;
    space.poke(p, withNul(bytes));
    return p;
  };
  const execfn = put(exec.execfn);
  const envp = [...exec.envp].reverse().map(put).reverse();
  const argv = [...exec.argv].reverse().map(put).reverse();
  p -= p % 16;
  const platform = put(new TextEncoder().encode("riscv64"));
  p -= 16;
  space.poke(p, exec.random);
  const random = p;
  const auxv: [number, number][] = [...aux, [AT_RANDOM, random], [AT_EXECFN, execfn], [AT_PLATFORM, platform], [AT_NULL, 0]];
  const words = [argv.length, ...argv, 0, ...envp, 0, ...auxv.flat()];
  const below = p - words.length * 8;
  const sp = below - (below % 16);
  const table = new Uint8Array(words.length * 8);
  const view = new DataView(table.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, BigInt(w), true));
  space.poke(sp, table);
  return sp;
}

function withNul(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

function formatMiB(bytes: number): string {
  return `${Math.round(bytes / (1 << 20))} MiB`;
}
