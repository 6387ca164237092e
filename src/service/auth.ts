// Write routes need `Authorization: Bearer <token>`, where EDGEVM_TOKEN holds
// the accepted tokens (one, or several separated by commas: one per tenant).
// A deployment without the secret refuses them (503) instead of running open.
// A request's owner is a hash of its token, so machines belong to a token
// without the service storing the token itself.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";
import { ApiError } from "./errors.ts";

export const requireToken = createMiddleware<AppEnv>(async (c, next) => {
  const accepted = (c.env.EDGEVM_TOKEN ?? "").split(",").map((t) => t.trim()).filter((t) => t !== "");
  if (accepted.length === 0) {
    throw new ApiError(503, "auth_not_configured", "this deployment has no EDGEVM_TOKEN secret, so write routes are disabled");
  }
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError(401, "unauthorized", "missing bearer token (Authorization: Bearer <token>)");
  if (!(await anySecret(match[1]!, accepted))) throw new ApiError(401, "unauthorized", "invalid bearer token");
  c.set("owner", await ownerOf(match[1]!));
  await next();
});

export async function ownerOf(token: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`edgevm-owner:${token}`))).slice(0, 32);
}

async function anySecret(given: string, accepted: readonly string[]): Promise<boolean> {
  let found = false;
  for (const token of accepted) found = (await sameSecret(given, token)) || found;
  return found;
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
