// Grading routes (docs/grading.md): stored suites, one submission graded in
// the request, batches over Cloudflare Queues, and the suite's JSON Schema.
import { Hono, type Context } from "hono";
import { gradeSubmission, publicView, redactHidden, renderReport, suiteJsonSchema } from "../../grade/index.ts";
import { requireToken, type AuthVariables } from "../auth.ts";
import { readBody } from "../body.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { batchView, checkBatch, createBatch } from "../grade-batch.ts";
import { readGradeConfig } from "../grade-config.ts";
import { BatchRequest, formatOf, gradeHost, readGradeRequest, reportResponse, suiteOf } from "../grading.ts";
import { checkSuite, loadSuite, storeSuite, toApiError } from "../suites.ts";

type App = { Bindings: Env; Variables: AuthVariables };
export const grade = new Hono<App>();

grade.get("/v1/grade/schema", (c) => c.json(suiteJsonSchema()));

grade.post("/v1/suites", requireToken, async (c) => {
  const config = readGradeConfig(c.env);
  const body = await readBody(c, config.service.maxBodyBytes, false);
  const suite = checkSuite(body.kind === "json" ? body.value : undefined, config);
  const { id, created } = await storeSuite(c.env, c.get("owner"), suite);
  return c.json({ id, name: suite.name, tests: suite.tests.length, url: `/v1/suites/${id}` }, created ? 201 : 200);
});

grade.get("/v1/suites/:id", requireToken, async (c) => {
  const { suite, owned } = await loadSuite(c.env, c.req.param("id"), c.get("owner"));
  const hidden = suite.tests.length - publicView(suite).tests.length;
  return c.json({ id: c.req.param("id"), owner: owned, hiddenTests: hidden, suite: owned ? suite : publicView(suite) });
});

grade.post("/v1/grade", requireToken, async (c) => {
  const format = formatOf(c);
  const config = readGradeConfig(c.env);
  const input = await readGradeRequest(c, config);
  try {
    const host = gradeHost(c.env, origin(c));
    const report = await gradeSubmission(input.suite, { bytes: input.submission }, host, input.tests);
    await host.store.flush();
    return reportResponse(report, input.owned, format);
  } catch (e) {
    throw toApiError(e);
  }
});

grade.post("/v1/grade/batches", requireToken, async (c) => {
  const config = readGradeConfig(c.env);
  const body = await readBody(c, config.service.maxBodyBytes);
  const fields = body.kind === "json" ? BatchRequest.parse(body.value) : await batchForm(body.form);
  const { suite, owned } = await suiteOf(c, fields, config);
  // Everything is checked before anything is stored or sent.
  const plan = checkBatch(suite, fields.submissions, fields.tests, config);
  const created = await createBatch(c.env, { owner: c.get("owner"), owned, origin: origin(c), suite, ...plan });
  return c.json({ ...created, url: `/v1/grade/batches/${created.id}` }, 202);
});

grade.get("/v1/grade/batches/:id", requireToken, async (c) => {
  const format = formatOf(c);
  const { view, reports, record } = await batchView(c.env, c.req.param("id"), c.get("owner"));
  // Reports once every run is in: JSON formats as objects, the others as strings.
  const rendered = reports?.map((r) => {
    const text = renderReport(record.owned ? r : redactHidden(r), format);
    return format === "json" || format === "gradescope" ? JSON.parse(text) : text;
  });
  return c.json({ ...view, format, reports: rendered ?? null }, 200);
});

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
