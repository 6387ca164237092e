// What can be wrong with a suite or a submission, one code per kind of bad
// input, so a caller (the CLI's exit status 2, the service's 4xx) can say
// exactly what to fix. Nothing is stored or run for an input that fails.
export type GradeErrorCode =
  /** The suite does not match the schema (details.issues says where). */
  | "invalid_suite"
  /** A stdoutMatches / stderrMatches / expect step regex that does not compile. */
  | "invalid_regex"
  /** A test's maxInstructions (or the suite default) above the host's limit. */
  | "budget_too_large"
  /** ramMiB above the host's limit. */
  | "memory_too_large"
  /** The suite or a test is larger than a limit (tests per suite, bytes of stdin, files...). */
  | "suite_too_large"
  /** The submission is not a program edgevm can grade (not an ELF, truncated, dynamically linked...). */
  | "invalid_submission"
  /** The submission is a kind the suite's tests cannot apply to (registers of a Linux program, args of a bare-metal one...). */
  | "wrong_submission_kind"
  /** A kind of submission this build cannot grade yet (assembly sources, kernels with a disk). */
  | "unsupported_submission";

export class GradeError extends Error {
  override name = "GradeError";
  constructor(
    readonly code: GradeErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
