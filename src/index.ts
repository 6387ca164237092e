import { createApp } from "./service/app.ts";

// Workers entry point.
export default createApp();
