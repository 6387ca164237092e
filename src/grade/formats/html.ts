// `--format html`: one self-contained page (no scripts, no external files),
// every piece of guest output or suite text escaped.
import type { Report, TestResult } from "../report.ts";
import { describeStop } from "./gradescope.ts";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.score{font-size:1.2rem;margin:.5rem 0 1.5rem}
details{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
summary{cursor:pointer;font-weight:600}.pass{color:#176f2c}.fail{color:#b3261e}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
code{font-size:.9em}.meta{color:#666;font-size:.85rem}`;

export function renderHtml(report: Report): string {
  const e = escapeHtml;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${e(report.suite.name)}: ${report.score}/${report.maxScore}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${e(report.suite.name)}</h1>`,
    `<p class="score">Score <strong>${report.score}</strong> of ${report.maxScore}: ${report.passed} of ${report.tests.length} tests passed.</p>`,
    `<p class="meta">Suite <code>${e(report.suite.id)}</code>; submission <code>${e(report.submission.sha256)}</code> (${e(report.submission.kind)}, ${report.submission.bytes} bytes).</p>`,
    ...report.tests.map(testSection),
    "</body></html>",
    "",
  ].join("\n");
}

function testSection(t: TestResult): string {
  const e = escapeHtml;
  const cls = t.status === "passed" ? "pass" : "fail";
  const parts = [
    `<details${t.status === "failed" ? " open" : ""}><summary><span class="${cls}">${t.status === "passed" ? "PASS" : "FAIL"}</span> ${t.number}. ${e(t.name)} (${t.score}/${t.maxScore})</summary>`,
  ];
  if (t.failures.length > 0) parts.push(`<ul>${t.failures.map((f) => `<li>${e(f)}</li>`).join("")}</ul>`);
  parts.push(`<p class="meta">${t.run.instructions} of ${t.run.budget} instructions; ${e(describeStop(t))}; visibility ${e(t.visibility)}.</p>`);
  if (t.stdout) parts.push(`<p>stdout</p><pre>${e(t.stdout)}</pre>`);
  if (t.stderr) parts.push(`<p>stderr</p><pre>${e(t.stderr)}</pre>`);
  const link = t.reproduce.url ? `<a href="${e(t.reproduce.url)}">${e(t.reproduce.url)}</a>` : `<code>${e(t.reproduce.command)}</code>`;
  parts.push(`<p class="meta">Start <code>${e(t.start)}</code>, end <code>${e(t.end)}</code>. Reproduce: ${link}</p>`, "</details>");
  return parts.join("\n");
}
