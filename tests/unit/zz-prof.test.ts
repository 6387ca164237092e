import { readFileSync } from "node:fs";
import { it } from "vitest";
import { step, MemoryStore } from "../../src/snapshot/index.ts";
import { prepareLinuxMachine, linuxLayerCodec } from "../../src/vm/linux/snapshot-layer.ts";
const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const core = new compile(readFileSync("build/core.wasm"));
const prog = new Uint8Array(readFileSync("tests/guest/linux/bin/hello"));
it("prof", async () => {
  for (let i = 0; i < 10; i++) {
    const store = new MemoryStore();
    let t = performance.now();
    const init = await prepareLinuxMachine(core, prog, { args: ["/program"], memoryLimit: 64 << 20, exePath: "/program" });
    const prep = performance.now() - t; t = performance.now();
    const r = await step(init, {}, 5_000_000n, store, { core, layers: [linuxLayerCodec] });
    const st = performance.now() - t;
    console.log("prep", prep.toFixed(1), "step", st.toFixed(1), JSON.stringify(r.timings), r.counters.objectsWritten, r.counters.bytesWritten, r.counters.chunksDirty);
  }
});
