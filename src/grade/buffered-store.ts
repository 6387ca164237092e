// A write-behind store for grading: a request's objects (each test's start
// and end snapshots) are kept in memory while the tests run, read from there
// by later tests, and written to the backing store (R2) in one parallel
// flush at the end. Grading a submission then waits on R2 once, not a few
// times per test. The flush keeps the snapshot layer's order: every chunk
// before any manifest, manifests before metadata, so no reader ever sees a
// manifest whose chunks are missing (docs/architecture.md, invariant 3).
import { mapLimit } from "../snapshot/store.ts";
import type { ObjectStore } from "../snapshot/index.ts";

const ORDER = ["chunks/", "manifests/", "meta/"];

export class BufferedStore implements ObjectStore {
  private readonly pending = new Map<string, Uint8Array>();
  private pendingBytes = 0;

  /** `maxPendingBytes`: past it a put flushes first, so a long request never holds more than that in memory. */
  constructor(
    private readonly backend: ObjectStore,
    private readonly concurrency = 6,
    private readonly maxPendingBytes = 16 << 20,
  ) {}

  async get(key: string): Promise<Uint8Array | null> {
    const held = this.pending.get(key);
    return held ? held.slice() : this.backend.get(key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    // Flushing here keeps the order too: a manifest's chunks are put before it, so they are held or written already.
    if (this.pendingBytes + bytes.length > this.maxPendingBytes) await this.flush();
    if (!this.pending.has(key)) this.pendingBytes += bytes.length;
    this.pending.set(key, bytes.slice());
  }

  async has(key: string): Promise<boolean> {
    return this.pending.has(key) || this.backend.has(key);
  }

  known(key: string): boolean {
    return this.pending.has(key) || (this.backend.known?.(key) ?? false);
  }

  /** Writes everything held to the backing store, in the order above, and forgets it. */
  async flush(): Promise<void> {
    const rank = (key: string) => {
      const i = ORDER.findIndex((p) => key.startsWith(p));
      return i < 0 ? ORDER.length : i;
    };
    for (let r = 0; r <= ORDER.length; r++) {
      const batch = [...this.pending].filter(([key]) => rank(key) === r);
      await mapLimit(batch, this.concurrency, ([key, bytes]) => this.backend.put(key, bytes));
    }
    this.pending.clear();
    this.pendingBytes = 0;
  }
}
