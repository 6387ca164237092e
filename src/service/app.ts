import { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { errorBody, renderError } from "./errors.ts";
import { documentPath, openApiDocument } from "./openapi.ts";
import { registerRoutes, type ApiRoute } from "./route.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { machineRoutes } from "./routes/machines.ts";
import { objectRoutes } from "./routes/objects.ts";
import { sharedRoutes } from "./routes/shared.ts";
import { EXAMPLES } from "./examples.ts";
import { landingPage, PAGE_HEADERS, wantsHtml } from "./snapshot-page.ts";

/** Every route of the API, in the order the index and /openapi.json list them. */
export const API_ROUTES: readonly ApiRoute[] = [...jobRoutes, ...machineRoutes, ...sharedRoutes, ...objectRoutes];

// The HTTP surface of edgevm. Routes are contracts once released (see docs/architecture.md).
export function createApp() {
  const app = new Hono<AppEnv>();

  // The service's self-description, outside the API it describes: JSON for programs, the landing page for browsers.
  app.get("/", (c) => {
    if (wantsHtml(c.req.header("accept"))) return c.html(landingPage(EXAMPLES), 200, { ...PAGE_HEADERS, vary: "Accept" });
    return c.json({
      service: "edgevm",
      description: "Serverless RISC-V (RV64GC) virtual machines: run guests in bounded quanta, share snapshots by URL.",
      version: c.env.EDGEVM_VERSION,
      docs: { openapi: "/openapi.json", guide: "README.md and docs/ in the edgevm repository" },
      routes: API_ROUTES.map((r) => `${r.method.toUpperCase()} ${documentPath(r.path)}`),
      health: "/healthz",
    }, 200, { vary: "Accept" });
  });
  app.get("/healthz", (c) => c.json({ ok: true, version: c.env.EDGEVM_VERSION }));
  app.get("/openapi.json", (c) => c.json(openApiDocument(c.env.EDGEVM_VERSION, API_ROUTES)));

  registerRoutes(app, API_ROUTES);

  app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(renderError);

  return app;
}
