// Defaults shared by the commands (kept apart so command modules can use them
// without importing the argument parser, which imports them).

/** A runaway guest still ends: at roughly 100-600 MIPS this is well under two minutes. */
export const DEFAULT_MAX_INSNS = 10_000_000_000n;
