// The virt board's test finisher ("sifive,test" / syscon poweroff) at 0x10_0000:
// writing 0x5555 powers off with success, (code << 16) | 0x3333 with failure.
import { halt } from "../events";

export const FINISHER_BASE: u64 = 0x10_0000;
export const FINISHER_SIZE: u64 = 0x1000;

export function finisherWrite(offset: u32, value: u64): void {
  if (offset != 0) return;
  const v = <u32>value;
  const kind = v & 0xFFFF;
  if (kind == 0x5555) halt(0);
  else if (kind == 0x3333) halt(v >> 16);
  else if (kind == 0x7777) halt(0); // reset: we stop the machine rather than reboot it
}
