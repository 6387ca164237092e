// Shared snapshots: the id is a public capability. GET /s/:id shows the
// machine (it never changes, so the answer is cacheable forever, ETag = id);
// POST /s/:id/run runs from it with new input and leaves it as it was.
import { Hono } from "hono";
import { FORMAT, FORMAT_VERSION, readMeta, type ObjectId } from "../../snapshot/index.ts";
import { requireToken, type AuthVariables } from "../auth.ts";
import { readJson } from "../body.ts";
import type { Env } from "../env.ts";
import { consoleInput, requestBudget } from "../input.ts";
import { runQuanta, statusFields, type RunContext } from "../runner.ts";
import { runContext } from "../runtime.ts";
import { StepRequest, type RunResult, type SharedSnapshot } from "../schemas.ts";
import { manifestOf, snapshotParam } from "../snapshot-reads.ts";
import { notFoundPage, PAGE_HEADERS, snapshotPage, wantsHtml } from "../snapshot-page.ts";
import { ApiError } from "../errors.ts";

export const shared = new Hono<{ Bindings: Env; Variables: AuthVariables }>();

/** How far GET /s/:id follows lineage metadata. */
const MAX_PARENTS = 32;

shared.get("/s/:id", async (c) => {
  const html = wantsHtml(c.req.header("accept"));
  let id: ObjectId;
  try {
    id = snapshotParam(c.req.param("id"));
  } catch (e) {
    if (html && e instanceof ApiError) return c.html(notFoundPage(e.message), 404, PAGE_HEADERS);
    throw e;
  }
  const etag = `"${id}"`;
  // People get a page, programs JSON: the same immutable content in two forms, so caches key on Accept too.
  const tag = html ? `"${id}-html"` : etag;
  const cache = { "cache-control": "public, max-age=31536000, immutable", etag: tag, vary: "Accept" };
  if ((c.req.header("if-none-match") ?? "").split(/\s*,\s*/).includes(tag)) return c.body(null, 304, cache);
  const ctx = runContext(c.env);
  let manifest;
  try {
    manifest = await manifestOf(ctx.store, id);
  } catch (e) {
    if (html && e instanceof ApiError && e.status === 404) return c.html(notFoundPage(e.message), 404, PAGE_HEADERS);
    throw e;
  }
  const view: SharedSnapshot = {
    id,
    format: FORMAT,
    version: FORMAT_VERSION,
    mode: manifest.machine.mode,
    ramBytes: manifest.machine.ramBytes,
    ...statusFields(manifest.status),
    console: { bytes: manifest.console.bytes, tail: new TextDecoder().decode(manifest.console.tail) },
    memory: {
      chunkBytes: manifest.chunkBytes,
      chunks: manifest.memory.length,
      stored: manifest.memory.filter((c) => c !== null).length,
    },
    parents: await parents(ctx, id),
    runUrl: `/s/${id}/run`,
  };
  if (html) {
    const facts = { ...lifeCounters(manifest.core), origin: new URL(c.req.url).origin };
    return c.html(snapshotPage(view, facts), 200, { ...cache, ...PAGE_HEADERS });
  }
  return c.json(view, 200, cache);
});

shared.post("/s/:id/run", requireToken, async (c) => {
  const ctx = runContext(c.env);
  const id = snapshotParam(c.req.param("id"));
  const body = await readJson(c, StepRequest, ctx.config.maxBodyBytes);
  const result: RunResult = await runQuanta(id, { console: consoleInput(body), consoleEnd: body.eof ?? false }, requestBudget(body.maxInstructions, ctx.config), ctx);
  return c.json(result);
});

/** Ancestors from lineage metadata; it is a hint, so the chain simply ends where metadata is missing. */
async function parents(ctx: RunContext, id: ObjectId): Promise<ObjectId[]> {
  const chain: ObjectId[] = [];
  let at: ObjectId | null = id;
  while (at !== null && chain.length < MAX_PARENTS) {
    const meta = await readMeta(ctx.store, at);
    at = meta?.parent ?? null;
    if (at !== null) {
      if (at === id || chain.includes(at)) break;
      chain.push(at);
    }
  }
  return chain;
}

/** Retired instructions and cycles (fields 98 and 99 of the core record, docs/snapshot-format.md). */
function lifeCounters(core: Uint8Array): { instructions: bigint; cycles: bigint } {
  const view = new DataView(core.buffer, core.byteOffset, core.length);
  if (core.length < 100 * 8) return { instructions: 0n, cycles: 0n };
  const instructions = view.getBigUint64(98 * 8, true);
  return { instructions, cycles: instructions + view.getBigUint64(99 * 8, true) };
}
