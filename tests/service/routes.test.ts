// The API has one source of truth: /openapi.json documents exactly the routes
// the app registers, with the auth they really check.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/service/app.ts";
import { requireToken } from "../../src/service/auth.ts";
import { api } from "./support.ts";

/** Routes that describe the service rather than belong to its API; the document leaves them out. */
const SELF_DESCRIPTION = ["GET /", "GET /healthz", "GET /openapi.json"];

type Operation = { security?: unknown[] };

async function documented(): Promise<Map<string, Operation>> {
  const r = await api("GET", "/openapi.json", undefined, { token: null });
  expect(r.status).toBe(200);
  const operations = new Map<string, Operation>();
  for (const [path, ops] of Object.entries(r.body.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(ops)) operations.set(`${method.toUpperCase()} ${path}`, op);
  }
  return operations;
}

/** What Hono has registered, by `METHOD /path/{param}`, with the handlers of each. */
function registered(): Map<string, unknown[]> {
  const routes = new Map<string, unknown[]>();
  for (const r of createApp().routes) {
    const key = `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`;
    routes.set(key, [...(routes.get(key) ?? []), r.handler]);
  }
  return routes;
}

describe("the route declarations", () => {
  it("document exactly the routes the app registers", async () => {
    const docs = [...(await documented()).keys()].sort();
    const routes = [...registered().keys()].filter((k) => !SELF_DESCRIPTION.includes(k)).sort();
    expect(docs.length).toBeGreaterThan(0);
    expect(routes).toEqual(docs);
  });

  it("document the bearer token exactly where requireToken guards the route", async () => {
    const routes = registered();
    for (const [key, op] of await documented()) {
      expect({ key, token: routes.get(key)?.includes(requireToken) }).toEqual({ key, token: op.security !== undefined });
    }
  });

  it("route every documented operation to its handler, not to the 404 fallback", async () => {
    for (const [key, op] of await documented()) {
      const [method, path] = key.split(" ") as [string, string];
      const res = await exports.default.fetch(`http://edgevm.test${path.replace(/\{\w+\}/g, "x")}`, { method });
      const body = (await res.json()) as { error?: { code: string } };
      // Without a token a guarded route refuses; a public one answers for itself (no such snapshot "x").
      if (op.security) expect({ key, status: res.status, code: body.error?.code }).toEqual({ key, status: 401, code: "unauthorized" });
      else expect({ key, code: body.error?.code }).not.toEqual({ key, code: "not_found" });
    }
  });
});
