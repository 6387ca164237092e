// Service limits and the quantum size, from wrangler.toml [vars] (strings),
// with defaults for anything not set. Every resource a request can consume
// has a limit here.
import { ApiError } from "./errors.ts";

export interface ServiceConfig {
  /** Instructions per quantum: one restore, run, persist cycle. */
  quantumInstructions: number;
  /** Instructions one request may run in total (all its quanta). */
  maxInstructionsPerRequest: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Largest guest program, in bytes. */
  maxProgramBytes: number;
  /** Guest RAM, in MiB. */
  guestMemoryMiB: number;
  /** Output kept per stream (stdout, stderr, console) per request, in bytes. */
  maxOutputBytes: number;
  /** Files a job may bring. */
  maxFiles: number;
}

export const DEFAULTS: ServiceConfig = {
  quantumInstructions: 5_000_000,
  maxInstructionsPerRequest: 200_000_000,
  maxBodyBytes: 8 << 20,
  maxProgramBytes: 4 << 20,
  guestMemoryMiB: 64,
  maxOutputBytes: 1 << 20,
  maxFiles: 64,
};

const VARS: Record<keyof ServiceConfig, string> = {
  quantumInstructions: "EDGEVM_QUANTUM_INSTRUCTIONS",
  maxInstructionsPerRequest: "EDGEVM_MAX_INSTRUCTIONS_PER_REQUEST",
  maxBodyBytes: "EDGEVM_MAX_BODY_BYTES",
  maxProgramBytes: "EDGEVM_MAX_PROGRAM_BYTES",
  guestMemoryMiB: "EDGEVM_GUEST_MEMORY_MIB",
  maxOutputBytes: "EDGEVM_MAX_OUTPUT_BYTES",
  maxFiles: "EDGEVM_MAX_FILES",
};

// A misconfigured deployment fails loudly rather than running with a silent default.
export function readConfig(env: Record<string, unknown>): ServiceConfig {
  const config = { ...DEFAULTS };
  for (const key of Object.keys(VARS) as (keyof ServiceConfig)[]) {
    const raw = env[VARS[key]];
    if (raw === undefined || raw === "") continue;
    const value = typeof raw === "number" ? raw : Number(String(raw).replaceAll("_", ""));
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ApiError(500, "misconfigured", `${VARS[key]} must be a positive integer, not '${String(raw)}'`);
    }
    config[key] = value;
  }
  return config;
}

export function configVariables(): Record<string, string> {
  return { ...VARS };
}
