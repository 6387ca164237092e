// Shared snapshots by URL: immutable, cacheable reads; runs from a snapshot
// that leave it intact; and the self-description of the service.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { JobResult, SharedSnapshot } from "../../src/service/schemas.ts";
import { api, fixture } from "./support.ts";

describe("/s/:id", () => {
  it("is immutable and cacheable, with the id as ETag", async () => {
    const job = await api("POST", "/v1/jobs", { program: fixture("hello") });
    const id = job.body.snapshot;
    const r = await api("GET", `/s/${id}`, undefined, { token: null });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toContain("immutable");
    expect(r.headers.get("etag")).toBe(`"${id}"`);
    expect(() => SharedSnapshot.parse(r.body)).not.toThrow();
    expect(r.body).toMatchObject({ mode: "system", format: "edgevm-snapshot", version: 1, runUrl: `/s/${id}/run` });
    const again = await api("GET", `/s/${id}`, undefined, { token: null, headers: { "if-none-match": `"${id}"` } });
    expect(again.status).toBe(304);
  });

  it("shows people the machine page, without guest output in its HTML", async () => {
    const job = await api("POST", "/v1/jobs", { program: fixture("hello") });
    const res = await exports.default.fetch(`http://edgevm.test/s/${job.body.snapshot}`, { headers: { accept: "text/html,*/*" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("vary")).toBe("Accept");
    expect(res.headers.get("etag")).not.toBe(`"${job.body.snapshot}"`);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const page = await res.text();
    expect(page).toContain("halted with code 3");
    // Guest output is untrusted: only the terminal renders it (from the manifest), never this HTML.
    expect(page).not.toContain("hello from edgevm");
    expect(page).toContain(`data-snapshot="${job.body.snapshot}"`);
    // Commands that work when pasted: absolute URLs, $TOKEN where the shell expands it.
    expect(page).toContain(`npx edgevm import http://edgevm.test/s/${job.body.snapshot} --store edgevm-store`);
    expect(page).toContain(`-H &#34;authorization: Bearer $TOKEN&#34;`);
    expect(page).toContain(`http://edgevm.test/s/${job.body.snapshot}/run`);
  });

  it("runs from a snapshot with a new budget and leaves it intact", async () => {
    const m = (await api("POST", "/v1/machines", { program: fixture("intloop") })).body;
    const source = (await api("POST", `/v1/machines/${m.id}/step`, { maxInstructions: 10_000 })).body.snapshot;
    const before = await api("GET", `/s/${source}`, undefined, { token: null });
    const a = await api("POST", `/s/${source}/run`, { maxInstructions: 20_000 });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ parent: source, status: "running", instructions: 20_000 });
    expect(a.body.snapshot).not.toBe(source);
    // Reproducible: the same run from the same snapshot gives the same snapshot.
    const b = await api("POST", `/s/${source}/run`, { maxInstructions: 20_000 });
    expect(b.body.snapshot).toBe(a.body.snapshot);
    expect(await api("GET", `/s/${source}`, undefined, { token: null })).toMatchObject({ status: 200, body: before.body });
    // The machine it came from did not move either.
    expect((await api("GET", `/v1/machines/${m.id}`)).body.head).toBe(source);
  });
});

describe("self-description", () => {
  it("GET / says what the service is and where the docs are", async () => {
    const r = await api("GET", "/", undefined, { token: null });
    expect(r.status).toBe(200);
    expect(r.body.service).toBe("edgevm");
    expect(r.body.docs.openapi).toBe("/openapi.json");
    expect(r.body.routes).toContain("POST /v1/jobs");
    expect(r.headers.get("vary")).toBe("Accept");
  });

  it("GET / shows browsers the landing page, with links to the example machines", async () => {
    const res = await exports.default.fetch("http://edgevm.test/", { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('href="/examples/cat"');
    const example = await exports.default.fetch("http://edgevm.test/examples/cat", { redirect: "manual" });
    expect(example.status).toBe(303);
    const id = /\/s\/([0-9a-f]{64})$/.exec(example.headers.get("location")!)![1];
    // Made the way POST /v1/machines makes a machine, so its id is fixed by the program.
    const again = await exports.default.fetch("http://edgevm.test/examples/cat", { redirect: "manual" });
    expect(again.headers.get("location")).toBe(`/s/${id}`);
    expect((await api("GET", `/s/${id}`, undefined, { token: null })).body).toMatchObject({ mode: "process", status: "running" });
    expect((await exports.default.fetch("http://edgevm.test/examples/nope")).status).toBe(404);
  });

  it("GET /openapi.json describes every route with schemas generated from zod", async () => {
    const r = await api("GET", "/openapi.json", undefined, { token: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    const routes = Object.entries(r.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        "POST /v1/jobs", "POST /v1/machines", "GET /v1/machines/{id}", "POST /v1/machines/{id}/step",
        "POST /v1/machines/{id}/fork", "POST /v1/snapshots/{snapshotId}/fork", "DELETE /v1/machines/{id}", "GET /s/{snapshotId}", "POST /s/{snapshotId}/run",
        "POST /v1/snapshots", "GET /s/{snapshotId}/bundle", "GET /o/manifests/{id}", "GET /o/chunks/{id}", "GET /o/meta/{id}", "GET /examples/{name}",
      ].sort(),
    );
    const job = r.body.paths["/v1/jobs"].post;
    expect(job.requestBody.content["application/json"].schema.required).toContain("program");
    expect(Object.keys(job.requestBody.content["application/json"].schema.properties)).toEqual(
      expect.arrayContaining(["program", "stdin", "args", "env", "files", "maxInstructions"]),
    );
    expect(job.requestBody.content["multipart/form-data"].schema.required).toEqual(["program"]);
    const result = job.responses["200"].content["application/json"].schema;
    expect(Object.keys(result.properties).sort()).toEqual(Object.keys(z.toJSONSchema(JobResult).properties as object).sort());
  });
});
