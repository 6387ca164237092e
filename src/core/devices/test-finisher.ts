// The virt board's test finisher ("sifive,test" / syscon poweroff and reboot)
// at 0x10_0000: writing 0x5555 powers off with success, (code << 16) | 0x3333
// with failure code `code`, 0x7777 asks for a reset (the machine halts with a
// reboot reason: the host decides what a reboot means).
import { halt, reboot } from "../events";

export function finisherWrite(offset: u32, value: u64): void {
  if (offset != 0) return;
  const v = <u32>value;
  const kind = v & 0xFFFF;
  if (kind == 0x5555) halt(0);
  else if (kind == 0x3333) halt(v >> 16);
  else if (kind == 0x7777) reboot();
}
