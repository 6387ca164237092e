import { Hono } from "hono";
import type { Env } from "./env.ts";
import { errorBody, renderError } from "./errors.ts";
import { openApiDocument, ROUTES } from "./openapi.ts";
import { jobs } from "./routes/jobs.ts";
import { machines } from "./routes/machines.ts";
import { shared } from "./routes/shared.ts";

// The HTTP surface of edgevm. Routes are contracts once released (see docs/architecture.md).
export function createApp() {
  const app = new Hono<{ Bindings: Env }>();

  app.get("/", (c) =>
    c.json({
      service: "edgevm",
      description: "Serverless RISC-V (RV64GC) virtual machines: run guests in bounded quanta, share snapshots by URL.",
      version: c.env.EDGEVM_VERSION,
      docs: { openapi: "/openapi.json", guide: "README.md and docs/ in the edgevm repository" },
      routes: ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`),
      health: "/healthz",
    }),
  );
  app.get("/healthz", (c) => c.json({ ok: true, version: c.env.EDGEVM_VERSION }));
  app.get("/openapi.json", (c) => c.json(openApiDocument(c.env.EDGEVM_VERSION)));

  app.route("/", jobs);
  app.route("/", machines);
  app.route("/", shared);

  app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(renderError);

  return app;
}
