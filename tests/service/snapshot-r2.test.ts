// The store contract against R2 (the SNAPSHOTS binding of wrangler.toml), inside workerd.
import { env } from "cloudflare:workers";
// @ts-ignore -- wasm modules import as WebAssembly.Module in workerd; tsc has no declaration for them
import coreModule from "../../build/core.wasm";
import { R2Store } from "../../src/snapshot/index.ts";
import { storeContract } from "../unit/snapshot-contract.ts";

let next = 0;
const bucket = (env as unknown as { SNAPSHOTS: R2Bucket }).SNAPSHOTS;
// A prefix per store: each case starts from an empty namespace of the bucket.
storeContract("r2", () => new R2Store(bucket, `contract-${next++}/`), coreModule as WebAssembly.Module);
