// A snapshot store in a local directory (the CLI's --store DIR): one file per
// object, under DIR/<kind>/<first two hex digits>/<id> so no directory grows
// past a few thousand entries. Writes go to a temporary file in the same
// directory and are renamed into place, so a reader (or a crash) never sees
// half an object. The only module of src/snapshot that uses Node APIs.
import { mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { checkKey, type ObjectStore } from "./store.ts";

export class DirectoryStore implements ObjectStore {
  constructor(readonly directory: string) {}

  /** The file of a key: "chunks/abcd…" lives at DIR/chunks/ab/abcd…. */
  path(key: string): string {
    const segments = checkKey(key).split("/");
    const name = segments.pop()!;
    return join(this.directory, ...segments, name.slice(0, 2), name);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    const temporary = `${path}.${temporarySuffix()}.tmp`;
    try {
      await writeFile(temporary, bytes);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(temporary, bytes);
    }
    try {
      await rename(temporary, path);
    } catch (e) {
      await unlink(temporary).catch(() => {});
      throw e;
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw e;
    }
  }
}

// Web Crypto rather than node:crypto: importing node:crypto cost every CLI
// command ~2 ms of start-up, stores or not; the global loads when first used.
function temporarySuffix(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, "0")).join("");
}
