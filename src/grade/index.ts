// Grading (issue 14; docs/grading.md): suites -> runs -> reports.
// Platform-neutral: the CLI (Node) and the service (workerd) both use it.
export { GradeError, type GradeErrorCode } from "./errors.ts";
export {
  parseSuite, parseSuiteText, suiteJsonSchema, publicView, budgetOf, SUITE_LIMITS, DEFAULT_SUITE_LIMITS,
  type Suite, type Test, type SuiteLimits,
} from "./suite.ts";
export { gradeSubmission, retryTest, suiteId, selectTests, checkSubmission, submissionInfo, buildReport, type GradeHost } from "./run.ts";
export { gradeLayers, readSubmission, type Assemble, type SubmissionInput, type SubmissionKind } from "./machines.ts";
export { REPORT_FORMAT, redactHidden, type Report, type TestResult, type RunOutcome } from "./report.ts";
export { renderReport, isReportFormat, FORMATS, CONTENT_TYPES, type ReportFormat } from "./formats/index.ts";
export { gradescopeResults, type GradescopeResults } from "./formats/gradescope.ts";
