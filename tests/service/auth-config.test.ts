// Bearer-token auth and configuration: write routes refuse to run open, and
// limits come from wrangler.toml vars with validated values.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { requireToken, ownerOf } from "../../src/service/auth.ts";
import { DEFAULTS, readConfig } from "../../src/service/config.ts";
import { renderError } from "../../src/service/errors.ts";
import type { Env } from "../../src/service/env.ts";

function app() {
  const a = new Hono<{ Bindings: Env; Variables: { owner: string } }>();
  a.post("/write", requireToken, (c) => c.json({ owner: c.get("owner") }));
  a.onError(renderError);
  return a;
}

const withToken = { EDGEVM_TOKEN: "s3cret" } as unknown as Env;

async function call(env: Env, headers: Record<string, string> = {}) {
  const res = await app().request("/write", { method: "POST", headers }, env);
  return { status: res.status, body: (await res.json()) as { error?: { code: string }; owner?: string } };
}

describe("requireToken", () => {
  it("refuses write routes when the deployment has no secret", async () => {
    const r = await call({} as Env, { authorization: "Bearer anything" });
    expect(r.status).toBe(503);
    expect(r.body.error?.code).toBe("auth_not_configured");
  });

  it("rejects a missing or wrong token with 401", async () => {
    expect((await call(withToken)).status).toBe(401);
    expect((await call(withToken, { authorization: "Bearer nope" })).body.error?.code).toBe("unauthorized");
    expect((await call(withToken, { authorization: "Basic s3cret" })).status).toBe(401);
  });

  it("accepts the token and names its owner by a hash, never the token", async () => {
    const r = await call(withToken, { authorization: "Bearer s3cret" });
    expect(r.status).toBe(200);
    expect(r.body.owner).toBe(await ownerOf("s3cret"));
    expect(r.body.owner).not.toContain("s3cret");
    expect(await ownerOf("other")).not.toBe(r.body.owner);
  });
});

describe("readConfig", () => {
  it("uses the defaults for unset variables and parses set ones", () => {
    expect(readConfig({})).toEqual(DEFAULTS);
    expect(readConfig({ EDGEVM_QUANTUM_INSTRUCTIONS: "1_000_000", EDGEVM_MAX_FILES: 3 })).toMatchObject({
      quantumInstructions: 1_000_000,
      maxFiles: 3,
    });
  });

  it("fails loudly on a value that is not a positive integer", () => {
    expect(() => readConfig({ EDGEVM_GUEST_MEMORY_MIB: "lots" })).toThrow(/EDGEVM_GUEST_MEMORY_MIB must be a positive integer/);
    expect(() => readConfig({ EDGEVM_MAX_BODY_BYTES: "0" })).toThrow(/positive integer/);
  });
});
