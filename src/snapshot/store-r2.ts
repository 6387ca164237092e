// The snapshot store of the service: objects in an R2 bucket (the SNAPSHOTS
// binding). Content-addressed objects are written once and never change, so
// they are safe to cache anywhere; R2's limit of about one write per second
// to a key never bites, as a key is only rewritten with the same bytes.
import { checkKey, type ObjectStore } from "./store.ts";

/** Keys of chunks written, at most `limit` of them (the oldest are forgotten first). */
export class WrittenChunks {
  private readonly keys = new Set<string>();

  constructor(private readonly limit = 100_000) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.keys.has(key)) return;
    if (this.keys.size >= this.limit) this.keys.delete(this.keys.values().next().value!);
    this.keys.add(key);
  }
}

export class R2Store implements ObjectStore {
  /**
   * `prefix` keeps several stores apart in one bucket ("" or ending in "/").
   * `written`, kept across requests by a host, remembers the chunks written
   * through it, so that a persist does not compress and write them again.
   * That relies on stored objects never being deleted behind its back.
   */
  constructor(
    private readonly bucket: R2Bucket,
    private readonly prefix = "",
    private readonly written?: WrittenChunks,
  ) {}

  known(key: string): boolean {
    return this.written?.has(this.prefix + key) ?? false;
  }

  async get(key: string): Promise<Uint8Array | null> {
    const object = await this.bucket.get(this.prefix + checkKey(key));
    return object ? new Uint8Array(await object.arrayBuffer()) : null;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.bucket.put(this.prefix + checkKey(key), bytes);
    if (key.startsWith("chunks/")) this.written?.add(this.prefix + key);
  }

  async has(key: string): Promise<boolean> {
    return (await this.bucket.head(this.prefix + checkKey(key))) !== null;
  }
}
