// Node entry of the edgevm CLI (bundled to dist/cli.mjs; bin/edgevm.mjs launches it).
import { cli } from "./cli.ts";

// A reader that closes the pipe early (`edgevm run x | head`) must not crash the CLI.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
});

process.exitCode = await cli(process.argv.slice(2), {
  stdout: (bytes) => process.stdout.write(bytes),
  stderr: (line) => process.stderr.write(line + "\n"),
  print: (text) => process.stdout.write(text),
  debug: process.env.EDGEVM_DEBUG === "1",
});
