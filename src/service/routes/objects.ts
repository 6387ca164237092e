// Immutable objects over HTTP, and whole snapshots as one file.
//
// GET /o/manifests/:id and /o/chunks/:id serve the stored objects as they
// are: content-addressed, so cacheable forever by browsers and CDNs (strong
// ETag = the id). Readers verify them against the id (the page does, through
// the snapshot layer), so the service does not decode them here.
// GET /o/meta/:id is lineage and working-set hints, which a later quantum
// reaching the same state rewrites: cacheable for a minute only.
//
// GET /s/:id/bundle is the snapshot as one file; POST /v1/snapshots (token)
// stores one: the share button's upload, which carries only the chunks the
// service lacks and is checked object by object (src/snapshot/bundle.ts).
import { Hono, type Context } from "hono";
import { exportBundle, importBundle } from "../../snapshot/bundle.ts";
import { objectKey, type ObjectId } from "../../snapshot/index.ts";
import { requireToken, type AuthVariables } from "../auth.ts";
import { readCapped } from "../body.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { runContext } from "../runtime.ts";
import { manifestOf, snapshotParam, snapshotProblem } from "../snapshot-reads.ts";

export const objects = new Hono<{ Bindings: Env; Variables: AuthVariables }>();

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const BUNDLE_TYPE = "application/vnd.edgevm.bundle";
/** A bundle the service assembles in memory: far below a Worker's 128 MB, above any 64 MiB guest's compressed state. */
const MAX_EXPORT_BYTES = 80 << 20;

for (const kind of ["manifests", "chunks", "meta"] as const) {
  objects.get(`/o/${kind}/:id`, async (c) => {
    const id = objectParam(c.req.param("id"));
    const etag = `"${id}"`;
    const cache = kind === "meta" ? "public, max-age=60" : IMMUTABLE;
    if (kind !== "meta" && matches(c, etag)) return c.body(null, 304, { "cache-control": cache, etag });
    const key = kind === "manifests" ? objectKey.manifest(id) : kind === "chunks" ? objectKey.chunk(id) : objectKey.meta(id);
    const ctx = runContext(c.env);
    let bytes: Uint8Array | null;
    try {
      bytes = await ctx.store.get(key);
    } catch (e) {
      throw await snapshotProblem(e, null, ctx.store);
    }
    if (!bytes) throw new ApiError(404, "object_not_found", `there is no object ${key}`);
    const headers: Record<string, string> = {
      "cache-control": cache,
      "content-type": kind === "chunks" ? "application/octet-stream" : "application/json",
      "access-control-allow-origin": "*",
      "x-content-type-options": "nosniff",
    };
    if (kind !== "meta") headers.etag = etag;
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
  });
}

objects.get("/s/:id/bundle", async (c) => {
  const id = snapshotParam(c.req.param("id"));
  const etag = `"${id}-bundle"`;
  const headers = {
    "cache-control": IMMUTABLE, etag, "content-type": BUNDLE_TYPE,
    "content-disposition": `attachment; filename="edgevm-${id.slice(0, 12)}.evmb"`,
  };
  if (matches(c, etag)) return c.body(null, 304, headers);
  const ctx = runContext(c.env);
  await manifestOf(ctx.store, id);
  let bytes: Uint8Array;
  try {
    bytes = await exportBundle(ctx.store, id);
  } catch (e) {
    throw await snapshotProblem(e, id, ctx.store);
  }
  if (bytes.length > MAX_EXPORT_BYTES) throw new ApiError(413, "snapshot_too_large", `the bundle would have ${bytes.length} bytes; the limit is ${MAX_EXPORT_BYTES}`);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
});

objects.post("/v1/snapshots", requireToken, async (c) => {
  const ctx = runContext(c.env);
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith(BUNDLE_TYPE) && !type.startsWith("application/octet-stream")) {
    throw new ApiError(415, "unsupported_media_type", `send a snapshot bundle as ${BUNDLE_TYPE}, not ${type || "no content type"}`);
  }
  const limit = ctx.config.maxBodyBytes;
  if (Number(c.req.header("content-length") ?? "0") > limit) throw tooLarge(limit);
  const bytes = await readCapped(c.req.raw, limit);
  let result;
  try {
    result = await importBundle(bytes, ctx.store);
  } catch (e) {
    const problem = await snapshotProblem(e, null, ctx.store);
    if (problem instanceof ApiError && problem.code === "snapshot_incomplete") {
      throw new ApiError(422, "snapshot_incomplete", (e as Error).message);
    }
    throw problem;
  }
  return c.json({ snapshot: result.snapshot, url: `/s/${result.snapshot}`, chunks: result.chunks, present: result.present }, 201);
});

function objectParam(id: string): ObjectId {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new ApiError(404, "object_not_found", `${JSON.stringify(id)} is not an object id`);
  return id;
}

function matches(c: Context, etag: string): boolean {
  return (c.req.header("if-none-match") ?? "").split(/\s*,\s*/).includes(etag);
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, "body_too_large", `the body is larger than ${limit} bytes`);
}
