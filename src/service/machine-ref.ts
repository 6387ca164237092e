// A machine is a mutable name pointing at its latest snapshot, like a git
// branch at a commit (docs/architecture.md). Its ref lives in a Durable Object: strongly
// consistent and serialised per machine, which R2 (about one write per second
// per key) is not. The ref moves only by compare-and-swap on the previous
// head, so of two concurrent steps exactly one wins and nothing is lost.
import { DurableObject } from "cloudflare:workers";

export interface MachineRecord {
  owner: string;
  head: string;
  /** Moves of the head so far; 0 at creation. */
  version: number;
}

export type SwapResult = { ok: true; record: MachineRecord } | { ok: false; record: MachineRecord | null };

const KEY = "machine";

export class MachineRef extends DurableObject {
  async read(): Promise<MachineRecord | null> {
    return (await this.ctx.storage.get<MachineRecord>(KEY)) ?? null;
  }

  /** Creates the ref; fails (returning the existing one) if the machine exists. */
  async create(owner: string, head: string): Promise<SwapResult> {
    const existing = await this.read();
    if (existing) return { ok: false, record: existing };
    const record: MachineRecord = { owner, head, version: 0 };
    await this.ctx.storage.put(KEY, record);
    return { ok: true, record };
  }

  /** Moves the head from `expected` to `next`; a stale `expected` loses. */
  async swap(expected: string, next: string): Promise<SwapResult> {
    const current = await this.read();
    if (!current || current.head !== expected) return { ok: false, record: current };
    const record: MachineRecord = { ...current, head: next, version: current.version + 1 };
    await this.ctx.storage.put(KEY, record);
    return { ok: true, record };
  }

  async remove(): Promise<boolean> {
    const existed = (await this.read()) !== null;
    await this.ctx.storage.deleteAll();
    return existed;
  }
}
