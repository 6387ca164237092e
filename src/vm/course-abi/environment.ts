// What the course ABIs' environment calls share: the registers they read,
// console output and line input on process mode's streams, and the result
// convention. A call returns a value for a0 (or an fa0 value, or none: the
// register keeps what the program put there, as RARS and Venus leave it),
// or one of process mode's Outcomes (exit, block on input, fault).
import type { Kernel, Outcome } from "../linux/kernel.ts";

/** The hart's registers as an environment call sees them. */
export interface CallRegisters {
  getX(i: number): bigint;
  getF(i: number): bigint;
}

export type CallResult =
  | { a0: bigint }
  | { fa0: bigint }
  | { a0: bigint; a1: bigint }
  | undefined
  | Outcome;

export type EnvironmentCall = (k: Kernel, r: CallRegisters) => CallResult;

export const A0 = 10;
export const A1 = 11;
export const A2 = 12;
export const A3 = 13;
export const A7 = 17;

const encoder = new TextEncoder();

export function print(k: Kernel, text: string): undefined {
  k.stdout.write(encoder.encode(text));
  return undefined;
}

export const int32 = (v: bigint) => BigInt.asIntN(32, v);

/** "0x" and eight hex digits of the low 32 bits (RARS PrintIntHex, Venus print_hex). */
export const hex32 = (v: bigint) => "0x" + BigInt.asUintN(32, v).toString(16).padStart(8, "0");

/** A NUL-terminated guest string, or a fault when it is not readable. */
export function guestString(k: Kernel, addr: bigint): string | Outcome {
  const bytes = k.mem.readCString(Number(BigInt.asUintN(64, addr)), 1 << 20);
  if (typeof bytes === "number") return { kind: "fault", message: `string address 0x${addr.toString(16)} is not readable` };
  return new TextDecoder().decode(bytes);
}

/** A wait for more input: the call is made again when stdin has more (process mode's retry). */
const waitForInput: Outcome = { kind: "block", wait: { kind: "retry", deadline: undefined, input: true, what: "read from stdin" } };

/**
 * One line of stdin (without its newline) once a whole line or EOF is there;
 * null at EOF with nothing read. Bytes stay unread until the line is whole,
 * so a blocked call that is made again sees the same input.
 */
export function readLine(k: Kernel): string | null | Outcome {
  const pending = k.stdin.unread();
  const nl = pending.indexOf(10);
  if (nl < 0 && !k.stdin.closed) return waitForInput;
  if (nl < 0 && pending.length === 0) return null;
  const take = nl < 0 ? pending.length : nl + 1;
  k.stdin.read(take);
  return new TextDecoder().decode(pending.subarray(0, nl < 0 ? pending.length : nl));
}

/** One byte of stdin, or null at EOF. */
export function readByte(k: Kernel): number | null | Outcome {
  const got = k.stdin.read(1);
  if (got === null) return waitForInput;
  return got.length === 0 ? null : got[0];
}

/** sbrk: grows the heap by n bytes (rounded to a word) and returns the old break. */
export function sbrk(k: Kernel, n: bigint): CallResult {
  const bytes = Number(BigInt.asIntN(32, n));
  const old = k.mem.brk;
  if (bytes < 0) return { kind: "fault", message: `sbrk of a negative amount (${bytes})` };
  const grown = old + ((bytes + 3) & ~3);
  if (k.mem.setBrk(grown) !== grown) return { kind: "fault", message: `sbrk of ${bytes} bytes: out of memory` };
  return { a0: BigInt(old) };
}

export function unsupported(abi: string, n: number): Outcome {
  return { kind: "fault", message: `${abi} environment call ${n} is not supported` };
}
