// Control and status registers (priv spec ch. 2-4, Zicntr, Sstc). Access
// checks follow 2.1: bits 9:8 give the lowest privilege, bits 11:10 == 3
// mark read-only registers; anything unimplemented is an illegal instruction.
import * as hart from "./hart";
import { fpFlags } from "./fpu";
import { EV_FLUSH_FETCH, EV_RECHECK, signal } from "./events";
import { flushTlb } from "./mmu";
import { updateTimerBits } from "./trap";

// Set when the last csrRead/csrWrite was illegal.
export let csrIllegal: bool = false;

const MSTATUS_WRITABLE: u64 =
  hart.MSTATUS_SIE | hart.MSTATUS_MIE | hart.MSTATUS_SPIE | hart.MSTATUS_MPIE | hart.MSTATUS_SPP |
  hart.MSTATUS_MPP | hart.MSTATUS_FS | hart.MSTATUS_MPRV | hart.MSTATUS_SUM | hart.MSTATUS_MXR |
  hart.MSTATUS_TVM | hart.MSTATUS_TW | hart.MSTATUS_TSR;
const SSTATUS_VISIBLE: u64 =
  hart.MSTATUS_SIE | hart.MSTATUS_SPIE | hart.MSTATUS_SPP | hart.MSTATUS_FS | hart.MSTATUS_SUM |
  hart.MSTATUS_MXR | (<u64>3 << 32) | hart.MSTATUS_SD;
const SSTATUS_WRITABLE: u64 =
  hart.MSTATUS_SIE | hart.MSTATUS_SPIE | hart.MSTATUS_SPP | hart.MSTATUS_FS | hart.MSTATUS_SUM | hart.MSTATUS_MXR;
const MIE_WRITABLE: u64 = hart.MIP_SSIP | hart.MIP_MSIP | hart.MIP_STIP | hart.MIP_MTIP | hart.MIP_SEIP | hart.MIP_MEIP;
const MEDELEG_WRITABLE: u64 = 0xB3FF; // every exception but ecall from M (priv spec 3.1.8)
const SATP_MODE_BARE: u64 = 0;
const SATP_MODE_SV39: u64 = 8;
const SATP_MODE_SV48: u64 = 9;

export function csrRead(csr: u32): u64 {
  csrIllegal = false;
  if (((csr >> 8) & 3) > hart.priv) return illegal();
  if (csr >= 0xC00 && csr <= 0xC1F) return readCounter(csr);
  switch (csr) {
    case 0x001: return fpAccessible() ? <u64>fpFlags : illegal();
    case 0x002: return fpAccessible() ? <u64>hart.frm : illegal();
    case 0x003: return fpAccessible() ? <u64>((hart.frm << 5) | fpFlags) : illegal();

    case 0x100: return statusWithSd() & SSTATUS_VISIBLE;
    case 0x104: return hart.mie & hart.mideleg;
    case 0x105: return hart.stvec;
    case 0x106: return <u64>hart.scounteren;
    case 0x10A: return hart.senvcfg;
    case 0x140: return hart.sscratch;
    case 0x141: return hart.sepc;
    case 0x142: return hart.scause;
    case 0x143: return hart.stval;
    case 0x144: updateTimerBits(); return hart.mip & hart.mideleg;
    case 0x14D: return stimecmpAccessible() ? hart.stimecmp : illegal();
    case 0x180: return satpAccessible() ? hart.satp : illegal();

    case 0x300: return statusWithSd();
    case 0x301: return hart.MISA;
    case 0x302: return hart.medeleg;
    case 0x303: return hart.mideleg;
    case 0x304: return hart.mie;
    case 0x305: return hart.mtvec;
    case 0x306: return <u64>hart.mcounteren;
    case 0x30A: return hart.menvcfg;
    case 0x320: return <u64>hart.mcountinhibit;
    case 0x340: return hart.mscratch;
    case 0x341: return hart.mepc;
    case 0x342: return hart.mcause;
    case 0x343: return hart.mtval;
    case 0x344: updateTimerBits(); return hart.mip;
    case 0x747: return hart.mseccfg;
    case 0x7A0: return hart.tselect;
    case 0x7A1: return 0; // tdata1 type 0: no trigger is implemented behind tselect 0
    case 0x7A2: return 0;
    case 0x7A3: return 0;
    case 0xB00: return hart.cycleNow() + hart.mcycleOffset;
    case 0xB02: return hart.instretNow();
    case 0xF11: return 0; // mvendorid: non-commercial
    case 0xF12: return 0;
    case 0xF13: return 0;
    case 0xF14: return 0; // mhartid
    case 0xF15: return 0; // mconfigptr
  }
  if (csr >= 0x3A0 && csr <= 0x3AF) return (csr & 1) == 0 ? load<u64>(hart.PMPCFG + ((<usize>(csr - 0x3A0) >> 1) << 3)) : illegal();
  if (csr >= 0x3B0 && csr <= 0x3EF) return load<u64>(hart.PMPADDR + (<usize>(csr - 0x3B0) << 3));
  if (csr >= 0xB03 && csr <= 0xB1F) return 0; // mhpmcounter3..31: hard-wired zero
  if (csr >= 0x323 && csr <= 0x33F) return 0; // mhpmevent3..31
  return illegal();
}

// Writes `value`; the caller has already read the old value through csrRead,
// so privilege was checked there.
export function csrWrite(csr: u32, value: u64): void {
  csrIllegal = false;
  if ((csr >> 10) == 3) {
    illegal();
    return;
  }
  switch (csr) {
    case 0x001: setFpFlags(<u32>value & 0x1F); dirtyFp(); return;
    case 0x002: hart.frm = <u32>value & 7; dirtyFp(); return;
    case 0x003: hart.frm = (<u32>value >> 5) & 7; setFpFlags(<u32>value & 0x1F); dirtyFp(); return;

    case 0x100: writeStatus((hart.mstatus & ~SSTATUS_WRITABLE) | (value & SSTATUS_WRITABLE)); return;
    case 0x104: hart.mie = (hart.mie & ~hart.mideleg) | (value & hart.mideleg & MIE_WRITABLE); signal(EV_RECHECK); return;
    case 0x105: hart.stvec = legalTvec(value); return;
    case 0x106: hart.scounteren = <u32>value; return;
    case 0x10A: hart.senvcfg = value & 1; return;
    case 0x140: hart.sscratch = value; return;
    case 0x141: hart.sepc = value & ~<u64>1; return;
    case 0x142: hart.scause = value; return;
    case 0x143: hart.stval = value; return;
    case 0x144: writeMip((softwareMip() & ~(hart.mideleg & hart.MIP_SSIP)) | (value & hart.mideleg & hart.MIP_SSIP)); return;
    case 0x14D: hart.stimecmp = value; updateTimerBits(); signal(EV_RECHECK); return;
    case 0x180: writeSatp(value); return;

    case 0x300: writeStatus(value); return;
    case 0x301: return; // misa is read-only (WARL)
    case 0x302: hart.medeleg = value & MEDELEG_WRITABLE; return;
    case 0x303: hart.mideleg = value & hart.S_INTERRUPTS; signal(EV_RECHECK); return;
    case 0x304: hart.mie = value & MIE_WRITABLE; signal(EV_RECHECK); return;
    case 0x305: hart.mtvec = legalTvec(value); return;
    case 0x306: hart.mcounteren = <u32>value; return;
    case 0x30A: hart.menvcfg = value & (hart.MENVCFG_STCE | 1); updateTimerBits(); signal(EV_RECHECK); return;
    case 0x320: hart.mcountinhibit = <u32>value & 5; return;
    case 0x340: hart.mscratch = value; return;
    case 0x341: hart.mepc = value & ~<u64>1; return;
    case 0x342: hart.mcause = value; return;
    case 0x343: hart.mtval = value; return;
    case 0x344: writeMip(value); return;
    case 0x747: hart.mseccfg = 0; return;
    case 0x7A0: hart.tselect = 0; return; // only trigger 0 exists, and it implements nothing
    case 0x7A1: return;
    case 0x7A2: return;
    case 0x7A3: return;
    // A written counter shows the written value to the next instruction: the
    // writing instruction's own increment is suppressed (Zicntr, priv 3.1.11).
    case 0xB00: hart.mcycleOffset = value - hart.cycleNow() - 1; return;
    case 0xB02: hart.retired = value - hart.liveRetired - 1; return;
  }
  if (csr >= 0x3A0 && csr <= 0x3AF) {
    if ((csr & 1) == 0) store<u64>(hart.PMPCFG + ((<usize>(csr - 0x3A0) >> 1) << 3), value);
    else illegal();
    return;
  }
  if (csr >= 0x3B0 && csr <= 0x3EF) {
    store<u64>(hart.PMPADDR + (<usize>(csr - 0x3B0) << 3), value & 0x003F_FFFF_FFFF_FFFF);
    return;
  }
  if (csr >= 0xB03 && csr <= 0xB1F) return;
  if (csr >= 0x323 && csr <= 0x33F) return;
  illegal();
}

function illegal(): u64 {
  csrIllegal = true;
  return 0;
}

@inline function fpAccessible(): bool {
  return (hart.mstatus & hart.MSTATUS_FS) != 0;
}

function setFpFlags(v: u32): void {
  fpFlags = v;
}

function dirtyFp(): void {
  hart.mstatus |= hart.MSTATUS_FS_DIRTY;
}

function statusWithSd(): u64 {
  const s = hart.mstatus & ~hart.MSTATUS_SD;
  return (s & hart.MSTATUS_FS) == hart.MSTATUS_FS_DIRTY ? s | hart.MSTATUS_SD : s;
}

function writeStatus(value: u64): void {
  let v = (hart.mstatus & ~MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE);
  // MPP is WARL over {U, S, M}: the reserved encoding 2 keeps the old value.
  if (((v >> hart.MSTATUS_MPP_SHIFT) & 3) == 2) v = (v & ~hart.MSTATUS_MPP) | (hart.mstatus & hart.MSTATUS_MPP);
  const translationBits = hart.MSTATUS_MPRV | hart.MSTATUS_MPP | hart.MSTATUS_SUM | hart.MSTATUS_MXR;
  const changed = hart.mstatus ^ v;
  hart.mstatus = v | hart.MSTATUS_UXL_SXL;
  if ((changed & translationBits) != 0) flushTlb();
  signal(EV_RECHECK);
}

// mip as software last wrote it: SEIP without the PLIC's line.
function softwareMip(): u64 {
  return (hart.mip & ~hart.MIP_SEIP) | hart.seipWritten;
}

function writeMip(value: u64): void {
  // Software may set SSIP and SEIP; STIP too unless Sstc drives it (priv 3.1.9).
  let writable = hart.MIP_SSIP | hart.MIP_SEIP;
  if ((hart.menvcfg & hart.MENVCFG_STCE) == 0) writable |= hart.MIP_STIP;
  hart.mip = (hart.mip & ~writable) | (value & writable);
  // A read-modify-write (csrrs/csrrc) sees the line ORed in; it must not latch it as software's bit.
  hart.seipWritten = value & hart.MIP_SEIP & ~hart.externalLines;
  updateTimerBits();
  signal(EV_RECHECK);
}

function legalTvec(value: u64): u64 {
  // Modes >= 2 are reserved: keep only direct (0) and vectored (1).
  return value & ~<u64>2;
}

function writeSatp(value: u64): void {
  if (!satpAccessible()) return;
  const mode = value >> 60;
  if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 && mode != SATP_MODE_SV48) return; // write ignored (4.1.11)
  hart.satp = mode == SATP_MODE_BARE ? 0 : value & (0xF000_0000_0000_0000 | (<u64>0xFFFF << 44) | 0xFFF_FFFF_FFFF);
  flushTlb();
  signal(EV_FLUSH_FETCH);
}

// satp and sfence.vma trap in S-mode when mstatus.TVM is set.
export function satpAccessible(): bool {
  if (hart.priv == hart.PRIV_S && (hart.mstatus & hart.MSTATUS_TVM) != 0) {
    csrIllegal = true;
    return false;
  }
  return true;
}

function stimecmpAccessible(): bool {
  if (hart.priv == hart.PRIV_M) return true;
  return (hart.menvcfg & hart.MENVCFG_STCE) != 0 && (hart.mcounteren & 2) != 0;
}

// cycle, time, instret, hpmcounterN: below M-mode gated by mcounteren, and
// in U-mode also by scounteren (priv 3.1.11, 4.1.5).
function readCounter(csr: u32): u64 {
  const bit: u32 = 1 << (csr - 0xC00);
  if (hart.priv < hart.PRIV_M && (hart.mcounteren & bit) == 0) return illegal();
  if (hart.priv == hart.PRIV_U && (hart.scounteren & bit) == 0) return illegal();
  if (csr == 0xC00) return hart.cycleNow() + hart.mcycleOffset;
  if (csr == 0xC01) return hart.mtimeNow();
  if (csr == 0xC02) return hart.instretNow();
  return 0;
}
