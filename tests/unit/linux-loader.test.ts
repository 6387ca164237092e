// The process-mode ELF loader (src/vm/linux/memory/loader.ts): segments with their
// permissions and zeroed bss, static-pie placement, refused programs, and the
// initial stack exactly as Linux's create_elf_tables lays it out.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseElf } from "../../src/vm/elf.ts";
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE, STACK_TOP } from "../../src/vm/linux/memory/address-space.ts";
import {
  AT_BASE,
  AT_CLKTCK,
  AT_ENTRY,
  AT_EXECFN,
  AT_HWCAP,
  AT_NULL,
  AT_PAGESZ,
  AT_PHDR,
  AT_PHENT,
  AT_PHNUM,
  AT_PLATFORM,
  AT_RANDOM,
  AT_SECURE,
  AT_UID,
  LoadError,
  loadProgram,
  SIGRETURN_TRAMPOLINE,
  STATIC_PIE_BASE,
  type ExecArgs,
} from "../../src/vm/linux/memory/loader.ts";
import { buildElf, type ElfSpec } from "../cli/elf-builder.ts";

const MiB = 1 << 20;
const enc = (s: string) => new TextEncoder().encode(s);

function newSpace(): AddressSpace {
  const ram = new Uint8Array(32 * MiB);
  return new AddressSpace({ bytes: () => ram, codeWritten: () => {}, flushTranslations: () => {}, wrote: () => {} }, ram.length, 32 * MiB);
}

const exec: ExecArgs = {
  argv: [enc("prog"), enc("first arg"), enc("")],
  envp: [enc("A=1"), enc("PATH=/bin")],
  execfn: enc("prog"),
  random: Uint8Array.from({ length: 16 }, (_, i) => 100 + i),
  uid: 0,
  gid: 0,
};

/**
 * Moves each segment's address within its page to match where elf-builder put
 * its bytes in the file: Linux (and the loader) map only congruent segments.
 */
function congruent(spec: ElfSpec): ElfSpec {
  const elf = parseElf(buildElf(spec));
  const segments = spec.segments!.map((s, i) => ({ ...s, vaddr: s.vaddr + BigInt(elf.segments[i].offset % 4096) }));
  return { ...spec, segments, entry: spec.entry ?? segments[0].vaddr };
}

/** A static executable: code in page 0x10000 (R X), data in page 0x12000 (R W) with 0x2000 bytes of bss. */
function staticSpec(): ElfSpec {
  return congruent({
    osabi: 3,
    segments: [
      { vaddr: 0x10000n, flags: 5, data: Uint8Array.from({ length: 64 }, (_, i) => i + 1) },
      { vaddr: 0x12000n, flags: 6, data: enc("initialised data"), memsz: 0x2000n },
    ],
    symbols: null,
  });
}

function stackWords(mem: AddressSpace, sp: number, count: number): bigint[] {
  const raw = mem.read(sp, count * 8)!;
  const view = new DataView(raw.buffer);
  return Array.from({ length: count }, (_, i) => view.getBigUint64(i * 8, true));
}

function cString(mem: AddressSpace, at: bigint): string {
  return new TextDecoder().decode(mem.readCString(Number(at)) as Uint8Array);
}

/** Parses argc, argv, envp and auxv from the initial stack. */
function parseStack(mem: AddressSpace, sp: number) {
  const words = stackWords(mem, sp, Math.min(64, (STACK_TOP - sp) / 8));
  const argc = Number(words[0]);
  const argv = words.slice(1, 1 + argc);
  expect(words[1 + argc], "argv ends with NULL").toBe(0n);
  let i = 2 + argc;
  const envp: bigint[] = [];
  while (words[i] !== 0n) envp.push(words[i++]);
  i++;
  const auxv = new Map<number, bigint>();
  const order: number[] = [];
  for (; ; i += 2) {
    order.push(Number(words[i]));
    if (words[i] === BigInt(AT_NULL)) break;
    auxv.set(Number(words[i]), words[i + 1]);
  }
  return { argc, argv, envp, auxv, order };
}

describe("loadProgram", () => {
  it("maps segments with their permissions, copies the data and zeroes bss", () => {
    const mem = newSpace();
    const spec = staticSpec();
    const [code, data] = spec.segments!.map((s) => Number(s.vaddr));
    const loaded = loadProgram(mem, parseElf(buildElf(spec)), exec);
    expect(loaded.entry).toBe(code);
    expect(loaded.bias).toBe(0);
    expect(mem.vmaAt(0x10000)!.prot).toBe(PROT_READ | PROT_EXEC);
    expect(mem.vmaAt(0x12000)!.prot).toBe(PROT_READ | PROT_WRITE);
    expect(mem.read(code, 4)).toEqual(Uint8Array.from([1, 2, 3, 4]));
    expect(new TextDecoder().decode(mem.read(data, 16)!)).toBe("initialised data");
    expect(mem.read(data + 16, 0x2000 - 16)!.every((b) => b === 0)).toBe(true);
    expect(mem.vmaAt(0x15000), "memsz ends the segment").toBeUndefined();
    expect(mem.brk, "the heap starts at the page after bss").toBe(0x15000);
    expect(mem.read(SIGRETURN_TRAMPOLINE, 8)).toEqual(Uint8Array.from([0x93, 0x08, 0xb0, 0x08, 0x73, 0, 0, 0]));
  });

  it("builds argc, argv, envp and auxv on a 16-byte aligned stack", () => {
    const mem = newSpace();
    const { sp, entry } = loadProgram(mem, parseElf(buildElf(staticSpec())), exec);
    expect(sp % 16).toBe(0);
    expect(sp).toBeLessThan(STACK_TOP);
    const s = parseStack(mem, sp);
    expect(s.argc).toBe(3);
    expect(s.argv.map((p) => cString(mem, p))).toEqual(["prog", "first arg", ""]);
    expect(s.envp.map((p) => cString(mem, p))).toEqual(["A=1", "PATH=/bin"]);
    // Strings in Linux's order: argv lowest, then envp, then the file name under the top 8 bytes.
    expect(s.argv[0] < s.argv[1] && s.argv[2] < s.envp[0]).toBe(true);
    expect(s.auxv.get(AT_EXECFN)).toBe(BigInt(STACK_TOP - 8 - 5));
    expect(stackWords(mem, STACK_TOP - 8, 1)).toEqual([0n]);
    expect(s.auxv.get(AT_HWCAP)).toBe(0x112dn);
    expect(s.auxv.get(AT_PAGESZ)).toBe(4096n);
    expect(s.auxv.get(AT_CLKTCK)).toBe(100n);
    expect(s.auxv.get(AT_PHENT)).toBe(56n);
    expect(s.auxv.get(AT_PHNUM)).toBe(2n);
    expect(s.auxv.get(AT_BASE)).toBe(0n);
    expect(s.auxv.get(AT_ENTRY)).toBe(BigInt(entry));
    expect(s.auxv.get(AT_UID)).toBe(0n);
    expect(s.auxv.get(AT_SECURE)).toBe(0n);
    expect(mem.read(Number(s.auxv.get(AT_RANDOM)), 16)).toEqual(exec.random);
    expect(cString(mem, s.auxv.get(AT_PLATFORM)!)).toBe("riscv64");
    expect(cString(mem, s.auxv.get(AT_EXECFN)!)).toBe("prog");
    expect(s.order).toEqual([16, 6, 17, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 23, 25, 31, 15, 0]);
  });

  it("points AT_PHDR at the program headers of a real static program", () => {
    const bytes = new Uint8Array(readFileSync("tests/guest/linux/bin/hello"));
    const elf = parseElf(bytes);
    const mem = newSpace();
    const { sp } = loadProgram(mem, elf, exec);
    const auxv = parseStack(mem, sp).auxv;
    const phoff = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(32, true));
    const phdrs = bytes.subarray(phoff, phoff + 56 * elf.programHeaders.length);
    expect(mem.read(Number(auxv.get(AT_PHDR)), phdrs.length)).toEqual(phdrs);
  });

  it("loads a static-pie at the fixed base, entry and AT_PHDR moved with it", () => {
    const bytes = new Uint8Array(readFileSync("tests/guest/linux/bin/pie"));
    const elf = parseElf(bytes);
    const mem = newSpace();
    const loaded = loadProgram(mem, elf, exec);
    expect(loaded.bias).toBe(STATIC_PIE_BASE);
    expect(loaded.entry).toBe(STATIC_PIE_BASE + Number(elf.entry));
    expect(mem.vmaAt(STATIC_PIE_BASE)!.prot & PROT_EXEC).toBe(PROT_EXEC);
    expect(parseStack(mem, loaded.sp).auxv.get(AT_PHDR)).toBe(BigInt(STATIC_PIE_BASE + 64));
  });

  it("refuses dynamic programs, entries outside code, and segments outside user space", () => {
    const refuse = (spec: ElfSpec) => () => loadProgram(newSpace(), parseElf(buildElf(spec)), exec);
    expect(refuse({ ...staticSpec(), interp: "/lib/ld-linux-riscv64-lp64d.so.1" })).toThrow(/dynamically linked.*-static/);
    expect(refuse({ ...staticSpec(), entry: 0x12000n })).toThrow(/entry point 0x12000 is not in an executable segment/);
    expect(refuse(congruent({ segments: [{ vaddr: 0x0n, data: new Uint8Array(4) }], symbols: null }))).toThrow(LoadError);
    expect(refuse(congruent({ segments: [{ vaddr: 0x3f_ffff_0000n, data: new Uint8Array(4) }], symbols: null }))).toThrow(
      /outside the user address space/,
    );
    expect(refuse({ segments: [{ vaddr: 0x10000n, data: new Uint8Array(4) }], symbols: null })).toThrow(
      /segment 0: file offset 0x78 and address 0x10000 differ modulo the page size/,
    );
  });

  it("refuses arguments larger than a quarter of the stack (E2BIG)", () => {
    const big = { ...exec, argv: [enc("x".repeat(3 * MiB))] };
    expect(() => loadProgram(newSpace(), parseElf(buildElf(staticSpec())), big)).toThrow(/E2BIG/);
  });
});
