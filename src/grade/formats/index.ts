// The report formats, by the names `--format` and `?format=` take.
import type { Report } from "../report.ts";
import { renderGradescope, type GradescopeOptions } from "./gradescope.ts";
import { renderHtml } from "./html.ts";
import { renderJson } from "./json.ts";
import { renderJunit } from "./junit.ts";
import { renderText } from "./text.ts";

export const FORMATS = ["text", "json", "gradescope", "junit", "html"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  text: "text/plain; charset=utf-8",
  json: "application/json",
  gradescope: "application/json",
  junit: "application/xml",
  html: "text/html; charset=utf-8",
};

export function isReportFormat(name: string): name is ReportFormat {
  return (FORMATS as readonly string[]).includes(name);
}

export function renderReport(report: Report, format: ReportFormat, options: GradescopeOptions = {}): string {
  switch (format) {
    case "text":
      return renderText(report);
    case "json":
      return renderJson(report);
    case "gradescope":
      return renderGradescope(report, options);
    case "junit":
      return renderJunit(report);
    case "html":
      return renderHtml(report);
  }
}
