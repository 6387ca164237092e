// The virt board's devices in system mode, driven by our own bare-metal
// guests (tests/guest/devices, built by its build.sh): PLIC, UART interrupts,
// virtio-blk through a small driver, virtio-rng, the goldfish RTC, poweroff
// and reboot. Where qemu-system-riscv64 is installed, the guests that do not
// depend on edgevm-only behaviour run on QEMU's virt board too: the
// reference, so a failure there means the guest is wrong. Last, the
// determinism property of system machines: a run cut into quanta, each
// continued on a fresh core from the captured machine, ends in exactly the
// state of the run in one go, with disk writes and interrupts in flight.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseElf } from "../../src/vm/elf.ts";
import { SystemMachine, type SystemConfig, type SystemRunResult } from "../../src/vm/system/system-machine.ts";
import { streamBytes } from "../../src/vm/system/virtio-rng.ts";
import { newInstance } from "../support/bare-core.ts";

const bin = new URL("../guest/devices/bin/", import.meta.url);
const guest = (name: string) => parseElf(readFileSync(new URL(`${name}.elf`, bin)));
const RAM = 64 << 20;
const LIMIT = 50_000_000n;

/** A 64 KiB disk whose sector 0 starts with a line of text. */
function testDisk(): Uint8Array {
  const disk = new Uint8Array(64 * 1024);
  disk.set(new TextEncoder().encode("edgevm disk test: sector zero"));
  return disk;
}

function boot(name: string, config: Partial<SystemConfig> = {}, input = ""): SystemMachine {
  const machine = SystemMachine.fromInstance(newInstance(), { ramBytes: RAM, ...config });
  machine.load(guest(name));
  if (input) machine.input(new TextEncoder().encode(input));
  return machine;
}

function run(machine: SystemMachine, limit = LIMIT): SystemRunResult & { out: string } {
  let out = "";
  const result = machine.run(limit, { onConsole: (b) => (out += Buffer.from(b).toString("latin1")) });
  return { ...result, out };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("system-mode devices (our guests)", () => {
  it("PLIC: priorities, thresholds, claim/complete, contexts M and S, an external interrupt taken", () => {
    const r = run(boot("plic"));
    expect(r.out).toContain("plic ok");
    expect(r).toMatchObject({ status: "halted", exitCode: 0, reboot: false });
  });

  it("UART: THR-empty and receive interrupts; input given up front is held until the receive interrupt is enabled", () => {
    const r = run(boot("uart", {}, "hi!"));
    expect(r.out).toBe(">HI!\nuart ok\n");
    expect(r).toMatchObject({ status: "halted", exitCode: 0 });
  });

  it("virtio-blk: capacity, GET_ID, read, write, flush, errors; the write reaches the disk, not the caller's image", () => {
    const image = testDisk();
    const machine = boot("blk", { drives: [image] });
    const r = run(machine);
    expect(r.out).toContain("slot 0 capacity 128\n");
    expect(r.out).toContain("id edgevm\n");
    expect(r.out).toContain("sector 0: edgevm disk test: sector zero\n");
    expect(r.out).toContain("sector 1: written by blk.elf\n");
    expect(r).toMatchObject({ status: "halted", exitCode: 0 });
    const sector1 = machine.disks[0]!.bytes.subarray(512, 1024);
    expect(Buffer.from(sector1.subarray(0, 18)).toString()).toBe("written by blk.elf");
    expect(sector1[100]).toBe(100);
    expect(machine.disks[0]!.dirty).toEqual(new Set([0]));
    expect(image.subarray(512, 1024).every((b) => b === 0)).toBe(true);
  });

  it("virtio-rng: the bytes are the seed's stream, the same on every run", () => {
    const seed = 0x1234_5678_9abc_def0n;
    const first = run(boot("rng", { rngSeed: seed }));
    const second = run(boot("rng", { rngSeed: seed }));
    const other = run(boot("rng", { rngSeed: seed + 1n }));
    expect(first.status).toBe("halted");
    expect(first.exitCode).toBe(0);
    const stream = streamBytes(seed, 0n, 32);
    expect(first.out).toBe(`${hex(stream.subarray(0, 16))}\n${hex(stream.subarray(16))}\nrng ok\n`);
    expect(second.out).toBe(first.out);
    expect(other.out).not.toBe(first.out);
  });

  it("RTC: the configured epoch plus guest time, and settable by the guest", () => {
    const r = run(boot("rtc", { rtcEpochNs: 1_700_000_000n * 1_000_000_000n }));
    expect(r.out).toBe("seconds 1700000000\nset 946684800\nrtc ok\n");
    expect(r).toMatchObject({ status: "halted", exitCode: 0 });
  });

  it("syscon: poweroff with a code, and a reboot request", () => {
    expect(run(boot("power"))).toMatchObject({ status: "halted", exitCode: 42, reboot: false, out: "power\n" });
    expect(run(boot("power", {}, "r"))).toMatchObject({ status: "halted", exitCode: 0, reboot: true });
  });
});

const qemu = "qemu-system-riscv64";
const haveQemu = (() => {
  const r = spawnSync(qemu, ["--version"], { stdio: "ignore" });
  return !r.error && r.status === 0;
})();
if (!haveQemu) console.log(`system-devices: ${qemu} not found; the device guests are not checked on QEMU's virt board`);

describe.runIf(haveQemu)("the same guests on QEMU's virt board (the reference)", () => {
  const qemuRun = (name: string, extra: string[] = []) => {
    const r = spawnSync(qemu, ["-machine", "virt", "-nographic", "-bios", "none", "-kernel", new URL(`${name}.elf`, bin).pathname, ...extra], {
      input: "", timeout: 20_000, encoding: "latin1",
    });
    return { status: r.status, out: r.stdout };
  };

  it("plic and power behave as on edgevm", () => {
    expect(qemuRun("plic")).toMatchObject({ status: 0, out: expect.stringContaining("plic ok") });
    expect(qemuRun("power")).toMatchObject({ status: 42 });
  });

  it("blk and rng drive QEMU's virtio-mmio devices", () => {
    const dir = mkdtempSync(join(tmpdir(), "edgevm-blk-"));
    try {
      const disk = join(dir, "disk.img");
      writeFileSync(disk, testDisk());
      const blk = qemuRun("blk", [
        "-global", "virtio-mmio.force-legacy=false",
        "-drive", `file=${disk},if=none,format=raw,id=x0`, "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
      ]);
      expect(blk.status).toBe(0);
      expect(blk.out).toContain("sector 1: written by blk.elf");
      const rng = qemuRun("rng", ["-global", "virtio-mmio.force-legacy=false", "-device", "virtio-rng-device,bus=virtio-mmio-bus.0"]);
      expect(rng).toMatchObject({ status: 0, out: expect.stringContaining("rng ok") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("system machines cut into quanta", () => {
  const fingerprint = (m: SystemMachine) => {
    const image = m.capture();
    const h = createHash("sha256");
    h.update(image.record);
    h.update(image.ram);
    for (const d of image.disks) h.update(d);
    return h.digest("hex");
  };

  // Runs `total` cycles in quanta of `quantum`, each on a fresh core resumed from the captured machine.
  function inQuanta(name: string, config: Partial<SystemConfig>, input: string, total: bigint, quantum: bigint) {
    let machine = boot(name, config, input);
    let out = "";
    let done = 0n;
    let last: SystemRunResult | undefined;
    while (done < total) {
      const budget = total - done < quantum ? total - done : quantum;
      const r = run(machine, budget);
      out += r.out;
      done += r.cycles;
      last = r;
      if (r.status !== "budget") break;
      machine = SystemMachine.resume(newInstance(), { ramBytes: RAM, ...config }, machine.capture());
    }
    return { out, done, status: last!.status, print: fingerprint(machine) };
  }

  for (const [name, config, input] of [
    ["blk", { drives: [testDisk()] }, ""],
    ["uart", {}, "hi!"],
    ["rng", { rngSeed: 7n }, ""],
  ] as const) {
    it(`${name}: every quantum size ends in the same machine as one run`, () => {
      const whole = boot(name, config, input);
      const once = run(whole);
      expect(once.status).toBe("halted");
      const reference = { out: once.out, done: once.cycles, status: once.status, print: fingerprint(whole) };
      // Quanta that cut the run in 3 to 12 pieces, at arbitrary instructions.
      for (const pieces of [3n, 7n, 12n]) {
        const quantum = once.cycles / pieces + 13n;
        expect(inQuanta(name, config, input, once.cycles, quantum)).toEqual(reference);
      }
    });
  }
});
