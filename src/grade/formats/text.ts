// `--format text`: a line per test and the score at the end, for a terminal
// or a log. A failed test's reasons and its reproduce command follow it, indented.
import type { Report } from "../report.ts";

export function renderText(report: Report): string {
  const lines: string[] = [`${report.suite.name}: ${report.tests.length} tests, submission ${report.submission.sha256.slice(0, 12)} (${report.submission.kind})`];
  const width = Math.max(...report.tests.map((t) => `${t.score}/${t.maxScore}`.length));
  for (const t of report.tests) {
    const score = `${t.score}/${t.maxScore}`.padStart(width);
    lines.push(`${t.status === "passed" ? "PASS" : "FAIL"} ${score}  ${t.name}`);
    if (t.status === "failed") {
      for (const f of t.failures) lines.push(`     ${f}`);
      lines.push(`     reproduce: ${t.reproduce.url ?? t.reproduce.command}`);
    }
  }
  lines.push(`score ${report.score}/${report.maxScore} (${report.passed} of ${report.tests.length} tests passed)`);
  return lines.join("\n") + "\n";
}
