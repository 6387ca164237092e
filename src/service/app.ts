import { Hono } from "hono";
import type { Env } from "./env.ts";
import { errorBody, renderError } from "./errors.ts";
import { openApiDocument, ROUTES } from "./openapi.ts";
import { jobs } from "./routes/jobs.ts";
import { machines } from "./routes/machines.ts";
import { objects } from "./routes/objects.ts";
import { shared } from "./routes/shared.ts";
import { EXAMPLES, exampleSnapshot } from "./examples.ts";
import { runContext } from "./runtime.ts";
import { landingPage, notFoundPage, PAGE_HEADERS, wantsHtml } from "./snapshot-page.ts";

// The HTTP surface of edgevm. Routes are contracts once released (see docs/architecture.md).
export function createApp() {
  const app = new Hono<{ Bindings: Env }>();

  app.get("/", (c) => {
    if (wantsHtml(c.req.header("accept"))) return c.html(landingPage(EXAMPLES), 200, { ...PAGE_HEADERS, vary: "Accept" });
    return c.json({
      service: "edgevm",
      description: "Serverless RISC-V (RV64GC) virtual machines: run guests in bounded quanta, share snapshots by URL.",
      version: c.env.EDGEVM_VERSION,
      docs: { openapi: "/openapi.json", guide: "README.md and docs/ in the edgevm repository" },
      routes: ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`),
      health: "/healthz",
    }, 200, { vary: "Accept" });
  });
  // The landing page's examples: made on first use (src/service/examples.ts), then a redirect to the shared page.
  app.get("/examples/:name", async (c) => {
    const id = exampleSnapshot(c.req.param("name"), runContext(c.env));
    if (!id) {
      if (wantsHtml(c.req.header("accept"))) return c.html(notFoundPage(`there is no example ${JSON.stringify(c.req.param("name"))}`), 404, PAGE_HEADERS);
      return c.json(errorBody("not_found", `there is no example ${JSON.stringify(c.req.param("name"))}`), 404);
    }
    return c.redirect(`/s/${await id}`, 303);
  });
  app.get("/healthz", (c) => c.json({ ok: true, version: c.env.EDGEVM_VERSION }));
  app.get("/openapi.json", (c) => c.json(openApiDocument(c.env.EDGEVM_VERSION)));

  app.route("/", jobs);
  app.route("/", machines);
  app.route("/", objects);
  app.route("/", shared);

  app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(renderError);

  return app;
}
