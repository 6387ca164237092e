// A route of the API, declared once: its method, path, schemas, summary, the
// auth it needs and its handler. The same declaration registers the handler
// with Hono (registerRoutes) and describes it in /openapi.json (openapi.ts),
// so the two cannot disagree.
import type { Context, Hono } from "hono";
import type { z } from "zod";
import { requireToken } from "./auth.ts";
import type { AppEnv } from "./env.ts";
import type { RunContext } from "./runner.ts";
import { runContext } from "./runtime.ts";
import { ErrorBody } from "./schemas.ts";

export interface ApiRoute<P extends string = string> {
  method: "get" | "post" | "delete";
  /** Hono's form (`/v1/machines/:id`); the document writes it `/v1/machines/{id}`. */
  path: P;
  summary: string;
  /** `token`: `Authorization: Bearer <token>` (auth.ts), checked before the handler runs. */
  auth: "token" | "none";
  /** The JSON body the handler reads (it reads it itself: body.ts caps the size while reading). */
  request?: z.ZodType;
  /** Also takes the program as an upload (multipart/form-data, program-request.ts). */
  upload?: boolean;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** `run` is the request's store, core and limits, made once before the handler. */
  handler(c: Context<AppEnv, P>, run: RunContext): Response | Promise<Response>;
}

/** Keeps the path literal, so `c.req.param` knows the route's parameters. */
export function defineRoute<P extends string>(route: ApiRoute<P>): ApiRoute<P> {
  return route;
}

export function registerRoutes(app: Hono<AppEnv>, routes: readonly ApiRoute<string>[]): void {
  for (const route of routes) {
    const handler = (c: Context<AppEnv, string>) => route.handler(c, runContext(c.env));
    if (route.auth === "token") app.on(route.method.toUpperCase(), route.path, requireToken, handler);
    else app.on(route.method.toUpperCase(), route.path, handler);
  }
}

/** Error answers a route can give, each described once, all with the error body. */
export function errorResponses(...statuses: (keyof typeof ERROR_MEANING)[]): ApiRoute["responses"] {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_MEANING[s], schema: ErrorBody }]));
}

const ERROR_MEANING = {
  400: "Bad input: malformed JSON, a schema violation, a non-ELF program, a limit (budget, memory, files) exceeded.",
  401: "Missing or wrong bearer token.",
  404: "No such machine (or not yours), or no such snapshot.",
  409: "The machine moved on while this step ran; details.head is its current head.",
  413: "The body or the program is larger than the service accepts.",
  415: "The body is not application/json.",
  422: "The snapshot is damaged, incomplete or of a format this service cannot run.",
  503: "The deployment has no EDGEVM_TOKEN secret, so write routes are off.",
} as const;
