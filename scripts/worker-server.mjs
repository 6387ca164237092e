// The Worker as `npm start` runs it (wrangler dev on a local workerd), on a
// free loopback port with throwaway state, for the browser tests and the web
// benchmark (a browser cannot talk to an in-process Worker). Plain ESM, so
// both vitest and `node bench/web.mjs` load it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `wrangler dev` for the repository at `root`; resolves once /healthz answers. */
export async function startWorker(root, timeoutMs = 60_000) {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "edgevm-worker-"));
  const child = spawn(
    join(root, "node_modules", ".bin", "wrangler"),
    ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--log-level", "warn"],
    // node_modules/.bin first, as npm scripts have it: wrangler's shebang then finds the project's Node (package.json's "node").
    { cwd: root, env: { ...process.env, PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH}`, WRANGLER_SEND_METRICS: "false", CI: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}): ${log.slice(-2000)}`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`wrangler dev did not answer within ${timeoutMs} ms: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    origin,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}
