// /openapi.json, generated from the zod schemas the handlers validate with.
import { z } from "zod";
import { gradeRoutes } from "./routes/grade.ts";
import {
  CreateMachineRequest, ErrorBody, JobRequest, JobResult, MachineView, RunResult, SharedSnapshot, StepRequest, StepResult,
} from "./schemas.ts";

interface Route {
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  auth: boolean;
  request?: z.ZodType;
  /** Also takes the program as an upload (multipart/form-data, src/service/program-request.ts). */
  upload?: boolean;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
}

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: ERROR_MEANING[s]!, schema: ErrorBody }]));

const ERROR_MEANING: Record<number, string> = {
  400: "Bad input: malformed JSON, a schema violation, a non-ELF program, a limit (budget, memory, files) exceeded.",
  401: "Missing or wrong bearer token.",
  404: "No such machine (or not yours), or no such snapshot.",
  409: "The machine moved on while this step ran; details.head is its current head.",
  413: "The body or the program is larger than the service accepts.",
  415: "The body is not application/json.",
  422: "The snapshot is damaged, incomplete or of a format this service cannot run.",
  503: "The deployment has no EDGEVM_TOKEN secret, so write routes are off.",
};

/** The grading routes, declared with their handlers in routes/grade.ts. */
const GRADE_ROUTES: Route[] = gradeRoutes.map(({ handler: _, auth, path, ...r }) => ({
  ...r, auth: auth === "token", path: path.replace(/:(\w+)/g, "{$1}"),
}));

export const ROUTES: Route[] = [
  {
    method: "post", path: "/v1/jobs", summary: "Run a program until it exits or the request's budget is spent.", auth: true,
    request: JobRequest,
    upload: true,
    responses: {
      200: { description: "The guest finished (exited, halted or faulted).", schema: JobResult },
      202: { description: "The budget ran out first: `machine` continues it.", schema: JobResult },
      ...errors(400, 401, 413, 415, 503),
    },
  },
  {
    method: "post", path: "/v1/machines", summary: "Create a machine from a program or from a snapshot id.", auth: true,
    request: CreateMachineRequest,
    upload: true,
    responses: { 201: { description: "The new machine.", schema: MachineView }, ...errors(400, 401, 404, 413, 415, 422, 503) },
  },
  {
    method: "post", path: "/v1/snapshots/{snapshotId}/fork", summary: "A new machine from a snapshot (the same as POST /v1/machines with a snapshot).", auth: true,
    responses: { 201: { description: "The new machine.", schema: MachineView }, ...errors(401, 404, 422, 503) },
  },
  {
    method: "get", path: "/v1/machines/{id}", summary: "A machine's head, status and console transcript.", auth: true,
    responses: { 200: { description: "The machine.", schema: MachineView }, ...errors(401, 404, 503) },
  },
  {
    method: "post", path: "/v1/machines/{id}/step", summary: "Give console input and run up to a budget.", auth: true,
    request: StepRequest,
    responses: {
      200: { description: "Output since the last step, the new status and head.", schema: StepResult },
      ...errors(400, 401, 404, 409, 413, 415, 422, 503),
    },
  },
  {
    method: "post", path: "/v1/machines/{id}/fork", summary: "A new machine at this machine's head.", auth: true,
    responses: { 201: { description: "The new machine.", schema: MachineView }, ...errors(401, 404, 503) },
  },
  {
    method: "delete", path: "/v1/machines/{id}", summary: "Forget a machine (its snapshots stay readable by id).", auth: true,
    responses: { 200: { description: "Deleted.", schema: z.object({ id: z.string(), deleted: z.literal(true) }) }, ...errors(401, 404, 503) },
  },
  {
    method: "get", path: "/s/{snapshotId}", summary: "A shared snapshot: status, console transcript, lineage. Immutable.", auth: false,
    responses: {
      200: { description: "The snapshot (Cache-Control: immutable, ETag = id).", schema: SharedSnapshot },
      304: { description: "Not modified (If-None-Match matched the id)." },
      ...errors(404, 422),
    },
  },
  {
    method: "post", path: "/s/{snapshotId}/run", summary: "Run from a snapshot with new input; the snapshot stays as it is.", auth: true,
    request: StepRequest,
    responses: { 200: { description: "The run, ending in a new snapshot.", schema: RunResult }, ...errors(400, 401, 404, 413, 415, 422, 503) },
  },
  ...GRADE_ROUTES,
];

const UPLOAD = {
  type: "object",
  required: ["program"],
  properties: {
    program: { type: "string", format: "binary", description: "The ELF file as it is." },
    request: { type: "string", description: "The other fields of the JSON form (without program) as a JSON object." },
  },
  additionalProperties: { type: "string", format: "binary", description: "A guest file: the part's name is its absolute guest path." },
};

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const parameters = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary,
      ...(parameters.length > 0 && { parameters }),
      ...(r.auth && { security: [{ bearer: [] }] }),
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
