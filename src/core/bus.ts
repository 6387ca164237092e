// The physical address map outside RAM: a table of devices, each a range
// [base, base + size) with a kind, a unit (a virtio slot) and an interrupt
// source. init() maps QEMU virt's devices; the host may remap them from its
// board table (deviceMap). RAM itself is reached directly by the MMU through
// host addresses. Accesses outside every device are access faults.
import { CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS, raise } from "./events";
import { DEVICE_TABLE } from "./layout";
import { field } from "./state-cursor";
import { clintRead, clintWrite } from "./devices/clint";
import { uartRead, uartWrite, uartIrq } from "./devices/uart";
import { finisherWrite } from "./devices/test-finisher";
import { plicRead, plicWrite } from "./devices/plic";
import { rtcRead, rtcWrite } from "./devices/rtc";
import { virtioRead, virtioSetIrq, virtioWrite, VIRTIO_SLOTS } from "./devices/virtio-mmio";

// Device kinds (the host's deviceMap names them by these numbers).
export const DEV_NONE: u32 = 0;
export const DEV_CLINT: u32 = 1;
export const DEV_PLIC: u32 = 2;
export const DEV_UART: u32 = 3;
export const DEV_FINISHER: u32 = 4;
export const DEV_RTC: u32 = 5;
export const DEV_VIRTIO: u32 = 6;

export const DEVICE_ENTRIES: u32 = 16;
// Each entry: base, size, kind | unit << 8 | irq << 16 (three u64).
const ENTRY_BYTES: usize = 24;
let deviceCount: u32 = 0;

@inline function entry(i: u32): usize {
  return DEVICE_TABLE + <usize>i * ENTRY_BYTES;
}

export function deviceMapClear(): void {
  memory.fill(DEVICE_TABLE, 0, <usize>DEVICE_ENTRIES * ENTRY_BYTES);
  deviceCount = 0;
}

// Adds a device; false when the table is full or the kind is unknown.
export function deviceMap(kind: u32, base: u64, size: u64, unit: u32, irq: u32): bool {
  if (deviceCount >= DEVICE_ENTRIES || kind == DEV_NONE || kind > DEV_VIRTIO || size == 0) return false;
  if (kind == DEV_VIRTIO && unit >= VIRTIO_SLOTS) return false;
  const e = entry(deviceCount++);
  store<u64>(e, base);
  store<u64>(e, size, 8);
  store<u64>(e, <u64>kind | (<u64>(unit & 0xFF) << 8) | (<u64>(irq & 0xFFFF) << 16), 16);
  applyIrq(kind, unit, irq);
  return true;
}

function applyIrq(kind: u32, unit: u32, irq: u32): void {
  if (kind == DEV_UART) uartIrq = irq;
  else if (kind == DEV_VIRTIO) virtioSetIrq(unit, irq);
}

// QEMU 7.2 virt's memory map (hw/riscv/virt.c virt_memmap) and interrupt sources.
export function deviceMapVirt(): void {
  deviceMapClear();
  deviceMap(DEV_FINISHER, 0x10_0000, 0x1000, 0, 0);
  deviceMap(DEV_RTC, 0x10_1000, 0x1000, 0, 11);
  deviceMap(DEV_CLINT, 0x200_0000, 0x1_0000, 0, 0);
  deviceMap(DEV_PLIC, 0xC00_0000, 0x60_0000, 0, 0);
  deviceMap(DEV_UART, 0x1000_0000, 0x100, 0, 10);
  for (let n: u32 = 0; n < VIRTIO_SLOTS; n++) deviceMap(DEV_VIRTIO, 0x1000_1000 + <u64>n * 0x1000, 0x1000, n, 1 + n);
}

export function deviceTableState(): void {
  deviceCount = <u32>field(deviceCount);
  for (let i: u32 = 0; i < DEVICE_ENTRIES; i++) {
    const e = entry(i);
    store<u64>(e, field(load<u64>(e)));
    store<u64>(e, field(load<u64>(e, 8)), 8);
    store<u64>(e, field(load<u64>(e, 16)), 16);
  }
}

// The entry whose range holds `pa`, or -1.
function find(pa: u64): i32 {
  for (let i: u32 = 0; i < deviceCount; i++) {
    const e = entry(i);
    if (pa - load<u64>(e) < load<u64>(e, 8)) return <i32>i;
  }
  return -1;
}

export function mmioRead(pa: u64, size: u32, va: u64): u64 {
  const i = find(pa);
  if (i < 0) {
    raise(CAUSE_LOAD_ACCESS, va);
    return 0;
  }
  const e = entry(<u32>i);
  const offset = <u32>(pa - load<u64>(e));
  const word = load<u64>(e, 16);
  switch (<u32>word & 0xFF) {
    case DEV_CLINT: return clintRead(offset, size);
    case DEV_PLIC: return plicRead(offset, size);
    case DEV_UART: return <u64>uartRead(offset);
    case DEV_RTC: return size == 4 ? <u64>rtcRead(offset) : 0;
    case DEV_VIRTIO: return virtioRead(<u32>(word >> 8) & 0xFF, offset, size);
  }
  return 0;
}

export function mmioWrite(pa: u64, size: u32, value: u64, va: u64): void {
  const i = find(pa);
  if (i < 0) {
    raise(CAUSE_STORE_ACCESS, va);
    return;
  }
  const e = entry(<u32>i);
  const offset = <u32>(pa - load<u64>(e));
  const word = load<u64>(e, 16);
  switch (<u32>word & 0xFF) {
    case DEV_CLINT: clintWrite(offset, size, value); break;
    case DEV_PLIC: plicWrite(offset, size, value); break;
    case DEV_UART: uartWrite(offset, <u32>value); break;
    case DEV_FINISHER: finisherWrite(offset, value); break;
    case DEV_RTC: if (size == 4) rtcWrite(offset, <u32>value); break;
    case DEV_VIRTIO: virtioWrite(<u32>(word >> 8) & 0xFF, offset, size, value); break;
  }
}
