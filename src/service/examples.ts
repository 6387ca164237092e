// The landing page's example machines: our own guest programs as machines
// that have not run yet, made the way POST /v1/machines makes them. Their
// snapshot ids are fixed by their content, so every isolate (and every
// deployment of one build) makes the same ones; the first request for an
// example writes it, later ones find it. This is the service's seed data: it
// needs no seeding step, `npm start` (or a deploy) has them on first use.
import cat from "../../build/examples/cat.bin";
import compute from "../../build/examples/compute.bin";
import echo from "../../build/examples/echo.bin";
import hello from "../../build/examples/hello.bin";
import { createSnapshot, type ObjectId } from "../snapshot/index.ts";
import { initialMachine } from "./program.ts";
import type { RunContext } from "./runner.ts";
import type { Example } from "./snapshot-page.ts";

export const EXAMPLES: readonly (Example & { program: ArrayBuffer })[] = [
  { name: "hello", title: "hello", what: "a static glibc Linux program that prints one line and exits", program: hello },
  { name: "cat", title: "cat", what: "a Linux cat reading stdin: type a line, get it back; Ctrl-D ends its input", program: cat },
  { name: "echo", title: "echo (bare metal)", what: "a bare-metal program polling the UART: it upper-cases what you type, until a '.'", program: echo },
  { name: "compute", title: "compute", what: "a Linux program doing integer, 128-bit and floating-point arithmetic", program: compute },
];

const made = new Map<string, Promise<ObjectId>>();

/** The snapshot of example `name` before its first instruction; null for an unknown name. */
export function exampleSnapshot(name: string, ctx: RunContext): Promise<ObjectId> | null {
  const example = EXAMPLES.find((e) => e.name === name);
  if (!example) return null;
  let id = made.get(name);
  if (!id) {
    id = (async () => {
      const initial = await initialMachine({ program: new Uint8Array(example.program) }, { stdin: new Uint8Array(0), stdinClosed: false }, ctx.config, ctx.options);
      return createSnapshot(initial, ctx.store, ctx.options);
    })();
    id.catch(() => made.delete(name));
    made.set(name, id);
  }
  return id;
}
