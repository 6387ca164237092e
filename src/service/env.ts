// Bindings declared in wrangler.toml.
export interface Env {
  SNAPSHOTS: R2Bucket;
  EDGEVM_VERSION: string;
}
