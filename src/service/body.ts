// Request bodies: JSON only, never more than the configured size (the limit
// is enforced while reading, so a huge or endless body costs nothing), each
// failure with its own error code.
import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "./errors.ts";

export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes: number): Promise<z.infer<S>> {
  const type = c.req.header("content-type");
  if (type !== undefined && !/^application\/json\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", `send the body as application/json, not ${type}`);
  }
  const length = Number(c.req.header("content-length") ?? "0");
  if (length > maxBytes) throw tooLarge(maxBytes);
  const text = await readCapped(c.req.raw, maxBytes);
  let json: unknown;
  try {
    json = text.trim() === "" ? {} : JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "malformed_json", `the body is not JSON: ${(e as Error).message}`);
  }
  return schema.parse(json);
}

async function readCapped(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    parts.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(all);
  } catch {
    throw new ApiError(400, "malformed_json", "the body is not UTF-8");
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "body_too_large", `the request body is larger than ${maxBytes} bytes`);
}
