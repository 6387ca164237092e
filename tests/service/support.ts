// Calling the Worker under test (inside workerd) the way a client would.
import { exports } from "cloudflare:workers";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    serviceFixtures: Record<string, string>;
  }
}

/** The token of `.dev.vars`, which the test Worker runs with. */
export const TOKEN = "dev-token";

/** A guest program from vitest.config.ts's SERVICE_FIXTURES, as base64. */
export function fixture(name: string): string {
  const b64 = inject("serviceFixtures")[name];
  if (!b64) throw new Error(`no service fixture ${name}`);
  return b64;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string | null; headers?: Record<string, string>; raw?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined = options.raw;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["content-type"] ??= "application/json";
  }
  const res = await exports.default.fetch(`http://edgevm.test${path}`, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
