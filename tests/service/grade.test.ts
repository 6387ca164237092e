/// <reference types="@cloudflare/vitest-plugin/types" />
// Grading over HTTP inside workerd: stored suites and who sees hidden tests,
// POST /v1/grade in every format, the suite schema, every bad input's code,
// and batches through the Queue and the batch's Durable Object.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";

import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { ownerOf } from "../../src/service/auth.ts";
import { api, fixture, TOKEN } from "./support.ts";

/** Every object under `prefix` (R2 lists at most 1,000 a page). */
async function countObjects(prefix: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await env.SNAPSHOTS.list({ prefix, ...(cursor && { cursor }) });
    n += page.objects.length;
    if (!page.truncated) return n;
    cursor = page.cursor;
  }
}

const lab1 = () => JSON.parse(atob(fixture("lab1Suite")));
const lab0 = () => JSON.parse(atob(fixture("lab0Suite")));

async function raw(method: string, path: string, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(`http://edgevm.test${path}`, { method, body, headers: { authorization: `Bearer ${TOKEN}`, ...headers } });
  return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
}

describe("suites", () => {
  it("stores a suite under its content address, immutably", async () => {
    const a = await api("POST", "/v1/suites", lab1());
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ name: "lab1-sum", tests: 9, url: `/v1/suites/${a.body.id}` });
    expect(a.body.id).toMatch(/^[0-9a-f]{64}$/);
    // The same suite, spelled differently (keys reordered, defaults written out), is the same object.
    const s = lab1();
    const reordered = { tests: s.tests.map((t: any) => ({ visibility: "visible", normalize: "none", ...t })), defaults: s.defaults, name: s.name };
    const b = await api("POST", "/v1/suites", reordered);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
  });

  it("shows hidden tests to the owner only", async () => {
    const { body } = await api("POST", "/v1/suites", lab1());
    const mine = await api("GET", `/v1/suites/${body.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ owner: true, hiddenTests: 4 });
    expect(mine.body.suite.tests).toHaveLength(9);
    const theirs = await api("GET", `/v1/suites/${body.id}`, undefined, { token: "dev-token-2" });
    expect(theirs.body).toMatchObject({ owner: false, hiddenTests: 4 });
    expect(theirs.body.suite.tests.map((t: any) => t.visibility)).toEqual(["visible", "visible", "visible", "visible", "visible"]);
    expect(JSON.stringify(theirs.body)).not.toContain("2001000");
    expect((await api("GET", `/v1/suites/${"0".repeat(64)}`)).body.error.code).toBe("suite_not_found");
    expect((await api("GET", `/v1/suites/${body.id}`, undefined, { token: null })).status).toBe(401);
  });

  it("refuses each kind of bad suite with its own code, storing nothing", async () => {
    const cases: [unknown, number, string][] = [
      [{ name: "x" }, 400, "invalid_suite"],
      [{ name: "x", tests: [{ name: "t", expect: { stdoutMatches: "(" } }] }, 400, "invalid_regex"],
      [{ name: "x", tests: [{ name: "t", maxInstructions: 300_000_000 }] }, 400, "budget_too_large"],
      [{ name: "x", defaults: { ramMiB: 512 }, tests: [{ name: "t" }] }, 400, "memory_too_large"],
      [{ name: "x", tests: Array.from({ length: 201 }, (_, i) => ({ name: `t${i}` })) }, 413, "suite_too_large"],
    ];
    const stored = () => countObjects("grade/");
    const before = await stored();
    for (const [suite, status, code] of cases) {
      const r = await api("POST", "/v1/suites", suite);
      expect([r.status, r.body.error.code]).toEqual([status, code]);
    }
    expect(await stored()).toBe(before);
  });
});

describe("POST /v1/grade", () => {
  it("grades an inline suite and answers our JSON report", async () => {
    const r = await api("POST", "/v1/grade", { suite: lab1(), submission: fixture("lab1Crash") });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ format: "edgevm-grade-report/1", score: 9, maxScore: 10, passed: 8, failed: 1 });
    const t = r.body.tests[2];
    expect(t.failures[0]).toMatch(/^killed by SIGSEGV: read at 0x0/);
    expect(t.reproduce.url).toBe(`http://edgevm.test/s/${t.start}`);
    // The start snapshot is shared by URL, and running it again ends where the test ended.
    const shared = await api("GET", `/s/${t.start}`, undefined, { token: null });
    expect(shared.status).toBe(200);
    const again = await api("POST", `/s/${t.start}/run`, { maxInstructions: t.run.budget });
    expect(again.body).toMatchObject({ status: "exited", exitCode: 139, snapshot: t.end });
  });

  it("answers every format", async () => {
    for (const [format, type, check] of [
      ["text", "text/plain", (s: string) => expect(s).toMatch(/score 9\/10/)],
      ["gradescope", "application/json", (s: string) => expect(JSON.parse(s)).toMatchObject({ score: 9, tests: expect.any(Array) })],
      ["junit", "application/xml", (s: string) => expect(s).toMatch(/^<\?xml[^]*<testsuite name="lab1-sum" tests="9" failures="1"/)],
      ["html", "text/html", (s: string) => expect(s).toMatch(/^<!doctype html>/)],
    ] as const) {
      const r = await raw("POST", `/v1/grade?format=${format}`, JSON.stringify({ suite: lab1(), submission: fixture("lab1Crash") }), { "content-type": "application/json" });
      expect(r.status).toBe(200);
      expect(r.type).toContain(type);
      check(r.text);
    }
    const bad = await api("POST", "/v1/grade?format=pdf", { suite: lab1(), submission: fixture("lab1Sum") });
    expect(bad.body.error.code).toBe("invalid_format");
  });

  it("takes a stored suite by id and a multipart upload, and hides hidden tests from other tokens", async () => {
    const { body } = await api("POST", "/v1/suites", lab1());
    const form = new FormData();
    form.append("suiteId", body.id);
    form.append("submission", new File([Uint8Array.from(atob(fixture("lab1Slow")), (c) => c.charCodeAt(0))], "sum-slow.elf"));
    const res = await exports.default.fetch("http://edgevm.test/v1/grade", { method: "POST", body: form, headers: { authorization: "Bearer dev-token-2" } });
    const report = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(report.score).toBe(8);
    const hidden = report.tests.find((t: any) => t.name === "two thousand numbers");
    expect(hidden).toMatchObject({ status: "failed", stdout: "", start: "", failures: ["(a hidden test: its details are shown to the suite's owner)"] });
    const owner = await api("POST", "/v1/grade", { suiteId: body.id, submission: fixture("lab1Slow") });
    expect(owner.body.tests.find((t: any) => t.name === "two thousand numbers").failures).toEqual(["instruction budget of 500000 spent"]);
  });

  it("refuses bad input with a code of its own", async () => {
    const cases: [unknown, number, string][] = [
      [{ suite: lab1(), submission: btoa("not a program") }, 400, "invalid_submission"],
      [{ suite: lab1(), submission: fixture("lab0Fib") }, 400, "wrong_submission_kind"],
      [{ suite: lab0(), submission: fixture("lab1Sum") }, 400, "wrong_submission_kind"],
      [{ suite: lab1(), submission: btoa("  .globl _start\n_start:\n") }, 422, "unsupported_submission"],
      [{ suite: { name: "x", tests: [{ name: "t", expect: { stderrMatches: "[" } }] }, submission: fixture("lab1Sum") }, 400, "invalid_regex"],
      [{ suite: lab1(), suiteId: "x", submission: fixture("lab1Sum") }, 400, "invalid_request"],
      [{ suiteId: "f".repeat(64), submission: fixture("lab1Sum") }, 404, "suite_not_found"],
      [{ suite: lab1(), submission: "@@@" }, 400, "invalid_base64"],
      [{ suite: { name: "x", tests: Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, maxInstructions: 150_000_000 })) }, submission: fixture("lab1Sum") }, 400, "budget_too_large"],
    ];
    const objects = () => countObjects("");
    const before = await objects();
    for (const [body, status, code] of cases) {
      const r = await api("POST", "/v1/grade", body);
      expect([r.status, r.body.error?.code]).toEqual([status, code]);
    }
    expect(await objects()).toBe(before);
  });

  it("takes an inline suite as a multipart part, and guards the route like the others", async () => {
    const form = new FormData();
    form.append("suite", JSON.stringify(lab0()));
    form.append("submission", new File([Uint8Array.from(atob(fixture("lab0Fib")), (c) => c.charCodeAt(0))], "fib.elf"));
    const res = await exports.default.fetch("http://edgevm.test/v1/grade?format=text", { method: "POST", body: form, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/score 3.5\/3.5 \(3 of 3 tests passed\)\n$/);
    expect((await api("POST", "/v1/grade", { suite: lab1(), submission: fixture("lab1Sum") }, { token: null })).status).toBe(401);
    const big = await raw("POST", "/v1/grade", "x".repeat(9 << 20), { "content-type": "application/json" });
    expect(big.status).toBe(413);
    const text = await raw("POST", "/v1/grade", "hello", { "content-type": "text/plain" });
    expect([text.status, JSON.parse(text.text).error.code]).toEqual([415, "unsupported_media_type"]);
    expect((await api("GET", "/v1/suites/not-an-id")).body.error.code).toBe("suite_not_found");
  });

  it("serves the suite's JSON Schema", async () => {
    const r = await api("GET", "/v1/grade/schema", undefined, { token: null });
    expect(r.status).toBe(200);
    expect(r.body.$schema).toMatch(/json-schema/);
    expect(Object.keys(r.body.properties.tests.items.properties)).toContain("maxInstructions");
  });
});

describe("batches", () => {
  async function waitDone(url: string, format = "json") {
    for (let i = 0; i < 100; i++) {
      const r = await api("GET", `${url}?format=${format}`);
      if (r.body.status === "done") return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the batch did not finish");
  }

  it("fans runs out over the queue and collects the reports in the batch's object", async () => {
    const r = await api("POST", "/v1/grade/batches", {
      suite: lab1(),
      submissions: [{ name: "ref", submission: fixture("lab1Sum") }, { name: "crash", submission: fixture("lab1Crash") }],
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ submissions: 2, runs: 18 });
    const done = await waitDone(r.body.url);
    expect(done.body).toMatchObject({ runs: 18, done: 18 });
    expect(done.body.reports.map((x: any) => x.score)).toEqual([10, 9]);
    // The same report as a single POST /v1/grade gives.
    const single = await api("POST", "/v1/grade", { suite: lab1(), submission: fixture("lab1Crash") });
    expect(done.body.reports[1]).toEqual(single.body);
    const gs = await api("GET", `${r.body.url}?format=gradescope`);
    expect(gs.body.reports[0]).toMatchObject({ score: 10, tests: expect.any(Array) });
    expect((await api("GET", r.body.url, undefined, { token: "dev-token-2" })).body.error.code).toBe("batch_not_found");
  });

  it("loses nothing when a consumer dies: the run is retried and gives the same result", async () => {
    const r = await api("POST", "/v1/grade/batches", { suite: lab1(), submissions: [{ name: "crash", submission: fixture("lab1Crash") }], tests: ["empty input"] });
    const done = await waitDone(r.body.url);
    const first = done.body.reports[0].tests[0];
    // A consumer that died before it recorded: the message comes again, attempts 2. Delivering it to a new batch
    // of the same inputs runs the test afresh from the same start snapshot.
    const again = await api("POST", "/v1/grade/batches", { suite: lab1(), submissions: [{ name: "crash", submission: fixture("lab1Crash") }], tests: ["empty input"] });
    const batch = createMessageBatch("edgevm-grade", [
      { id: "m1", timestamp: 0, attempts: 2, body: { batch: again.body.id, submission: 0, test: "empty input" } },
      { id: "m2", timestamp: 0, attempts: 3, body: { batch: again.body.id, submission: 0, test: "empty input" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as any, env as any);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
    const second = (await waitDone(again.body.url)).body.reports[0].tests[0];
    expect(second).toEqual(first);
    expect(second.start).toMatch(/^[0-9a-f]{64}$/);
  });

  it("retries a run from the start snapshot an attempt that died recorded", async () => {
    const { body: stored } = await api("POST", "/v1/suites", lab1());
    const single = await api("POST", "/v1/grade", { suiteId: stored.id, submission: fixture("lab1Crash"), tests: ["empty input"] });
    const t = single.body.tests[0];
    // The state a consumer leaves when it dies after recording the start: the batch, its submission, the start; no result.
    const id = `b_${"5".repeat(32)}`;
    const bytes = Uint8Array.from(atob(fixture("lab1Crash")), (c) => c.charCodeAt(0));
    await env.SNAPSHOTS.put(`grade/submissions/${single.body.submission.sha256}`, bytes);
    const stub = env.GRADE_BATCHES.get(env.GRADE_BATCHES.idFromName(id));
    await stub.init({
      owner: await ownerOf(TOKEN), suiteId: stored.id, owned: true, origin: "http://edgevm.test",
      submissions: [{ name: "crash", sha256: single.body.submission.sha256, kind: "linux", bytes: bytes.length }], tests: ["empty input"],
    });
    await stub.started(0, "empty input", t.start);
    const batch = createMessageBatch("edgevm-grade", [{ id: "m", timestamp: 0, attempts: 2, body: { batch: id, submission: 0, test: "empty input" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as any, env as any);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m"]);
    const view = await api("GET", `/v1/grade/batches/${id}`);
    expect(view.body).toMatchObject({ status: "done", done: 1 });
    expect(view.body.reports[0]).toEqual(single.body);
    // It really ran from the recorded snapshot rather than booting afresh: given another test's start
    // (stdin "1 2\n" in it), the retry prints that test's sum.
    const other = (await api("POST", "/v1/grade", { suiteId: stored.id, submission: fixture("lab1Crash"), tests: ["adds two numbers"] })).body.tests[0];
    const id2 = `b_${"6".repeat(32)}`;
    const stub2 = env.GRADE_BATCHES.get(env.GRADE_BATCHES.idFromName(id2));
    await stub2.init({ ...(await stub.read())!, tests: ["empty input"] });
    await stub2.started(0, "empty input", other.start);
    const batch2 = createMessageBatch("edgevm-grade", [{ id: "m2", timestamp: 0, attempts: 2, body: { batch: id2, submission: 0, test: "empty input" } }]);
    await worker.queue(batch2 as any, env as any);
    const view2 = await api("GET", `/v1/grade/batches/${id2}`);
    expect(view2.body.reports[0].tests[0]).toMatchObject({ start: other.start, stdout: "3\n", status: "failed" });
  });

  it("asks for a retry when a run fails for the store, and refuses bad batches storing nothing", async () => {
    const batch = createMessageBatch("edgevm-grade", [{ id: "m", timestamp: 0, attempts: 1, body: { batch: `b_${"0".repeat(32)}`, submission: 0, test: "x" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as any, env as any);
    expect((await getQueueResult(batch, ctx)).retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m"]);
    const bad = await api("POST", "/v1/grade/batches", {
      suite: lab1(), submissions: [{ name: "ok", submission: fixture("lab1Sum") }, { name: "bare", submission: fixture("lab0Fib") }],
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, "wrong_submission_kind"]);
    expect(bad.body.error.message).toMatch(/^submissions\[1\] \(bare\)/);
    const sub = (i: number) => ({ name: `s${i}`, submission: fixture("lab1Sum") });
    const wide = { name: "wide", tests: Array.from({ length: 200 }, (_, i) => ({ name: `t${i}` })) };
    const tooMany = await api("POST", "/v1/grade/batches", { suite: wide, submissions: Array.from({ length: 51 }, (_, i) => sub(i)) });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, "batch_too_large"]);
    const crowd = await api("POST", "/v1/grade/batches", { suite: lab1(), submissions: Array.from({ length: 501 }, (_, i) => sub(i)) });
    expect([crowd.status, crowd.body.error.code]).toEqual([400, "too_many_submissions"]);
  });
});
