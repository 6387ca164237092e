// Reading the host files a command names (programs, --stdin, --file), with
// every failure as a one-line usage error.
import { readFile, stat } from "node:fs/promises";
import { CliError, describeFsError, usageError } from "./cli-error.ts";

/**
 * The bytes of a host file; `label` starts the error message. Directories are
 * refused; other non-regular files (a device, a FIFO such as /dev/stdin) only
 * with `regularOnly`, where reading could never end (/dev/zero).
 */
export async function readHostFile(path: string, label: string, regularOnly: boolean, directoryNote = ""): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw usageError(`${label}: is a directory${directoryNote}`);
    if (regularOnly && !info.isFile()) throw usageError(`${label}: not a regular file`);
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw usageError(`${label}: ${describeFsError(e)}`);
  }
}
