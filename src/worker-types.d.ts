// Project types for the Workers runtime: what `env` and `exports` from
// "cloudflare:workers" hold (the bindings of wrangler.toml, the main module).
import type { Env as ServiceEnv } from "./service/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends ServiceEnv {}
    interface GlobalProps {
      mainModule: typeof import("./index.ts");
      durableNamespaces: "MachineRef" | "GradeBatch";
    }
  }
}
