// The snapshot store of the service: objects in an R2 bucket (the SNAPSHOTS
// binding). Content-addressed objects are written once and never change, so
// they are safe to cache anywhere; R2's limit of about one write per second
// to a key never bites, as a key is only rewritten with the same bytes.
import { checkKey, type ObjectStore } from "./store.ts";

export class R2Store implements ObjectStore {
  /** `prefix` keeps several stores apart in one bucket ("" or ending in "/"). */
  constructor(
    private readonly bucket: R2Bucket,
    private readonly prefix = "",
  ) {}

  async get(key: string): Promise<Uint8Array | null> {
    const object = await this.bucket.get(this.prefix + checkKey(key));
    return object ? new Uint8Array(await object.arrayBuffer()) : null;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.bucket.put(this.prefix + checkKey(key), bytes);
  }

  async has(key: string): Promise<boolean> {
    return (await this.bucket.head(this.prefix + checkKey(key))) !== null;
  }
}
