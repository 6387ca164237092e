// Grading's limits in the service, from wrangler.toml [vars] like config.ts's
// (the defaults below apply to anything not set; a malformed value fails the
// request with 500 misconfigured rather than running with a silent default).
import { ApiError } from "./errors.ts";
import { readConfig, type ServiceConfig } from "./config.ts";
import type { Env } from "./env.ts";

export interface GradeConfig {
  service: ServiceConfig;
  /** Instructions of all the tests of one POST /v1/grade together (a Worker request's CPU time is bounded). */
  maxGradeInstructions: number;
  /** Submissions of one batch. */
  maxBatchSubmissions: number;
  /** (submission, test) runs of one batch: Queue messages sent by one request, 100 per call. */
  maxBatchRuns: number;
}

const DEFAULTS = { EDGEVM_MAX_GRADE_INSTRUCTIONS: 1_000_000_000, EDGEVM_MAX_BATCH_SUBMISSIONS: 500, EDGEVM_MAX_BATCH_RUNS: 10_000 };

export function readGradeConfig(env: Env): GradeConfig {
  const vars = env as unknown as Record<string, unknown>;
  const number = (name: keyof typeof DEFAULTS): number => {
    const raw = vars[name];
    if (raw === undefined || raw === "") return DEFAULTS[name];
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new ApiError(500, "misconfigured", `${name} is not a positive integer`);
    return n;
  };
  return {
    service: readConfig(vars),
    maxGradeInstructions: number("EDGEVM_MAX_GRADE_INSTRUCTIONS"),
    maxBatchSubmissions: number("EDGEVM_MAX_BATCH_SUBMISSIONS"),
    maxBatchRuns: number("EDGEVM_MAX_BATCH_RUNS"),
  };
}
