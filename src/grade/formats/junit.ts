// `--format junit`: JUnit XML as GitLab's and GitHub's test reporters read
// it (the Ant JUnit report's elements: testsuites > testsuite > testcase with
// failure, system-out, system-err). `time` is guest time, the instructions
// at the guest clock's nominal rate, so the XML is deterministic too.
import type { Report, TestResult } from "../report.ts";
import { describeStop } from "./gradescope.ts";
import { xmlAttribute as attr, xmlText as text } from "./xml.ts";

/** The guest clock's rate (src/vm/linux/clock.ts, NOMINAL_HZ): instructions per guest second. */
const GUEST_HZ = 100_000_000;

export function renderJunit(report: Report): string {
  const time = (instructions: number) => (instructions / GUEST_HZ).toFixed(6);
  const total = report.tests.reduce((n, t) => n + t.run.instructions, 0);
  const suite = report.suite.name;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(suite)}" tests="${report.tests.length}" failures="${report.failed}" errors="0" skipped="0" time="${time(total)}">`,
    `  <testsuite name="${attr(suite)}" tests="${report.tests.length}" failures="${report.failed}" errors="0" skipped="0" time="${time(total)}">`,
    "    <properties>",
    `      <property name="edgevm.suite" value="${attr(report.suite.id)}"/>`,
    `      <property name="edgevm.submission" value="${attr(report.submission.sha256)}"/>`,
    `      <property name="edgevm.score" value="${report.score}/${report.maxScore}"/>`,
    "    </properties>",
  ];
  for (const t of report.tests) lines.push(...testcase(t, suite, time(t.run.instructions)));
  lines.push("  </testsuite>", "</testsuites>");
  return lines.join("\n") + "\n";
}

function testcase(t: TestResult, suite: string, time: string): string[] {
  const out = [`    <testcase name="${attr(t.name)}" classname="${attr(suite)}" time="${time}">`];
  if (t.status === "failed") {
    const body = [...t.failures, describeStop(t), `reproduce: ${t.reproduce.url ?? t.reproduce.command}`].join("\n");
    out.push(`      <failure message="${attr(t.failures[0] ?? "failed")}" type="edgevm.grade">${text(body)}</failure>`);
  }
  out.push(`      <system-out>${text(t.stdout)}</system-out>`);
  if (t.stderr) out.push(`      <system-err>${text(t.stderr)}</system-err>`);
  out.push("    </testcase>");
  return out;
}
