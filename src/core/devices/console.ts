// The console output queue shared by the UART and HTIF: bytes wait in linear
// memory until the host drains them after run() returns.
import { CONSOLE, CONSOLE_HIGH_WATER, CONSOLE_SIZE } from "../layout";
import { EV_CONSOLE_FULL, signal } from "../events";

export let consoleLength: u32 = 0;

export function consolePut(byte: u32): void {
  if (consoleLength < CONSOLE_SIZE) {
    store<u8>(CONSOLE + consoleLength, <u8>byte);
    consoleLength++;
  }
  if (consoleLength >= CONSOLE_HIGH_WATER) signal(EV_CONSOLE_FULL);
}

export function consoleClear(): void {
  consoleLength = 0;
}
