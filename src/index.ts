import { createApp } from "./service/app.ts";

// Workers entry point: the HTTP app, and the Durable Object class behind machine refs.
export default createApp();
export { MachineRef } from "./service/machine-ref.ts";
