// The page's Web Worker: it owns the machine (src/web/session.ts) and steps it
// one quantum at a time, yielding between quanta so that keys, pause and
// share requests get in and the page never freezes.
import { readManifest } from "../snapshot/store.ts";
import { linuxLayerCodec } from "../vm/linux/linux-layer.ts";
import { HttpStore } from "./http-store.ts";
import { initialFromProgram } from "./program.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { Session } from "./session.ts";

const scope = self as unknown as { postMessage(m: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
let session: Session | null = null;
let service: HttpStore | null = null;
let wantRun = false;
let looping = false;
let chain: Promise<void> = Promise.resolve();

const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

/** Every operation on the machine runs in order, one at a time, between quanta. */
function serial(fn: () => Promise<void>): void {
  chain = chain.then(fn).catch((e: unknown) => {
    wantRun = false;
    looping = false;
    post({ op: "error", message: e instanceof Error ? e.message : String(e) });
  });
}

// A message to ourselves is the fastest way back to the event loop (setTimeout clamps to 4 ms).
const tick = new MessageChannel();
tick.port1.onmessage = () => serial(quantum);

function kick(): void {
  if (looping || !wantRun || !session?.runnable) return postState();
  looping = true;
  serial(quantum);
}

async function quantum(): Promise<void> {
  if (!session || !wantRun || !session.runnable) {
    looping = false;
    postState();
    return;
  }
  const output = await session.run();
  // The state first: a page that times its first output sees what fetching it took.
  postState();
  emit(output);
  tick.port2.postMessage(null);
}

function emit(segments: { bytes: Uint8Array; stream: "stdout" | "stderr" }[]): void {
  for (const s of segments) post({ op: "output", bytes: s.bytes, stream: s.stream }, [s.bytes.buffer as ArrayBuffer]);
}

function postState(): void {
  if (!session) return;
  const s = session.state;
  post({
    op: "state",
    state: {
      status: s.status, running: wantRun && session.runnable, instructions: s.instructions.toString(), cycles: s.cycles.toString(),
      base: s.base, fetched: service?.bytesFetched ?? 0,
    },
  });
}

async function coreModule(url: string): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(url));
}

scope.onmessage = (event) => {
  const m = event.data;
  switch (m.op) {
    case "open":
      return serial(async () => {
        const started = performance.now();
        service = new HttpStore(m.origin);
        const [core, { manifest }] = await Promise.all([coreModule(m.coreUrl), readManifest(service, m.id)]);
        session = await Session.restore(service, m.id, { core, layers: [linuxLayerCodec] });
        post({ op: "ready", mode: session.mode, ramBytes: session.ramBytes, transcript: manifest.console.tail, snapshot: m.id, bootMs: performance.now() - started });
        wantRun = true;
        kick();
      });
    case "boot":
      return serial(async () => {
        const started = performance.now();
        const core = await coreModule(m.coreUrl);
        session = await Session.boot(() => initialFromProgram(core, m.program), { core, layers: [linuxLayerCodec] });
        post({ op: "ready", mode: session.mode, ramBytes: session.ramBytes, transcript: new Uint8Array(0), snapshot: session.state.base!, bootMs: performance.now() - started });
        wantRun = true;
        kick();
      });
    case "run":
      wantRun = true;
      return kick();
    case "pause":
      wantRun = false;
      return serial(async () => postState());
    case "step":
      wantRun = false;
      return serial(async () => {
        if (session) emit(await session.run(BigInt(Math.max(1, Math.floor(m.cycles)))));
        postState();
      });
    case "input":
      return serial(async () => {
        session?.input(m.bytes, m.end ?? false);
        kick();
      });
    case "reset":
      wantRun = false;
      return serial(async () => {
        await session?.reset();
        postState();
      });
    case "bundle":
      return serial(async () => {
        if (!session) return;
        const { id, bytes } = await session.bundle(m.complete);
        post({ op: "bundle", tag: m.tag, id, bytes }, [bytes.buffer as ArrayBuffer]);
        postState();
      });
  }
};
