#!/usr/bin/env node
// Launcher for the edgevm CLI: the TypeScript sources are bundled into dist/ by `npm run build`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = new URL("../dist/cli.mjs", import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write("edgevm: the CLI is not built; run `npm run build` in the edgevm checkout\n");
  process.exit(2);
}
await import(bundle.href);
