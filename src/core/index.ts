// The wasm core's exports: the host contract described in docs/core.md.
import * as hart from "./hart";
import * as mmu from "./mmu";
import * as events from "./events";
import { CONSOLE, PAGE_ABSENT, PAGE_DIRTY, PAGE_WATCHED, PAGE_WRITTEN, PAGE_FLAGS, PAGE_FLAGS_SIZE, RAM_BASE, RAM_HOST, REGION_BASE, STATE_BUFFER } from "./layout";
import * as ram from "./ram";
import { loadState, saveState } from "./state";
import {
  consoleLength as queued, consoleClear as clearQueue, consoleInputPush as inputPush,
  consoleInputPending as inputPending, consoleInputReset,
} from "./devices/console";
import { htifConfigure } from "./devices/htif";
import { uartInputArrived, uartReset } from "./devices/uart";
import { plicPending, plicReset, plicSetLevel } from "./devices/plic";
import { rtcEpochNs, rtcReset } from "./devices/rtc";
import * as virtio from "./devices/virtio-mmio";
import { deviceMap as mapDevice, deviceMapClear as clearDeviceMap, deviceMapVirt } from "./bus";
import { updateTimerBits } from "./trap";
import { dcacheInit, invalidateAllCode, invalidateCodePage } from "./dcache";
import { run as runLoop, ecallExits, userTrapExits, lastRunCycles, interpReset } from "./interp";
import { fpFlags } from "./fpu";

const MAX_RAM: u32 = PAGE_FLAGS_SIZE << 12;
let initialized = false;

// A new machine with `ramBytes` of zeroed RAM; 0 on success, 1 if the size is
// unsupported or the host cannot give the memory. `onDemand`: the wasm memory
// grows as RAM gets used instead of now (ram.ts; the host then calls backRam
// before writing RAM past ramBacked). An instance that ran a machine before
// is returned to the state of a fresh one, clearing only what that machine
// may have written.
export function init(ramBytes: u32, onDemand: bool): u32 {
  if (ramBytes == 0 || (ramBytes & 0xFFF) != 0 || ramBytes > MAX_RAM) return 1;
  if (__heap_base > REGION_BASE) unreachable(); // static data would overlap the fixed regions
  if (initialized) ram.wipeRam();
  initialized = true;
  if (!ram.setRam(ramBytes, onDemand)) return 1;
  dcacheInit();
  events.eventsReset();
  interpReset();
  htifConfigure(0, 0);
  uartReset();
  plicReset();
  rtcReset();
  virtio.virtioReset();
  deviceMapVirt();
  clearQueue();
  consoleInputReset();
  reset(RAM_BASE);
  return 0;
}

export function ramOffset(): u32 {
  return <u32>RAM_HOST;
}

export function ramSize(): u32 {
  return <u32>ram.ramSize;
}

// How much of RAM has wasm memory yet (all of it unless init was onDemand).
export function ramBacked(): u32 {
  return <u32>ram.ramBacked;
}

// Backs RAM offsets below `bytes` before the host writes there; false when the memory cannot grow.
export function backRam(bytes: u32): bool {
  return ram.backRam(bytes);
}

export function reset(pc: u64): void {
  hart.resetHart(pc);
  fpFlags = 0;
  events.pending = 0;
  mmu.flushTlb();
}

export function getPc(): u64 {
  return hart.pc;
}

export function setPc(v: u64): void {
  hart.pc = v;
}

export function getX(i: u32): u64 {
  return i < 32 ? hart.getX(i) : 0;
}

export function setX(i: u32, v: u64): void {
  if (i > 0 && i < 32) hart.setX(i, v);
}

export function getF(i: u32): u64 {
  return i < 32 ? hart.getF(i) : 0;
}

export function setF(i: u32, v: u64): void {
  if (i < 32) hart.setF(i, v);
}

// fcsr as the F extension lays it out (frm << 5 | fflags): process mode keeps
// one per thread and saves it in signal frames.
export function getFcsr(): u32 {
  return (hart.frm << 5) | fpFlags;
}

export function setFcsr(v: u32): void {
  hart.frm = (v >> 5) & 7;
  fpFlags = v & 0x1F;
}

// Process mode switches threads on the one hart: like a kernel's trap return,
// it drops the LR reservation so that another thread's SC cannot succeed on it.
export function clearReservation(): void {
  hart.reservation = 0xFFFF_FFFF_FFFF_FFFF;
}

export function getPriv(): u32 {
  return hart.priv;
}

export function setHtif(tohost: u64, fromhost: u64): void {
  htifConfigure(tohost, fromhost);
}

export function setEcallExits(on: bool): void {
  ecallExits = on;
}

export function setUserTrapExits(on: bool): void {
  userTrapExits = on;
}

// The exception behind an EXIT_TRAP (mcause / mtval encoding).
export function trapCause(): u64 {
  return events.trapCause;
}

export function trapValue(): u64 {
  return events.trapValue;
}

export function setPriv(p: u32): void {
  hart.priv = p == 0 ? hart.PRIV_U : p == 1 ? hart.PRIV_S : hart.PRIV_M;
  mmu.flushTlb();
}

export function getSatp(): u64 {
  return hart.satp;
}

// Process mode: the host builds page tables in guest RAM and points satp at them.
export function setSatp(v: u64): void {
  hart.satp = v;
  mmu.flushTlb();
}

// Process mode: enable the FPU (mstatus.FS) as a kernel does for a new task,
// and allow U-mode to read cycle, time and instret.
export function enableUserFeatures(): void {
  hart.mstatus |= hart.MSTATUS_FS_DIRTY;
  hart.mcounteren = 7;
  hart.scounteren = 7;
}

// The host changed page tables: forget cached translations.
export function flushTranslations(): void {
  mmu.flushTlb();
}

// ---- snapshots (docs/snapshot-format.md) --------------------------------

export function stateBuffer(): u32 {
  return <u32>STATE_BUFFER;
}

export function stateSave(): u32 {
  return saveState();
}

export function stateLoad(length: u32): bool {
  return loadState(length);
}

// One flag byte per RAM page: PAGE_CODE 1, PAGE_WATCHED 2, PAGE_DIRTY 4, PAGE_ABSENT 8, PAGE_WRITTEN 16.
export function pageFlags(): u32 {
  return <u32>PAGE_FLAGS;
}

// Start a new dirty-tracking epoch: clears every page's dirty flag (leaving
// it written) and the write TLB that would otherwise let stores skip setting it.
export function clearDirty(): void {
  ram.endDirtyEpoch();
  mmu.flushWriteTlb();
}

// Lazy restore: pages [first, first + count) hold nothing yet; touching one
// stops run() with EXIT_PAGE_ABSENT (7) and absentPage() names it.
// Pages the HTIF mailbox watches are never made absent: the device writes
// them itself, so the host must fill them before running.
export function setPagesAbsent(first: u32, count: u32): void {
  for (let p = first; p < first + count; p++) {
    const flags = load<u8>(PAGE_FLAGS + p);
    if ((flags & PAGE_WATCHED) == 0) store<u8>(PAGE_FLAGS + p, flags | PAGE_ABSENT);
  }
  mmu.flushTlb();
}

// The host has written the page's content: it may now be accessed.
export function setPagePresent(page: u32): void {
  store<u8>(PAGE_FLAGS + page, (load<u8>(PAGE_FLAGS + page) & ~PAGE_ABSENT) | PAGE_WRITTEN);
  invalidateCodePage(page);
  events.pending = 0;
}

export function absentPage(): u32 {
  return events.absentPage;
}

export function run(budget: u64): u32 {
  if (budget == 0) {
    lastRunCycles = 0;
    return events.EXIT_BUDGET;
  }
  return runLoop(budget);
}

// Cycles the last run() used: retired instructions plus idle and trap-entry
// cycles. Unlike instret() deltas, a guest writing minstret cannot skew it.
export function runCycles(): u64 {
  return lastRunCycles;
}

export function exitCode(): u32 {
  return events.haltCode;
}

// After EXIT_FAULT: 1 = the trap handler's address cannot be fetched (a trap loop).
export function faultReason(): u32 {
  return events.haltReason;
}

export function instret(): u64 {
  return hart.retired;
}

export function cycle(): u64 {
  return hart.retired + hart.idleCycles;
}

export function consoleOffset(): u32 {
  return <u32>CONSOLE;
}

export function consoleLength(): u32 {
  return queued;
}

export function consoleClear(): void {
  clearQueue();
}

// Console input for the UART: false when its queue is full (push again after the guest reads).
export function consoleInputPush(byte: u32): bool {
  const pushed = inputPush(byte);
  if (pushed) uartInputArrived();
  return pushed;
}

export function consoleInputPending(): u32 {
  return inputPending();
}

// The host wrote guest RAM directly: forget decoded instructions there.
export function codeWritten(paddr: u64, len: u32): void {
  if (paddr >= RAM_BASE) ram.markWritten(paddr - RAM_BASE, len);
  if (len >= 0x10000) {
    invalidateAllCode();
  } else if (len > 0) {
    const first = <u32>((paddr - RAM_BASE) >> 12);
    const last = <u32>((paddr + len - 1 - RAM_BASE) >> 12);
    for (let page = first; page <= last; page++) invalidateCodePage(page);
  }
  events.pending = 0;
}

// ---- the board's devices (docs/core.md "Devices") ---------------------------

// Why the last HALT happened: 0 poweroff or exit (exitCode()), 1 a reboot request.
export function haltKind(): u32 {
  return events.haltKind;
}

// The device table: the host may replace QEMU virt's default map with its
// board's (kinds: 1 CLINT, 2 PLIC, 3 UART, 4 test finisher, 5 RTC, 6 virtio-mmio slot `unit`).
export function deviceMapClear(): void {
  clearDeviceMap();
}

export function deviceMap(kind: u32, base: u64, size: u64, unit: u32, irq: u32): bool {
  return mapDevice(kind, base, size, unit, irq);
}

// The goldfish RTC reads epochNs plus guest time (nanoseconds since 1970).
export function rtcSetEpoch(epochNs: u64): void {
  rtcEpochNs = epochNs;
}

// A device line into the PLIC, for host-side devices and tests.
export function irqSetLevel(source: u32, level: bool): void {
  plicSetLevel(source, level);
  updateTimerBits();
}

export function irqPending(source: u32): bool {
  return plicPending(source);
}

export function virtioSetDevice(slot: u32, deviceId: u32, features: u64, queues: u32, queueNumMax: u32): void {
  virtio.virtioSetDevice(slot, deviceId, features, queues, queueNumMax);
}

// Where slot's 256-byte device configuration space lives in memory (the host writes it).
export function virtioConfig(slot: u32): u32 {
  return <u32>virtio.virtioConfigAddress(slot);
}

// After EXIT_NOTIFY (8): which slot and queue the driver notified.
export function virtioNotifySlot(): u32 {
  return virtio.notifySlot;
}

export function virtioNotifyQueue(): u32 {
  return virtio.notifyQueue;
}

// A queue's registers: 0 size, 1 ready, 2 descriptor table, 3 driver (avail) ring, 4 device (used) ring,
// 5 the host's next available-ring index to serve.
export function virtioQueue(slot: u32, queue: u32, selector: u32): u64 {
  return virtio.virtioQueue(slot, queue, selector);
}

export function virtioSetHostIndex(slot: u32, queue: u32, index: u32): void {
  virtio.virtioSetHostIndex(slot, queue, index);
}

// Four words per slot that the host's backend keeps in the state record (reset by virtioSetDevice only).
export function virtioHostWord(slot: u32, i: u32): u64 {
  return virtio.virtioHostWord(slot, i);
}

export function virtioSetHostWord(slot: u32, i: u32, v: u64): void {
  virtio.virtioSetHostWord(slot, i, v);
}

export function virtioDriverFeatures(slot: u32): u64 {
  return virtio.virtioDriverFeatures(slot);
}

export function virtioStatus(slot: u32): u32 {
  return virtio.virtioStatus(slot);
}

// The device used buffers (bit 0) or changed its configuration (bit 1): raises its interrupt.
export function virtioInterrupt(slot: u32, bits: u32): void {
  virtio.virtioInterrupt(slot, bits);
  updateTimerBits();
}

// A device wrote guest RAM (DMA): the pages are dirty and their decoded code stale.
export function dmaWritten(paddr: u64, len: u32): void {
  if (len == 0 || paddr < RAM_BASE || paddr - RAM_BASE >= <u64>ram.ramSize) return;
  const first = <u32>((paddr - RAM_BASE) >> 12);
  const end = paddr - RAM_BASE + <u64>len;
  const last = <u32>(((end < <u64>ram.ramSize ? end : <u64>ram.ramSize) - 1) >> 12);
  for (let page = first; page <= last; page++) {
    store<u8>(PAGE_FLAGS + page, load<u8>(PAGE_FLAGS + page) | PAGE_DIRTY);
    invalidateCodePage(page);
  }
}
