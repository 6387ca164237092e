// `--format gradescope`: Gradescope's results.json (its autograder
// specification, "Output format"), so a course's run_autograder can be
// `npx edgevm grade suite.json submission -o /autograder/results/results.json`.
// Gradescope applies each test's visibility itself; the reproduce command
// and snapshot ids travel in the test's output and extra_data.
import type { Report, TestResult } from "../report.ts";

export interface GradescopeOptions {
  /** Wall-clock seconds the grading took: the one figure here that is not deterministic. */
  executionSeconds?: number;
}

export interface GradescopeResults {
  score: number;
  execution_time?: number;
  output: string;
  output_format: "text";
  test_output_format: "text";
  visibility: "visible";
  stdout_visibility: "hidden";
  extra_data: Record<string, unknown>;
  tests: GradescopeTest[];
}

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  output_format: "text";
  visibility: TestResult["visibility"];
  extra_data: Record<string, unknown>;
}

export function gradescopeResults(report: Report, options: GradescopeOptions = {}): GradescopeResults {
  return {
    score: report.score,
    ...(options.executionSeconds !== undefined && { execution_time: Math.max(0, Math.round(options.executionSeconds * 1000) / 1000) }),
    output: `Graded by edgevm: suite ${report.suite.name} (${report.suite.id}), ${report.passed} of ${report.tests.length} tests passed. Every test can be rerun exactly as it was graded: see its output.`,
    output_format: "text",
    test_output_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    extra_data: { edgevm: { format: report.format, suite: report.suite, submission: report.submission } },
    tests: report.tests.map(testOf),
  };
}

function testOf(t: TestResult): GradescopeTest {
  const parts: string[] = [];
  if (t.failures.length > 0) parts.push(t.failures.join("\n"));
  parts.push(`${t.run.instructions} of ${t.run.budget} instructions; ${describeStop(t)}`);
  if (t.stdout) parts.push(`stdout:\n${t.stdout}`);
  if (t.stderr) parts.push(`stderr:\n${t.stderr}`);
  parts.push(`Reproduce this run: ${t.reproduce.url ?? t.reproduce.command}`);
  return {
    name: t.name,
    number: String(t.number),
    score: t.score,
    max_score: t.maxScore,
    status: t.status,
    output: parts.join("\n\n"),
    output_format: "text",
    visibility: t.visibility,
    extra_data: { start: t.start, end: t.end, reproduce: t.reproduce, run: t.run },
  };
}

export function describeStop(t: TestResult): string {
  const r = t.run;
  switch (r.status) {
    case "exited":
      return r.signal !== null ? `killed by signal ${r.signal}` : `exited with status ${r.exitCode}`;
    case "halted":
      return `halted with code ${r.exitCode}`;
    case "running":
      return "still running when the budget ran out";
    case "waiting-input":
      return "waiting for input";
    case "fault":
      return `stopped: ${r.reason ?? "fault"}`;
  }
}

export function renderGradescope(report: Report, options?: GradescopeOptions): string {
  return JSON.stringify(gradescopeResults(report, options), null, 2) + "\n";
}
