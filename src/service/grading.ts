// Grading in the service: a grade request's suite (inline or a stored one)
// and submission (base64 JSON, or an upload as for jobs), a GradeHost on the
// R2 store whose reproduce links are this service's /s/:id URLs, and the
// answer in the format asked for.
import type { Context } from "hono";
import { z } from "zod";
import {
  budgetOf, CONTENT_TYPES, FORMATS, gradeLayers, isReportFormat, redactHidden, renderReport, selectTests,
  type GradeHost, type Report, type ReportFormat, type Suite,
} from "../grade/index.ts";
import { BufferedStore } from "../grade/buffered-store.ts";
import { R2Store, WrittenChunks } from "../snapshot/index.ts";
import { readBody } from "./body.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import type { GradeConfig } from "./grade-config.ts";
import { decodeBase64 } from "./program.ts";
import { runContext } from "./runtime.ts";
import { checkSuite, gradeErrors, loadSuite } from "./suites.ts";

export const GradeRequest = z.strictObject({
  suite: z.unknown().optional().describe("The suite itself (GET /v1/grade/schema describes it)."),
  suiteId: z.string().optional().describe("Or the id of a suite stored with POST /v1/suites."),
  submission: z.string().describe("The submission (an ELF) in base64."),
  tests: z.array(z.string()).max(200).optional().describe("Only these tests (by name)."),
});

export const BatchRequest = z.strictObject({
  suite: z.unknown().optional().describe("The suite itself."),
  suiteId: z.string().optional().describe("Or the id of a stored suite."),
  submissions: z.array(z.strictObject({ name: z.string().min(1).max(200), submission: z.string().describe("The ELF in base64.") })).min(1),
  tests: z.array(z.string()).max(200).optional(),
});

export interface GradeInput {
  suite: Suite;
  /** The caller stored the suite (or brought it inline): hidden tests are shown in full. */
  owned: boolean;
  submission: Uint8Array;
  tests?: string[];
}

/** The suite and submission of a POST /v1/grade, from JSON or multipart/form-data (parts `submission`, and `suite` or `suiteId`). */
export async function readGradeRequest(c: Context<{ Bindings: Env; Variables: { owner: string } }>, config: GradeConfig): Promise<GradeInput> {
  const body = await readBody(c, config.service.maxBodyBytes);
  let fields: z.infer<typeof GradeRequest>;
  let submission: Uint8Array;
  if (body.kind === "json") {
    fields = GradeRequest.parse(body.value);
    submission = decodeBase64(fields.submission, "submission");
  } else {
    const part = body.form.get("submission");
    if (!(part instanceof File)) throw new ApiError(400, "invalid_request", "a multipart grade request needs a `submission` part holding the program");
    submission = new Uint8Array(await part.arrayBuffer());
    const text = async (name: string) => {
      const v = body.form.get(name);
      return v === null ? undefined : typeof v === "string" ? v : await v.text();
    };
    const suiteText = await text("suite");
    let suite: unknown;
    if (suiteText !== undefined) {
      try {
        suite = JSON.parse(suiteText);
      } catch (e) {
        throw new ApiError(400, "invalid_suite", `the suite part is not JSON: ${(e as Error).message}`);
      }
    }
    const tests = body.form.getAll("test").map((t) => String(t));
    fields = { submission: "", suite, suiteId: await text("suiteId"), ...(tests.length > 0 && { tests }) };
  }
  if (submission.length > config.service.maxProgramBytes) {
    throw new ApiError(413, "program_too_large", `the submission has ${submission.length} bytes; the limit is ${config.service.maxProgramBytes}`);
  }
  const { suite, owned } = await suiteOf(c, fields, config);
  const tests = gradeErrors(() => selectTests(suite, fields.tests));
  const total = tests.reduce((n, t) => n + budgetOf(suite, t), 0);
  if (total > config.maxGradeInstructions) {
    throw new ApiError(400, "budget_too_large", `the tests' budgets add up to ${total} instructions; one grade request runs at most ${config.maxGradeInstructions} (use POST /v1/grade/batches)`);
  }
  return { suite, owned, submission, ...(fields.tests && { tests: fields.tests }) };
}

export async function suiteOf(
  c: Context<{ Bindings: Env; Variables: { owner: string } }>, fields: { suite?: unknown; suiteId?: string }, config: GradeConfig,
): Promise<{ suite: Suite; owned: boolean }> {
  if ((fields.suite === undefined) === (fields.suiteId === undefined)) {
    throw new ApiError(400, "invalid_request", "give the suite inline (`suite`) or by id (`suiteId`), exactly one of them");
  }
  if (fields.suiteId !== undefined) return loadSuite(c.env, fields.suiteId, c.get("owner"));
  return { suite: checkSuite(fields.suite, config), owned: true };
}

// Chunks this isolate wrote (see runtime.ts): a class's submissions share none, but one submission's tests share its image.
const written = new WrittenChunks();

/**
 * The host of one grading request: snapshots go to R2 through a write-behind
 * store (src/grade/buffered-store.ts), which the caller flushes before it
 * answers, so that every /s/:id link in the report resolves.
 */
export function gradeHost(env: Env, origin: string): GradeHost & { store: BufferedStore } {
  const ctx = runContext(env);
  return {
    store: new BufferedStore(new R2Store(env.SNAPSHOTS, "", written)),
    options: { ...ctx.options, layers: gradeLayers },
    maxOutputBytes: ctx.config.maxOutputBytes,
    reproduce: (start, end, budget) => ({
      command: `curl -s -X POST ${origin}/s/${start}/run -H "authorization: Bearer $TOKEN" -H "content-type: application/json" -d '{"maxInstructions": ${budget}}'`,
      url: `${origin}/s/${start}`,
      endUrl: `${origin}/s/${end}`,
    }),
  };
}

export function formatOf(c: Context): ReportFormat {
  const f = c.req.query("format") ?? "json";
  if (!isReportFormat(f)) throw new ApiError(400, "invalid_format", `format must be one of ${FORMATS.join(", ")}, not ${JSON.stringify(f)}`);
  return f;
}

export function reportResponse(report: Report, owned: boolean, format: ReportFormat, status = 200): Response {
  const shown = owned ? report : redactHidden(report);
  return new Response(renderReport(shown, format), { status, headers: { "content-type": CONTENT_TYPES[format] } });
}
