import { Hono } from "hono";
import type { Env } from "./env.ts";

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

  app.notFound((c) => c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

  return app;
}
