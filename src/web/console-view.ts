// A console in the page: an xterm.js terminal over the machine's Web Worker,
// and the buttons around it (run/pause, step, reset, share, fork, downloads).
// Generic over "a console": a Linux program's stdin/stdout (process mode,
// with a line discipline here, as a terminal in canonical mode would give
// it) or a machine's UART (system mode, raw keys; the guest echoes).
//
// Guest output is untrusted: it only ever reaches term.write(). Everything
// else the page shows about the machine is set through textContent.
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import type { FromWorker, ToWorker, WorkerState } from "./protocol.ts";

export interface ConsoleStart {
  /** How the worker gets its machine. */
  start: { op: "open"; id: string } | { op: "boot"; program: Uint8Array };
}

const CORE_URL = "/assets/core.wasm";
const WORKER_URL = "/assets/machine-worker.js";
/** Nominal hart frequency: guest time is cycles at 100 MHz (docs/core.md). */
const HART_HZ = 100_000_000;
const MAX_TRANSCRIPT = 4 << 20;

export class ConsoleView {
  readonly term: Terminal;
  private readonly worker: Worker;
  private mode: "process" | "system" = "process";
  private line = "";
  private transcript: Uint8Array[] = [];
  private transcriptBytes = 0;
  private state: WorkerState | null = null;
  private readonly pending = new Map<number, (b: { id: string; bytes: Uint8Array }) => void>();
  private nextTag = 1;
  /** When the first guest output arrived (ms since the page started), for the benchmark. */
  firstOutputMs: number | null = null;

  constructor(private readonly root: HTMLElement, start: ConsoleStart["start"]) {
    this.term = new Terminal({ convertEol: true, cursorBlink: true, fontSize: 14, scrollback: 5000, screenReaderMode: false });
    const fit = new FitAddon();
    this.term.loadAddon(fit);
    const host = this.el("terminal");
    this.term.open(host);
    fit.fit();
    new ResizeObserver(() => fit.fit()).observe(host);
    this.worker = new Worker(WORKER_URL, { type: "module" });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.onWorker(e.data);
    this.worker.onerror = (e) => this.say(`the machine's worker failed: ${e.message}`);
    this.term.onData((data) => this.onKeys(data));
    this.wireButtons();
    this.say("starting the machine…");
    const coreUrl = new URL(CORE_URL, location.href).href;
    if (start.op === "open") this.send({ op: "open", id: start.id, origin: location.origin, coreUrl });
    else this.send({ op: "boot", program: start.program, coreUrl }, [start.program.buffer as ArrayBuffer]);
    this.term.focus();
  }

  private send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private el<T extends HTMLElement = HTMLElement>(name: string): T {
    const found = this.root.querySelector<T>(`[data-part="${name}"]`);
    if (!found) throw new Error(`the page has no ${name}`);
    return found;
  }

  private onWorker(m: FromWorker): void {
    switch (m.op) {
      case "ready":
        this.mode = m.mode;
        this.root.dataset.ready = "true";
        this.root.dataset.readyMs = String(performance.now());
        this.root.dataset.snapshot = m.snapshot;
        if (m.transcript.length > 0) this.output(m.transcript);
        this.say(`restored in ${Math.round(m.bootMs)} ms; running on this page's CPU`);
        return;
      case "output":
        if (this.firstOutputMs === null) {
          this.firstOutputMs = performance.now();
          this.root.dataset.firstOutputMs = String(this.firstOutputMs);
          this.root.dataset.firstOutputFetched = String(this.state?.fetched ?? 0);
        }
        return this.output(m.bytes);
      case "state":
        return this.showState(m.state);
      case "bundle":
        this.pending.get(m.tag)?.({ id: m.id, bytes: m.bytes });
        this.pending.delete(m.tag);
        return;
      case "error":
        this.say(`error: ${m.message}`);
        return;
    }
  }

  private output(bytes: Uint8Array): void {
    if (this.transcriptBytes < MAX_TRANSCRIPT) {
      this.transcript.push(bytes.slice());
      this.transcriptBytes += bytes.length;
    }
    this.term.write(bytes);
  }

  /** Process mode: echo and edit the line here, send it on Enter; ^D sends what is typed, or end-of-file. */
  private onKeys(data: string): void {
    if (this.mode === "system") {
      this.send({ op: "input", bytes: new TextEncoder().encode(data) });
      return;
    }
    for (const ch of data) {
      if (ch === "\r" || ch === "\n") {
        this.term.write("\r\n");
        this.sendLine(this.line + "\n");
        this.line = "";
      } else if (ch === "\x7f" || ch === "\b") {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.term.write("\b \b");
        }
      } else if (ch === "\x04") {
        if (this.line.length > 0) this.sendLine(this.line);
        else this.send({ op: "input", bytes: new Uint8Array(0), end: true });
        this.line = "";
      } else if (ch === "\x03") {
        this.line = "";
        this.term.write("^C\r\n");
      } else if (ch >= " " || ch === "\t") {
        this.line += ch;
        this.term.write(ch);
      }
    }
  }

  private sendLine(text: string): void {
    this.send({ op: "input", bytes: new TextEncoder().encode(text) });
  }

  private showState(s: WorkerState): void {
    this.state = s;
    const status = describeStatus(s.status);
    this.root.dataset.status = s.status.kind;
    this.root.dataset.instructions = s.instructions;
    this.root.dataset.fetched = String(s.fetched);
    // When the machine first stops (exits, halts, waits for input): what the benchmark times runs by.
    if (s.status.kind !== "running" && !this.root.dataset.stoppedMs) this.root.dataset.stoppedMs = String(performance.now());
    this.text("f-status", status);
    this.text("f-insns", BigInt(s.instructions).toLocaleString("en-US"));
    this.text("f-time", `${(Number(s.cycles) / HART_HZ).toFixed(6)} s`);
    this.text("f-fetched", `${(s.fetched / 1024).toFixed(1)} KiB`);
    this.el<HTMLButtonElement>("run").textContent = s.running ? "Pause" : "Run";
  }

  private text(part: string, value: string): void {
    const node = this.root.querySelector(`[data-part="${part}"]`) ?? document.querySelector(`[data-part="${part}"]`);
    if (node) node.textContent = value;
  }

  private say(message: string): void {
    this.text("status-line", message);
  }

  private bundle(complete: boolean): Promise<{ id: string; bytes: Uint8Array }> {
    const tag = this.nextTag++;
    return new Promise((resolve) => {
      this.pending.set(tag, resolve);
      this.send({ op: "bundle", complete, tag });
    });
  }

  private token(): string | null {
    const value = this.el<HTMLInputElement>("token").value.trim();
    if (value) return value;
    this.say("sharing and forking write to the service: enter a token first (download works without one)");
    this.el<HTMLInputElement>("token").focus();
    return null;
  }

  /** Uploads the page's current state (only what the service lacks); its snapshot id. */
  private async share(token: string): Promise<string | null> {
    const { id, bytes } = await this.bundle(false);
    const response = await fetch("/v1/snapshots", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.edgevm.bundle" },
      body: bytes as BodyInit,
    });
    const answer = (await response.json().catch(() => null)) as { snapshot?: string; error?: { message: string } } | null;
    if (!response.ok || answer?.snapshot !== id) {
      this.say(`share failed: ${answer?.error?.message ?? response.status}`);
      return null;
    }
    return id;
  }

  private wireButtons(): void {
    this.on("run", () => this.send({ op: this.state?.running ? "pause" : "run" }));
    this.on("step", () => {
      const n = Number(this.el<HTMLInputElement>("step-n").value);
      if (!Number.isSafeInteger(n) || n < 1) return this.say("step: give a positive whole number of instructions");
      this.send({ op: "step", cycles: n });
    });
    this.on("reset", () => {
      this.term.reset();
      this.transcript = [];
      this.transcriptBytes = 0;
      this.line = "";
      this.send({ op: "reset" });
      if (this.root.dataset.origin) this.say("reset to the shared state (its transcript is above in the page's history, not replayed)");
    });
    this.on("share", async () => {
      const token = this.token();
      if (!token) return;
      this.say("sharing…");
      const id = await this.share(token);
      if (!id) return;
      const url = new URL(`/s/${id}`, location.origin).href;
      const out = this.el("share-result");
      out.textContent = "Shared: ";
      const link = document.createElement("a");
      link.href = url;
      link.textContent = url;
      link.dataset.part = "share-link";
      out.appendChild(link);
      this.say("shared; anyone with the link gets this exact machine");
    });
    this.on("fork", async () => {
      const token = this.token();
      if (!token) return;
      const id = await this.share(token);
      if (!id) return;
      const response = await fetch(`/v1/snapshots/${id}/fork`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      const answer = (await response.json().catch(() => null)) as { machine?: string; error?: { message: string } } | null;
      if (!response.ok || !answer?.machine) return this.say(`fork failed: ${answer?.error?.message ?? response.status}`);
      this.el("share-result").textContent = `Machine ${answer.machine} on the server, at snapshot ${id} (step it with POST /v1/machines/${answer.machine}/step)`;
    });
    this.on("download", async () => {
      const { id, bytes } = await this.bundle(true);
      save(new Blob([bytes as BlobPart], { type: "application/vnd.edgevm.bundle" }), `edgevm-${id.slice(0, 12)}.evmb`);
      this.say(`downloaded snapshot ${id}: import it with npx edgevm import FILE --store DIR`);
    });
    this.on("download-transcript", () => {
      save(new Blob(this.transcript as BlobPart[], { type: "text/plain" }), "edgevm-console.txt");
    });
  }

  private on(part: string, fn: () => void | Promise<void>): void {
    this.el(part).addEventListener("click", () => {
      void Promise.resolve(fn()).catch((e: unknown) => this.say(`error: ${(e as Error).message}`));
    });
  }
}

function save(blob: Blob, name: string): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function describeStatus(s: WorkerState["status"]): string {
  switch (s.kind) {
    case "running":
      return "running";
    case "waiting-input":
      return "waiting for console input";
    case "halted":
      return `halted with code ${s.exitCode}`;
    case "exited":
      return s.signal !== undefined ? `killed by signal ${s.signal} (exit status ${s.exitCode})` : `exited with code ${s.exitCode}`;
    case "fault":
      return `stopped: ${s.reason}`;
  }
}
