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
import type { Context } from "hono";
import { z } from "zod";
import { exportBundle, importBundle } from "../../snapshot/bundle.ts";
import { objectKey, type ObjectId } from "../../snapshot/index.ts";
import { readCapped } from "../body.ts";
import { errorBody } from "../errors.ts";
import { ApiError } from "../errors.ts";
import { EXAMPLES, exampleSnapshot } from "../examples.ts";
import { defineRoute, errorResponses, type ApiRoute } from "../route.ts";
import { ErrorBody } from "../schemas.ts";
import { manifestOf, snapshotParam, snapshotProblem } from "../snapshot-reads.ts";
import { notFoundPage, PAGE_HEADERS, wantsHtml } from "../snapshot-page.ts";

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const BUNDLE_TYPE = "application/vnd.edgevm.bundle";
/** A bundle the service assembles in memory: far below a Worker's 128 MB, above any 64 MiB guest's compressed state. */
const MAX_EXPORT_BYTES = 80 << 20;

const KINDS = {
  manifests: { key: objectKey.manifest, type: "application/json", what: "A stored manifest as it is (SHA-256 = id). Immutable, ETag = id." },
  chunks: { key: objectKey.chunk, type: "application/octet-stream", what: "A stored chunk object as it is (SHA-256 of its content = id). Immutable, ETag = id." },
  meta: { key: objectKey.meta, type: "application/json", what: "A snapshot's lineage and working-set hints (rewritten when a run reaches the state again: cacheable for 60 s, no ETag)." },
} as const;

const notFound = { description: "No such object.", schema: ErrorBody };

function objectRoute(kind: keyof typeof KINDS): ApiRoute {
  const { key, type, what } = KINDS[kind];
  return defineRoute({
    method: "get",
    path: `/o/${kind}/:id`,
    summary: what,
    auth: "none",
    responses: kind === "meta"
      ? { 200: { description: "The object's bytes." }, 404: notFound }
      : { 200: { description: "The object's bytes." }, 304: { description: "Not modified." }, 404: notFound },
    async handler(c, run) {
      const id = objectParam(c.req.param("id") ?? "");
      const etag = `"${id}"`;
      const cache = kind === "meta" ? "public, max-age=60" : IMMUTABLE;
      if (kind !== "meta" && matches(c, etag)) return c.body(null, 304, { "cache-control": cache, etag });
      let bytes: Uint8Array | null;
      try {
        bytes = await run.store.get(key(id));
      } catch (e) {
        throw await snapshotProblem(e, null, run.store);
      }
      if (!bytes) throw new ApiError(404, "object_not_found", `there is no object ${key(id)}`);
      const headers: Record<string, string> = {
        "cache-control": cache, "content-type": type, "access-control-allow-origin": "*", "x-content-type-options": "nosniff",
      };
      if (kind !== "meta") headers.etag = etag;
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
    },
  });
}

export const objectRoutes: readonly ApiRoute[] = [
  objectRoute("manifests"),
  objectRoute("chunks"),
  objectRoute("meta"),

  defineRoute({
    method: "get",
    path: "/s/:snapshotId/bundle",
    summary: `The snapshot as one file (${BUNDLE_TYPE}, docs/snapshot-format.md "Bundles"), for \`edgevm import\`. Immutable.`,
    auth: "none",
    responses: { 200: { description: "The bundle." }, 304: { description: "Not modified." }, ...errorResponses(404, 413, 422) },
    async handler(c, run) {
      const id = snapshotParam(c.req.param("snapshotId") ?? "");
      const etag = `"${id}-bundle"`;
      const headers = {
        "cache-control": IMMUTABLE, etag, "content-type": BUNDLE_TYPE,
        "content-disposition": `attachment; filename="edgevm-${id.slice(0, 12)}.evmb"`,
      };
      if (matches(c, etag)) return c.body(null, 304, headers);
      await manifestOf(run.store, id);
      let bytes: Uint8Array;
      try {
        bytes = await exportBundle(run.store, id);
      } catch (e) {
        throw await snapshotProblem(e, id, run.store);
      }
      if (bytes.length > MAX_EXPORT_BYTES) {
        throw new ApiError(413, "snapshot_too_large", `the bundle would have ${bytes.length} bytes; the limit is ${MAX_EXPORT_BYTES}`);
      }
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
    },
  }),

  defineRoute({
    method: "post",
    path: "/v1/snapshots",
    summary: `Store a snapshot bundle (${BUNDLE_TYPE}: the machine page's share). Chunks the service has may be left out; every object is checked against its id.`,
    auth: "token",
    responses: {
      201: { description: "Stored.", schema: z.object({ snapshot: z.string(), url: z.string(), chunks: z.number().int(), present: z.number().int() }) },
      ...errorResponses(401, 413, 415, 422, 503),
    },
    async handler(c, run) {
      const type = c.req.header("content-type") ?? "";
      if (!type.startsWith(BUNDLE_TYPE) && !type.startsWith("application/octet-stream")) {
        throw new ApiError(415, "unsupported_media_type", `send a snapshot bundle as ${BUNDLE_TYPE}, not ${type || "no content type"}`);
      }
      const limit = run.config.maxBodyBytes;
      if (Number(c.req.header("content-length") ?? "0") > limit) throw tooLarge(limit);
      const bytes = await readCapped(c.req.raw, limit);
      let result;
      try {
        result = await importBundle(bytes, run.store);
      } catch (e) {
        const problem = await snapshotProblem(e, null, run.store);
        // snapshotProblem names a missing manifest's snapshot; here it is chunks the bundle lacks.
        if (problem instanceof ApiError && problem.code === "snapshot_incomplete") throw new ApiError(422, "snapshot_incomplete", (e as Error).message);
        throw problem;
      }
      return c.json({ snapshot: result.snapshot, url: `/s/${result.snapshot}`, chunks: result.chunks, present: result.present }, 201);
    },
  }),

  defineRoute({
    method: "get",
    path: "/examples/:name",
    summary: `An example machine of the landing page (${EXAMPLES.map((e) => e.name).join(", ")}), made on first use: a redirect to its shared page.`,
    auth: "none",
    responses: { 303: { description: "See /s/{snapshotId}." }, 404: { description: "No such example.", schema: ErrorBody } },
    async handler(c, run) {
      const name = c.req.param("name") ?? "";
      const id = exampleSnapshot(name, run);
      if (!id) {
        const message = `there is no example ${JSON.stringify(name)}`;
        if (wantsHtml(c.req.header("accept"))) return c.html(notFoundPage(message), 404, PAGE_HEADERS);
        return c.json(errorBody("example_not_found", message), 404);
      }
      return c.redirect(`/s/${await id}`, 303);
    },
  }),
];

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
