import { createApp } from "./service/app.ts";
import { consumeGradeRuns, type BatchMessage } from "./service/grade-batch.ts";
import type { Env } from "./service/env.ts";

// Workers entry point: the HTTP app, the Queue consumer of grading batches,
// and the Durable Object classes behind machine refs and batches.
const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch: MessageBatch<BatchMessage>, env: Env) => consumeGradeRuns(batch, env),
} satisfies ExportedHandler<Env, BatchMessage>;
export { MachineRef } from "./service/machine-ref.ts";
export { GradeBatch } from "./service/grade-batch.ts";
