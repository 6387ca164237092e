// Machines: mutable names for snapshots, owned by the token that made them.
// A step runs from the head and moves it by compare-and-swap: of two
// concurrent steps one wins and the other gets 409 with the current head.
import { z } from "zod";
import { createSnapshot, type ObjectId } from "../../snapshot/index.ts";
import { readJson } from "../body.ts";
import { ApiError } from "../errors.ts";
import { consoleInput, requestBudget } from "../input.ts";
import { initialMachine } from "../program.ts";
import { readProgramRequest } from "../program-request.ts";
import { createMachine, machineNotFound, machineRef, machineView, ownedMachine } from "../refs.ts";
import { defineRoute, errorResponses } from "../route.ts";
import { runQuanta, type RunContext } from "../runner.ts";
import { CreateMachineRequest, MachineFromProgram, MachineView, StepRequest, StepResult } from "../schemas.ts";
import { manifestOf, snapshotParam } from "../snapshot-reads.ts";

export const machineRoutes = [
  defineRoute({
    method: "post",
    path: "/v1/machines",
    summary: "Create a machine from a program or from a snapshot id.",
    auth: "token",
    request: CreateMachineRequest,
    upload: true,
    responses: { 201: { description: "The new machine.", schema: MachineView }, ...errorResponses(400, 401, 404, 413, 415, 422, 503) },
    async handler(c, run) {
      const body = await readProgramRequest(c, MachineFromProgram, run.config.maxBodyBytes, CreateMachineRequest);
      let head: string;
      if ("snapshot" in body) {
        head = await existingSnapshot(run, body.snapshot);
      } else {
        const initial = await initialMachine(body, { stdin: consoleInput(body), stdinClosed: false }, run.config, run.options);
        head = await createSnapshot(initial, run.store, run.options);
      }
      const { id, record } = await createMachine(c.env, c.get("owner"), head);
      return c.json(await machineView(run, id, record), 201);
    },
  }),

  // docs/architecture.md's name for starting a machine from a shared snapshot; the same as POST /v1/machines {"snapshot": id}.
  defineRoute({
    method: "post",
    path: "/v1/snapshots/:snapshotId/fork",
    summary: "A new machine from a snapshot (the same as POST /v1/machines with a snapshot).",
    auth: "token",
    responses: { 201: { description: "The new machine.", schema: MachineView }, ...errorResponses(401, 404, 422, 503) },
    async handler(c, run) {
      const head = await existingSnapshot(run, c.req.param("snapshotId"));
      const { id, record } = await createMachine(c.env, c.get("owner"), head);
      return c.json(await machineView(run, id, record), 201);
    },
  }),

  defineRoute({
    method: "get",
    path: "/v1/machines/:id",
    summary: "A machine's head, status and console transcript.",
    auth: "token",
    responses: { 200: { description: "The machine.", schema: MachineView }, ...errorResponses(401, 404, 503) },
    async handler(c, run) {
      const id = c.req.param("id");
      const record = await ownedMachine(c.env, id, c.get("owner"));
      return c.json(await machineView(run, id, record));
    },
  }),

  defineRoute({
    method: "post",
    path: "/v1/machines/:id/step",
    summary: "Give console input and run up to a budget.",
    auth: "token",
    request: StepRequest,
    responses: {
      200: { description: "Output since the last step, the new status and head.", schema: StepResult },
      ...errorResponses(400, 401, 404, 409, 413, 415, 422, 503),
    },
    async handler(c, run) {
      const id = c.req.param("id");
      const record = await ownedMachine(c.env, id, c.get("owner"));
      const body = await readJson(c, StepRequest, run.config.maxBodyBytes);
      const budget = requestBudget(body.maxInstructions, run.config);
      const result = await runQuanta(record.head, { console: consoleInput(body), consoleEnd: body.eof ?? false }, budget, run);
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
      return c.json({ ...result, machine: await machineView(run, id, moved) });
    },
  }),

  defineRoute({
    method: "post",
    path: "/v1/machines/:id/fork",
    summary: "A new machine at this machine's head.",
    auth: "token",
    responses: { 201: { description: "The new machine.", schema: MachineView }, ...errorResponses(401, 404, 503) },
    async handler(c, run) {
      const record = await ownedMachine(c.env, c.req.param("id"), c.get("owner"));
      const fork = await createMachine(c.env, c.get("owner"), record.head);
      return c.json(await machineView(run, fork.id, fork.record), 201);
    },
  }),

  defineRoute({
    method: "delete",
    path: "/v1/machines/:id",
    summary: "Forget a machine (its snapshots stay readable by id).",
    auth: "token",
    responses: {
      200: { description: "Deleted.", schema: z.object({ id: z.string(), deleted: z.literal(true) }) },
      ...errorResponses(401, 404, 503),
    },
    async handler(c) {
      const id = c.req.param("id");
      await ownedMachine(c.env, id, c.get("owner"));
      await machineRef(c.env, id).remove();
      return c.json({ id, deleted: true });
    },
  }),
];

async function existingSnapshot(run: RunContext, id: string): Promise<ObjectId> {
  await manifestOf(run.store, snapshotParam(id));
  return id;
}
