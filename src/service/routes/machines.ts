// Machines: mutable names for snapshots, owned by the token that made them.
// A step runs from the head and moves it by compare-and-swap: of two
// concurrent steps one wins and the other gets 409 with the current head.
import { Hono } from "hono";
import { createSnapshot, type ObjectId } from "../../snapshot/index.ts";
import { requireToken, type AuthVariables } from "../auth.ts";
import { readJson } from "../body.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { consoleInput, requestBudget } from "../input.ts";
import { initialMachine } from "../program.ts";
import { readProgramRequest } from "../program-request.ts";
import { createMachine, machineNotFound, machineRef, machineView, ownedMachine } from "../refs.ts";
import { runQuanta, type RunContext } from "../runner.ts";
import { runContext } from "../runtime.ts";
import { CreateMachineRequest, MachineFromProgram, StepRequest } from "../schemas.ts";
import { manifestOf, snapshotParam } from "../snapshot-reads.ts";

export const machines = new Hono<{ Bindings: Env; Variables: AuthVariables }>();

machines.post("/v1/machines", requireToken, async (c) => {
  const ctx = runContext(c.env);
  const body = await readProgramRequest(c, MachineFromProgram, ctx.config.maxBodyBytes, CreateMachineRequest);
  let head: string;
  if ("snapshot" in body) {
    head = await existingSnapshot(ctx, body.snapshot);
  } else {
    const initial = await initialMachine(body, { stdin: consoleInput(body), stdinClosed: false }, ctx.config, ctx.options);
    head = await createSnapshot(initial, ctx.store, ctx.options);
  }
  const { id, record } = await createMachine(c.env, c.get("owner"), head);
  return c.json(await machineView(ctx, id, record), 201);
});

// docs/architecture.md's name for starting a machine from a shared snapshot; the same as POST /v1/machines {"snapshot": id}.
machines.post("/v1/snapshots/:snapshotId/fork", requireToken, async (c) => {
  const ctx = runContext(c.env);
  const head = await existingSnapshot(ctx, c.req.param("snapshotId"));
  const { id, record } = await createMachine(c.env, c.get("owner"), head);
  return c.json(await machineView(ctx, id, record), 201);
});

machines.get("/v1/machines/:id", requireToken, async (c) => {
  const id = c.req.param("id");
  const record = await ownedMachine(c.env, id, c.get("owner"));
  return c.json(await machineView(runContext(c.env), id, record));
});

machines.post("/v1/machines/:id/step", requireToken, async (c) => {
  const ctx = runContext(c.env);
  const id = c.req.param("id");
  const record = await ownedMachine(c.env, id, c.get("owner"));
  const body = await readJson(c, StepRequest, ctx.config.maxBodyBytes);
  const budget = requestBudget(body.maxInstructions, ctx.config);
  const result = await runQuanta(record.head, { console: consoleInput(body), consoleEnd: body.eof ?? false }, budget, ctx);
  let moved = record;
  if (result.snapshot !== record.head) {
    const swap = await machineRef(c.env, id).swap(record.head, result.snapshot);
    if (!swap.ok) {
      if (!swap.record) throw machineNotFound(id);
      throw new ApiError(409, "conflict", `machine ${id} moved on while this step ran; its head is now ${swap.record.head}`, {
        head: swap.record.head,
        version: swap.record.version,
      });
    }
    moved = swap.record;
  }
  return c.json({ ...result, machine: await machineView(ctx, id, moved) });
});

machines.post("/v1/machines/:id/fork", requireToken, async (c) => {
  const ctx = runContext(c.env);
  const record = await ownedMachine(c.env, c.req.param("id"), c.get("owner"));
  const fork = await createMachine(c.env, c.get("owner"), record.head);
  return c.json(await machineView(ctx, fork.id, fork.record), 201);
});

machines.delete("/v1/machines/:id", requireToken, async (c) => {
  const id = c.req.param("id");
  await ownedMachine(c.env, id, c.get("owner"));
  await machineRef(c.env, id).remove();
  return c.json({ id, deleted: true });
});

async function existingSnapshot(ctx: RunContext, id: string): Promise<ObjectId> {
  await manifestOf(ctx.store, snapshotParam(id));
  return id;
}
