// Node entry of the edgevm CLI (bundled to dist/cli.mjs; bin/edgevm.mjs launches it).
import { cli } from "./cli.ts";

// A reader that closes the pipe early (`edgevm run x | head`) must not crash the CLI.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
});

const stdin = stdinReader();
process.exitCode = await cli(process.argv.slice(2), {
  stdout: (bytes) => process.stdout.write(bytes),
  stderr: (line) => process.stderr.write(line + "\n"),
  guestStderr: (bytes) => process.stderr.write(bytes),
  readStdin: stdin.read,
  print: (text) => process.stdout.write(text),
  debug: process.env.EDGEVM_DEBUG === "1",
  ...(process.stderr.isTTY && { progress: (text: string) => process.stderr.write(`\r\x1b[K${text}`) }),
});
// A stdin that was read keeps the event loop alive; edgevm is done with it.
stdin.release();

/**
 * Chunks of edgevm's stdin, read only when a guest waits for input (so a
 * guest that never reads leaves a terminal alone).
 */
function stdinReader(): { read: () => Promise<Uint8Array | null>; release: () => void } {
  let chunks: AsyncIterator<Buffer> | undefined;
  return {
    read: async () => {
      chunks ??= process.stdin[Symbol.asyncIterator]();
      const next = await chunks.next();
      return next.done ? null : next.value;
    },
    release: () => {
      if (chunks) process.stdin.destroy();
    },
  };
}
