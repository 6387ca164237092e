// ELF64 little-endian writers (gABI "ELF-64 Object File Format"; RISC-V
// psABI for e_machine 243 and e_flags): the relocatable object of one unit
// and, for the linker, a static executable.

import { SEC_ABS, SEC_COMMON, SEC_UNDEF, SHF_INFO_LINK, SHT_NOBITS, SHT_RELA, SHT_RISCV_ATTRIBUTES, SHT_STRTAB, SHT_SYMTAB, STB_LOCAL, type ObjectFile } from "./object.ts";

export const EM_RISCV = 243;
/** EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE (lp64d). */
export const elfFlags = (rvc: boolean) => (rvc ? 1 : 0) | 4;

export class ByteSink {
  buf = new Uint8Array(4096);
  len = 0;
  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  u8(v: number): void { this.reserve(1); this.buf[this.len++] = v & 0xff; }
  u16(v: number): void { this.u8(v); this.u8(v >>> 8); }
  u32(v: number): void { this.u16(v & 0xffff); this.u16(v >>> 16); }
  u64(v: bigint | number): void {
    if (typeof v === "number" && v >= 0 && v <= 0xffffffff) {
      this.u32(v);
      this.u32(0);
      return;
    }
    const x = BigInt.asUintN(64, BigInt(v));
    this.u32(Number(x & 0xffffffffn));
    this.u32(Number(x >> 32n));
  }
  bytes(b: Uint8Array): void { this.reserve(b.length); this.buf.set(b, this.len); this.len += b.length; }
  alignTo(n: number): void { while (this.len % n !== 0) this.u8(0); }
  patch32(at: number, v: number): void { new DataView(this.buf.buffer).setUint32(at, v >>> 0, true); }
  patch64(at: number, v: bigint | number): void { new DataView(this.buf.buffer).setBigUint64(at, BigInt.asUintN(64, BigInt(v)), true); }
  result(): Uint8Array { return this.buf.slice(0, this.len); }
}

export class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  private readonly seen = new Map<string, number>();
  private readonly enc = new TextEncoder();
  add(s: string): number {
    if (s === "") return 0;
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    const off = this.size;
    const b = this.enc.encode(s);
    const z = new Uint8Array(b.length + 1);
    z.set(b);
    this.parts.push(z);
    this.size += z.length;
    this.seen.set(s, off);
    return off;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

export interface SectionHeader {
  name: number; type: number; flags: number; addr: bigint; offset: number; size: number;
  link: number; info: number; align: number; entsize: number;
}

export function writeHeader(out: ByteSink, type: number, entry: bigint, flags: number, phnum: number): void {
  out.bytes(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  out.u16(type);
  out.u16(EM_RISCV);
  out.u32(1);
  out.u64(entry);
  out.u64(phnum > 0 ? 64 : 0); // e_phoff
  out.u64(0); // e_shoff, patched
  out.u32(flags);
  out.u16(64);
  out.u16(phnum > 0 ? 56 : 0);
  out.u16(phnum);
  out.u16(64);
  out.u16(0); // e_shnum, patched
  out.u16(0); // e_shstrndx, patched
}

export function writeSectionHeaders(out: ByteSink, headers: SectionHeader[], shstrndx: number): void {
  out.alignTo(8);
  out.patch64(0x28, out.len);
  new DataView(out.buf.buffer).setUint16(0x3c, headers.length + 1, true);
  new DataView(out.buf.buffer).setUint16(0x3e, shstrndx, true);
  for (let i = 0; i < 64; i++) out.u8(0);
  for (const h of headers) {
    out.u32(h.name); out.u32(h.type); out.u64(h.flags); out.u64(h.addr); out.u64(h.offset); out.u64(h.size);
    out.u32(h.link); out.u32(h.info); out.u64(h.align); out.u64(h.entsize);
  }
}

/** .riscv.attributes with Tag_RISCV_arch (psABI "Attributes"). */
export function attributesSection(arch: string): Uint8Array {
  const enc = new TextEncoder().encode(arch);
  const sub = 1 + 4 + 1 + enc.length + 1; // Tag_file, size, Tag_RISCV_arch, string
  const vendor = 4 + 6 + sub;
  const out = new ByteSink();
  out.u8(0x41);
  out.u32(vendor);
  out.bytes(new TextEncoder().encode("riscv\0"));
  out.u8(1);
  out.u32(sub);
  out.u8(5);
  out.bytes(enc);
  out.u8(0);
  return out.result();
}

export function writeObject(obj: ObjectFile, rvc: boolean): Uint8Array {
  const out = new ByteSink();
  writeHeader(out, 1, 0n, elfFlags(rvc), 0);
  const shstr = new StringTable();
  const headers: SectionHeader[] = [];
  const elfIndex: number[] = [];
  const relaHeaders: { header: SectionHeader; of: number }[] = [];
  obj.sections.forEach((s, i) => {
    out.alignTo(Math.max(1, Math.min(s.align, 8)));
    const offset = out.len;
    if (s.type !== SHT_NOBITS) out.bytes(s.data);
    headers.push({ name: shstr.add(s.name), type: s.type, flags: s.flags, addr: 0n, offset, size: s.size, link: 0, info: 0, align: s.align, entsize: s.entsize ?? 0 });
    elfIndex[i] = headers.length;
    if (s.relocs.length > 0) {
      const h: SectionHeader = { name: shstr.add(`.rela${s.name}`), type: SHT_RELA, flags: SHF_INFO_LINK, addr: 0n, offset: 0, size: 0, link: 0, info: headers.length, align: 8, entsize: 24 };
      headers.push(h);
      relaHeaders.push({ header: h, of: i });
    }
  });
  const attrs = attributesSection(obj.arch);
  headers.push({ name: shstr.add(".riscv.attributes"), type: SHT_RISCV_ATTRIBUTES, flags: 0, addr: 0n, offset: out.len, size: attrs.length, link: 0, info: 0, align: 1, entsize: 0 });
  out.bytes(attrs);

  const strtab = new StringTable();
  out.alignTo(8);
  const symtabIndex = headers.length + 1;
  const symOffset = out.len;
  for (let i = 0; i < 24; i++) out.u8(0);
  let firstGlobal = obj.symbols.length + 1;
  obj.symbols.forEach((s, i) => {
    if (s.bind !== STB_LOCAL && firstGlobal > obj.symbols.length) firstGlobal = i + 1;
    const isSection = s.type === 3;
    out.u32(isSection ? 0 : strtab.add(s.name));
    out.u8((s.bind << 4) | s.type);
    out.u8(0);
    out.u16(s.section === SEC_UNDEF ? 0 : s.section === SEC_ABS ? 0xfff1 : s.section === SEC_COMMON ? 0xfff2 : elfIndex[s.section]);
    out.u64(s.value);
    out.u64(s.size);
  });
  headers.push({ name: shstr.add(".symtab"), type: SHT_SYMTAB, flags: 0, addr: 0n, offset: symOffset, size: out.len - symOffset, link: symtabIndex + 1, info: firstGlobal, align: 8, entsize: 24 });
  const strBytes = strtab.bytes();
  headers.push({ name: shstr.add(".strtab"), type: SHT_STRTAB, flags: 0, addr: 0n, offset: out.len, size: strBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  out.bytes(strBytes);
  for (const { header, of } of relaHeaders) {
    out.alignTo(8);
    header.offset = out.len;
    header.link = symtabIndex;
    for (const r of obj.sections[of].relocs) {
      out.u64(r.offset);
      out.u64((BigInt(r.symbol + 1) << 32n) | BigInt(r.type));
      out.u64(r.addend);
    }
    header.size = out.len - header.offset;
  }
  const shstrName = shstr.add(".shstrtab");
  const shBytes = shstr.bytes();
  headers.push({ name: shstrName, type: SHT_STRTAB, flags: 0, addr: 0n, offset: out.len, size: shBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  out.bytes(shBytes);
  writeSectionHeaders(out, headers, headers.length);
  return out.result();
}

// ---- executables -------------------------------------------------------------

import type { Layout, OutputSymbol } from "./linker.ts";

const PT_LOAD = 1;
const PT_RISCV_ATTRIBUTES = 0x70000003;
const PAGE = 0x1000n;

/** A static executable: PT_RISCV_ATTRIBUTES and the PT_LOADs of layout.segments, at the file offsets ld gives them. */
export function writeExecutable(layout: Layout, entry: bigint, rvc: boolean, symbols: OutputSymbol[]): Uint8Array {
  const out = new ByteSink();
  const phnum = 1 + layout.segments.length;
  writeHeader(out, 2, entry, elfFlags(rvc), phnum);
  const phAt = out.len;
  for (let i = 0; i < phnum * 56; i++) out.u8(0);
  const headerBytes = BigInt(out.len);
  const fileOffsetOf = new Map<object, number>();
  const loads: { offset: number; vaddr: bigint; filesz: bigint; memsz: bigint; flags: number }[] = [];
  layout.segments.forEach((seg, si) => {
    const first = seg[0];
    // ld maps the ELF and program headers into the first PT_LOAD when the
    // first section follows them on the same page (the default layout).
    const mapsHeaders = si === 0 && first.addr >= headerBytes && (first.addr - headerBytes) % PAGE === 0n;
    const vaddr = mapsHeaders ? first.addr - headerBytes : first.addr;
    const offset = mapsHeaders ? 0 : out.len + Number((vaddr - BigInt(out.len)) & (PAGE - 1n));
    let filesz = 0n, memsz = 0n, flags = 4;
    for (const o of seg) {
      const off = offset + Number(o.addr - vaddr);
      fileOffsetOf.set(o, off);
      if (o.flags & SHF_WRITE_) flags |= 2;
      if (o.flags & SHF_EXEC_) flags |= 1;
      memsz = o.addr + o.size - vaddr;
      if (o.type === SHT_NOBITS) continue;
      while (out.len < off) out.u8(0);
      for (const i of o.inputs) {
        while (out.len < off + Number(i.offset)) out.u8(0);
        if (i.type !== SHT_NOBITS) out.bytes(i.data.subarray(0, i.size));
      }
      while (out.len < off + Number(o.size)) out.u8(0);
      filesz = o.addr + o.size - vaddr;
    }
    loads.push({ offset, vaddr, filesz, memsz, flags });
  });
  const attrs = attributesSection(rvc ? "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0_zmmul1p0" : "rv64i2p1_m2p0_a2p1_f2p2_d2p2_zicsr2p0_zifencei2p0_zmmul1p0");
  const attrsAt = out.len;
  out.bytes(attrs);
  const ph = new ByteSink();
  const phdr = (type: number, flags: number, offset: number, vaddr: bigint, filesz: bigint, memsz: bigint, align: bigint) => {
    ph.u32(type); ph.u32(flags); ph.u64(offset); ph.u64(vaddr); ph.u64(vaddr); ph.u64(filesz); ph.u64(memsz); ph.u64(align);
  };
  phdr(PT_RISCV_ATTRIBUTES, 4, attrsAt, 0n, BigInt(attrs.length), 0n, 1n);
  for (const l of loads) phdr(PT_LOAD, l.flags, l.offset, l.vaddr, l.filesz, l.memsz, PAGE);
  out.buf.set(ph.result(), phAt);

  // Section headers and a symbol table (for debuggers and for tools that look symbols up).
  const outs = layout.segments.flat();
  const shstr = new StringTable();
  const headers: SectionHeader[] = [];
  const index = new Map<object, number>();
  for (const o of outs) {
    headers.push({ name: shstr.add(o.name), type: o.type, flags: o.flags & 7, addr: o.addr, offset: fileOffsetOf.get(o) ?? 0, size: Number(o.size), link: 0, info: 0, align: o.align, entsize: 0 });
    index.set(o, headers.length);
  }
  headers.push({ name: shstr.add(".riscv.attributes"), type: SHT_RISCV_ATTRIBUTES, flags: 0, addr: 0n, offset: attrsAt, size: attrs.length, link: 0, info: 0, align: 1, entsize: 0 });
  out.alignTo(8);
  const strtab = new StringTable();
  const symAt = out.len;
  for (let i = 0; i < 24; i++) out.u8(0);
  const sorted = [...symbols.filter((s) => s.bind === STB_LOCAL), ...symbols.filter((s) => s.bind !== STB_LOCAL)];
  const firstGlobal = sorted.findIndex((s) => s.bind !== STB_LOCAL);
  for (const s of sorted) {
    out.u32(strtab.add(s.name));
    out.u8((s.bind << 4) | (s.type & 15));
    out.u8(0);
    out.u16(s.output && index.has(s.output) ? index.get(s.output)! : 0xfff1);
    out.u64(s.value);
    out.u64(s.size);
  }
  const symtabIndex = headers.length + 1;
  headers.push({ name: shstr.add(".symtab"), type: SHT_SYMTAB, flags: 0, addr: 0n, offset: symAt, size: out.len - symAt, link: symtabIndex + 1, info: firstGlobal < 0 ? sorted.length + 1 : firstGlobal + 1, align: 8, entsize: 24 });
  const strBytes = strtab.bytes();
  headers.push({ name: shstr.add(".strtab"), type: SHT_STRTAB, flags: 0, addr: 0n, offset: out.len, size: strBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  out.bytes(strBytes);
  const shName = shstr.add(".shstrtab");
  const sh = shstr.bytes();
  headers.push({ name: shName, type: SHT_STRTAB, flags: 0, addr: 0n, offset: out.len, size: sh.length, link: 0, info: 0, align: 1, entsize: 0 });
  out.bytes(sh);
  writeSectionHeaders(out, headers, headers.length);
  return out.result();
}

const SHF_WRITE_ = 1;
const SHF_EXEC_ = 4;
