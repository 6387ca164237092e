// Every error leaves the service as JSON `{ "error": { "code", "message" } }`
// with the right status; handlers throw ApiError and onError renders it.
import type { Context } from "hono";
import { ZodError } from "zod";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 500 | 502 | 503,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details && { details }) } };
}

export function renderError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    return c.json(errorBody("invalid_request", `${where}${issue?.message ?? "invalid request"}`, { issues: err.issues }), 400);
  }
  (console as unknown as { error(...args: unknown[]): void }).error("unhandled error", err);
  return c.json(errorBody("internal", "internal error"), 500);
}
