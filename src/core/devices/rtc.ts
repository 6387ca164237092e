// Goldfish RTC at 0x10_1000 (IRQ 11) as on QEMU virt (Android emulator
// goldfish_rtc). Its time is a fixed epoch (set by the host, part of the
// state record) plus guest time, in nanoseconds: never the host clock, so a
// snapshot reads the same time wherever and whenever it is restored.
// Reading TIME_LOW latches TIME_HIGH, as the driver expects. The guest may
// set the time (Linux's goldfish_rtc_set_time writes TIME_HIGH, then
// TIME_LOW). The alarm registers hold their values; the alarm itself never
// fires (no guest we run arms it).
import * as hart from "../hart";
import { field } from "../state-cursor";

const TIME_LOW: u32 = 0x00;
const TIME_HIGH: u32 = 0x04;
const ALARM_LOW: u32 = 0x08;
const ALARM_HIGH: u32 = 0x0C;
const IRQ_ENABLED: u32 = 0x10;
const ALARM_STATUS: u32 = 0x18;
const NS_PER_TICK: u64 = 100; // mtime's 10 MHz

export let rtcEpochNs: u64 = 0;
let offsetNs: u64 = 0; // what guest writes added to the epoch
let highLatch: u64 = 0;
let highWritten: u64 = 0;
let alarm: u64 = 0;
let irqEnabled: u64 = 0;

export function rtcReset(): void {
  rtcEpochNs = 0;
  offsetNs = 0;
  highLatch = 0;
  highWritten = 0;
  alarm = 0;
  irqEnabled = 0;
}

export function rtcState(): void {
  rtcEpochNs = field(rtcEpochNs);
  offsetNs = field(offsetNs);
  highLatch = field(highLatch);
  highWritten = field(highWritten);
  alarm = field(alarm);
  irqEnabled = field(irqEnabled);
}

export function rtcNow(): u64 {
  return rtcEpochNs + offsetNs + (hart.mtimeNow() * NS_PER_TICK);
}

export function rtcRead(offset: u32): u32 {
  switch (offset) {
    case TIME_LOW: {
      const now = rtcNow();
      highLatch = now >> 32;
      return <u32>now;
    }
    case TIME_HIGH: return <u32>highLatch;
    case ALARM_LOW: return <u32>alarm;
    case ALARM_HIGH: return <u32>(alarm >> 32);
    case IRQ_ENABLED: return <u32>irqEnabled;
    case ALARM_STATUS: return 0;
  }
  return 0;
}

export function rtcWrite(offset: u32, value: u32): void {
  switch (offset) {
    case TIME_HIGH: highWritten = <u64>value; break;
    case TIME_LOW: {
      const wanted = (highWritten << 32) | <u64>value;
      offsetNs += wanted - rtcNow();
      break;
    }
    case ALARM_LOW: alarm = (alarm & 0xFFFF_FFFF_0000_0000) | <u64>value; break;
    case ALARM_HIGH: alarm = (alarm & 0xFFFF_FFFF) | (<u64>value << 32); break;
    case IRQ_ENABLED: irqEnabled = <u64>(value & 1); break;
  }
}
