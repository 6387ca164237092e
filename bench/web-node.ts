// The Node side of bench/web.mjs: the machine page's engine (src/web/session.ts)
// restoring a snapshot from the same service over HTTP and stepping it in the
// page's quanta, so that Chromium and Node run the very same code on the same
// workload. bench/web.mjs bundles this file with esbuild and imports it.
import { readFileSync } from "node:fs";
import { linuxLayerCodec } from "../src/vm/linux/linux-layer.ts";
import { HttpStore } from "../src/web/http-store.ts";
import { QUANTUM_CYCLES, Session } from "../src/web/session.ts";

export async function runInNode(origin: string, id: string, corePath: string) {
  const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
  const core = new compile(readFileSync(corePath));
  const service = new HttpStore(origin);
  const restoreStarted = performance.now();
  const session = await Session.restore(service, id, { core, layers: [linuxLayerCodec] });
  const started = performance.now();
  const before = session.state.instructions;
  let output = 0;
  while (session.runnable) for (const s of await session.run(QUANTUM_CYCLES)) output += s.bytes.length;
  const seconds = (performance.now() - started) / 1000;
  const instructions = Number(session.state.instructions - before);
  session.release();
  return { instructions, seconds, mips: instructions / seconds / 1e6, restoreMs: started - restoreStarted, output, status: session.state.status.kind };
}
