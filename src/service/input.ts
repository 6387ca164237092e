// The parts of a request body several routes share: console input and the
// instruction budget, checked against the service's limits.
import type { ServiceConfig } from "./config.ts";
import { ApiError } from "./errors.ts";
import { decodeBase64 } from "./program.ts";

export function consoleInput(body: { stdin?: string; stdinBase64?: string }): Uint8Array {
  if (body.stdin !== undefined && body.stdinBase64 !== undefined) {
    throw new ApiError(400, "invalid_request", "give stdin or stdinBase64, not both");
  }
  if (body.stdinBase64 !== undefined) return decodeBase64(body.stdinBase64, "stdinBase64");
  return new TextEncoder().encode(body.stdin ?? "");
}

/** The request's instruction budget: what it asks, at most the per-request limit. */
export function requestBudget(maxInstructions: number | undefined, config: ServiceConfig): number {
  const limit = config.maxInstructionsPerRequest;
  if (maxInstructions === undefined) return limit;
  if (maxInstructions > limit) {
    throw new ApiError(400, "budget_too_large", `maxInstructions ${maxInstructions} is above the per-request limit of ${limit}; continue the machine with more steps`);
  }
  return maxInstructions;
}
