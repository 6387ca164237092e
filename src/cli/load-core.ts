// Finds and compiles the wasm core for the Node CLI. The bundle lives at
// dist/cli.mjs and the core at build/core.wasm; running the sources directly
// (src/cli/*.ts) finds it one level further up.
import { readFile } from "node:fs/promises";
import { CliError, ExitStatus } from "./cli-error.ts";

const CANDIDATES = ["../build/core.wasm", "../../build/core.wasm"];

// The project's global types are Workers', which omit compile(): a Worker cannot
// compile wasm at run time (it imports the module). Node can.
const wasm = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> };

export async function loadCore(): Promise<WebAssembly.Module> {
  for (const relative of CANDIDATES) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(new URL(relative, import.meta.url));
    } catch {
      continue;
    }
    return wasm.compile(bytes);
  }
  throw new CliError(ExitStatus.Failure, "the wasm core is not built (build/core.wasm is missing); run `npm run build`");
}
