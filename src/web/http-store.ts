// The service's immutable objects over HTTP, as an ObjectStore: the browser
// restores a shared machine through it exactly as the Worker restores one
// from R2 (GET /o/manifests/:id, /o/chunks/:id, /o/meta/:id; docs/service.md).
// Reads are verified by the snapshot layer against their ids, so this store
// trusts nothing it fetches. It cannot write: shared states go up as one bundle.
import type { ObjectStore } from "../snapshot/store.ts";

export class HttpStore implements ObjectStore {
  /** Bytes of every response, so the page can say what a restore cost. */
  bytesFetched = 0;
  objectsFetched = 0;
  private readonly cache = new Map<string, Uint8Array>();

  constructor(
    /** The service's origin, e.g. "https://edgevm.example" (no trailing slash). */
    private readonly origin: string,
    private readonly fetcher: typeof fetch = fetch.bind(globalThis),
  ) {}

  async get(key: string): Promise<Uint8Array | null> {
    const cached = this.cache.get(key);
    if (cached) return cached.slice();
    const response = await this.fetcher(`${this.origin}/o/${key}`);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`GET /o/${key} answered ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.bytesFetched += bytes.length;
    this.objectsFetched++;
    // Manifests and chunks never change; metadata may, and is read once per restore anyway.
    if (!key.startsWith("meta/")) this.cache.set(key, bytes);
    return bytes.slice();
  }

  async put(key: string): Promise<void> {
    throw new Error(`the service's objects are read-only over HTTP (${key})`);
  }

  async has(key: string): Promise<boolean> {
    if (this.cache.has(key)) return true;
    const response = await this.fetcher(`${this.origin}/o/${key}`, { method: "HEAD" });
    return response.ok;
  }
}
