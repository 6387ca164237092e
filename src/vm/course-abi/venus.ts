// Venus's environment calls (Venus wiki, "Environmental Calls"; CS61C): the
// call number in a0 and the arguments from a1, results in a0. Venus is RV32:
// integers print as 32-bit values.
import type { Kernel } from "../linux/kernel.ts";
import { dispatch } from "../linux/entry/syscall-table.ts";
import { A1, A2, A3, guestString, hex32, int32, print, sbrk, unsupported, type CallRegisters, type CallResult, type EnvironmentCall } from "./environment.ts";

function file(nr: number, regs: number[]): EnvironmentCall {
  return (k, r) => {
    const args = regs.map((i) => r.getX(i));
    while (args.length < 6) args.push(0n);
    const res = dispatch(k, nr, args);
    if (typeof res === "object") return res;
    return { a0: BigInt.asUintN(64, BigInt(res) < 0n ? -1n : BigInt(res)) };
  };
}

export const VENUS_CALLS = new Map<number, EnvironmentCall>([
  [1, (k, r) => print(k, int32(r.getX(A1)).toString())],
  [4, (k, r) => {
    const s = guestString(k, r.getX(A1));
    return typeof s === "string" ? print(k, s) : s;
  }],
  [9, (k, r) => sbrk(k, r.getX(A1))],
  [10, () => ({ kind: "exit", code: 0 })],
  [11, (k, r) => print(k, String.fromCharCode(Number(r.getX(A1) & 0xffn)))],
  [13, (k, r) => {
    // open(a1 = name, a2 = permissions: 0 read, 1 write, 2 append...) -> fd
    const p = Number(r.getX(A2));
    const flags = p === 0 ? 0 : p === 1 ? 0o1101 : p === 2 ? 0o2101 : 0o2;
    const fd = dispatch(k, 56, [BigInt.asUintN(64, -100n), r.getX(A1), BigInt(flags), 0o644n, 0n, 0n]);
    return typeof fd === "object" ? fd : { a0: BigInt.asUintN(64, BigInt(fd) < 0n ? -1n : BigInt(fd)) };
  }],
  [14, file(63, [A1, A2, A3])],
  [15, file(64, [A1, A2, A3])],
  [16, file(57, [A1])],
  [17, (_k, r) => ({ kind: "exit", code: Number(r.getX(A1) & 0xffn) })],
  [18, () => ({ a0: 0n })],
  [34, (k, r) => print(k, hex32(r.getX(A1)))],
]);

export function venusCall(k: Kernel, r: CallRegisters): CallResult {
  const number = Number(int32(r.getX(10)));
  const call = VENUS_CALLS.get(number);
  return call ? call(k, r) : unsupported("Venus", number);
}

export { guestString };
