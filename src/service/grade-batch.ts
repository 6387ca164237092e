// Batches: a whole class's submissions against one suite. POST
// /v1/grade/batches checks everything first (nothing is stored for bad
// input), stores the submissions content-addressed, and sends one Queue
// message per (submission, test) run; consumers (queue() below, on any
// isolate) run it and record its result in the batch's Durable Object.
//
// Every run records its start snapshot in the object (after writing it to
// R2) before it runs. A consumer that dies mid-run has not acked its
// message, so the Queue delivers it again, and the retry restores that start
// snapshot and runs from it: the same snapshot and budget give the same
// result (runs are deterministic). A consumer that died before recording the
// start boots again, which forks the same content-addressed start. The
// object keeps the first result of each run, so a message delivered twice
// counts once.
import { DurableObject } from "cloudflare:workers";
import {
  buildReport, checkSubmission, GradeError, gradeSubmission, parseSuite, retryTest, selectTests, type Report, type Suite, type TestResult,
} from "../grade/index.ts";
import { sha256Hex } from "../grade/ids.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import type { GradeConfig } from "./grade-config.ts";
import { gradeHost } from "./grading.ts";
import { decodeBase64 } from "./program.ts";
import { gradeErrors, storeSuite, toApiError } from "./suites.ts";

export interface BatchMessage {
  batch: string;
  /** Index into the batch's submissions. */
  submission: number;
  test: string;
}

export interface BatchSubmission {
  name: string;
  sha256: string;
  kind: "linux" | "bare-metal";
  bytes: number;
}

export interface BatchRecord {
  owner: string;
  suiteId: string;
  /** The owner stored the suite (hidden tests shown in full). */
  owned: boolean;
  origin: string;
  submissions: BatchSubmission[];
  tests: string[];
}

export const submissionKey = (sha256: string) => `grade/submissions/${sha256}`;

export class GradeBatch extends DurableObject {
  async init(record: BatchRecord): Promise<void> {
    if (await this.ctx.storage.get("batch")) return;
    await this.ctx.storage.put("batch", record);
  }

  async read(): Promise<BatchRecord | null> {
    return (await this.ctx.storage.get<BatchRecord>("batch")) ?? null;
  }

  /** Keeps the first result of a run; true when this one was new. */
  async record(submission: number, test: string, result: TestResult): Promise<boolean> {
    const key = `r/${submission}/${test}`;
    if ((await this.ctx.storage.get(key)) !== undefined) return false;
    await this.ctx.storage.put(key, result);
    return true;
  }

  /** A run's start snapshot, recorded (once) before it runs: a retry continues from it. */
  async started(submission: number, test: string, start: string): Promise<void> {
    const key = `s/${submission}/${test}`;
    if ((await this.ctx.storage.get(key)) === undefined) await this.ctx.storage.put(key, start);
  }

  async startOf(submission: number, test: string): Promise<string | null> {
    return (await this.ctx.storage.get<string>(`s/${submission}/${test}`)) ?? null;
  }

  async has(submission: number, test: string): Promise<boolean> {
    return (await this.ctx.storage.get(`r/${submission}/${test}`)) !== undefined;
  }

  async results(): Promise<Map<string, TestResult>> {
    return this.ctx.storage.list<TestResult>({ prefix: "r/" });
  }
}

/** A batch's submissions and tests, checked against the suite and the limits; nothing is stored yet. */
export async function checkBatch(
  suite: Suite, submissions: readonly { name: string; submission: string | Uint8Array }[], only: string[] | undefined, config: GradeConfig,
): Promise<{ submissions: { name: string; bytes: Uint8Array; kind: BatchSubmission["kind"] }[]; tests: string[] }> {
  if (submissions.length > config.maxBatchSubmissions) {
    throw new ApiError(400, "too_many_submissions", `${submissions.length} submissions; a batch takes at most ${config.maxBatchSubmissions}`);
  }
  const tests = gradeErrors(() => selectTests(suite, only).map((t) => t.name));
  if (submissions.length * tests.length > config.maxBatchRuns) {
    throw new ApiError(400, "batch_too_large", `${submissions.length} submissions x ${tests.length} tests is ${submissions.length * tests.length} runs; a batch runs at most ${config.maxBatchRuns}`);
  }
  const checked = await Promise.all(submissions.map(async (s, i) => {
    const where = `submissions[${i}] (${s.name})`;
    const bytes = typeof s.submission === "string" ? decodeBase64(s.submission, where) : s.submission;
    if (bytes.length > config.service.maxProgramBytes) {
      throw new ApiError(413, "program_too_large", `${where} has ${bytes.length} bytes; the limit is ${config.service.maxProgramBytes}`);
    }
    try {
      return { name: s.name, bytes, kind: (await checkSubmission(suite, { bytes, name: s.name }, only)).kind };
    } catch (e) {
      if (e instanceof GradeError) throw toApiError(new GradeError(e.code, `${where}: ${e.message}`, e.details));
      throw e;
    }
  }));
  return { submissions: checked, tests };
}

/** Stores a checked batch (its suite, submissions and record) and sends one Queue message per (submission, test) run. */
export async function createBatch(
  env: Env,
  batch: { owner: string; owned: boolean; origin: string; suite: Suite; submissions: { name: string; bytes: Uint8Array; kind: BatchSubmission["kind"] }[]; tests: string[] },
): Promise<{ id: string; suite: string; submissions: number; runs: number }> {
  const { id: suiteId } = await storeSuite(env, batch.owner, batch.suite);
  const stored = await Promise.all(batch.submissions.map(async (s) => {
    const sha256 = await sha256Hex(s.bytes);
    await env.SNAPSHOTS.put(submissionKey(sha256), s.bytes);
    return { name: s.name, sha256, kind: s.kind, bytes: s.bytes.length };
  }));
  const id = newBatchId();
  await batchStub(env, id).init({ owner: batch.owner, suiteId, owned: batch.owned, origin: batch.origin, submissions: stored, tests: batch.tests });
  const messages: MessageSendRequest<BatchMessage>[] = stored.flatMap((_, i) => batch.tests.map((test) => ({ body: { batch: id, submission: i, test } })));
  // sendBatch takes at most 100 messages.
  for (let i = 0; i < messages.length; i += 100) await env.GRADE_QUEUE.sendBatch(messages.slice(i, i + 100));
  return { id, suite: suiteId, submissions: stored.length, runs: messages.length };
}

/** The batch's Durable Object by id; ids are b_ + 32 hex digits. */
export function batchStub(env: Env, id: string): DurableObjectStub<GradeBatch> {
  if (!/^b_[0-9a-f]{32}$/.test(id)) throw new ApiError(404, "batch_not_found", `${JSON.stringify(id)} is not a batch id`);
  return env.GRADE_BATCHES.get(env.GRADE_BATCHES.idFromName(id));
}

export function newBatchId(): string {
  return `b_${[...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Progress of a batch and, once every run is in, the reports. */
export async function batchView(env: Env, id: string, owner: string): Promise<{ record: BatchRecord; view: Record<string, unknown>; reports: Report[] | null; suite: Suite }> {
  const stub = batchStub(env, id);
  const record = await stub.read();
  if (!record || record.owner !== owner) throw new ApiError(404, "batch_not_found", `no batch ${id}`);
  const results = await stub.results();
  const total = record.submissions.length * record.tests.length;
  const suite = await storedSuite(env, record.suiteId);
  const done = results.size;
  let reports: Report[] | null = null;
  if (done === total) {
    reports = record.submissions.map((s, i) => {
      const tests = record.tests.map((t) => results.get(`r/${i}/${t}`)!);
      return buildReport(suite, record.suiteId, { kind: s.kind, sha256: s.sha256, bytes: s.bytes }, tests);
    });
  }
  const view = {
    id, suite: record.suiteId, status: done === total ? "done" : "running", runs: total, done,
    submissions: record.submissions.map((s, i) => {
      const mine = record.tests.map((t) => results.get(`r/${i}/${t}`)).filter((r): r is TestResult => r !== undefined);
      return { name: s.name, sha256: s.sha256, done: mine.length, passed: mine.filter((r) => r.status === "passed").length, score: reports ? reports[i]!.score : null };
    }),
  };
  return { record, view, reports, suite };
}

async function storedSuite(env: Env, id: string): Promise<Suite> {
  const object = await env.SNAPSHOTS.get(`grade/suites/${id}`);
  if (!object) throw new ApiError(502, "store_failure", `suite ${id} of a batch is missing from the store`);
  return parseSuite(JSON.parse(await object.text()));
}

/** The Queue consumer: one (submission, test) run per message; a message whose run fails is retried. */
export async function consumeGradeRuns(batch: MessageBatch<BatchMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await runOne(message.body, env);
      message.ack();
    } catch (e) {
      const error = toApiError(e);
      // A bad input cannot get better by retrying (it was checked when the batch was made, so this is not expected).
      if (error instanceof ApiError && error.status < 500) {
        (console as unknown as { error(...args: unknown[]): void }).error("grade run refused", message.body, error.message);
        message.ack();
      } else {
        message.retry();
      }
    }
  }
}

async function runOne(m: BatchMessage, env: Env): Promise<void> {
  const stub = batchStub(env, m.batch);
  if (await stub.has(m.submission, m.test)) return; // delivered again after it was recorded
  const record = await stub.read();
  if (!record) throw new Error(`batch ${m.batch} has no record yet`);
  const submission = record.submissions[m.submission];
  if (!submission) throw new ApiError(400, "invalid_request", `batch ${m.batch} has no submission ${m.submission}`);
  const [suite, bytes] = await Promise.all([storedSuite(env, record.suiteId), env.SNAPSHOTS.get(submissionKey(submission.sha256))]);
  if (!bytes) throw new Error(`submission ${submission.sha256} is missing from the store`);
  const host = gradeHost(env, record.origin);
  const input = { bytes: new Uint8Array(await bytes.arrayBuffer()), name: submission.name };
  const prior = await stub.startOf(m.submission, m.test);
  let report: Report;
  if (prior !== null) {
    // An earlier attempt died after its start snapshot was stored: run from that snapshot.
    report = await retryTest(suite, input, m.test, prior, host);
  } else {
    host.started = async (_test, start) => {
      await host.store.flush(); // durable before it is recorded
      await stub.started(m.submission, m.test, start);
    };
    report = await gradeSubmission(suite, input, host, [m.test]);
  }
  // The snapshots first: a recorded result's links must resolve.
  await host.store.flush();
  await stub.record(m.submission, m.test, report.tests[0]!);
}
