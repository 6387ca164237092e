// Builds everything that is generated from sources: the wasm core (AssemblyScript)
// and the Node bundle of the CLI. Run by `npm install` (prepare), start, test and bench.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
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

// The browser side (src/web): the page scripts, the machine's Web Worker and
// their styles, with the core beside them, all served as the Worker's static
// assets (wrangler.toml [assets]) from our own origin.
mkdirSync(join(root, "build", "web", "assets"), { recursive: true });
run(bin("esbuild"), [
  "src/web/machine-page.ts", "src/web/landing-page.ts", "src/web/machine-worker.ts",
  "--bundle", "--platform=browser", "--format=esm", "--target=chrome120,firefox120,safari17",
  "--minify", "--sourcemap=linked", "--outdir=build/web/assets", "--log-level=warning",
]);
copyFileSync(join(root, "build", "core.wasm"), join(root, "build", "web", "assets", "core.wasm"));
copyFileSync(join(root, "src", "web", "favicon.svg"), join(root, "build", "web", "assets", "favicon.svg"));

// The example machines of the landing page (src/service/examples.ts): our own
// guest programs, imported by the Worker as data (wrangler's *.bin rule).
const EXAMPLES = { hello: "tests/guest/linux/bin/hello", cat: "tests/guest/linux/bin/cat", echo: "tests/guest/cli/echo.elf", compute: "tests/guest/linux/bin/compute" };
mkdirSync(join(root, "build", "examples"), { recursive: true });
for (const [name, path] of Object.entries(EXAMPLES)) copyFileSync(join(root, path), join(root, "build", "examples", `${name}.bin`));
