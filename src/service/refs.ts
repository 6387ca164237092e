// Machines as the routes see them: an id, the Durable Object holding its
// ref, ownership checks (another token's machine does not exist for you), and
// the JSON view of a machine's head snapshot.
import type { ObjectId } from "../snapshot/index.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import type { MachineRecord } from "./machine-ref.ts";
import { statusFields, type RunContext } from "./runner.ts";
import { manifestOf } from "./snapshot-reads.ts";
import { MachineId, type MachineView } from "./schemas.ts";

export function machineRef(env: Env, id: string) {
  return env.MACHINES.get(env.MACHINES.idFromName(id));
}

export function newMachineId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "m_" + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function machineUrl(id: string): string {
  return `/v1/machines/${id}`;
}

/** The machine's record when it exists and belongs to `owner`; 404 otherwise, whichever it is. */
export async function ownedMachine(env: Env, id: string, owner: string): Promise<MachineRecord> {
  const record = MachineId.safeParse(id).success ? await machineRef(env, id).read() : null;
  if (!record || record.owner !== owner) throw machineNotFound(id);
  return record;
}

export function machineNotFound(id: string): ApiError {
  return new ApiError(404, "machine_not_found", `there is no machine ${id}`);
}

/** Registers a new machine at `head`; ids are random, so a collision means a broken random source. */
export async function createMachine(env: Env, owner: string, head: ObjectId): Promise<{ id: string; record: MachineRecord }> {
  const id = newMachineId();
  const created = await machineRef(env, id).create(owner, head);
  if (!created.ok) throw new ApiError(500, "internal", "machine id collision");
  return { id, record: created.record };
}

export async function machineView(ctx: RunContext, id: string, record: MachineRecord): Promise<MachineView> {
  const manifest = await manifestOf(ctx.store, record.head);
  return {
    id,
    head: record.head,
    version: record.version,
    ...statusFields(manifest.status),
    console: { bytes: manifest.console.bytes, tail: new TextDecoder().decode(manifest.console.tail) },
    snapshotUrl: `/s/${record.head}`,
  };
}
