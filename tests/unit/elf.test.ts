import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkFitsRam,
  ElfError,
  findSymbol,
  parseElf,
  physicalEntry,
  PF_R,
  PF_W,
  PF_X,
  PT_LOAD,
  segmentData,
} from "../../src/vm/elf.ts";
import { RAM_BASE } from "../../src/vm/core-abi.ts";
import { classifyElf } from "../../src/vm/program-kind.ts";
import { bareSpec, buildElf, ELF_HEADER, patched, type ElfSpec } from "../cli/elf-builder.ts";

const RAM_128M = 128n << 20n;

function elfError(bytes: Uint8Array): string {
  try {
    parseElf(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    return (e as Error).message;
  }
  throw new Error("parseElf accepted the file");
}

function fitError(spec: ElfSpec, ramBytes = RAM_128M): string {
  try {
    checkFitsRam(parseElf(buildElf(spec)), RAM_BASE, ramBytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    return (e as Error).message;
  }
  throw new Error("checkFitsRam accepted the file");
}

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("parseElf", () => {
  it("reads the header, segments, sections and symbols of a built ELF", () => {
    const code = Uint8Array.from([1, 2, 3, 4]);
    const elf = parseElf(
      buildElf({
        entry: 0x8000_0002n,
        segments: [
          { vaddr: 0x8000_0000n, flags: PF_R | PF_X, data: code },
          { vaddr: 0x8000_1000n, flags: PF_R | PF_W, data: Uint8Array.from([9]), memsz: 0x100n },
        ],
        symbols: [{ name: "tohost", value: 0x8000_1000n, size: 8n }, { name: "fromhost", value: 0x8000_1040n }],
      }),
    );
    expect(elf.type).toBe(2);
    expect(elf.osabi).toBe(0);
    expect(elf.flags).toBe(5);
    expect(elf.entry).toBe(0x8000_0002n);
    expect(elf.interp).toBeNull();
    expect(elf.segments.map((s) => [s.type, s.vaddr, s.paddr, s.filesz, s.memsz, s.flags])).toEqual([
      [PT_LOAD, 0x8000_0000n, 0x8000_0000n, 4, 4n, PF_R | PF_X],
      [PT_LOAD, 0x8000_1000n, 0x8000_1000n, 1, 0x100n, PF_R | PF_W],
    ]);
    expect(segmentData(elf, elf.segments[0])).toEqual(code);
    expect(elf.sections.map((s) => s.name)).toEqual(["", ".symtab", ".strtab", ".shstrtab"]);
    expect(findSymbol(elf, "tohost")).toMatchObject({ value: 0x8000_1000n, size: 8n, type: 1, bind: 1 });
    expect(findSymbol(elf, "fromhost")?.value).toBe(0x8000_1040n);
    expect(findSymbol(elf, "missing")).toBeUndefined();
  });

  it("ignores undefined symbols when looking one up", () => {
    const elf = parseElf(buildElf({ ...bareSpec(), symbols: [{ name: "tohost", value: 0n, shndx: 0 }] }));
    expect(findSymbol(elf, "tohost")).toBeUndefined();
  });

  it("accepts a file without section headers (no symbols)", () => {
    const elf = parseElf(buildElf({ ...bareSpec(), symbols: null }));
    expect(elf.sections).toEqual([]);
    expect(elf.symbols).toEqual([]);
  });

  it("reads PT_INTERP", () => {
    const elf = parseElf(buildElf({ interp: "/lib/ld-linux-riscv64-lp64d.so.1", segments: [{ vaddr: 0x10000n, data: new Uint8Array(8) }] }));
    expect(elf.interp).toBe("/lib/ld-linux-riscv64-lp64d.so.1");
    expect(elf.programHeaders).toHaveLength(2);
    expect(elf.segments).toHaveLength(1);
  });

  it("reads the program header count from section 0 under extended numbering", () => {
    const bytes = buildElf(bareSpec());
    const view = new DataView(bytes.buffer);
    const shoff = Number(view.getBigUint64(ELF_HEADER.shoff, true));
    const ext = patched(bytes, (v) => {
      v.setUint16(ELF_HEADER.phnum, 0xffff, true);
      v.setUint32(shoff + 44, 1, true);
    });
    expect(parseElf(ext).segments).toHaveLength(1);
  });
});

describe("parseElf errors", () => {
  const good = buildElf(bareSpec());
  const header = (patch: (v: DataView) => void) => elfError(patched(good, patch));

  it("rejects files that are not ELF", () => {
    expect(elfError(new Uint8Array(0))).toBe("not an ELF file (bad magic)");
    expect(elfError(new TextEncoder().encode("#!/bin/sh\necho hi\n"))).toBe("not an ELF file (bad magic)");
    expect(header((v) => v.setUint8(3, 0x47))).toBe("not an ELF file (bad magic)");
  });

  it("rejects a truncated ELF header", () => {
    expect(elfError(good.subarray(0, 10))).toBe("truncated: the ELF header needs 64 bytes, the file has 10");
    expect(elfError(good.subarray(0, 40))).toBe("truncated: the ELF header needs 64 bytes, the file has 40");
  });

  it("rejects other classes, byte orders and versions", () => {
    expect(header((v) => v.setUint8(4, 1))).toBe("ELF is 32-bit; edgevm runs RV64");
    expect(header((v) => v.setUint8(4, 7))).toBe("ELF class 7 is invalid (expected 2, 64-bit)");
    expect(header((v) => v.setUint8(5, 2))).toBe("ELF is big-endian; RISC-V is little-endian");
    expect(header((v) => v.setUint8(5, 0))).toBe("ELF data encoding 0 is invalid (expected 1, little-endian)");
    expect(header((v) => v.setUint8(6, 0))).toBe("ELF version 0 is not supported (expected 1)");
    expect(header((v) => v.setUint32(20, 2, true))).toBe("ELF version 2 is not supported (expected 1)");
  });

  it("rejects other machines, naming the common ones", () => {
    expect(header((v) => v.setUint16(18, 62, true))).toBe("ELF machine is x86-64 (62), not RISC-V");
    expect(header((v) => v.setUint16(18, 183, true))).toBe("ELF machine is AArch64 (183), not RISC-V");
    expect(header((v) => v.setUint16(18, 999, true))).toBe("ELF machine 999 is not RISC-V (243)");
  });

  it("rejects files that are not executables", () => {
    expect(header((v) => v.setUint16(16, 1, true))).toBe("ELF is a relocatable object (.o), not an executable; link it first");
    expect(header((v) => v.setUint16(16, 4, true))).toBe("ELF is a core dump, not an executable");
    expect(header((v) => v.setUint16(16, 0xfe00, true))).toBe("ELF type 65024 is not an executable");
  });

  it("accepts ET_DYN (PIE and static-pie)", () => {
    expect(parseElf(patched(good, (v) => v.setUint16(16, 3, true))).type).toBe(3);
  });

  it("rejects a bad program header table", () => {
    expect(header((v) => v.setUint16(ELF_HEADER.phnum, 0, true))).toBe("ELF has no program headers");
    expect(header((v) => v.setUint16(ELF_HEADER.phentsize, 32, true))).toBe("ELF program header size is 32, expected 56");
    const three = buildElf({
      segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(64) }, { vaddr: 0x8000_1000n }, { vaddr: 0x8000_2000n }],
    });
    expect(elfError(three.subarray(0, 64 + 56 * 2 + 10))).toBe("truncated: program header 2 extends past end of file");
    expect(elfError(patched(good, (v) => v.setBigUint64(ELF_HEADER.phoff, 1n << 62n, true)))).toBe(
      "truncated: program header 0 extends past end of file",
    );
  });

  it("rejects segments whose file bytes are missing", () => {
    const bytes = buildElf({ segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(16), offset: 0x10_0000n, memsz: 0x20n }] });
    expect(elfError(bytes)).toBe("truncated: segment 0 (file bytes 0x100000-0x100010) extends past end of file");
    const cut = buildElf({ segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(4096) }], symbols: null });
    expect(elfError(cut.subarray(0, 1000))).toMatch(/^truncated: segment 0 \(file bytes 0x78-0x1078\) extends past end of file$/);
  });

  it("rejects inconsistent segments", () => {
    expect(elfError(buildElf({ segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(32), memsz: 16n }] }))).toBe(
      "segment 0 has a file size (0x20) larger than its memory size (0x10)",
    );
    expect(elfError(buildElf({ segments: [{ vaddr: 0xffff_ffff_ffff_f000n, memsz: 0x2000n }] }))).toBe(
      "segment 0 at 0xfffffffffffff000 (0x2000 bytes) wraps around the address space",
    );
    const overlapping = buildElf({
      segments: [
        { vaddr: 0x8000_0000n, memsz: 0x2000n },
        { vaddr: 0x8000_1000n, memsz: 0x1000n },
      ],
    });
    expect(elfError(overlapping)).toBe("segments 0 and 1 overlap at 0x80001000");
    expect(elfError(buildElf({ segments: [{ type: 4, vaddr: 0n, memsz: 0x10n }] }))).toBe("ELF has no loadable segments");
    expect(elfError(buildElf({ segments: [{ vaddr: 0x8000_0000n, memsz: 0n }] }))).toBe("ELF has no loadable segments");
  });

  it("rejects bad section headers and symbol tables", () => {
    const shoff = Number(new DataView(good.buffer).getBigUint64(ELF_HEADER.shoff, true));
    expect(elfError(good.subarray(0, good.length - 10))).toBe("truncated: section header 3 extends past end of file");
    expect(header((v) => v.setUint16(ELF_HEADER.shentsize, 40, true))).toBe("ELF section header size is 40, expected 64");
    expect(header((v) => v.setUint16(ELF_HEADER.shstrndx, 9, true))).toBe("section name table index 9 is out of range (4 sections)");
    // .symtab is section 1: entsize at +56, size at +32; .strtab is section 2.
    expect(header((v) => v.setBigUint64(shoff + 64 + 56, 16n, true))).toBe("symbol table entry size is 16, expected 24");
    expect(header((v) => v.setBigUint64(shoff + 64 + 32, 1n << 40n, true))).toBe(
      "truncated: section 1 (.symtab) extends past end of file",
    );
    expect(header((v) => v.setUint32(shoff + 64 + 40, 77, true))).toBe("symbol table string table index 77 is out of range");
    expect(header((v) => v.setBigUint64(shoff + 128 + 32, 2n, true))).toBe("symbol 2 name (offset 8) lies outside its string table");
  });

  it("gives one-line messages", () => {
    const bad = [new Uint8Array(3), patched(good, (v) => v.setUint8(4, 1)), good.subarray(0, 100)];
    for (const bytes of bad) expect(elfError(bytes)).not.toMatch(/\n/);
  });
});

describe("classifyElf", () => {
  const low = { vaddr: 0x10000n, data: new Uint8Array(16) };

  it("takes a SYSV ELF linked into RAM for bare metal", () => {
    expect(classifyElf(parseElf(buildElf({ ...bareSpec(), symbols: [] })))).toBe("bare-metal");
  });

  it("takes a kernel linked high but loaded into RAM for bare metal, starting at the physical entry", () => {
    const elf = parseElf(
      buildElf({ entry: 0xffff_ffff_8000_0010n, segments: [{ vaddr: 0xffff_ffff_8000_0000n, paddr: 0x8020_0000n, data: new Uint8Array(64) }] }),
    );
    expect(classifyElf(elf)).toBe("bare-metal");
    expect(physicalEntry(elf)).toBe(0x8020_0010n);
  });

  it("takes low-memory, GNU/Linux OSABI and interpreted ELFs for Linux programs", () => {
    expect(classifyElf(parseElf(buildElf({ segments: [low] })))).toBe("linux");
    expect(classifyElf(parseElf(buildElf({ segments: [low], type: 3 })))).toBe("linux");
    expect(classifyElf(parseElf(buildElf({ ...bareSpec(), osabi: 3 })))).toBe("linux");
    expect(classifyElf(parseElf(buildElf({ ...bareSpec(), interp: "/lib/ld.so" })))).toBe("linux");
  });

  it("takes an ELF with a tohost mailbox for bare metal wherever it is linked", () => {
    expect(classifyElf(parseElf(buildElf({ segments: [low], symbols: [{ name: "tohost", value: 0x10008n }] })))).toBe("bare-metal");
  });
});

describe("checkFitsRam", () => {
  it("accepts an image inside RAM", () => {
    expect(() => checkFitsRam(parseElf(buildElf(bareSpec())), RAM_BASE, RAM_128M)).not.toThrow();
  });

  it("names the segment and the RAM range when a segment lies outside", () => {
    expect(fitError({ segments: [{ vaddr: 0x1000n, memsz: 0x1000n }], symbols: [{ name: "tohost", value: 0x1000n }] })).toBe(
      "segment at 0x1000-0x2000 lies outside RAM 0x80000000-0x88000000",
    );
    expect(fitError({ segments: [{ vaddr: 0x87ff_f000n, memsz: 0x2000n }] })).toBe(
      "segment at 0x87fff000-0x88001000 lies outside RAM 0x80000000-0x88000000",
    );
    expect(fitError({ segments: [{ vaddr: 0x8010_0000n, memsz: 0x10n }] }, 1n << 20n)).toBe(
      "segment at 0x80100000-0x80100010 lies outside RAM 0x80000000-0x80100000",
    );
  });

  it("rejects an entry point or mailbox outside RAM", () => {
    expect(fitError({ ...bareSpec(), entry: 0x1000n })).toBe("entry point 0x1000 lies outside RAM 0x80000000-0x88000000");
    expect(fitError({ ...bareSpec(), symbols: [{ name: "tohost", value: 0x9000_0000n }] })).toBe(
      "tohost at 0x90000000 lies outside RAM 0x80000000-0x88000000",
    );
  });
});

describe("committed guest ELFs", () => {
  const dirs = ["tests/guest/bin", "tests/guest/cli"].filter((d) => existsSync(d));
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".elf")).map((f) => join(d, f)));

  it.each(files)("%s parses as a bare-metal image that fits 128 MiB", (file) => {
    const elf = parseElf(readFileSync(file));
    expect(classifyElf(elf)).toBe("bare-metal");
    expect(() => checkFitsRam(elf, RAM_BASE, RAM_128M)).not.toThrow();
  });

  it("hello.elf: entry, segments and the HTIF mailbox", () => {
    const elf = parseElf(readFileSync("tests/guest/cli/hello.elf"));
    expect(elf.entry).toBe(0x8000_0000n);
    expect(elf.segments.length).toBeGreaterThanOrEqual(2);
    expect(elf.segments.every((s) => s.paddr >= RAM_BASE)).toBe(true);
    const tohost = findSymbol(elf, "tohost");
    const fromhost = findSymbol(elf, "fromhost");
    expect(tohost?.value).toBeGreaterThanOrEqual(RAM_BASE);
    expect(fromhost!.value - tohost!.value).toBe(64n);
  });
});

describe.skipIf(!hasTool("riscv64-linux-gnu-gcc"))("a static Linux program from riscv64-linux-gnu-gcc", () => {
  it("is classified as Linux", () => {
    const dir = mkdtempSync(join(tmpdir(), "edgevm-elf-"));
    try {
      writeFileSync(join(dir, "hello.c"), '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n');
      execFileSync("riscv64-linux-gnu-gcc", ["-static", "-O2", "-o", join(dir, "hello"), join(dir, "hello.c")]);
      const elf = parseElf(readFileSync(join(dir, "hello")));
      expect(elf.interp).toBeNull();
      expect(classifyElf(elf)).toBe("linux");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
