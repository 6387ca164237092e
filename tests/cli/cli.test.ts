// End-to-end tests of the `edgevm` command: spawn bin/edgevm.mjs (the built
// bundle) with the project's Node, as users and other checks do.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bareSpec, buildElf, patched } from "./elf-builder.ts";

const HELLO = "tests/guest/cli/hello.elf";
const SPIN = "tests/guest/cli/spin.elf";
const PRINT_THEN_SPIN = "tests/guest/cli/print-then-spin.elf";
const TRAP_LOOP = "tests/guest/cli/trap-loop.elf";

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function edgevm(...args: string[]): Result {
  const r = spawnSync(process.execPath, ["bin/edgevm.mjs", ...args], { encoding: "utf8", timeout: 100_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function stderrLines(r: Result): string[] {
  return r.stderr.split("\n").filter((l) => l !== "");
}

/** Bad input: exit 2, nothing on stdout, exactly one `edgevm: ...` line on stderr. */
function expectUsageError(r: Result, message: RegExp | string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  const lines = stderrLines(r);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^edgevm: /);
  if (typeof message === "string") expect(lines[0]).toBe(message);
  else expect(lines[0]).toMatch(message);
}

let dir: string;
const tmp = (name: string, bytes: Uint8Array | string): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edgevm-cli-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("edgevm usage", () => {
  it("--help prints the usage, documenting the defaults", () => {
    const r = edgevm("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: edgevm run FILE/);
    expect(r.stdout).toContain("--max-insns N");
    expect(r.stdout).toContain("10000000000");
    expect(r.stdout).toContain("--stats");
    expect(r.stdout).toContain("--ram MiB");
    expect(r.stderr).toBe("");
  });

  it("prints the usage without arguments and for run --help", () => {
    for (const args of [[], ["run", "--help"], ["help"]]) {
      const r = edgevm(...args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Usage: edgevm run FILE/);
    }
  });
});

describe("edgevm bad input (exit 2, one line)", () => {
  it("unknown commands and options", () => {
    expectUsageError(edgevm("frobnicate"), "edgevm: unknown command 'frobnicate' (see edgevm --help)");
    expectUsageError(edgevm("--frob"), "edgevm: unknown option --frob (see edgevm --help)");
    expectUsageError(edgevm("run", HELLO, "--frob"), "edgevm: unknown option --frob (see edgevm --help)");
    expectUsageError(edgevm("run", HELLO, "--stats=yes"), /--stats takes no value/);
    expectUsageError(edgevm("run", HELLO, "extra"), "edgevm: unexpected argument 'extra' (guest arguments go after --)");
  });

  it("missing file or option value", () => {
    expectUsageError(edgevm("run"), "edgevm: run needs a FILE (see edgevm --help)");
    expectUsageError(edgevm("run", HELLO, "--max-insns"), "edgevm: --max-insns needs a value (see edgevm --help)");
    expectUsageError(edgevm("run", HELLO, "--ram"), "edgevm: --ram needs a value (see edgevm --help)");
  });

  it("--max-insns that is not a positive integer", () => {
    for (const bad of ["0", "-5", "abc", "1.5", "1e9", "", "18446744073709551616"]) {
      expectUsageError(edgevm("run", HELLO, "--max-insns", bad), `edgevm: --max-insns must be a positive integer, not '${bad}'`);
    }
    expectUsageError(edgevm("run", HELLO, "--max-insns=x"), "edgevm: --max-insns must be a positive integer, not 'x'");
  });

  it("--ram out of range", () => {
    for (const bad of ["0", "4096", "big"]) {
      expectUsageError(edgevm("run", HELLO, "--ram", bad), `edgevm: --ram must be a whole number of MiB from 1 to 2048, not '${bad}'`);
    }
  });

  it("a file that cannot be read", () => {
    expectUsageError(edgevm("run", join(dir, "missing.elf")), `edgevm: ${join(dir, "missing.elf")}: no such file`);
    expectUsageError(edgevm("run", dir), `edgevm: ${dir}: is a directory, not an ELF file`);
    expectUsageError(edgevm("run", "/dev/zero"), "edgevm: /dev/zero: not a regular file");
  });

  it("a file that is not an RV64 executable", () => {
    const hello = readFileSync(HELLO);
    const cases: [string, Uint8Array | string, string][] = [
      ["text.elf", "just some text\n", "not an ELF file (bad magic)"],
      ["empty.elf", "", "not an ELF file (bad magic)"],
      ["rv32.elf", patched(hello, (v) => v.setUint8(4, 1)), "ELF is 32-bit; edgevm runs RV64"],
      ["x86.elf", patched(hello, (v) => v.setUint16(18, 62, true)), "ELF machine is x86-64 (62), not RISC-V"],
      ["obj.o", patched(hello, (v) => v.setUint16(16, 1, true)), "ELF is a relocatable object (.o), not an executable; link it first"],
      ["cut.elf", hello.subarray(0, 150), "truncated: program header 1 extends past end of file"],
    ];
    for (const [name, bytes, message] of cases) {
      const path = tmp(name, bytes);
      expectUsageError(edgevm("run", path), `edgevm: ${path}: ${message}`);
    }
  });

  it("segments outside RAM", () => {
    const path = tmp("high.elf", buildElf({ segments: [{ vaddr: 0x9000_0000n, data: new Uint8Array(16) }] }));
    expectUsageError(edgevm("run", path), `edgevm: ${path}: segment at 0x90000000-0x90000010 lies outside RAM 0x80000000-0x88000000`);
    const big = tmp("big.elf", buildElf({ ...bareSpec(), segments: [{ vaddr: 0x8000_0000n, data: new Uint8Array(16), memsz: 2n << 20n }] }));
    expectUsageError(edgevm("run", big, "--ram", "1"), `edgevm: ${big}: segment at 0x80000000-0x80200000 lies outside RAM 0x80000000-0x80100000`);
  });

  it("a Linux program whose segment Linux could not map", () => {
    const path = tmp("linux.elf", buildElf({ segments: [{ vaddr: 0x10000n, data: new Uint8Array(16) }] }));
    expectUsageError(
      edgevm("run", path),
      `edgevm: ${path}: segment 0: file offset 0x78 and address 0x10000 differ modulo the page size, so Linux cannot map it`,
    );
  });
});

// These run guests, so they need the core (src/core) to execute RV64GC.
describe("edgevm run (needs the core)", () => {
  it("prints the guest's console and exits with its code", () => {
    const r = edgevm("run", HELLO);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("hello from edgevm\n");
    expect(r.status).toBe(3);
  });

  it("stops at --max-insns with one line on stderr and exit 124", () => {
    const r = edgevm("run", SPIN, "--max-insns", "1000");
    expect(r.status).toBe(124);
    expect(r.stdout).toBe("");
    const lines = stderrLines(r);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^edgevm: instruction limit reached \(--max-insns 1000\)/);
  });

  it("--stats ends stderr with one JSON object", () => {
    const r = edgevm("run", HELLO, "--stats");
    expect(r.status).toBe(3);
    expect(r.stdout).toBe("hello from edgevm\n");
    const last = stderrLines(r).at(-1)!;
    const stats = JSON.parse(last);
    expect(stats.instructions).toBeGreaterThan(0);
    expect(typeof stats.seconds).toBe("number");
    expect(typeof stats.mips).toBe("number");
    expect(stats.hostSeconds).toBeGreaterThanOrEqual(stats.seconds);
    expect(stats).toMatchObject({ status: "halted", exitCode: 3 });
  });

  it("stops a guest that traps to an unfetchable handler instead of spinning (exit 125)", () => {
    const r = edgevm("run", TRAP_LOOP);
    expect(r.status).toBe(125);
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^edgevm: the guest trapped to a handler address it cannot fetch from/)]);
  });

  it("counts exactly --max-insns across run slices", () => {
    const r = edgevm("run", SPIN, "--max-insns", "10_000_001", "--stats");
    expect(r.status).toBe(124);
    const lines = stderrLines(r);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1])).toMatchObject({ instructions: 10_000_001, status: "budget" });
  });

  it("streams the console while the guest runs", async () => {
    const child = spawn(process.execPath, ["bin/edgevm.mjs", "run", PRINT_THEN_SPIN], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const seen = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          out += chunk;
          if (out.includes("\n")) resolve(out);
        });
        child.on("exit", (code) => reject(new Error(`edgevm exited (${code}) before any output arrived; stdout: ${JSON.stringify(out)}`)));
      });
      expect(seen).toBe("spinning\n");
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill();
    }
  });
});

// The fixtures are what they claim to be on the reference board.
describe.skipIf(spawnSync("qemu-system-riscv64", ["--version"]).status !== 0)("CLI fixtures on QEMU virt", () => {
  it("hello.elf prints its line and exits with 3", () => {
    const r = spawnSync("qemu-system-riscv64", ["-machine", "virt", "-nographic", "-bios", "none", "-kernel", HELLO], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.stdout).toBe("hello from edgevm\n");
    expect(r.status).toBe(3);
  });
});

// Snapshots through the CLI: the final snapshot does not depend on the quantum,
// and a run stopped at --max-insns resumes to the same end.
describe("edgevm run --quantum/--store and edgevm resume", () => {
  const PROGRAM = "bench/bin/intloop-small.elf";
  const statsOf = (r: Result) => JSON.parse(stderrLines(r).at(-1)!) as { snapshot: string; quanta: number; status: string };

  it("reaches the same final snapshot with any quantum, and resumes to it", () => {
    const store = join(dir, "store");
    const small = edgevm("run", PROGRAM, "--quantum", "1_000_000", "--store", store, "--stats");
    const large = edgevm("run", PROGRAM, "--quantum", "7_777_777", "--store", store, "--stats");
    expect(small.status, small.stderr).toBe(0);
    expect(large.status, large.stderr).toBe(0);
    expect(small.stdout).toBe(large.stdout);
    expect(statsOf(small).quanta).toBeGreaterThan(statsOf(large).quanta);
    expect(statsOf(small).snapshot).toMatch(/^[0-9a-f]{64}$/);
    expect(statsOf(small).snapshot).toBe(statsOf(large).snapshot);

    const stopped = edgevm("run", PROGRAM, "--store", store, "--max-insns", "3_000_000", "--stats");
    expect(stopped.status).toBe(124);
    const midway = statsOf(stopped).snapshot;
    expect(stderrLines(stopped)[0]).toContain(`edgevm resume ${midway} --store ${store}`);
    const resumed = edgevm("resume", midway, "--store", store, "--stats");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(stopped.stdout + resumed.stdout).toBe(small.stdout);
    expect(statsOf(resumed).snapshot).toBe(statsOf(small).snapshot);
  });

  it("rejects a malformed or unknown snapshot id", () => {
    expectUsageError(edgevm("resume", "abc", "--store", dir), /is not a snapshot id/);
    const unknown = edgevm("resume", "0".repeat(64), "--store", join(dir, "empty-store"));
    expect(unknown.status).toBe(2);
    expect(stderrLines(unknown)).toHaveLength(1);
  });
});
