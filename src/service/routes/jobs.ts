// POST /v1/jobs: run a program to completion within the request's budget.
// A guest that has not finished by then is not lost: it becomes a machine
// (answer 202) that later steps continue.
import { consoleInput, requestBudget } from "../input.ts";
import { initialMachine } from "../program.ts";
import { readProgramRequest } from "../program-request.ts";
import { createMachine, machineUrl } from "../refs.ts";
import { defineRoute, errorResponses } from "../route.ts";
import { finished, runQuanta } from "../runner.ts";
import { JobRequest, JobResult } from "../schemas.ts";

export const jobRoutes = [
  defineRoute({
    method: "post",
    path: "/v1/jobs",
    summary: "Run a program until it exits or the request's budget is spent.",
    auth: "token",
    request: JobRequest,
    upload: true,
    responses: {
      200: { description: "The guest finished (exited, halted or faulted).", schema: JobResult },
      202: { description: "The budget ran out first: `machine` continues it.", schema: JobResult },
      ...errorResponses(400, 401, 413, 415, 503),
    },
    async handler(c, run) {
      const body = await readProgramRequest(c, JobRequest, run.config.maxBodyBytes);
      const budget = requestBudget(body.maxInstructions, run.config);
      const stdin = consoleInput(body);
      const initial = await initialMachine(body, { stdin, stdinClosed: true }, run.config, run.options);
      const result = await runQuanta(initial, {}, budget, run);
      if (finished(result.status)) return c.json(result, 200);
      const { id } = await createMachine(c.env, c.get("owner"), result.snapshot);
      return c.json({ ...result, machine: { id, url: machineUrl(id) } }, 202);
    },
  }),
];
