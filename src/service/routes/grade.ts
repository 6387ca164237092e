// Grading routes (docs/grading.md): stored suites, one submission graded in
// the request, batches over Cloudflare Queues, and the suite's JSON Schema.
// Each route is declared once (src/service/route.ts): the same list
// registers the handlers and describes them in /openapi.json.
import type { Context } from "hono";
import { gradeSubmission, publicView, redactHidden, renderReport, suiteJsonSchema } from "../../grade/index.ts";
import { SuiteSpec } from "../../grade/suite.ts";
import { readBody } from "../body.ts";
import { ApiError } from "../errors.ts";
import { batchView, checkBatch, createBatch } from "../grade-batch.ts";
import { readGradeConfig } from "../grade-config.ts";
import { BatchRequest, formatOf, GradeRequest, gradeHost, readGradeRequest, reportResponse, suiteOf } from "../grading.ts";
import type { ApiRoute } from "../route.ts";
import { ErrorBody } from "../schemas.ts";
import { checkSuite, loadSuite, storeSuite, toApiError } from "../suites.ts";

const ERROR_MEANING: Record<number, string> = {
  400: "Bad input: a suite that fails the schema, a regex that does not compile, a budget or memory above the limit, a submission of the wrong kind (error.code says which).",
  401: "Missing or wrong bearer token.",
  404: "No such suite or batch (or not yours).",
  413: "The body, a submission or a part of the suite is larger than the service accepts.",
  415: "The body is not application/json (or multipart/form-data where an upload is taken).",
  422: "A submission this deployment cannot grade yet (assembly sources, kernels).",
  502: "R2 failed.",
  503: "The deployment has no EDGEVM_TOKEN secret, so write routes are off.",
};

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, { description: ERROR_MEANING[s]!, schema: ErrorBody }]));

export const gradeRoutes: ApiRoute[] = [
  {
    method: "post", path: "/v1/suites", summary: "Store a grading suite (content-addressed, immutable; docs/grading.md).", auth: "token",
    request: SuiteSpec,
    responses: {
      201: { description: "Stored: { id, name, tests, url }." },
      200: { description: "Already stored (the same id); the caller is now an owner too." },
      ...errors(400, 401, 413, 415, 502, 503),
    },
    async handler(c) {
      const config = readGradeConfig(c.env);
      const body = await readBody(c, config.service.maxBodyBytes, false);
      const suite = checkSuite(body.kind === "json" ? body.value : undefined, config);
      const { id, created } = await storeSuite(c.env, c.get("owner"), suite);
      return c.json({ id, name: suite.name, tests: suite.tests.length, url: `/v1/suites/${id}` }, created ? 201 : 200);
    },
  },
  {
    method: "get", path: "/v1/suites/:id", summary: "A stored suite; hidden tests only for an owner's token.", auth: "token",
    responses: { 200: { description: "{ id, owner, hiddenTests, suite }." }, ...errors(401, 404, 502, 503) },
    async handler(c) {
      const id = c.req.param("id")!;
      const { suite, owned } = await loadSuite(c.env, id, c.get("owner"));
      const hidden = suite.tests.length - publicView(suite).tests.length;
      return c.json({ id, owner: owned, hiddenTests: hidden, suite: owned ? suite : publicView(suite) });
    },
  },
  {
    method: "post", path: "/v1/grade", summary: "Grade one submission against a suite (inline or by id); ?format=json|gradescope|junit|html|text.", auth: "token",
    // Also multipart/form-data (a `submission` file part, `suite` or `suiteId`): docs/grading.md.
    request: GradeRequest,
    responses: { 200: { description: "The report in the format asked for (docs/grading.md)." }, ...errors(400, 401, 404, 413, 415, 422, 502, 503) },
    async handler(c) {
      const format = formatOf(c);
      const input = await readGradeRequest(c, readGradeConfig(c.env));
      try {
        const host = gradeHost(c.env, origin(c));
        const report = await gradeSubmission(input.suite, { bytes: input.submission }, host, input.tests);
        await host.store.flush();
        return reportResponse(report, input.owned, format);
      } catch (e) {
        throw toApiError(e);
      }
    },
  },
  {
    method: "get", path: "/v1/grade/schema", summary: "The JSON Schema of a grading suite.", auth: "none",
    responses: { 200: { description: "A JSON Schema (draft 2020-12)." } },
    handler: (c) => c.json(suiteJsonSchema()),
  },
  {
    method: "post", path: "/v1/grade/batches", summary: "Grade many submissions: one Queue message per (submission, test) run.", auth: "token",
    // Also multipart/form-data (`submission` file parts, `suite` or `suiteId`): docs/grading.md.
    request: BatchRequest,
    responses: { 202: { description: "{ id, url, suite, submissions, runs }." }, ...errors(400, 401, 404, 413, 415, 422, 502, 503) },
    async handler(c) {
      const config = readGradeConfig(c.env);
      const body = await readBody(c, config.service.maxBodyBytes);
      const fields = body.kind === "json" ? BatchRequest.parse(body.value) : await batchForm(body.form);
      const { suite, owned } = await suiteOf(c, fields, config);
      // Everything is checked before anything is stored or sent.
      const plan = await checkBatch(suite, fields.submissions, fields.tests, config);
      const created = await createBatch(c.env, { owner: c.get("owner"), owned, origin: origin(c), suite, ...plan });
      return c.json({ ...created, url: `/v1/grade/batches/${created.id}` }, 202);
    },
  },
  {
    method: "get", path: "/v1/grade/batches/:id", summary: "A batch's progress and, when every run is in, its reports (?format=).", auth: "token",
    responses: { 200: { description: "{ id, status, runs, done, submissions, format, reports }." }, ...errors(400, 401, 404, 502, 503) },
    async handler(c) {
      const format = formatOf(c);
      const { view, reports, record } = await batchView(c.env, c.req.param("id")!, c.get("owner"));
      // Reports once every run is in: JSON formats as objects, the others as strings.
      const rendered = reports?.map((r) => {
        const text = renderReport(record.owned ? r : redactHidden(r), format);
        return format === "json" || format === "gradescope" ? JSON.parse(text) : text;
      });
      return c.json({ ...view, format, reports: rendered ?? null }, 200);
    },
  },
];

async function batchForm(form: FormData): Promise<{ suite?: unknown; suiteId?: string; submissions: { name: string; submission: Uint8Array }[]; tests?: string[] }> {
  const submissions: { name: string; submission: Uint8Array }[] = [];
  for (const part of form.getAll("submission")) {
    if (!(part instanceof File)) throw new ApiError(400, "invalid_request", "each `submission` part must be a file");
    submissions.push({ name: part.name || `submission-${submissions.length + 1}`, submission: new Uint8Array(await part.arrayBuffer()) });
  }
  if (submissions.length === 0) throw new ApiError(400, "invalid_request", "a multipart batch needs `submission` parts");
  const suiteText = form.get("suite");
  let suite: unknown;
  if (suiteText !== null) {
    try {
      suite = JSON.parse(typeof suiteText === "string" ? suiteText : await suiteText.text());
    } catch (e) {
      throw new ApiError(400, "invalid_suite", `the suite part is not JSON: ${(e as Error).message}`);
    }
  }
  const suiteId = form.get("suiteId");
  return { suite, ...(suiteId !== null && { suiteId: String(suiteId) }), submissions };
}

function origin(c: Context): string {
  return new URL(c.req.url).origin;
}
