// The Linux Image of `npm run images` on edgevm's system machine: it boots
// to its busybox shell on edgevm-sbi (no --bios) and on Debian's OpenSBI
// (fw_dynamic.bin, fw_jump.elf), runs a command, and `exit 7` powers off with
// status 7. Skipped when the images are not built (or OpenSBI is absent).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bootPlanInput } from "../../src/vm/system/boot-images.ts";
import { loadSystemBoot } from "../../src/vm/system/boot-load.ts";
import { prepareSystemBoot } from "../../src/vm/system/boot-setup.ts";
import { kernelBootFiles } from "../../src/vm/system/linux-boot.ts";
import { SystemMachine } from "../../src/vm/system/system-machine.ts";
import { builtImagesDir, IMAGES_ABSENT } from "../support/linux-images.ts";
import { OPENSBI_DIR } from "../support/qemu-console.ts";

const Module = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const module = new Module(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
const Instance = WebAssembly.Instance as unknown as new (m: WebAssembly.Module, imports: object) => WebAssembly.Instance;

const RAM = 128 << 20;
const MAX_CYCLES = 2_000_000_000n;

async function bootLinux(image: Uint8Array, firmware: Uint8Array | undefined, script: string) {
  const files = kernelBootFiles({ ramBytes: RAM, kernel: image, firmware });
  const boot = prepareSystemBoot(bootPlanInput(files));
  const machine = SystemMachine.fromInstance(new Instance(module, {}), { ramBytes: RAM });
  loadSystemBoot(machine, boot, files);
  const decoder = new TextDecoder();
  let output = "";
  let promptAt: bigint | undefined;
  const result = await machine.run(MAX_CYCLES, {
    onConsole: (bytes) => {
      output += decoder.decode(bytes, { stream: true });
    },
    between: () => {
      if (promptAt === undefined && output.includes("\n# ")) {
        promptAt = machine.core.instret();
        machine.input(new TextEncoder().encode(script));
      }
      return true;
    },
  });
  return { result, output: output.replace(/\r\n/g, "\n"), promptAt };
}

const dir = builtImagesDir();
if (!dir) console.log(`linux-edgevm: ${IMAGES_ABSENT}; skipping`);

describe.skipIf(!dir)("the linux Image on edgevm", () => {
  const firmwares: [string, string | undefined][] = [
    ["edgevm-sbi (no --bios)", undefined],
    ["OpenSBI fw_dynamic.bin", `${OPENSBI_DIR}/fw_dynamic.bin`],
    ["OpenSBI fw_jump.elf", `${OPENSBI_DIR}/fw_jump.elf`],
  ];
  for (const [name, bios] of firmwares) {
    it.skipIf(bios !== undefined && !existsSync(bios))(`boots to a shell on ${name}; exit 7 powers off with 7`, async () => {
      const image = new Uint8Array(readFileSync(`${dir}/Image`));
      const firmware = bios ? new Uint8Array(readFileSync(bios)) : undefined;
      const { result, output, promptAt } = await bootLinux(image, firmware, "uname -a; echo $((6*7))\nexit 7\n");
      expect(promptAt, output.slice(-3000)).toBeDefined();
      expect(output).toMatch(/\nLinux edgevm 6\.1\.\d+ #1 .* riscv64 GNU\/Linux\n42\n/);
      expect(result.status, result.fault ?? output.slice(-3000)).toBe("halted");
      expect(result.exitCode).toBe(7);
      console.log(`linux-edgevm: ${name}: prompt after ${promptAt} instructions`);
    }, 300_000);
  }

  it("reaches the prompt after the same number of instructions every time", async () => {
    const image = new Uint8Array(readFileSync(`${dir}/Image`));
    const a = await bootLinux(image, undefined, "exit 0\n");
    const b = await bootLinux(image, undefined, "exit 0\n");
    expect(a.result.exitCode).toBe(0);
    expect(a.promptAt).toBe(b.promptAt);
    expect(a.output).toBe(b.output);
  }, 300_000);
});
