import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("service skeleton", () => {
  it("answers the health route from inside workerd", async () => {
    const res = await exports.default.fetch("http://edgevm.test/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: env.EDGEVM_VERSION });
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await exports.default.fetch("http://edgevm.test/nope");
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe("not_found");
  });

  it("has the R2 snapshot bucket bound", async () => {
    await env.SNAPSHOTS.put("probe", "x");
    expect(await (await env.SNAPSHOTS.get("probe"))?.text()).toBe("x");
  });
});
