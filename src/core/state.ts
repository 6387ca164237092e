// The machine state outside RAM (hart, CSRs, counters, devices) as a flat
// little-endian record of u64 fields: what a snapshot manifest stores. The
// layout is documented in docs/snapshot-format.md; a change to it is a new
// STATE_VERSION.
import * as hart from "./hart";
import * as fpu from "./fpu";
import * as events from "./events";
import * as mmu from "./mmu";
import { ramSize } from "./ram";
import { STATE_BUFFER } from "./layout";
import { beginState, cursor, field, MODE_LOAD, MODE_MEASURE, MODE_SAVE } from "./state-cursor";
import { uartState } from "./devices/uart";
import { consoleInputState } from "./devices/console";
import { htifState } from "./devices/htif";
import { interpState } from "./interp";
import { plicState } from "./devices/plic";
import { rtcState } from "./devices/rtc";
import { virtioState } from "./devices/virtio-mmio";
import { deviceTableState } from "./bus";

export const STATE_MAGIC: u64 = 0x3153_4D56_4745; // "EGVMS1" little-endian, in the low bytes
export const STATE_VERSION: u64 = 2;

// Returns the record's length in bytes (at STATE_BUFFER).
export function saveState(): u32 {
  beginState(STATE_BUFFER, MODE_SAVE);
  walk();
  return <u32>(cursor - STATE_BUFFER);
}

// Loads a record written by saveState; false (nothing changed) if its
// header does not match this core.
export function loadState(length: u32): bool {
  if (load<u64>(STATE_BUFFER) != STATE_MAGIC || load<u64>(STATE_BUFFER, 8) != STATE_VERSION) return false;
  if (load<u64>(STATE_BUFFER, 16) != ramSize) return false;
  beginState(STATE_BUFFER, MODE_MEASURE);
  walk();
  if (<usize>length != cursor - STATE_BUFFER) return false;
  beginState(STATE_BUFFER, MODE_LOAD);
  walk();
  mmu.flushTlb();
  events.pending = 0;
  return true;
}

function walk(): void {
  field(STATE_MAGIC);
  field(STATE_VERSION);
  field(ramSize);
  hart.pc = field(hart.pc);
  hart.priv = <u32>field(hart.priv);
  for (let r: u32 = 1; r < 32; r++) hart.setX(r, field(hart.getX(r)));
  for (let r: u32 = 0; r < 32; r++) hart.setF(r, field(hart.getF(r)));
  hart.mstatus = field(hart.mstatus);
  hart.medeleg = field(hart.medeleg);
  hart.mideleg = field(hart.mideleg);
  hart.mie = field(hart.mie);
  hart.mip = field(hart.mip);
  hart.mtvec = field(hart.mtvec);
  hart.stvec = field(hart.stvec);
  hart.mepc = field(hart.mepc);
  hart.sepc = field(hart.sepc);
  hart.mcause = field(hart.mcause);
  hart.scause = field(hart.scause);
  hart.mtval = field(hart.mtval);
  hart.stval = field(hart.stval);
  hart.mscratch = field(hart.mscratch);
  hart.sscratch = field(hart.sscratch);
  hart.satp = field(hart.satp);
  hart.mcounteren = <u32>field(hart.mcounteren);
  hart.scounteren = <u32>field(hart.scounteren);
  hart.mcountinhibit = <u32>field(hart.mcountinhibit);
  hart.menvcfg = field(hart.menvcfg);
  hart.senvcfg = field(hart.senvcfg);
  hart.stimecmp = field(hart.stimecmp);
  hart.frm = <u32>field(hart.frm);
  fpu.fpFlags = <u32>field(fpu.fpFlags);
  hart.tselect = field(hart.tselect);
  hart.tdata1 = field(hart.tdata1);
  hart.tdata2 = field(hart.tdata2);
  hart.mseccfg = field(hart.mseccfg);
  hart.reservation = field(hart.reservation);
  hart.waiting = field(hart.waiting ? 1 : 0) != 0;
  hart.retired = field(hart.retired);
  hart.idleCycles = field(hart.idleCycles);
  hart.mcycleOffset = field(hart.mcycleOffset);
  hart.mtimeOffset = field(hart.mtimeOffset);
  hart.mtimecmp = field(hart.mtimecmp);
  hart.msip = <u32>field(hart.msip);
  for (let i: usize = 0; i < 8; i++) store<u64>(hart.PMPCFG + (i << 3), field(load<u64>(hart.PMPCFG + (i << 3))));
  for (let i: usize = 0; i < 64; i++) store<u64>(hart.PMPADDR + (i << 3), field(load<u64>(hart.PMPADDR + (i << 3))));
  events.haltCode = <u32>field(events.haltCode);
  // Version 2: the board's devices.
  events.haltKind = <u32>field(events.haltKind);
  hart.seipWritten = field(hart.seipWritten);
  deviceTableState();
  plicState();
  rtcState();
  virtioState();
  uartState();
  consoleInputState();
  htifState();
  interpState();
}
