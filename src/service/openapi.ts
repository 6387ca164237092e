// /openapi.json, generated from the route declarations (route.ts) and the
// zod schemas the handlers validate with.
import { z } from "zod";
import type { ApiRoute } from "./route.ts";

const UPLOAD = {
  type: "object",
  required: ["program"],
  properties: {
    program: { type: "string", format: "binary", description: "The ELF file as it is." },
    request: { type: "string", description: "The other fields of the JSON form (without program) as a JSON object." },
  },
  additionalProperties: { type: "string", format: "binary", description: "A guest file: the part's name is its absolute guest path." },
};

/** A Hono path (`/s/:snapshotId`) as OpenAPI writes it (`/s/{snapshotId}`). */
export function documentPath(path: string): string {
  return path.replace(/:(\w+)/g, "{$1}");
}

export function openApiDocument(version: string, routes: readonly ApiRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = documentPath(r.path);
    const parameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      ...(parameters.length > 0 && { parameters }),
      ...(r.auth === "token" && { security: [{ bearer: [] }] }),
      ...(r.request && {
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: jsonSchema(r.request, "input") },
            ...(r.upload && { "multipart/form-data": { schema: UPLOAD } }),
          },
        },
      }),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, res]) => [
          status,
          { description: res.description, ...(res.schema && { content: { "application/json": { schema: jsonSchema(res.schema, "output") } } }) },
        ]),
      ),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "edgevm",
      version,
      description: "Serverless RISC-V (RV64GC) virtual machines: run guests in bounded quanta, share snapshots by URL.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}
