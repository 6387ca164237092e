// Shared snapshots: the id is a public capability. GET /s/:id shows the
// machine (it never changes, so the answer is cacheable forever, ETag = id);
// POST /s/:id/run runs from it with new input and leaves it as it was.
import { FORMAT, FORMAT_VERSION, readMeta, type Manifest, type ObjectId } from "../../snapshot/index.ts";
import { readJson } from "../body.ts";
import { consoleInput, requestBudget } from "../input.ts";
import { runQuanta, statusFields, type RunContext } from "../runner.ts";
import { defineRoute, errorResponses } from "../route.ts";
import { RunResult, SharedSnapshot, StepRequest } from "../schemas.ts";
import { manifestOf, snapshotParam } from "../snapshot-reads.ts";
import { notFoundPage, PAGE_HEADERS, snapshotPage, wantsHtml } from "../snapshot-page.ts";
import { ApiError } from "../errors.ts";

/** How far GET /s/:id follows lineage metadata. */
const MAX_PARENTS = 32;

export const sharedRoutes = [
  defineRoute({
    method: "get",
    path: "/s/:snapshotId",
    summary: "A shared snapshot: status, console transcript, lineage. Immutable.",
    auth: "none",
    responses: {
      200: { description: "The snapshot (Cache-Control: immutable, ETag = id).", schema: SharedSnapshot },
      304: { description: "Not modified (If-None-Match matched the id)." },
      ...errorResponses(404, 422),
    },
    async handler(c, run) {
      // People get a page, programs JSON: the same immutable content in two forms, so caches key on Accept too.
      const html = wantsHtml(c.req.header("accept"));
      let id: ObjectId;
      let manifest: Manifest;
      try {
        id = snapshotParam(c.req.param("snapshotId"));
        manifest = await manifestOf(run.store, id);
      } catch (e) {
        // A browser gets its 404 as a page.
        if (html && e instanceof ApiError && e.status === 404) return c.html(notFoundPage(e.message), 404, PAGE_HEADERS);
        throw e;
      }
      const etag = `"${id}"`;
      const tag = html ? `"${id}-html"` : etag;
      const cache = { "cache-control": "public, max-age=31536000, immutable", etag: tag, vary: "Accept" };
      if ((c.req.header("if-none-match") ?? "").split(/\s*,\s*/).includes(tag)) return c.body(null, 304, cache);
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
        parents: await parents(run, id),
        runUrl: `/s/${id}/run`,
      };
      if (html) {
        const facts = { ...lifeCounters(manifest.core), origin: new URL(c.req.url).origin };
        return c.html(snapshotPage(view, facts), 200, { ...cache, ...PAGE_HEADERS });
      }
      return c.json(view, 200, cache);
    },
  }),

  defineRoute({
    method: "post",
    path: "/s/:snapshotId/run",
    summary: "Run from a snapshot with new input; the snapshot stays as it is.",
    auth: "token",
    request: StepRequest,
    responses: { 200: { description: "The run, ending in a new snapshot.", schema: RunResult }, ...errorResponses(400, 401, 404, 413, 415, 422, 503) },
    async handler(c, run) {
      const id = snapshotParam(c.req.param("snapshotId"));
      const body = await readJson(c, StepRequest, run.config.maxBodyBytes);
      const result: RunResult = await runQuanta(id, { console: consoleInput(body), consoleEnd: body.eof ?? false }, requestBudget(body.maxInstructions, run.config), run);
      return c.json(result);
    },
  }),
];

/** Ancestors from lineage metadata; it is a hint, so the chain simply ends where metadata is missing. */
async function parents(run: RunContext, id: ObjectId): Promise<ObjectId[]> {
  const chain: ObjectId[] = [];
  let at: ObjectId | null = id;
  while (at !== null && chain.length < MAX_PARENTS) {
    const meta = await readMeta(run.store, at);
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
  if (core.length < 100 * 8) return { instructions: 0n, cycles: 0n };
  const view = new DataView(core.buffer, core.byteOffset, core.length);
  const instructions = view.getBigUint64(98 * 8, true);
  return { instructions, cycles: instructions + view.getBigUint64(99 * 8, true) };
}
