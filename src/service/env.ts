// Bindings and variables of the Worker (wrangler.toml, .dev.vars, secrets).
import type { MachineRef } from "./machine-ref.ts";

export interface Env {
  /** Immutable snapshot objects: manifests, chunks, metadata. */
  SNAPSHOTS: R2Bucket;
  /** One Durable Object per machine: its head snapshot, moved by compare-and-swap. */
  MACHINES: DurableObjectNamespace<MachineRef>;
  /** Bearer token for write routes; a deployment without it refuses them. */
  EDGEVM_TOKEN?: string;
  EDGEVM_VERSION: string;
  /** Limits and quantum size (see config.ts for names and defaults). */
  [name: `EDGEVM_${string}`]: unknown;
}

/** The Hono environment of every route: the bindings, and what middleware sets on the request. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** Set by requireToken (auth.ts): who the request's token belongs to. */
    owner: string;
  };
};
