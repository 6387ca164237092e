// How the commands talk to the terminal (or to an embedding, such as tests),
// and how a guest's exit code becomes edgevm's exit status.

export interface CliIo {
  /** Guest console bytes, written as they are drained. */
  stdout(bytes: Uint8Array): void;
  /** One line of edgevm's own output (no trailing newline). */
  stderr(line: string): void;
  /** A Linux guest's stderr bytes (default: decoded and passed to stderr() line by line). */
  guestStderr?(bytes: Uint8Array): void;
  /** The next chunk of edgevm's own stdin for a Linux guest, null at EOF (default: no stdin). */
  readStdin?(): Promise<Uint8Array | null>;
}

/** Process exit statuses are 8 bits; a failing guest must not look like a passing one. */
export function exitStatusOf(guestCode: number): number {
  const low = guestCode & 0xff;
  return low === 0 && guestCode !== 0 ? 1 : low;
}
