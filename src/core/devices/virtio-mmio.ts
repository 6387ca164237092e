// virtio-mmio transports, version 2 ("modern"; virtio 1.2 section 4.2.2),
// eight slots as on QEMU virt (0x1000_1000 + n * 0x1000, IRQ 1 + n). This is
// the register model only: the host attaches a device kind to a slot
// (virtioSetDevice) and serves its queues when the driver writes QueueNotify,
// which stops run() with EXIT_NOTIFY. The queue addresses, the index of the
// next available entry the host will serve, and the interrupt status all live
// here, so they are in the state record and the host keeps no queue state.
// A slot with device id 0 is empty: it reads as QEMU's empty transports do.
import { VIRTIO_CONFIG, VIRTIO_REGS } from "../layout";
import { EV_NOTIFY, signal } from "../events";
import { plicSetLevel } from "./plic";
import { field } from "../state-cursor";

export const VIRTIO_SLOTS: u32 = 8;
export const VIRTIO_QUEUES: u32 = 4;
export const VIRTIO_CONFIG_BYTES: u32 = 256;
const SLOT_FIELDS: u32 = 64;

const MAGIC: u32 = 0x7472_6976; // "virt"
const VENDOR: u32 = 0x554D_4551; // "QEMU", as QEMU's transports report
const STATUS_FEATURES_OK: u64 = 8;

// Slot register indices (u64 each).
const F_DEVICE_ID: u32 = 0;
const F_DEVICE_FEATURES: u32 = 1;
const F_DEVICE_FEATURES_SEL: u32 = 2;
const F_DRIVER_FEATURES: u32 = 3;
const F_DRIVER_FEATURES_SEL: u32 = 4;
const F_QUEUE_SEL: u32 = 5;
const F_STATUS: u32 = 6;
const F_INTERRUPT_STATUS: u32 = 7;
const F_CONFIG_GENERATION: u32 = 8;
const F_QUEUE_COUNT: u32 = 9;
const F_QUEUE_NUM_MAX: u32 = 10;
const F_IRQ: u32 = 11;
// Words the host's backend keeps with the device (virtio-rng's stream
// position, say): state that must travel in snapshots with the registers.
const F_HOST_WORDS: u32 = 12;
export const HOST_WORDS: u32 = 4;
const F_QUEUE_BASE: u32 = 16;
const QUEUE_FIELDS: u32 = 8;
// Per-queue fields: these numbers are also the host's virtioQueue() selectors.
export const Q_NUM: u32 = 0;
export const Q_READY: u32 = 1;
export const Q_DESC: u32 = 2;
export const Q_DRIVER: u32 = 3;
export const Q_DEVICE: u32 = 4;
export const Q_HOST_INDEX: u32 = 5;

export let notifySlot: u32 = 0;
export let notifyQueue: u32 = 0;

@inline function reg(slot: u32, f: u32): usize {
  return VIRTIO_REGS + ((<usize>slot * SLOT_FIELDS + f) << 3);
}

@inline function get(slot: u32, f: u32): u64 {
  return load<u64>(reg(slot, f));
}

@inline function put(slot: u32, f: u32, v: u64): void {
  store<u64>(reg(slot, f), v);
}

@inline function queueField(slot: u32, q: u32, f: u32): u32 {
  return F_QUEUE_BASE + q * QUEUE_FIELDS + f;
}

export function virtioReset(): void {
  memory.fill(VIRTIO_REGS, 0, <usize>VIRTIO_SLOTS * SLOT_FIELDS * 8);
  memory.fill(VIRTIO_CONFIG, 0, <usize>VIRTIO_SLOTS * VIRTIO_CONFIG_BYTES);
  for (let s: u32 = 0; s < VIRTIO_SLOTS; s++) put(s, F_IRQ, 1 + s);
  notifySlot = 0;
  notifyQueue = 0;
}

export function virtioState(): void {
  for (let s: u32 = 0; s < VIRTIO_SLOTS; s++) {
    for (let f: u32 = 0; f < SLOT_FIELDS; f++) put(s, f, field(get(s, f)));
    const config = VIRTIO_CONFIG + <usize>s * VIRTIO_CONFIG_BYTES;
    for (let i: u32 = 0; i < VIRTIO_CONFIG_BYTES; i += 8) store<u64>(config + i, field(load<u64>(config + i)));
  }
  notifySlot = <u32>field(notifySlot);
  notifyQueue = <u32>field(notifyQueue);
}

// ---- the host's side ------------------------------------------------------

// Attaches a device (virtio device id, 0 to empty the slot) with its feature
// bits, number of queues and maximum queue size; the driver sees a device
// after reset. The configuration space is zeroed for the host to fill.
export function virtioSetDevice(slot: u32, deviceId: u32, features: u64, queues: u32, queueNumMax: u32): void {
  if (slot >= VIRTIO_SLOTS) return;
  const irq = get(slot, F_IRQ);
  memory.fill(reg(slot, 0), 0, SLOT_FIELDS * 8);
  memory.fill(VIRTIO_CONFIG + <usize>slot * VIRTIO_CONFIG_BYTES, 0, VIRTIO_CONFIG_BYTES);
  put(slot, F_IRQ, irq);
  put(slot, F_DEVICE_ID, deviceId);
  put(slot, F_DEVICE_FEATURES, features);
  put(slot, F_QUEUE_COUNT, queues < VIRTIO_QUEUES ? queues : VIRTIO_QUEUES);
  put(slot, F_QUEUE_NUM_MAX, queueNumMax);
}

export function virtioSetIrq(slot: u32, irq: u32): void {
  if (slot < VIRTIO_SLOTS) put(slot, F_IRQ, irq);
}

export function virtioConfigAddress(slot: u32): usize {
  return VIRTIO_CONFIG + <usize>(slot % VIRTIO_SLOTS) * VIRTIO_CONFIG_BYTES;
}

export function virtioQueue(slot: u32, q: u32, f: u32): u64 {
  if (slot >= VIRTIO_SLOTS || q >= VIRTIO_QUEUES || f >= QUEUE_FIELDS) return 0;
  return get(slot, queueField(slot, q, f));
}

export function virtioSetHostIndex(slot: u32, q: u32, index: u32): void {
  if (slot < VIRTIO_SLOTS && q < VIRTIO_QUEUES) put(slot, queueField(slot, q, Q_HOST_INDEX), <u64>(index & 0xFFFF));
}

export function virtioHostWord(slot: u32, i: u32): u64 {
  return slot < VIRTIO_SLOTS && i < HOST_WORDS ? get(slot, F_HOST_WORDS + i) : 0;
}

export function virtioSetHostWord(slot: u32, i: u32, v: u64): void {
  if (slot < VIRTIO_SLOTS && i < HOST_WORDS) put(slot, F_HOST_WORDS + i, v);
}

export function virtioDriverFeatures(slot: u32): u64 {
  return slot < VIRTIO_SLOTS ? get(slot, F_DRIVER_FEATURES) : 0;
}

export function virtioStatus(slot: u32): u32 {
  return slot < VIRTIO_SLOTS ? <u32>get(slot, F_STATUS) : 0;
}

// The device used buffers (bit 0) or changed its configuration (bit 1).
export function virtioInterrupt(slot: u32, bits: u32): void {
  if (slot >= VIRTIO_SLOTS || get(slot, F_DEVICE_ID) == 0) return;
  if ((bits & 2) != 0) put(slot, F_CONFIG_GENERATION, get(slot, F_CONFIG_GENERATION) + 1);
  put(slot, F_INTERRUPT_STATUS, get(slot, F_INTERRUPT_STATUS) | <u64>(bits & 3));
  updateLine(slot);
}

function updateLine(slot: u32): void {
  plicSetLevel(<u32>get(slot, F_IRQ), get(slot, F_INTERRUPT_STATUS) != 0);
}

// ---- the guest's side (virtio 1.2 table 4.1) --------------------------------

export function virtioRead(slot: u32, offset: u32, size: u32): u64 {
  const id = get(slot, F_DEVICE_ID);
  if (offset >= 0x100) return id == 0 ? 0 : configRead(slot, offset - 0x100, size);
  if (size != 4) return 0;
  if (offset == 0x000) return MAGIC;
  if (offset == 0x004) return 2;
  if (offset == 0x00C) return VENDOR;
  if (id == 0) return 0;
  const q = <u32>get(slot, F_QUEUE_SEL);
  const inRange = q < <u32>get(slot, F_QUEUE_COUNT);
  switch (offset) {
    case 0x008: return id;
    case 0x010: {
      const sel = get(slot, F_DEVICE_FEATURES_SEL);
      const f = get(slot, F_DEVICE_FEATURES);
      return sel == 0 ? f & 0xFFFF_FFFF : sel == 1 ? f >> 32 : 0;
    }
    case 0x034: return inRange ? get(slot, F_QUEUE_NUM_MAX) : 0;
    case 0x038: return inRange ? get(slot, queueField(slot, q, Q_NUM)) : 0;
    case 0x044: return inRange ? get(slot, queueField(slot, q, Q_READY)) : 0;
    case 0x060: return get(slot, F_INTERRUPT_STATUS);
    case 0x070: return get(slot, F_STATUS);
    case 0x080: return inRange ? get(slot, queueField(slot, q, Q_DESC)) & 0xFFFF_FFFF : 0;
    case 0x084: return inRange ? get(slot, queueField(slot, q, Q_DESC)) >> 32 : 0;
    case 0x090: return inRange ? get(slot, queueField(slot, q, Q_DRIVER)) & 0xFFFF_FFFF : 0;
    case 0x094: return inRange ? get(slot, queueField(slot, q, Q_DRIVER)) >> 32 : 0;
    case 0x0A0: return inRange ? get(slot, queueField(slot, q, Q_DEVICE)) & 0xFFFF_FFFF : 0;
    case 0x0A4: return inRange ? get(slot, queueField(slot, q, Q_DEVICE)) >> 32 : 0;
    case 0x0FC: return get(slot, F_CONFIG_GENERATION) & 0xFFFF_FFFF;
  }
  return 0;
}

export function virtioWrite(slot: u32, offset: u32, size: u32, value: u64): void {
  if (get(slot, F_DEVICE_ID) == 0) return;
  if (offset >= 0x100) {
    configWrite(slot, offset - 0x100, size, value);
    return;
  }
  if (size != 4) return;
  const v = value & 0xFFFF_FFFF;
  const q = <u32>get(slot, F_QUEUE_SEL);
  const inRange = q < <u32>get(slot, F_QUEUE_COUNT);
  switch (offset) {
    case 0x014: put(slot, F_DEVICE_FEATURES_SEL, v); break;
    case 0x020: {
      const sel = get(slot, F_DRIVER_FEATURES_SEL);
      const f = get(slot, F_DRIVER_FEATURES);
      if (sel == 0) put(slot, F_DRIVER_FEATURES, (f & 0xFFFF_FFFF_0000_0000) | v);
      else if (sel == 1) put(slot, F_DRIVER_FEATURES, (f & 0xFFFF_FFFF) | (v << 32));
      break;
    }
    case 0x024: put(slot, F_DRIVER_FEATURES_SEL, v); break;
    case 0x030: put(slot, F_QUEUE_SEL, v); break;
    case 0x038: if (inRange) put(slot, queueField(slot, q, Q_NUM), v <= get(slot, F_QUEUE_NUM_MAX) ? v : get(slot, F_QUEUE_NUM_MAX)); break;
    case 0x044: if (inRange) put(slot, queueField(slot, q, Q_READY), v & 1); break;
    case 0x050:
      if (<u32>v < <u32>get(slot, F_QUEUE_COUNT)) {
        notifySlot = slot;
        notifyQueue = <u32>v;
        signal(EV_NOTIFY);
      }
      break;
    case 0x064:
      put(slot, F_INTERRUPT_STATUS, get(slot, F_INTERRUPT_STATUS) & ~v);
      updateLine(slot);
      break;
    case 0x070: writeStatus(slot, v); break;
    case 0x080: if (inRange) setHalf(slot, queueField(slot, q, Q_DESC), false, v); break;
    case 0x084: if (inRange) setHalf(slot, queueField(slot, q, Q_DESC), true, v); break;
    case 0x090: if (inRange) setHalf(slot, queueField(slot, q, Q_DRIVER), false, v); break;
    case 0x094: if (inRange) setHalf(slot, queueField(slot, q, Q_DRIVER), true, v); break;
    case 0x0A0: if (inRange) setHalf(slot, queueField(slot, q, Q_DEVICE), false, v); break;
    case 0x0A4: if (inRange) setHalf(slot, queueField(slot, q, Q_DEVICE), true, v); break;
  }
}

function setHalf(slot: u32, f: u32, high: bool, v: u64): void {
  const old = get(slot, f);
  put(slot, f, high ? (old & 0xFFFF_FFFF) | (v << 32) : (old & 0xFFFF_FFFF_0000_0000) | v);
}

// Writing 0 resets the device (4.2.2.1); FEATURES_OK sticks only for a
// subset of the offered features (3.1.1 step 5).
function writeStatus(slot: u32, v: u64): void {
  if (v == 0) {
    for (let f: u32 = F_DRIVER_FEATURES; f <= F_INTERRUPT_STATUS; f++) put(slot, f, 0);
    put(slot, F_DEVICE_FEATURES_SEL, 0);
    memory.fill(reg(slot, F_QUEUE_BASE), 0, VIRTIO_QUEUES * QUEUE_FIELDS * 8);
    updateLine(slot);
    return;
  }
  let status = v & 0xFF;
  if ((status & STATUS_FEATURES_OK) != 0 && (get(slot, F_DRIVER_FEATURES) & ~get(slot, F_DEVICE_FEATURES)) != 0) {
    status &= ~STATUS_FEATURES_OK;
  }
  put(slot, F_STATUS, status);
}

function configRead(slot: u32, offset: u32, size: u32): u64 {
  if (offset + size > VIRTIO_CONFIG_BYTES) return 0;
  const at = virtioConfigAddress(slot) + offset;
  if (size == 1) return <u64>load<u8>(at);
  if (size == 2) return <u64>load<u16>(at);
  if (size == 4) return <u64>load<u32>(at);
  return load<u64>(at);
}

function configWrite(slot: u32, offset: u32, size: u32, value: u64): void {
  if (offset + size > VIRTIO_CONFIG_BYTES) return;
  const at = virtioConfigAddress(slot) + offset;
  if (size == 1) store<u8>(at, <u8>value);
  else if (size == 2) store<u16>(at, <u16>value);
  else if (size == 4) store<u32>(at, <u32>value);
  else store<u64>(at, value);
}
