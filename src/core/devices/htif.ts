// HTIF mailbox (the riscv-tests / spike convention): two 64-bit words in guest
// RAM named by the ELF's `tohost` and `fromhost` symbols. The page holding
// them is watched, so every store to it reaches htifStored().
import { PAGE_DIRTY, PAGE_FLAGS, PAGE_WATCHED, RAM_BASE, RAM_HOST } from "../layout";
import { FAULT_NO_MEMORY, halt, raiseFault } from "../events";
import { backRam } from "../ram";
import { consolePut } from "./console";
import { field } from "../state-cursor";

export let tohost: u64 = 0;
export let fromhost: u64 = 0;

// Both mailbox pages are watched: stores to them take the slow path, and a
// host never leaves them absent (the device writes them behind the guest's
// back, so they must be resident; see setPagesAbsent).
export function htifConfigure(to: u64, from: u64): void {
  tohost = to;
  fromhost = from;
  watch(to);
  watch(from);
}

function watch(pa: u64): void {
  if (pa == 0) return;
  const page = <usize>((pa - RAM_BASE) >> 12);
  store<u8>(PAGE_FLAGS + page, load<u8>(PAGE_FLAGS + page) | PAGE_WATCHED);
}

// A write by the device: guest RAM changed, so the page is dirty. The
// guest may never have touched fromhost's page, which may then lack memory.
function deviceStore(pa: u64, value: u64): void {
  if (!backRam(pa - RAM_BASE + 8)) {
    raiseFault(FAULT_NO_MEMORY);
    return;
  }
  store<u64>(RAM_HOST + <usize>(pa - RAM_BASE), value);
  const flags = PAGE_FLAGS + <usize>((pa - RAM_BASE) >> 12);
  store<u8>(flags, load<u8>(flags) | PAGE_DIRTY);
}

// The mailbox addresses; loading them also re-marks the watched page.
export function htifState(): void {
  const to = field(tohost);
  const from = field(fromhost);
  htifConfigure(to, from);
}

// A command is complete once its upper word is written: riscv-tests store the
// low word first, then the high word, so acting on the low word alone would
// misread a console command as an exit.
export function htifStored(pa: u64, size: u32): void {
  if (tohost == 0 || pa + size <= tohost + 4 || pa >= tohost + 8) return;
  const host = RAM_HOST + <usize>(tohost - RAM_BASE);
  const cmd = load<u64>(host);
  if (cmd == 0) return;
  const device = <u32>(cmd >> 56);
  const command = <u32>(cmd >> 48) & 0xFF;
  if (device == 0 && command == 0 && (cmd & 1) != 0) {
    halt(<u32>((cmd & 0xFFFF_FFFF_FFFF) >> 1));
    return;
  }
  if (device == 1 && command == 1) consolePut(<u32>cmd & 0xFF);
  // Acknowledge: clear the request and post a response, as the host side of HTIF does.
  deviceStore(tohost, 0);
  if (fromhost != 0) deviceStore(fromhost, (<u64>device << 56) | (<u64>command << 48) | 1);
}
