// Write routes need `Authorization: Bearer <EDGEVM_TOKEN>`. A deployment
// without the secret refuses them (503) instead of running open. A request's
// owner is a hash of its token, so machines can belong to a token without
// the service storing the token itself.
import { createMiddleware } from "hono/factory";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";

export type AuthVariables = { owner: string };

export const requireToken = createMiddleware<{ Bindings: Env; Variables: AuthVariables }>(async (c, next) => {
  const expected = c.env.EDGEVM_TOKEN;
  if (!expected) {
    throw new ApiError(503, "auth_not_configured", "this deployment has no EDGEVM_TOKEN secret, so write routes are disabled");
  }
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError(401, "unauthorized", "missing bearer token (Authorization: Bearer <token>)");
  if (!(await sameSecret(match[1]!, expected))) throw new ApiError(401, "unauthorized", "invalid bearer token");
  c.set("owner", await ownerOf(match[1]!));
  await next();
});

export async function ownerOf(token: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`edgevm-owner:${token}`))).slice(0, 32);
}

// Compare digests, not the strings, so the time taken says nothing about the secret.
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([given, expected].map((s) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(s))));
  const x = new Uint8Array(a!);
  const y = new Uint8Array(b!);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
