// Defaults and bounds shared by the commands and their help texts.

/** A runaway guest still ends: at roughly 100-600 MIPS this is well under two minutes. */
export const DEFAULT_MAX_INSNS = 10_000_000_000n;
export const DEFAULT_RAM_MIB = 128;
// The core tracks at most 2 GiB of guest RAM (one flag byte per page, docs/core.md).
export const MAX_RAM_MIB = 2048;
