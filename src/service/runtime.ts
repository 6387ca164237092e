// What every route needs to run guests: the compiled core (a wasm module the
// Worker imports; Workers cannot compile wasm from bytes), the guest layers it
// restores (process mode: src/vm/linux/linux-layer.ts), the R2 store and
// the service's configuration.
import coreModule from "../../build/core.wasm";
import { R2Store, WrittenChunks, type SnapshotOptions } from "../snapshot/index.ts";
import { linuxLayerCodec } from "../vm/linux/linux-layer.ts";
import { readConfig } from "./config.ts";
import type { Env } from "./env.ts";
import type { RunContext } from "./runner.ts";

const options: SnapshotOptions = { core: coreModule, layers: [linuxLayerCodec] };

// Chunks this isolate wrote: jobs of the same program write the same image
// chunks, which need neither compressing nor writing again. The service never
// deletes objects; a garbage collector would have to respect this memory.
const written = new WrittenChunks();

export function runContext(env: Env): RunContext {
  return { store: new R2Store(env.SNAPSHOTS, "", written), options, config: readConfig(env as unknown as Record<string, unknown>) };
}
