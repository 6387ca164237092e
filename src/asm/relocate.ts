// Applying relocations once addresses are final (psABI "Relocations",
// "Calculation": S = symbol, A = addend, P = place, GP = __global_pointer$).

import type { DiagnosticList } from "./diagnostics.ts";
import { R, RELOC_NAMES } from "./object.ts";
import { sectionAddress, symbolValue, type InputSection, type Layout, type LinkReloc } from "./linker.ts";
import { R_GPREL_I, R_GPREL_S, R_RVC_LUI } from "./relax.ts";
import { cbOffset, cjOffset } from "./compress.ts";

const fits = (v: bigint, bits: number) => v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);
const hi20 = (v: bigint) => Number(((v + 0x800n) >> 12n) & 0xfffffn);
const lo12 = (v: bigint) => Number(BigInt.asUintN(12, v));

function setI(view: DataView, at: number, v: bigint): void {
  view.setUint32(at, ((view.getUint32(at, true) & 0x000fffff) | (lo12(v) << 20)) >>> 0, true);
}
function setS(view: DataView, at: number, v: bigint): void {
  const x = lo12(v);
  view.setUint32(at, ((view.getUint32(at, true) & 0x01fff07f) | ((x >> 5) << 25) | ((x & 31) << 7)) >>> 0, true);
}
function setU(view: DataView, at: number, v: bigint): void {
  view.setUint32(at, ((view.getUint32(at, true) & 0xfff) | (hi20(v) << 12)) >>> 0, true);
}

export function applyRelocations(layout: Layout, diags: DiagnosticList): boolean {
  let ok = true;
  for (const o of layout.outputs) {
    for (const sec of o.inputs) {
      if (sec.relocs.length === 0) continue;
      const pcrelHi = new Map<number, bigint>();
      for (const r of sec.relocs) {
        if (r.type === R.PCREL_HI20 && r.target) pcrelHi.set(r.offset, symbolValue(r.target) + r.addend - (sectionAddress(sec) + BigInt(r.offset)));
      }
      for (const r of sec.relocs) if (!applyOne(layout, sec, r, pcrelHi, diags)) ok = false;
    }
  }
  return ok;
}

function applyOne(layout: Layout, sec: InputSection, r: LinkReloc, pcrelHi: Map<number, bigint>, diags: DiagnosticList): boolean {
  if (r.type === R.NONE || r.type === R.RELAX || r.type === R.ALIGN) return true;
  const view = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
  const at = r.offset;
  const P = sectionAddress(sec) + BigInt(at);
  const S = r.target ? symbolValue(r.target) : 0n;
  const A = r.addend;
  const fail = (why: string) => {
    diags.error({ file: sec.object.name, line: 1, column: 1 }, `${sec.name}+0x${at.toString(16)}: ${RELOC_NAMES[r.type] ?? r.type} against '${r.target?.name ?? ""}': ${why}`);
    return false;
  };
  const word = () => view.getUint32(at, true);
  switch (r.type) {
    case R.R32: view.setUint32(at, Number(BigInt.asUintN(32, S + A)), true); return true;
    case R.R64: view.setBigUint64(at, BigInt.asUintN(64, S + A), true); return true;
    case R.ADD8: view.setUint8(at, Number(BigInt.asUintN(8, BigInt(view.getUint8(at)) + S + A))); return true;
    case R.ADD16: view.setUint16(at, Number(BigInt.asUintN(16, BigInt(view.getUint16(at, true)) + S + A)), true); return true;
    case R.ADD32: view.setUint32(at, Number(BigInt.asUintN(32, BigInt(view.getUint32(at, true)) + S + A)), true); return true;
    case R.ADD64: view.setBigUint64(at, BigInt.asUintN(64, view.getBigUint64(at, true) + S + A), true); return true;
    case R.SUB8: view.setUint8(at, Number(BigInt.asUintN(8, BigInt(view.getUint8(at)) - S - A))); return true;
    case R.SUB16: view.setUint16(at, Number(BigInt.asUintN(16, BigInt(view.getUint16(at, true)) - S - A)), true); return true;
    case R.SUB32: view.setUint32(at, Number(BigInt.asUintN(32, BigInt(view.getUint32(at, true)) - S - A)), true); return true;
    case R.SUB64: view.setBigUint64(at, BigInt.asUintN(64, view.getBigUint64(at, true) - S - A), true); return true;
    case R.SET8: view.setUint8(at, Number(BigInt.asUintN(8, S + A))); return true;
    case R.SET16: view.setUint16(at, Number(BigInt.asUintN(16, S + A)), true); return true;
    case R.SET32: view.setUint32(at, Number(BigInt.asUintN(32, S + A)), true); return true;
    case R.SET6: view.setUint8(at, (view.getUint8(at) & 0xc0) | Number(BigInt.asUintN(6, S + A))); return true;
    case R.SUB6: view.setUint8(at, (view.getUint8(at) & 0xc0) | Number(BigInt.asUintN(6, BigInt(view.getUint8(at) & 0x3f) - S - A))); return true;
    case R.PCREL32: view.setUint32(at, Number(BigInt.asUintN(32, S + A - P)), true); return true;
    case R.HI20:
      if (!fits(BigInt.asIntN(64, S + A + 0x800n), 32)) return fail("address does not fit in 32 bits (use la/lla for PC-relative addressing)");
      setU(view, at, S + A);
      return true;
    case R.LO12_I: setI(view, at, S + A); return true;
    case R.LO12_S: setS(view, at, S + A); return true;
    case R_RVC_LUI: {
      const imm = hi20(S + A) & 0x3f;
      view.setUint16(at, (view.getUint16(at, true) & 0xef83) | ((imm >> 5) << 12) | ((imm & 31) << 2), true);
      return true;
    }
    case R_GPREL_I: case R_GPREL_S: {
      let v = S + A;
      let w = word() & ~(31 << 15);
      if (!fits(v, 12)) {
        v -= layout.gp;
        if (!fits(v, 12)) return fail("out of range of gp");
        w |= 3 << 15;
      }
      view.setUint32(at, w >>> 0, true);
      if (r.type === R_GPREL_I) setI(view, at, v);
      else setS(view, at, v);
      return true;
    }
    case R.PCREL_HI20: {
      const v = S + A - P;
      if (!fits(v + 0x800n, 32)) return fail("target out of range of auipc");
      setU(view, at, v);
      return true;
    }
    case R.PCREL_LO12_I: case R.PCREL_LO12_S: {
      // S is the auipc's label; the value is the auipc's own pc-relative offset.
      if (!r.target?.section || r.target.section !== sec) return fail("%pcrel_lo must name the label of an auipc in the same section");
      const v = pcrelHi.get(Number(r.target.value));
      if (v === undefined) return fail("no R_RISCV_PCREL_HI20 at the label %pcrel_lo names");
      if (r.type === R.PCREL_LO12_I) setI(view, at, v);
      else setS(view, at, v);
      return true;
    }
    case R.CALL: case R.CALL_PLT: {
      const v = S + A - P;
      if (!fits(v + 0x800n, 32)) return fail("call target out of range");
      setU(view, at, v);
      view.setUint32(at + 4, ((view.getUint32(at + 4, true) & 0x000fffff) | (lo12(v) << 20)) >>> 0, true);
      return true;
    }
    case R.BRANCH: {
      const v = S + A - P;
      if (!fits(v, 13)) return fail("branch target out of range (±4 KiB)");
      const o = Number(v);
      const b = (((o >> 12) & 1) << 31) | (((o >> 5) & 0x3f) << 25) | (((o >> 1) & 15) << 8) | (((o >> 11) & 1) << 7);
      view.setUint32(at, ((word() & 0x01fff07f) | b) >>> 0, true);
      return true;
    }
    case R.JAL: {
      const v = S + A - P;
      if (!fits(v, 21)) return fail("jump target out of range (±1 MiB)");
      const o = Number(v);
      const j = (((o >> 20) & 1) << 31) | (((o >> 1) & 0x3ff) << 21) | (((o >> 11) & 1) << 20) | (((o >> 12) & 0xff) << 12);
      view.setUint32(at, ((word() & 0xfff) | j) >>> 0, true);
      return true;
    }
    case R.RVC_BRANCH: {
      const v = S + A - P;
      if (!fits(v, 9)) return fail("compressed branch target out of range (±256 bytes)");
      view.setUint16(at, (view.getUint16(at, true) & 0xe383) | cbOffset(Number(v)), true);
      return true;
    }
    case R.RVC_JUMP: {
      const v = S + A - P;
      if (!fits(v, 12)) return fail("compressed jump target out of range (±2 KiB)");
      view.setUint16(at, (view.getUint16(at, true) & 0xe003) | cjOffset(Number(v)), true);
      return true;
    }
  }
  return fail("unsupported relocation type");
}
