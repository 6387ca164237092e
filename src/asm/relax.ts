// GNU ld's linker relaxation for RISC-V (bfd/elfnn-riscv.c, psABI "Linker
// Relaxation"), reproduced decision for decision so linked bytes match ld:
//   pass 1, repeated until nothing changes: call -> jal / c.j; lui+lo12 ->
//     gp- or x0-relative, lui -> c.lui; auipc+pcrel_lo12 -> gp-relative;
//   pass 2: R_RISCV_ALIGN, deleting the nops the alignment does not need.
// Bytes are deleted inside an input section and every symbol and reloc
// past them moves down.

import { SHF_EXECINSTR, STT_FUNC, R } from "./object.ts";
import { sectionAddress, symbolValue, type Definition, type InputSection, type Layout, type LinkReloc } from "./linker.ts";

/** Relocation types only the relaxation creates (not in the psABI's object numbering we emit). */
export const R_GPREL_I = 47;
export const R_GPREL_S = 48;
export const R_RVC_LUI = 46;

const validI = (v: bigint) => v >= -2048n && v < 2048n;
const validJ = (v: bigint) => v >= -(1n << 20n) && v < 1n << 20n;
const validCJ = (v: bigint) => v >= -2048n && v < 2048n;
const highPart = (v: bigint) => (v + 0x800n) & ~0xfffn;
const validCLui = (v: bigint) => {
  const x = BigInt.asIntN(64, v);
  return x !== 0n && x >= -0x20000n && x < 0x20000n;
};
const MAXPAGESIZE = 0x1000n;

interface PcgpHi {
  section: InputSection;
  reloc: LinkReloc;
  /** Offset of the auipc when it was deleted (the label of the pcrel_lo points there). */
  offset: number;
  symval: bigint;
  target: Definition | null;
  addend: bigint;
}

/** Bytes to delete from an input section: at `addr`, `count` of them. */
interface Deletion {
  addr: number;
  count: number;
}

/**
 * Deletes bytes (ld's riscv_relax_delete_bytes, piecewise as in binutils
 * 2.39+: a pass marks deletions and they are carried out together at its
 * end). Later bytes, relocations and symbols move down; a symbol spanning a
 * hole shrinks.
 */
export function deleteBytes(sec: InputSection, deletions: Deletion[]): void {
  if (deletions.length === 0) return;
  deletions.sort((a, b) => a.addr - b.addr);
  const old = sec.size;
  // before[k] = bytes deleted by deletions[0..k)
  const before = [0];
  for (const d of deletions) before.push(before[before.length - 1] + d.count);
  const shiftBelow = (x: number) => {
    // bytes deleted strictly below x
    let lo = 0, hi = deletions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (deletions[mid].addr < x) lo = mid + 1; else hi = mid;
    }
    return before[lo];
  };
  let to = deletions[0].addr;
  for (let k = 0; k < deletions.length; k++) {
    const from = deletions[k].addr + deletions[k].count;
    const next = k + 1 < deletions.length ? deletions[k + 1].addr : old;
    sec.data.copyWithin(to, from, next);
    to += next - from;
  }
  sec.data.fill(0, to, old);
  sec.size = to;
  for (const r of sec.relocs) if (r.offset < old) r.offset -= shiftBelow(r.offset);
  for (const d of sec.symbols) {
    const v = Number(d.value);
    if (v > old) continue;
    const shift = shiftBelow(v);
    if (d.size > 0n) {
      const end = v + Number(d.size);
      if (end <= old) d.size -= BigInt(shiftBelow(end) - shift);
    }
    if (shift) d.value -= BigInt(shift);
  }
}

function maxAlignment(layout: Layout, gp: bigint | null): bigint {
  let m = 1;
  for (const o of layout.outputs) {
    if (!o.inputs.some((i) => i.size > 0)) continue;
    if (gp !== null && !(validI(o.addr - gp) || validI(o.addr + o.size - gp))) continue;
    if (o.align > m) m = o.align;
  }
  return BigInt(m);
}

/** Re-places the inputs after `k` in its output section, as ld's sizing walk does between sections. */
function replaceFollowing(sec: InputSection): void {
  const o = sec.output;
  let off = 0n;
  for (const i of o.inputs) {
    const al = BigInt(i.align);
    off = al <= 1n ? off : (off + al - 1n) & ~(al - 1n);
    i.offset = off;
    off += BigInt(i.size);
  }
  o.size = off;
}

export function relaxAll(layout: Layout, rvc: boolean, place: () => void, shorten: boolean): void {
  if (shorten) {
    let maxAll: bigint | null = null;
    let maxGp: bigint | null = null;
    for (let trip = 0; trip < 100; trip++) {
      place();
      if (maxAll === null) {
        maxAll = maxAlignment(layout, null);
        // ld 2.40 takes the largest alignment of all output sections, whether
        // or not they lie within reach of gp.
        maxGp = maxAll;
      }
      let again = false;
      for (const o of layout.outputs) {
        for (const sec of o.inputs) {
          if ((sec.flags & SHF_EXECINSTR) === 0 || sec.relocs.length === 0 || sec.relaxDone) continue;
          if (shortenSection(layout, sec, rvc, maxAll, maxGp!)) again = true;
          replaceFollowing(sec);
        }
      }
      if (!again) break;
    }
    return;
  }
  place();
  for (const o of layout.outputs) {
    for (const sec of o.inputs) {
      if (sec.relaxDone || !sec.relocs.some((r) => r.type === R.ALIGN)) continue;
      alignSection(sec);
      sec.relaxDone = true;
      replaceFollowing(sec);
    }
  }
}

function reserveSize(t: Definition | null, addend: bigint): bigint {
  if (!t || t.type === STT_FUNC) return 0n;
  return addend > t.size ? 0n : t.size - addend;
}

function inGpRange(layout: Layout, symval: bigint, maxAlign: bigint, reserve: bigint): boolean {
  const gp = layout.gp;
  if (validI(symval)) return true;
  if (symval >= gp) return validI(symval - gp + maxAlign + reserve);
  return validI(symval - gp - maxAlign - reserve);
}

// Code may still move (it is being relaxed); ld 2.40 does relax references into SHF_MERGE constants.
const isCodeOrMerge = (t: Definition | null) => !!t?.section && (t.section.flags & SHF_EXECINSTR) !== 0;

function shortenSection(layout: Layout, sec: InputSection, rvc: boolean, maxAll: bigint, maxGp: bigint): boolean {
  let again = false;
  const pcgp: PcgpHi[] = [];
  const deletions: Deletion[] = [];
  const view = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
  for (let i = 0; i < sec.relocs.length; i++) {
    const rel = sec.relocs[i];
    const next = sec.relocs[i + 1];
    const t = rel.type;
    const relaxable = t === R.CALL || t === R.CALL_PLT || t === R.HI20 || t === R.LO12_I || t === R.LO12_S ||
      t === R.PCREL_HI20 || t === R.PCREL_LO12_I || t === R.PCREL_LO12_S;
    if (!relaxable || !next || next.type !== R.RELAX || next.offset !== rel.offset) continue;
    i++;
    if (!rel.target) continue;
    const symval = symbolValue(rel.target) + rel.addend;
    const pc = sectionAddress(sec) + BigInt(rel.offset);
    if (t === R.CALL || t === R.CALL_PLT) {
      let foff = symval - pc;
      const nearZero = validI(symval);
      if (validJ(foff)) {
        let maxAlign = maxAll;
        if (rel.target.section && rel.target.section.output === sec.output) maxAlign = BigInt(sec.output.align);
        foff += foff < 0n ? -maxAlign : maxAlign;
      }
      if (!validJ(foff) && !nearZero) continue;
      const jalr = view.getUint32(rel.offset + 4, true);
      const rd = (jalr >>> 7) & 31;
      let len: number;
      if (rvc && validCJ(foff) && rd === 0) {
        view.setUint16(rel.offset, 0xa001, true);
        rel.type = R.RVC_JUMP;
        len = 2;
      } else if (validJ(foff)) {
        view.setUint32(rel.offset, (0x6f | (rd << 7)) >>> 0, true);
        rel.type = R.JAL;
        len = 4;
      } else {
        view.setUint32(rel.offset, (0x67 | (rd << 7)) >>> 0, true);
        rel.type = R.LO12_I;
        len = 4;
      }
      next.type = R.NONE;
      deletions.push({ addr: rel.offset + len, count: 8 - len });
      again = true;
      continue;
    }
    if (t === R.HI20 || t === R.LO12_I || t === R.LO12_S) {
      if (isCodeOrMerge(rel.target)) continue;
      if (inGpRange(layout, symval, maxGp, reserveSize(rel.target, rel.addend))) {
        if (t === R.LO12_I) rel.type = R_GPREL_I;
        else if (t === R.LO12_S) rel.type = R_GPREL_S;
        else {
          rel.type = R.NONE;
          next.type = R.NONE;
          deletions.push({ addr: rel.offset, count: 4 });
          again = true;
        }
        continue;
      }
      if (rvc && t === R.HI20 && validCLui(highPart(symval)) && validCLui(highPart(symval) + MAXPAGESIZE)) {
        const lui = view.getUint32(rel.offset, true);
        const rd = (lui >>> 7) & 31;
        if (rd === 0 || rd === 2) continue;
        view.setUint16(rel.offset, 0x6001 | (rd << 7), true);
        rel.type = R_RVC_LUI;
        next.type = R.NONE;
        deletions.push({ addr: rel.offset + 2, count: 2 });
        again = true;
      }
      continue;
    }
    // PC-relative pairs: the %pcrel_lo names the auipc's label; follow it to the auipc's target.
    let target = rel.target;
    let value = symval;
    let hi: PcgpHi | undefined;
    if (t === R.PCREL_LO12_I || t === R.PCREL_LO12_S) {
      const label = rel.target;
      if (!label.section) continue;
      const off = Number(label.value);
      hi = pcgp.find((h) => h.section === label.section && h.offset === off);
      if (!hi || !hi.target) continue;
      value = hi.symval;
      target = hi.target;
    } else if (isCodeOrMerge(rel.target)) continue;
    if (!inGpRange(layout, value, maxGp, reserveSize(t === R.PCREL_HI20 ? target : rel.target, rel.addend))) continue;
    if (t === R.PCREL_HI20) {
      pcgp.push({ section: sec, reloc: rel, offset: rel.offset, symval, target: rel.target, addend: rel.addend });
      rel.type = R.NONE;
      next.type = R.NONE;
      deletions.push({ addr: rel.offset, count: 4 });
      again = true;
    } else {
      rel.type = t === R.PCREL_LO12_I ? R_GPREL_I : R_GPREL_S;
      rel.target = target;
      rel.addend += hi!.addend;
    }
  }
  deleteBytes(sec, deletions);
  return again;
}

function alignSection(sec: InputSection): void {
  const view = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
  for (const rel of sec.relocs) {
    if (rel.type !== R.ALIGN) continue;
    let alignment = 1n;
    while (alignment <= rel.addend) alignment *= 2n;
    const start = sectionAddress(sec) + BigInt(rel.offset);
    const aligned = ((start - 1n) & ~(alignment - 1n)) + alignment;
    const nops = Number(aligned - start);
    rel.type = R.NONE;
    const have = Number(rel.addend);
    if (nops === have) continue;
    let pos = 0;
    for (; pos < (nops & ~3); pos += 4) view.setUint32(rel.offset + pos, 0x13, true);
    if (nops % 4 !== 0) view.setUint16(rel.offset + pos, 0x0001, true);
    deleteBytes(sec, [{ addr: rel.offset + nops, count: have - nops }]);
  }
}
