// The figures every `--stats` object starts with (the CLI contract:
// instructions, guest seconds, MIPS), rounded for printing.

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function runFigures(instructions: number, seconds: number, hostMs: number) {
  return {
    instructions,
    seconds: round(seconds, 6),
    mips: seconds > 0 ? round(instructions / seconds / 1e6, 3) : 0,
    hostSeconds: round(hostMs / 1000, 6),
  };
}
