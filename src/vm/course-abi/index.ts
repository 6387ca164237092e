// The course ABIs beside Linux's syscall table (as libriscv groups its
// tables by ABI): which environment-call table a process uses, and the
// memory layout each course tool gives a program.
import type { Kernel } from "../linux/kernel.ts";
import type { CallRegisters, CallResult } from "./environment.ts";
import { rarsCall } from "./rars.ts";
import { venusCall } from "./venus.ts";

export type CourseAbi = "rars" | "venus";
export type Abi = "linux" | CourseAbi;

export interface CourseLayout {
  /** Where .text goes (RARS: 0x00400000; Venus uses 0, below process mode's lowest mapping, so its text stays where ld puts it). */
  text?: bigint;
  /** Where .data goes. */
  data: bigint;
  /** gp at the start. */
  gp: bigint;
}

/** RARS "Default" memory configuration; Venus's layout (data at 0x10000000, gp there too). */
export const COURSE_LAYOUTS: Record<CourseAbi, CourseLayout> = {
  rars: { text: 0x0040_0000n, data: 0x1001_0000n, gp: 0x1000_8000n },
  venus: { data: 0x1000_0000n, gp: 0x1000_0000n },
};

/** Runs one environment call of a course ABI. */
export function courseCall(abi: CourseAbi, k: Kernel, r: CallRegisters): CallResult {
  return abi === "rars" ? rarsCall(k, r, Number(r.getX(17))) : venusCall(k, r);
}

export type { CallResult } from "./environment.ts";
