// Exit statuses of the edgevm command and the error that carries one.

export const ExitStatus = {
  /** Bad usage or input: unknown option, unreadable file, not an RV64 ELF, does not fit RAM. */
  Usage: 2,
  /** --check-calling-convention found a function that does not restore a callee-saved register. */
  CallingConvention: 123,
  /** The guest reached --max-insns (as timeout(1) reports a timeout). */
  Limit: 124,
  /** edgevm itself could not go on: a guest idle with nothing to wake it, a core fault, an internal error. */
  Failure: 125,
} as const;

/** An error the CLI reports as one line `edgevm: message` before exiting with `status`. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(ExitStatus.Usage, message);
}

/** A file system error of the host as words for a one-line message. */
export function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
