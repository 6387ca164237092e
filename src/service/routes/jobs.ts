// POST /v1/jobs: run a program to completion within the request's budget.
// A guest that has not finished by then is not lost: it becomes a machine
// (answer 202) that later steps continue.
import { Hono } from "hono";
import { requireToken, type AuthVariables } from "../auth.ts";
import type { Env } from "../env.ts";
import { consoleInput, requestBudget } from "../input.ts";
import { initialMachine } from "../program.ts";
import { readProgramRequest } from "../program-request.ts";
import { createMachine, machineUrl } from "../refs.ts";
import { finished, runQuanta } from "../runner.ts";
import { runContext } from "../runtime.ts";
import { JobRequest } from "../schemas.ts";

export const jobs = new Hono<{ Bindings: Env; Variables: AuthVariables }>();

jobs.post("/v1/jobs", requireToken, async (c) => {
  const ctx = runContext(c.env);
  const body = await readProgramRequest(c, JobRequest, ctx.config.maxBodyBytes);
  const budget = requestBudget(body.maxInstructions, ctx.config);
  const stdin = consoleInput(body);
  const initial = await initialMachine(body, { stdin, stdinClosed: true }, ctx.config, ctx.options);
  const result = await runQuanta(initial, {}, budget, ctx);
  if (finished(result.status)) return c.json(result, 200);
  const { id } = await createMachine(c.env, c.get("owner"), result.snapshot);
  return c.json({ ...result, machine: { id, url: machineUrl(id) } }, 202);
});
