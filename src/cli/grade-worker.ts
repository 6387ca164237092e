// A worker thread of `edgevm grade SUITE DIR/` (bundled to dist/grade-worker.mjs):
// takes submission paths from the main thread, answers one summary row each.
import { parentPort, workerData } from "node:worker_threads";
import { parseSuiteText } from "../grade/index.ts";
import { gradeFile, type FileOptions } from "./grade-command.ts";

const { suiteText, options } = workerData as { suiteText: string; options: FileOptions };
const suite = parseSuiteText(suiteText);
parentPort!.on("message", async ({ path, name }: { path: string; name: string }) => {
  parentPort!.postMessage(await gradeFile(suite, path, name, options));
});
