import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.ts";
import { DEFAULT_MAX_INSNS } from "../../src/cli/defaults.ts";
import { CliError } from "../../src/cli/cli-error.ts";
import { exitStatusOf } from "../../src/cli/cli-io.ts";

function usageMessage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).status).toBe(2);
    return (e as CliError).message;
  }
  throw new Error("parseArgs accepted " + JSON.stringify(argv));
}

describe("parseArgs", () => {
  it("has defaults for run", () => {
    expect(parseArgs(["run", "a.elf"])).toEqual({
      command: "run",
      file: "a.elf",
      maxInsns: DEFAULT_MAX_INSNS,
      ramMiB: 128,
      stats: false,
      guestArgs: [],
    });
    expect(DEFAULT_MAX_INSNS).toBe(10_000_000_000n);
  });

  it("takes options before or after FILE, with = or a separate value", () => {
    const want = { file: "a.elf", maxInsns: 5_000_000n, ramMiB: 64, stats: true };
    expect(parseArgs(["run", "--stats", "--max-insns", "5_000_000", "--ram=64", "a.elf"])).toMatchObject(want);
    expect(parseArgs(["run", "a.elf", "--ram", "64", "--max-insns=5000000", "--stats"])).toMatchObject(want);
  });

  it("passes everything after -- to the guest", () => {
    expect(parseArgs(["run", "a.elf", "--", "--stats", "x"])).toMatchObject({ stats: false, guestArgs: ["--stats", "x"] });
  });

  it("accepts the largest u64 budget and rejects one past it", () => {
    expect(parseArgs(["run", "a", "--max-insns", "18446744073709551615"])).toMatchObject({ maxInsns: (1n << 64n) - 1n });
    expect(usageMessage(["run", "a", "--max-insns", "18446744073709551616"])).toMatch(/positive integer/);
  });

  it("reports usage errors", () => {
    expect(usageMessage(["run"])).toBe("run needs a FILE (see edgevm --help)");
    expect(usageMessage(["run", "a", "b"])).toBe("unexpected argument 'b' (guest arguments go after --)");
    expect(usageMessage(["run", "a", "--max-insns", "0x10"])).toBe("--max-insns must be a positive integer, not '0x10'");
    expect(usageMessage(["run", "a", "--ram", "1.5"])).toBe("--ram must be a whole number of MiB from 1 to 2048, not '1.5'");
    expect(usageMessage(["-v"])).toBe("unknown option -v (see edgevm --help)");
  });
});

describe("exitStatusOf", () => {
  it("keeps 8-bit codes and never turns a failure into success", () => {
    expect(exitStatusOf(0)).toBe(0);
    expect(exitStatusOf(3)).toBe(3);
    expect(exitStatusOf(255)).toBe(255);
    expect(exitStatusOf(257)).toBe(1);
    expect(exitStatusOf(256)).toBe(1);
    expect(exitStatusOf(512)).toBe(1);
  });
});
