// Request bodies: JSON (and multipart/form-data where a program is
// uploaded), never more than the configured size (the limit is enforced
// while reading, so a huge or endless body costs nothing), each failure with
// its own error code.
import type { Context } from "hono";
import type { z } from "zod";
import { concatBytes } from "../vm/bytes.ts";
import { ApiError } from "./errors.ts";

export async function readJson<S extends z.ZodType>(c: Context, schema: S, maxBytes: number): Promise<z.infer<S>> {
  const body = await readBody(c, maxBytes, false);
  return schema.parse(body.kind === "json" ? body.value : undefined);
}

/** A JSON body, or (where `multipart` allows) a multipart/form-data one. */
export async function readBody(
  c: Context,
  maxBytes: number,
  multipart = true,
): Promise<{ kind: "json"; value: unknown } | { kind: "form"; form: FormData }> {
  const type = c.req.header("content-type");
  const isForm = multipart && type !== undefined && /^multipart\/form-data\b/i.test(type);
  if (type !== undefined && !isForm && !/^application\/json\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", `send the body as application/json${multipart ? " or multipart/form-data" : ""}, not ${type}`);
  }
  const length = Number(c.req.header("content-length") ?? "0");
  if (length > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readCapped(c.req.raw, maxBytes);
  // An empty body needs no type (`curl -X POST .../step`); any other body
  // without one is refused rather than guessed to be JSON.
  if (type === undefined && bytes.length > 0) {
    throw new ApiError(415, "unsupported_media_type", `a body needs a content-type: application/json${multipart ? " or multipart/form-data" : ""}`);
  }
  if (isForm) {
    try {
      return { kind: "form", form: await new Response(bytes, { headers: { "content-type": type! } }).formData() };
    } catch (e) {
      throw new ApiError(400, "malformed_multipart", `the multipart body does not parse: ${(e as Error).message}`);
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError(400, "malformed_json", "the body is not UTF-8");
  }
  return { kind: "json", value: text.trim() === "" ? {} : parseJson(text, "the body") };
}

/**
 * JSON.parse that refuses an object key `__proto__`: JSON makes it an own
 * key, but zod (and any object spread) drops it or reads it as the
 * prototype, so the request would silently mean something else.
 */
export function parseJson(text: string, what: string): unknown {
  let protoKey = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v) => {
      if (key === "__proto__") protoKey = true;
      return v;
    });
  } catch (e) {
    throw new ApiError(400, "malformed_json", `${what} is not JSON: ${(e as Error).message}`);
  }
  if (protoKey) throw new ApiError(400, "invalid_request", `${what} has an object key "__proto__", which is refused`);
  return value;
}

export async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
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
  return concatBytes(parts);
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "body_too_large", `the request body is larger than ${maxBytes} bytes`);
}
