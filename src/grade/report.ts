// The report of one submission against one suite: edgevm's own format (the
// `json` output), from which every other format is rendered. Deterministic:
// the same suite and submission give the same report, byte for byte, so it
// holds no wall-clock time (a host that wants execution time measures it
// beside the report, as the Gradescope renderer's `executionSeconds`).
import type { MachineStatus } from "../vm/guest-layer.ts";
import type { Test } from "./suite.ts";

export const REPORT_FORMAT = "edgevm-grade-report/1";

export interface RunOutcome {
  /** How the machine stood when the test ended (docs/service.md: run answers). */
  status: MachineStatus["kind"];
  exitCode: number | null;
  signal: number | null;
  reason?: string;
  /** Instructions retired in the test. */
  instructions: number;
  /** The test's budget. */
  budget: number;
}

export interface TestResult {
  /** 1-based position in the suite (Gradescope's `number`). */
  number: number;
  name: string;
  visibility: Test["visibility"];
  maxScore: number;
  score: number;
  status: "passed" | "failed";
  /** Why the test failed, one sentence each; empty when it passed. */
  failures: string[];
  run: RunOutcome;
  stdout: string;
  stderr: string;
  /** Output beyond the report's allowance (what stdout and stderr hold) was left out. */
  outputTruncated: boolean;
  /** The snapshot the test started from (its input given) and the one it ended in. */
  start: string;
  end: string;
  /** How to rerun exactly this test from its start: a command for a local store, a URL on a service. */
  reproduce: { command: string; url?: string; endUrl?: string };
}

export interface Report {
  format: typeof REPORT_FORMAT;
  suite: { name: string; id: string };
  /** `kind` is what runs; `sha256` and `bytes` are of what was submitted; `assembled` when that was assembly source. */
  submission: { kind: "linux" | "bare-metal"; sha256: string; bytes: number; assembled?: true };
  score: number;
  maxScore: number;
  passed: number;
  failed: number;
  tests: TestResult[];
}

/** Points add up without binary-fraction noise (0.1 + 0.2 is 0.3 in a report). */
export function sumPoints(values: readonly number[]): number {
  return Math.round(values.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
}

/**
 * The report as someone who is not the suite's owner may see it: visible
 * tests in full; of the others only name, points and pass or fail (their
 * expectations, output and snapshots would give the hidden tests away).
 */
export function redactHidden(report: Report): Report {
  return {
    ...report,
    tests: report.tests.map((t) =>
      t.visibility === "visible"
        ? t
        : { ...t, failures: t.status === "failed" ? ["(a hidden test: its details are shown to the suite's owner)"] : [], stdout: "", stderr: "",
            outputTruncated: false, start: "", end: "", reproduce: { command: "" } },
    ),
  };
}
