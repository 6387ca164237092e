// RARS's environment calls (RARS help, "Syscalls"): the call number in a7,
// arguments in a0..a2 (fa0 for floats), results in a0 (fa0). Numbers print
// as RV32 RARS prints them (32-bit), floats as Java's toString does.
import type { Kernel } from "../linux/kernel.ts";
import { dispatch } from "../linux/entry/syscall-table.ts";
import {
  A0, A1, A2, guestString, hex32, int32, print, readByte, readLine, sbrk, unsupported, type CallRegisters, type CallResult,
  type EnvironmentCall,
} from "./environment.ts";
import { javaDouble, javaFloat, parseJavaNumber } from "./java-numbers.ts";

const f64 = (bits: bigint) => new Float64Array(new BigUint64Array([bits]).buffer)[0];
const f32 = (bits: bigint) => new Float32Array(new Uint32Array([Number(bits & 0xffffffffn)]).buffer)[0];
const boxF32 = (x: number) => (0xffffffff00000000n | BigInt(new Uint32Array(new Float32Array([x]).buffer)[0])) as bigint;
const boxF64 = (x: number) => new BigUint64Array(new Float64Array([x]).buffer)[0];

function readNumber(k: Kernel, kind: "int" | "float" | "double"): CallResult {
  const line = readLine(k);
  if (line !== null && typeof line === "object") return line;
  const text = (line ?? "").trim();
  if (kind === "int") {
    if (!/^[+-]?\d+$/.test(text)) return { kind: "fault", message: `read_int: '${text}' is not an integer` };
    return { a0: BigInt.asUintN(64, BigInt.asIntN(32, BigInt(text))) };
  }
  const x = parseJavaNumber(text);
  if (x === null) return { kind: "fault", message: `read_${kind}: '${text}' is not a number` };
  return { fa0: kind === "float" ? boxF32(x) : boxF64(x) };
}

/** fgets semantics: at most n-1 bytes, the newline kept if it fits, then a NUL. */
function readString(k: Kernel, r: CallRegisters): CallResult {
  const buf = Number(r.getX(A0));
  const max = Number(int32(r.getX(A1)));
  if (max < 1) return undefined;
  const pending = k.stdin.unread();
  const nl = pending.indexOf(10);
  if (nl < 0 && pending.length < max - 1 && !k.stdin.closed) return readLine(k) as CallResult; // waits for input
  let n = Math.min(max - 1, nl < 0 ? pending.length : nl + 1);
  const got = k.stdin.read(n) ?? new Uint8Array(0);
  n = got.length;
  const out = new Uint8Array(n + 1);
  out.set(got);
  if (!k.mem.write(buf, out)) return { kind: "fault", message: `read_string buffer 0x${buf.toString(16)} is not writable` };
  return undefined;
}

/** RARS file calls are Linux's under other numbers; Open takes RARS's flags (0 read, 1 write, 9 append). */
function open(k: Kernel, r: CallRegisters): CallResult {
  const flags = Number(r.getX(A1)) === 0 ? 0 : Number(r.getX(A1)) === 1 ? 0o1101 : 0o2101; // O_RDONLY | O_WRONLY|O_CREAT|O_TRUNC | O_APPEND
  const fd = dispatch(k, 56, [BigInt.asUintN(64, -100n), r.getX(A0), BigInt(flags), 0o644n, 0n, 0n]);
  return typeof fd === "object" ? fd : { a0: BigInt.asUintN(64, BigInt(fd) < 0n ? -1n : BigInt(fd)) };
}

function linux(nr: number): EnvironmentCall {
  return (k, r) => {
    const res = dispatch(k, nr, [A0, A1, A2, 13, 14, 15].map((i) => r.getX(i)));
    if (typeof res === "object") return res;
    return { a0: BigInt.asUintN(64, BigInt(res) < 0n ? -1n : BigInt(res)) };
  };
}

const exitWith = (code: number): CallResult => ({ kind: "exit", code: code & 0xff });

export const RARS_CALLS = new Map<number, EnvironmentCall>([
  [1, (k, r) => print(k, int32(r.getX(A0)).toString())],
  [2, (k, r) => print(k, javaFloat(f32(r.getF(10))))],
  [3, (k, r) => print(k, javaDouble(f64(r.getF(10))))],
  [4, (k, r) => {
    const s = guestString(k, r.getX(A0));
    return typeof s === "string" ? print(k, s) : s;
  }],
  [5, (k) => readNumber(k, "int")],
  [6, (k) => readNumber(k, "float")],
  [7, (k) => readNumber(k, "double")],
  [8, readString],
  [9, (k, r) => sbrk(k, r.getX(A0))],
  [10, () => exitWith(0)],
  [11, (k, r) => print(k, String.fromCharCode(Number(r.getX(A0) & 0xffn)))],
  [12, (k) => {
    const b = readByte(k);
    if (b !== null && typeof b === "object") return b;
    return { a0: b === null ? BigInt.asUintN(64, -1n) : BigInt(b) };
  }],
  [17, (_k, r) => exitWith(Number(r.getX(A0) & 0xffn))],
  [30, (k) => {
    const ms = k.clock.monotonicNs() / 1_000_000n + BigInt(k.clock.epochSeconds ?? 0) * 1000n;
    return { a0: ms & 0xffffffffn, a1: ms >> 32n };
  }],
  [32, () => undefined],
  [34, (k, r) => print(k, hex32(r.getX(A0)))],
  [35, (k, r) => print(k, BigInt.asUintN(32, r.getX(A0)).toString(2).padStart(32, "0"))],
  [36, (k, r) => print(k, BigInt.asUintN(32, r.getX(A0)).toString())],
  [41, (k) => ({ a0: BigInt(int32(BigInt(k.random.nextU32()))) & 0xffffffffffffffffn })],
  [42, (k, r) => {
    const bound = Number(int32(r.getX(A1)));
    if (bound <= 0) return { kind: "fault", message: `RandIntRange upper bound ${bound} must be positive` };
    return { a0: BigInt(k.random.nextU32() % bound) };
  }],
  [57, linux(57)],
  [62, linux(62)],
  [63, linux(63)],
  [64, linux(64)],
  [93, (_k, r) => exitWith(Number(r.getX(A0) & 0xffn))],
  [1024, open],
]);

export function rarsCall(k: Kernel, r: CallRegisters, number: number): CallResult {
  const call = RARS_CALLS.get(number);
  return call ? call(k, r) : unsupported("RARS", number);
}
