// `edgevm import FILE|URL --store DIR`: a snapshot bundle (a machine page's
// download, or a shared machine's URL) into a local directory store, checked
// object by object (src/snapshot/bundle.ts), so that `edgevm resume` runs the
// very machine the page showed.
import { readFile } from "node:fs/promises";
import { importBundle } from "../snapshot/bundle.ts";
import { SnapshotError } from "../snapshot/errors.ts";
import { DirectoryStore } from "../snapshot/store-directory.ts";
import type { ImportArgs } from "./args.ts";
import { CliError, ExitStatus } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";

/** A bundle fetched from a URL is refused beyond this (a 64 MiB guest's compressed state fits well within it). */
const MAX_FETCH_BYTES = 256 << 20;

export async function importCommand(args: ImportArgs, io: CliIo): Promise<number> {
  const bytes = /^https?:\/\//i.test(args.source) ? await fetchBundle(args.source) : await readBundle(args.source);
  try {
    const result = await importBundle(bytes, new DirectoryStore(args.store));
    io.stdout(new TextEncoder().encode(`${result.snapshot}\n`));
    io.stderr(`edgevm: imported snapshot ${result.snapshot} (${result.chunks} chunks); run it with: edgevm resume ${result.snapshot} --store ${args.store}`);
    return 0;
  } catch (e) {
    if (e instanceof SnapshotError && e.code !== "store-failure") throw new CliError(ExitStatus.Usage, `${args.source}: ${e.message}`);
    throw e;
  }
}

async function readBundle(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new CliError(ExitStatus.Usage, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A shared machine's URL (…/s/ID, with or without a trailing /bundle): its bundle. */
async function fetchBundle(url: string): Promise<Uint8Array> {
  const match = /^(https?:\/\/[^/]+)(?:\/.*)?\/s\/([0-9a-f]{64})(?:\/bundle)?\/?(?:[?#].*)?$/i.exec(url);
  if (!match) throw new CliError(ExitStatus.Usage, `${url} is not a shared machine's URL (https://HOST/s/SNAPSHOT_ID)`);
  const bundleUrl = `${match[1]}/s/${match[2]}/bundle`;
  let response: Response;
  try {
    response = await fetch(bundleUrl);
  } catch (e) {
    throw new CliError(ExitStatus.Usage, `cannot fetch ${bundleUrl}: ${(e as Error).message}`);
  }
  if (!response.ok) throw new CliError(ExitStatus.Usage, `${bundleUrl} answered ${response.status}`);
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_FETCH_BYTES) throw new CliError(ExitStatus.Usage, `${bundleUrl} has ${length} bytes, more than ${MAX_FETCH_BYTES}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_FETCH_BYTES) throw new CliError(ExitStatus.Usage, `${bundleUrl} has more than ${MAX_FETCH_BYTES} bytes`);
  return bytes;
}
