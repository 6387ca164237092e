// Builds everything that is generated from sources: the wasm core (AssemblyScript)
// and the Node bundle of the CLI. Run by `npm install` (prepare), start, test and bench.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

mkdirSync(join(root, "build"), { recursive: true });
run(bin("asc"), [
  "src/core/index.ts",
  "--outFile", "build/core.wasm",
  "--textFile", "build/core.wat",
  "-O3", "--converge",
  "--runtime", "stub",
  "--noAssert",
  "--enable", "bulk-memory",
  "--initialMemory", "64",
  "--use", "abort=",
]);
run(bin("esbuild"), [
  "src/cli/main.ts",
  "--bundle", "--platform=node", "--format=esm", "--target=node22",
  "--outfile=dist/cli.mjs", "--log-level=warning",
]);
// The worker threads of `edgevm grade SUITE DIR/` (src/cli/grade-command.ts loads it beside dist/cli.mjs).
run(bin("esbuild"), [
  "src/cli/grade-worker.ts",
  "--bundle", "--platform=node", "--format=esm", "--target=node22",
  "--outfile=dist/grade-worker.mjs", "--log-level=warning",
]);
