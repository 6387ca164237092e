// Finding and running qemu-system-riscv64 for tests that compare edgevm's
// board with QEMU's virt machine. Tests skip, with this message, when it is absent.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const QEMU_SYSTEM = process.env.EDGEVM_QEMU_SYSTEM ?? "qemu-system-riscv64";

function probe(): string | undefined {
  const result = spawnSync(QEMU_SYSTEM, ["--version"], { encoding: "utf8", timeout: 10_000 });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.split("\n")[0];
}

/** QEMU's version line, or undefined when it cannot be run. */
export const qemuVersion = probe();

export function skipWithoutQemu(what: string): boolean {
  if (qemuVersion) return false;
  console.log(`SKIP ${what}: ${QEMU_SYSTEM} is not installed (Debian package qemu-system-misc)`);
  return true;
}

/** Runs QEMU with `args` and returns its stdout+stderr; throws on a non-zero exit. */
export function runQemu(args: string[], timeoutMs = 20_000): string {
  return execFileSync(QEMU_SYSTEM, ["-display", "none", "-monitor", "none", "-serial", "none", ...args], {
    encoding: "utf8",
    timeout: timeoutMs,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Debian's OpenSBI fw_dynamic.bin (package opensbi, or QEMU's bundled copy), or undefined. */
export function findOpenSbiDynamic(): string | undefined {
  const candidates = [
    process.env.EDGEVM_OPENSBI_DYNAMIC,
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
    "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin",
  ];
  return candidates.find((p): p is string => !!p && existsSync(p));
}
