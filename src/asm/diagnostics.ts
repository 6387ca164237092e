// Diagnostics in the shape compilers print them: `file:line:col: error: message`.
// Every stage collects them instead of throwing, so a file's errors are all
// reported at once and a user never sees a stack trace.

export type Severity = "error" | "warning";

export interface Diagnostic {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
  severity: Severity;
  message: string;
}

/** Where a piece of source text came from; columns are 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export class DiagnosticList {
  readonly items: Diagnostic[] = [];
  /** Cap so a pathological input cannot make the report itself unbounded. */
  constructor(private readonly limit = 1000) {}

  error(at: SourcePosition, message: string): void {
    this.add(at, "error", message);
  }

  warning(at: SourcePosition, message: string): void {
    this.add(at, "warning", message);
  }

  get errorCount(): number {
    let n = 0;
    for (const d of this.items) if (d.severity === "error") n++;
    return n;
  }

  private add(at: SourcePosition, severity: Severity, message: string): void {
    if (this.items.length >= this.limit) return;
    this.items.push({ file: at.file, line: at.line, column: at.column, severity, message });
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/** Thrown inside one statement's processing and caught by the statement loop. */
export class StatementError extends Error {
  constructor(
    message: string,
    readonly column?: number,
  ) {
    super(message);
  }
}
