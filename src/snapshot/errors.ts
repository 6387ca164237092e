// The one error type of the snapshot layer. Every failure to read a snapshot
// (an object missing, damaged or truncated, a format this code does not know)
// is a SnapshotError with a code a program can switch on; none of them ever
// yields a machine that differs from the one that was stored.

export type SnapshotErrorCode =
  /** An object the snapshot names is not in the store. */
  | "missing-object"
  /** An object's bytes do not match its id, do not decode, or break the format's rules. */
  | "corrupt-object"
  /** A format version, chunk codec or core state-record version this code cannot read. */
  | "unsupported-version"
  /** A string that is not a snapshot id (64 lowercase hex digits). */
  | "invalid-id"
  /** A snapshot this host cannot run: its guest mode has no layer here, or the core rejects its state. */
  | "incompatible-machine"
  /** Input the machine cannot take (console bytes for a machine without a console input). */
  | "invalid-input"
  /** The store itself failed (I/O error, permissions, the bucket refused). */
  | "store-failure";

export class SnapshotError extends Error {
  override name = "SnapshotError";
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
