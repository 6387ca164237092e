// Grading routes (docs/grading.md): stored suites, one submission graded in
// the request, batches over Cloudflare Queues, and the suite's JSON Schema.
import { Hono, type Context } from "hono";
import {
  checkSubmission, gradeSubmission, publicView, redactHidden, renderReport, selectTests, suiteJsonSchema,
} from "../../grade/index.ts";
import { requireToken, type AuthVariables } from "../auth.ts";
import { readBody } from "../body.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { batchStub, batchView, newBatchId, submissionKey, type BatchMessage } from "../grade-batch.ts";
import { readGradeConfig } from "../grade-config.ts";
import { BatchRequest, formatOf, gradeHost, readGradeRequest, reportResponse, suiteOf } from "../grading.ts";
import { decodeBase64 } from "../program.ts";
import { gradeErrors, loadSuite, storeSuite, toApiError, checkSuite } from "../suites.ts";

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
  if (fields.submissions.length > config.maxBatchSubmissions) {
    throw new ApiError(400, "too_many_submissions", `${fields.submissions.length} submissions; a batch takes at most ${config.maxBatchSubmissions}`);
  }
  const owner = c.get("owner");
  const { suite, owned } = await suiteOf(c, fields, config);
  // Everything is checked before anything is stored or sent.
  const submissions = fields.submissions.map((s, i) => {
    const bytes = typeof s.submission === "string" ? decodeBase64(s.submission, `submissions[${i}]`) : s.submission;
    if (bytes.length > config.service.maxProgramBytes) {
      throw new ApiError(413, "program_too_large", `submissions[${i}] has ${bytes.length} bytes; the limit is ${config.service.maxProgramBytes}`);
    }
    const checked = gradeErrors(() => {
      try {
        return checkSubmission(suite, { bytes, name: s.name }, fields.tests);
      } catch (e) {
        if (e instanceof Error) e.message = `submissions[${i}] (${s.name}): ${e.message}`;
        throw e;
      }
    });
    return { name: s.name, bytes, kind: checked.kind };
  });
  const tests = gradeErrors(() => selectTests(suite, fields.tests).map((t) => t.name));
  if (submissions.length * tests.length > config.maxBatchRuns) {
    throw new ApiError(400, "batch_too_large", `${submissions.length} submissions x ${tests.length} tests is ${submissions.length * tests.length} runs; a batch runs at most ${config.maxBatchRuns}`);
  }
  const { id: suiteId } = await storeSuite(c.env, owner, suite);
  const stored = await Promise.all(submissions.map(async (s) => {
    const sha256 = [...new Uint8Array(await crypto.subtle.digest("SHA-256", s.bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
    await c.env.SNAPSHOTS.put(submissionKey(sha256), s.bytes);
    return { name: s.name, sha256, kind: s.kind, bytes: s.bytes.length };
  }));
  const id = newBatchId();
  await batchStub(c.env, id).init({ owner, suiteId, owned, origin: origin(c), submissions: stored, tests });
  const messages: MessageSendRequest<BatchMessage>[] = stored.flatMap((_, i) => tests.map((test) => ({ body: { batch: id, submission: i, test } })));
  // sendBatch takes at most 100 messages.
  for (let i = 0; i < messages.length; i += 100) await c.env.GRADE_QUEUE.sendBatch(messages.slice(i, i + 100));
  return c.json({ id, url: `/v1/grade/batches/${id}`, suite: suiteId, submissions: stored.length, runs: messages.length }, 202);
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
