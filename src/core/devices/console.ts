// The console queues. Output (UART transmit, HTIF putchar) waits in linear
// memory until the host drains it after run() returns. Input is pushed by the
// host and read by the UART; what the guest has not read yet is machine
// state, so it is part of the state record.
import { CONSOLE, CONSOLE_HIGH_WATER, CONSOLE_INPUT, CONSOLE_INPUT_SIZE, CONSOLE_SIZE } from "../layout";
import { EV_CONSOLE_FULL, signal } from "../events";
import { field, stateLoading } from "../state-cursor";

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

// Input ring: `inputStart` is the next byte to read, `inputCount` how many wait.
let inputStart: u32 = 0;
let inputCount: u32 = 0;

// Queues a byte of input; false when the ring is full (the host retries after the guest reads).
export function consoleInputPush(byte: u32): bool {
  if (inputCount >= CONSOLE_INPUT_SIZE) return false;
  store<u8>(CONSOLE_INPUT + ((inputStart + inputCount) & (CONSOLE_INPUT_SIZE - 1)), <u8>byte);
  inputCount++;
  return true;
}

export function consoleInputAvailable(): bool {
  return inputCount > 0;
}

export function consoleInputPop(): u32 {
  if (inputCount == 0) return 0;
  const b = <u32>load<u8>(CONSOLE_INPUT + inputStart);
  inputStart = (inputStart + 1) & (CONSOLE_INPUT_SIZE - 1);
  inputCount--;
  return b;
}

export function consoleInputPending(): u32 {
  return inputCount;
}

export function consoleInputReset(): void {
  inputStart = 0;
  inputCount = 0;
}

// The unread input as a fixed-size field list (so the record's length never
// varies): the bytes in reading order, zero-padded, eight to a field.
export function consoleInputState(): void {
  const loadingNow = stateLoading();
  const count = <u32>field(inputCount);
  for (let i: u32 = 0; i < CONSOLE_INPUT_SIZE; i += 8) {
    let word: u64 = 0;
    for (let k: u32 = 0; k < 8 && i + k < inputCount; k++) {
      word |= <u64>load<u8>(CONSOLE_INPUT + ((inputStart + i + k) & (CONSOLE_INPUT_SIZE - 1))) << (<u64>k << 3);
    }
    word = field(word);
    if (loadingNow) store<u64>(CONSOLE_INPUT + i, word);
  }
  if (loadingNow) {
    inputStart = 0;
    inputCount = count < CONSOLE_INPUT_SIZE ? count : CONSOLE_INPUT_SIZE;
  }
}
