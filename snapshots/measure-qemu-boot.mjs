#!/usr/bin/env node
// Instructions and wall time from reset to the shell prompt of a Linux Image
// under qemu-system-riscv64 (virt, 128 MiB, one hart), for each firmware.
//
//   node snapshots/measure-qemu-boot.mjs IMAGE [FIRMWARE...] [--runs N]
//
// Instructions: with -icount shift=0 QEMU counts retired instructions; at
// the prompt the VM is stopped over QMP and `query-replay` reports the count
// (an idle hart in wfi retires none, so the few milliseconds between the
// prompt's bytes and the stop do not count). Wall time: runs without -icount
// (QEMU's normal TCG speed), from spawn to the prompt's bytes; the median of
// N runs. Prints one JSON object per firmware.
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROMPT = "\n# ";
const OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic";

function qmp(socket) {
  return new Promise((resolve, reject) => {
    const conn = createConnection(socket);
    let buffer = "";
    const waiting = [];
    conn.setEncoding("utf8");
    conn.on("error", reject);
    conn.on("data", (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const msg = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if ("QMP" in msg) resolve(execute);
        else if ("return" in msg || "error" in msg) waiting.shift()?.(msg);
      }
    });
    function execute(command, args) {
      return new Promise((done) => {
        waiting.push(done);
        conn.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}) }) + "\n");
      });
    }
    execute.close = () => conn.end();
  });
}

function boot(image, firmware, { icount }) {
  const dir = mkdtempSync(join(tmpdir(), "edgevm-qemu-"));
  const socket = join(dir, "qmp.sock");
  const args = ["-machine", "virt", "-m", "128M", "-smp", "1", "-nographic", "-bios", firmware, "-kernel", image];
  if (icount) args.push("-icount", "shift=0,align=off,sleep=off", "-qmp", `unix:${socket},server=on,wait=off`);
  const started = process.hrtime.bigint();
  const qemu = spawn("qemu-system-riscv64", args, { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    let done = false;
    qemu.stdout.setEncoding("utf8");
    qemu.stdout.on("data", async (chunk) => {
      output += chunk;
      if (done || !output.includes(PROMPT)) return;
      done = true;
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let instructions = null;
      if (icount) {
        const execute = await qmp(socket);
        await execute("qmp_capabilities");
        await execute("stop");
        instructions = (await execute("query-replay")).return.icount;
        execute.close();
      }
      qemu.kill("SIGKILL");
      resolve({ wallMs, instructions });
    });
    qemu.on("error", reject);
    qemu.on("close", () => {
      rmSync(dir, { recursive: true, force: true });
      if (!done) reject(new Error(`QEMU ended before the prompt:\n${output.slice(-2000)}`));
    });
  });
}

const argv = process.argv.slice(2);
const runsAt = argv.indexOf("--runs");
const runs = runsAt >= 0 ? Number(argv.splice(runsAt, 2)[1]) : 5;
const [image, ...given] = argv;
if (!image) {
  console.error("usage: measure-qemu-boot.mjs IMAGE [FIRMWARE...] [--runs N]");
  process.exit(2);
}
const firmwares = given.length ? given : ["src/vm/system/sbi/edgevm-sbi.elf", `${OPENSBI}/fw_dynamic.bin`];
for (const firmware of firmwares) {
  const { instructions } = await boot(image, firmware, { icount: true });
  const walls = [];
  for (let i = 0; i < runs; i++) walls.push((await boot(image, firmware, { icount: false })).wallMs);
  walls.sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)];
  console.log(JSON.stringify({ firmware, instructionsToPrompt: instructions, wallMsToPromptMedian: Math.round(median), runs }));
}
