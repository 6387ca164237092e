// Runs the ISA test programs (tests/guest/isa, built into tests/guest/bin by
// tests/guest/build.sh) on edgevm, and guards the fixtures themselves:
//  * every ELF must exit 0 under `edgevm run` and print its .expected text;
//  * rebuilt with the same toolchain, the ELFs must be byte-identical to the
//    committed ones (skipped without riscv64-unknown-elf-gcc, or when the
//    local toolchain differs from the one recorded in tests/guest/bin/TOOLCHAIN);
//  * with qemu-system-riscv64 installed, every ELF must also pass on QEMU's
//    virt board, the reference: a failure there means the test is wrong.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const binDir = join(root, "tests/guest/bin");
const isaDir = join(root, "tests/guest/isa");
const cli = join(root, "bin/edgevm.mjs");

const elfs = existsSync(binDir)
  ? readdirSync(binDir)
      .filter((f) => f.endsWith(".elf"))
      .sort()
  : [];
const nameOf = (elf: string) => elf.replace(/\.elf$/, "");

function expectedOutput(name: string): string | undefined {
  const file = join(isaDir, `${name}.expected`);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

// Is `cmd` runnable? (spawnSync reports ENOENT as an error, not a status.)
function have(cmd: string, args: string[] = ["--version"]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return !r.error && r.status === 0;
}

function describeRun(r: ReturnType<typeof spawnSync>): string {
  const text = (b: unknown) => (b == null ? "" : String(b));
  return [
    `exit status: ${r.status}${r.signal ? ` (signal ${r.signal})` : ""}${r.error ? ` (${r.error.message})` : ""}`,
    `--- stdout ---\n${text(r.stdout)}`,
    `--- stderr ---\n${text(r.stderr)}`,
  ].join("\n");
}

describe("guest ISA programs", () => {
  it("fixtures exist for every source", () => {
    const sources = readdirSync(isaDir)
      .filter((f) => /\.(S|c)$/.test(f) && !/^common\./.test(f))
      .map((f) => f.replace(/\.(S|c)$/, ""))
      .sort();
    expect(sources.length).toBeGreaterThan(0);
    expect(elfs.map(nameOf)).toEqual(sources);
  });

  describe("on edgevm", () => {
    for (const elf of elfs) {
      const name = nameOf(elf);
      it(
        name,
        () => {
          const r = spawnSync(
            process.execPath,
            [cli, "run", join("tests/guest/bin", elf), "--max-insns", "200000000"],
            { cwd: root, encoding: "utf8", timeout: 170_000, stdio: ["ignore", "pipe", "pipe"] },
          );
          const report = `edgevm run ${elf}\n${describeRun(r)}`;
          expect(r.error, report).toBeUndefined();
          expect(r.status, report).toBe(0);
          const expected = expectedOutput(name);
          if (expected !== undefined) expect(r.stdout, report).toBe(expected);
        },
        180_000,
      );
    }
  });

  const gcc = process.env.RISCV_GCC ?? "riscv64-unknown-elf-gcc";
  const haveGcc = have(gcc);
  const recordedToolchain = existsSync(join(binDir, "TOOLCHAIN"))
    ? readFileSync(join(binDir, "TOOLCHAIN"), "utf8")
    : "";
  const rebuildTitle = haveGcc
    ? "rebuilding the fixtures gives identical bytes"
    : `rebuilding the fixtures gives identical bytes (skipped: ${gcc} not found; install gcc-riscv64-unknown-elf)`;
  it.skipIf(!haveGcc)(
    rebuildTitle,
    (ctx) => {
      const out = mkdtempSync(join(tmpdir(), "edgevm-guest-isa-"));
      try {
        const r = spawnSync("bash", [join(root, "tests/guest/build.sh"), out], {
          cwd: root,
          encoding: "utf8",
          timeout: 170_000,
        });
        expect(r.status, `tests/guest/build.sh failed\n${describeRun(r)}`).toBe(0);
        const localToolchain = readFileSync(join(out, "TOOLCHAIN"), "utf8");
        if (localToolchain !== recordedToolchain) {
          // Different compiler/assembler/linker versions legitimately produce
          // different code; the comparison only means something for the same ones.
          ctx.skip(
            `local toolchain differs from tests/guest/bin/TOOLCHAIN:\n${localToolchain}vs\n${recordedToolchain}`,
          );
          return;
        }
        const rebuilt = readdirSync(out)
          .filter((f) => f.endsWith(".elf"))
          .sort();
        expect(rebuilt, "the set of programs").toEqual(elfs);
        const stale = rebuilt.filter(
          (f) => !readFileSync(join(out, f)).equals(readFileSync(join(binDir, f))),
        );
        expect(stale, "fixtures that differ from a rebuild: run `npm run guests` and commit").toEqual([]);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    180_000,
  );

  const haveQemu = have("qemu-system-riscv64");
  describe.skipIf(!haveQemu)(
    haveQemu ? "on QEMU virt (reference)" : "on QEMU virt (skipped: qemu-system-riscv64 not found)",
    () => {
      for (const elf of elfs) {
        const name = nameOf(elf);
        it(
          name,
          () => {
            // -icount shift=0: QEMU then counts retired instructions exactly
            // (without it, instret follows the host's tick counter and
            // zicntr's exact counts cannot hold). The test finisher ends QEMU
            // with the program's exit code.
            const r = spawnSync(
              "qemu-system-riscv64",
              ["-machine", "virt", "-nographic", "-bios", "none", "-icount", "shift=0", "-kernel", join(binDir, elf)],
              { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] },
            );
            const report = `qemu-system-riscv64 ... -kernel ${elf}\n${describeRun(r)}`;
            expect(r.error, report).toBeUndefined();
            expect(r.status, report).toBe(0);
            const expected = expectedOutput(name);
            if (expected !== undefined) expect(r.stdout.replace(/\r\n/g, "\n"), report).toBe(expected);
          },
          90_000,
        );
      }
    },
  );
});
