// Guest time, derived from the core's cycle counter (retired instructions
// plus idle cycles) at a fixed nominal rate, plus the time the guest asked to
// sleep. No host clock is read anywhere: the same run gives the same times.
import type { Timespec } from "../files/fs.ts";

/** The nominal hart frequency: docs/core.md (mtime ticks every 10 cycles at 10 MHz). */
export const NOMINAL_HZ = 100_000_000;
const NS_PER_CYCLE = 1_000_000_000 / NOMINAL_HZ;
/** CLOCK_REALTIME at cycle 0 unless the config says otherwise: 2025-01-01T00:00:00Z. */
export const DEFAULT_EPOCH_SECONDS = 1_735_689_600;

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const CLOCK_MONOTONIC_RAW = 4;
export const CLOCK_REALTIME_COARSE = 5;
export const CLOCK_MONOTONIC_COARSE = 6;
export const CLOCK_BOOTTIME = 7;
export const CLOCK_REALTIME_ALARM = 8;
export const CLOCK_BOOTTIME_ALARM = 9;
export const CLOCK_TAI = 11;

export class GuestClock {
  /** Nanoseconds the guest slept (nanosleep and timed waits move time forward without running). */
  sleptNs = 0n;

  constructor(
    /** The hart's cycle counter: retired instructions (the scheduler's slices are counted in it). */
    readonly cycles: () => bigint,
    readonly epochSeconds: number = DEFAULT_EPOCH_SECONDS,
  ) {}

  /** CPU time used, in nanoseconds. */
  cpuNs(): bigint {
    return this.cycles() * BigInt(NS_PER_CYCLE);
  }

  /** Time since boot, including sleeps. */
  monotonicNs(): bigint {
    return this.cpuNs() + this.sleptNs;
  }

  realtimeNs(): bigint {
    return BigInt(this.epochSeconds) * 1_000_000_000n + this.monotonicNs();
  }

  /** A clock's reading in nanoseconds, or undefined for an unknown clock id. */
  read(clockId: number): bigint | undefined {
    switch (clockId) {
      case CLOCK_REALTIME:
      case CLOCK_REALTIME_COARSE:
      case CLOCK_REALTIME_ALARM:
      case CLOCK_TAI:
        return this.realtimeNs();
      case CLOCK_MONOTONIC:
      case CLOCK_MONOTONIC_RAW:
      case CLOCK_MONOTONIC_COARSE:
      case CLOCK_BOOTTIME:
      case CLOCK_BOOTTIME_ALARM:
        return this.monotonicNs();
      case CLOCK_PROCESS_CPUTIME_ID:
      case CLOCK_THREAD_CPUTIME_ID:
        return this.cpuNs();
      default:
        return undefined;
    }
  }

  /**
   * Resolution of a clock as Linux reports it, not the guest clock's own
   * granularity (one cycle): clock_getres answers hrtimer_resolution, 1 ns,
   * for the high-resolution and CPU-time clocks, and one tick for the coarse
   * ones (4 ms: HZ=250, the distribution kernels' setting).
   */
  resolutionNs(clockId: number): bigint | undefined {
    if (this.read(clockId) === undefined) return undefined;
    return clockId === CLOCK_REALTIME_COARSE || clockId === CLOCK_MONOTONIC_COARSE ? 4_000_000n : 1n;
  }

  sleep(ns: bigint): void {
    if (ns > 0n) this.sleptNs += ns;
  }

  /** Now, as file timestamps use it. */
  now(): Timespec {
    return timespec(this.realtimeNs());
  }
}

export function timespec(ns: bigint): Timespec {
  return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
}
