// What the page wrote, over what the service has: persisting the browser's
// machine writes here (nothing leaves the page), reads fall through to the
// service. The objects written here are what a share uploads.
import { MemoryStore, type ObjectStore } from "../snapshot/store.ts";

export class OverlayStore implements ObjectStore {
  readonly local = new MemoryStore();

  constructor(private readonly base: ObjectStore | null) {}

  async get(key: string): Promise<Uint8Array | null> {
    return (await this.local.get(key)) ?? (this.base ? this.base.get(key) : null);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.local.put(key, bytes);
  }

  async has(key: string): Promise<boolean> {
    return (await this.local.has(key)) || (this.base !== null && (await this.base.has(key)));
  }

  /** Whether the page itself wrote `key` (so the service may not have it). */
  wroteLocally(key: string): boolean {
    return this.local.objects.has(key);
  }

  known(key: string): boolean {
    return this.local.objects.has(key);
  }
}
