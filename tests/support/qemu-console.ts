// Runs qemu-system-riscv64's virt board with a console session: waits for
// the guest's shell prompt before typing (input sent earlier is lost when
// Linux's 8250 driver resets the UART FIFO), then waits for poweroff.
import { spawn, spawnSync } from "node:child_process";

export const OPENSBI_DIR = "/usr/lib/riscv64-linux-gnu/opensbi/generic";

export function haveQemuSystem(): boolean {
  const r = spawnSync("qemu-system-riscv64", ["--version"], { stdio: "ignore" });
  return !r.error && r.status === 0;
}

export interface QemuSession {
  /** QEMU's exit status: the guest's finisher code */
  status: number | null;
  output: string;
  /** true when the prompt appeared and the input was typed */
  prompted: boolean;
}

export function runQemuConsole(opts: {
  bios: string;
  kernel: string;
  /** typed once `prompt` has appeared */
  input?: string;
  prompt?: string;
  extraArgs?: string[];
  timeoutMs?: number;
}): Promise<QemuSession> {
  const prompt = opts.prompt ?? "\n# ";
  const args = ["-machine", "virt", "-m", "128M", "-smp", "1", "-nographic", "-bios", opts.bios];
  args.push("-kernel", opts.kernel, ...(opts.extraArgs ?? []));
  return new Promise((resolve, reject) => {
    const qemu = spawn("qemu-system-riscv64", args, { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let prompted = false;
    const timer = setTimeout(() => qemu.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    qemu.stdout.setEncoding("utf8");
    qemu.stdout.on("data", (chunk: string) => {
      output += chunk;
      if (!prompted && output.includes(prompt)) {
        prompted = true;
        if (opts.input !== undefined) qemu.stdin.write(opts.input);
      }
    });
    qemu.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    qemu.on("error", reject);
    qemu.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, output: output.replace(/\r\n/g, "\n"), prompted });
    });
  });
}
