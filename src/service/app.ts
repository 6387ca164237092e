import { Hono } from "hono";
import type { Env } from "./env.ts";
import { errorBody, renderError } from "./errors.ts";

// The HTTP surface of edgevm. Routes are contracts once released (see DESIGN.md).
export function createApp() {
  const app = new Hono<{ Bindings: Env }>();

  app.get("/", (c) =>
    c.json({
      service: "edgevm",
      description: "Serverless RISC-V (RV64GC) virtual machines: run guests in bounded quanta, share snapshots by URL.",
      version: c.env.EDGEVM_VERSION,
      health: "/healthz",
    }),
  );

  app.get("/healthz", (c) => c.json({ ok: true, version: c.env.EDGEVM_VERSION }));

  app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError(renderError);

  return app;
}
