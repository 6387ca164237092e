// Reading, writing and stat-ing what a descriptor points at: regular files,
// directories, character devices, the console and pipes. The syscalls in
// sys-files.ts are thin wrappers over these.
import { EAGAIN, EBADF, EINVAL, EISDIR, ENOSPC, ENXIO, EPIPE, ESPIPE } from "../entry/errno.ts";
import { O_ACCMODE, O_APPEND, O_NONBLOCK, O_PATH, O_RDONLY, O_WRONLY, PIPE_BUF_SIZE, type OpenFile } from "./fd-table.ts";
import { fileType, isProcFile, S_IFIFO, type Inode } from "./fs.ts";
import type { Kernel, Outcome } from "../kernel.ts";
import { procMaps } from "../memory/proc-maps.ts";
import { signalProcess } from "../tasks/scheduler.ts";
import { SI_KERNEL, SIGPIPE } from "../signals/signals.ts";
import { encodeDev, type FileStat } from "../entry/structs.ts";

/** st_dev of the root file system (a tmpfs-like 0:20) and of pipes and the console (pipefs 0:13). */
export const ROOT_DEV = encodeDev(0, 20);
export const PIPE_DEV = encodeDev(0, 13);
/** Linux's MAX_RW_COUNT: one read or write moves at most this much. */
export const MAX_RW = 0x7fff_f000;

/** A wait that makes the call again: for stdin (the run stops with waiting-input unless another thread can run), or for a pipe. */
function retry(what: string, input = false): Outcome {
  return { kind: "block", wait: { kind: "retry", deadline: undefined, input, what } };
}

export function readable(file: OpenFile): boolean {
  return (file.flags & O_PATH) === 0 && (file.flags & O_ACCMODE) !== O_WRONLY;
}

export function writable(file: OpenFile): boolean {
  return (file.flags & O_PATH) === 0 && (file.flags & O_ACCMODE) !== O_RDONLY;
}

/** Whether the descriptor has a file position (pread/lseek work). */
export function seekable(k: Kernel, file: OpenFile): boolean {
  return file.endpoint.kind === "inode" && k.fs.get(file.endpoint.ino).kind !== "symlink";
}

/**
 * Reads up to `max` bytes: at `at` (pread) or at the file position, which
 * then advances. A negative number is an errno; an Outcome means the read
 * must wait for input.
 */
export function readFile(k: Kernel, file: OpenFile, max: number, at?: number): Uint8Array | number | Outcome {
  if (!readable(file)) return -EBADF;
  const e = file.endpoint;
  const nonblock = (file.flags & O_NONBLOCK) !== 0;
  switch (e.kind) {
    case "stdin":
      return readConsole(k, max, nonblock);
    case "stdout":
    case "stderr":
      return -EBADF;
    case "pipe":
      return readPipe(k, e.pipe, max, nonblock);
    case "inode": {
      const inode = k.fs.get(e.ino);
      if (inode.kind === "dir") return -EISDIR;
      if (isProcFile(inode)) {
        const from = at ?? file.offset;
        const bytes = procMaps(k, ROOT_DEV).slice(from, from + max);
        if (at === undefined) file.offset += bytes.length;
        return bytes;
      }
      if (inode.kind === "chardev") return readDevice(k, inode, max, nonblock);
      const bytes = k.fs.readAt(e.ino, at ?? file.offset, max);
      if (at === undefined) file.offset += bytes.length;
      k.fs.touch(inode, "a");
      return bytes;
    }
  }
}

function readConsole(k: Kernel, max: number, nonblock: boolean): Uint8Array | number | Outcome {
  const bytes = k.stdin.read(max);
  if (bytes) return bytes;
  return nonblock ? -EAGAIN : retry("read from stdin", true);
}

function readPipe(k: Kernel, id: number, max: number, nonblock: boolean): Uint8Array | number | Outcome {
  const pipe = k.fds.pipes.get(id)!;
  if (pipe.buffer.length === 0) {
    if (pipe.writers === 0) return new Uint8Array(0);
    return nonblock ? -EAGAIN : retry("read from an empty pipe");
  }
  const n = Math.min(max, pipe.buffer.length);
  const out = pipe.buffer.slice(0, n);
  pipe.buffer = pipe.buffer.slice(n);
  return out;
}

function readDevice(k: Kernel, dev: Inode & { kind: "chardev" }, max: number, nonblock: boolean): Uint8Array | number | Outcome {
  switch (dev.device) {
    case "null":
      return new Uint8Array(0);
    case "zero":
    case "full":
      return new Uint8Array(Math.min(max, 1 << 20));
    case "urandom":
      return k.random.bytes(Math.min(max, 1 << 20));
    case "stdin":
      return readConsole(k, max, nonblock);
    case "stdout":
    case "stderr":
      return -EBADF;
    case "maps":
      return new Uint8Array(0); // read above, at the file's offset
  }
}

/** Writes bytes; the count written or a negative errno. Output beyond the console cap sets k's output-limit flag. */
export function writeFile(k: Kernel, file: OpenFile, bytes: Uint8Array, at?: number): number | Outcome {
  if (!writable(file)) return -EBADF;
  const e = file.endpoint;
  switch (e.kind) {
    case "stdin":
      return -EBADF;
    case "stdout":
      return writeConsole(k, "stdout", bytes);
    case "stderr":
      return writeConsole(k, "stderr", bytes);
    case "pipe":
      return writePipe(k, e.pipe, bytes, (file.flags & O_NONBLOCK) !== 0);
    case "inode": {
      const inode = k.fs.get(e.ino);
      if (inode.kind === "dir") return -EISDIR;
      if (inode.kind === "chardev") return writeDevice(k, inode, bytes);
      const offset = at ?? (file.flags & O_APPEND ? (inode as { size: number }).size : file.offset);
      const n = k.fs.writeAt(e.ino, offset, bytes);
      if (n >= 0 && at === undefined) file.offset = offset + n;
      return n;
    }
  }
}

function writeConsole(k: Kernel, which: "stdout" | "stderr", bytes: Uint8Array): number {
  const sink = which === "stdout" ? k.stdout : k.stderr;
  const n = sink.write(bytes);
  if (n < bytes.length) k.outputLimitHit = which;
  return n;
}

function writePipe(k: Kernel, id: number, bytes: Uint8Array, nonblock: boolean): number | Outcome {
  const pipe = k.fds.pipes.get(id)!;
  if (pipe.readers === 0) {
    // send_sig(SIGPIPE, current): process-directed, taken by the writer unless it blocks it.
    signalProcess(k, { signo: SIGPIPE, code: SI_KERNEL }, k.thread);
    return -EPIPE;
  }
  const room = PIPE_BUF_SIZE - pipe.buffer.length;
  if (room === 0 && bytes.length > 0) {
    return nonblock ? -EAGAIN : retry("write to a full pipe");
  }
  const n = Math.min(room, bytes.length);
  const next = new Uint8Array(pipe.buffer.length + n);
  next.set(pipe.buffer);
  next.set(bytes.subarray(0, n), pipe.buffer.length);
  pipe.buffer = next;
  return n;
}

function writeDevice(k: Kernel, dev: Inode & { kind: "chardev" }, bytes: Uint8Array): number {
  switch (dev.device) {
    case "full":
      return -ENOSPC;
    case "stdout":
    case "stderr":
      return writeConsole(k, dev.device, bytes);
    case "stdin":
      return -EBADF;
    case "maps":
      return -EINVAL; // procfs has no write for it
    default:
      return bytes.length;
  }
}

/** lseek: the new position or a negative errno. */
export function seek(k: Kernel, file: OpenFile, offset: bigint, whence: number): number {
  if (file.endpoint.kind !== "inode") return -ESPIPE;
  const inode = k.fs.get(file.endpoint.ino);
  // seq_lseek: a generated file has no end to seek from.
  if (isProcFile(inode) && whence !== 0 && whence !== 1) return -EINVAL;
  if (inode.kind === "chardev" && !isProcFile(inode)) return 0;
  const size = inode.kind === "file" ? inode.size : 0;
  let base: number;
  switch (whence) {
    case 0: // SEEK_SET
      base = 0;
      break;
    case 1: // SEEK_CUR
      base = file.offset;
      break;
    case 2: // SEEK_END
      base = size;
      break;
    case 3: // SEEK_DATA: all of a file is data
      if (offset >= BigInt(size)) return -ENXIO;
      base = 0;
      break;
    case 4: // SEEK_HOLE: the only hole is at the end
      if (offset >= BigInt(size)) return -ENXIO;
      return (file.offset = size);
    default:
      return -EINVAL;
  }
  const next = BigInt(base) + offset;
  if (next < 0n || next > BigInt(Number.MAX_SAFE_INTEGER)) return -EINVAL;
  file.offset = Number(next);
  return file.offset;
}

/** What fstat reports for a descriptor. */
export function statFile(k: Kernel, file: OpenFile): FileStat {
  const e = file.endpoint;
  if (e.kind === "inode") return statInode(k, k.fs.get(e.ino));
  // The console and pipes look like pipes, as they do under a shell pipeline or qemu-riscv64 in a test.
  const ino = e.kind === "pipe" ? 1000 + e.pipe : e.kind === "stdin" ? 1 : e.kind === "stdout" ? 2 : 3;
  const t = k.clock.now();
  return {
    dev: PIPE_DEV, ino, mode: S_IFIFO | 0o600, nlink: 1, uid: k.identity.uid, gid: k.identity.gid, rdev: 0,
    size: e.kind === "pipe" ? k.fds.pipes.get(e.pipe)!.buffer.length : 0, blksize: 4096, blocks: 0,
    atime: t, mtime: t, ctime: t,
  };
}

export function statInode(k: Kernel, inode: Inode): FileStat {
  const size =
    inode.kind === "file" ? inode.size : inode.kind === "symlink" ? inode.target.length : inode.kind === "dir" ? 4096 : 0;
  return {
    dev: ROOT_DEV,
    ino: inode.ino,
    mode: fileType(inode) | inode.mode,
    nlink: inode.nlink,
    uid: inode.uid,
    gid: inode.gid,
    rdev: inode.kind === "chardev" && !isProcFile(inode) ? inode.rdev : 0,
    size,
    blksize: 4096,
    blocks: inode.kind === "file" || inode.kind === "dir" ? Math.ceil(size / 4096) * 8 : 0,
    atime: inode.atime,
    mtime: inode.mtime,
    ctime: inode.ctime,
  };
}
