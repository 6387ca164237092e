// File descriptors, open file descriptions and pipes: what open(2), dup(2)
// and pipe2(2) create. Plain data, numbered, so that the table can be
// encoded in a snapshot.
import { EBADF, EMFILE } from "../entry/errno.ts";

/** What an open file description reads and writes. */
export type Endpoint =
  | { kind: "inode"; ino: number }
  | { kind: "stdin" }
  | { kind: "stdout" }
  | { kind: "stderr" }
  | { kind: "pipe"; pipe: number; end: "read" | "write" };

/** An open file description (struct file): shared by dup'ed descriptors. */
export interface OpenFile {
  id: number;
  endpoint: Endpoint;
  /** O_ACCMODE plus the status flags (O_APPEND, O_NONBLOCK, ...). */
  flags: number;
  offset: number;
  refs: number;
}

export interface Pipe {
  id: number;
  buffer: Uint8Array;
  readers: number;
  writers: number;
}

interface Descriptor {
  file: number;
  cloexec: boolean;
}

// open(2) flags (include/uapi/asm-generic/fcntl.h; checked against the riscv64 headers).
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
/** O_TMPFILE includes O_DIRECTORY. */
export const O_TMPFILE = 0o20200000;
/** Flags F_SETFL may change. */
export const SETFL_MASK = O_APPEND | O_NONBLOCK;

/** Pipe capacity (Linux default: 16 pages). */
export const PIPE_BUF_SIZE = 65536;
/** RLIMIT_NOFILE soft limit. */
export const MAX_FDS = 1024;

/** Open file descriptions and pipes: one set for the machine, since a forked child shares its parent's (and their offsets). */
export interface OpenFiles {
  files: Map<number, OpenFile>;
  pipes: Map<number, Pipe>;
  nextId: number;
}

export class FdTable {
  fds = new Map<number, Descriptor>();

  constructor(readonly shared: OpenFiles = { files: new Map(), pipes: new Map(), nextId: 1 }) {}

  get files(): Map<number, OpenFile> {
    return this.shared.files;
  }

  set files(files: Map<number, OpenFile>) {
    this.shared.files = files;
  }

  get pipes(): Map<number, Pipe> {
    return this.shared.pipes;
  }

  set pipes(pipes: Map<number, Pipe>) {
    this.shared.pipes = pipes;
  }

  get nextId(): number {
    return this.shared.nextId;
  }

  set nextId(id: number) {
    this.shared.nextId = id;
  }

  /** fork: the same descriptors, each a new reference to the same open file description. */
  fork(): FdTable {
    const child = new FdTable(this.shared);
    for (const [fd, d] of this.fds) {
      this.files.get(d.file)!.refs++;
      child.fds.set(fd, { ...d });
    }
    return child;
  }

  /** The process ended: every descriptor closes; the inodes whose last reference went away. */
  closeAll(): number[] {
    const released: number[] = [];
    for (const fd of [...this.fds.keys()]) {
      const r = this.close(fd);
      if (r > 0) released.push(r);
    }
    return released;
  }

  /** Descriptors 0, 1 and 2 on the console. */
  static withConsole(): FdTable {
    const t = new FdTable();
    t.install(t.open({ kind: "stdin" }, O_RDONLY), false);
    t.install(t.open({ kind: "stdout" }, O_WRONLY), false);
    t.install(t.open({ kind: "stderr" }, O_WRONLY), false);
    return t;
  }

  /** A new open file description (not yet installed in a descriptor). */
  open(endpoint: Endpoint, flags: number): OpenFile {
    const file: OpenFile = { id: this.nextId++, endpoint, flags, offset: 0, refs: 0 };
    this.files.set(file.id, file);
    if (endpoint.kind === "pipe") {
      const pipe = this.pipes.get(endpoint.pipe)!;
      if (endpoint.end === "read") pipe.readers++;
      else pipe.writers++;
    }
    return file;
  }

  newPipe(): Pipe {
    const pipe: Pipe = { id: this.nextId++, buffer: new Uint8Array(0), readers: 0, writers: 0 };
    this.pipes.set(pipe.id, pipe);
    return pipe;
  }

  get(fd: number): OpenFile | undefined {
    const d = this.fds.get(fd);
    return d && this.files.get(d.file);
  }

  descriptor(fd: number): Descriptor | undefined {
    return this.fds.get(fd);
  }

  lowestFree(min: number): number {
    for (let fd = min; fd < MAX_FDS; fd++) if (!this.fds.has(fd)) return fd;
    return -EMFILE;
  }

  /** Puts `file` in the lowest free descriptor >= min; the descriptor or -EMFILE (then `file` is dropped if unused). */
  install(file: OpenFile, cloexec: boolean, min = 0): number {
    const fd = this.lowestFree(min);
    if (fd < 0) {
      if (file.refs === 0) this.drop(file);
      return fd;
    }
    this.place(fd, file, cloexec);
    return fd;
  }

  /** Points `fd` at `file`, closing what it held (dup2 semantics). Returns the inode released, if any. */
  place(fd: number, file: OpenFile, cloexec: boolean): number | undefined {
    file.refs++;
    const released = this.fds.has(fd) ? this.close(fd) : undefined;
    this.fds.set(fd, { file: file.id, cloexec });
    return typeof released === "number" && released > 0 ? released : undefined;
  }

  /**
   * Closes a descriptor. Returns -EBADF, 0, or (when the last reference to a
   * file's inode went away) that inode number, so the caller can release an
   * unlinked file.
   */
  close(fd: number): number {
    const d = this.fds.get(fd);
    if (!d) return -EBADF;
    this.fds.delete(fd);
    const file = this.files.get(d.file)!;
    if (--file.refs > 0) return 0;
    return this.drop(file);
  }

  private drop(file: OpenFile): number {
    this.files.delete(file.id);
    const e = file.endpoint;
    if (e.kind === "pipe") {
      const pipe = this.pipes.get(e.pipe)!;
      if (e.end === "read") pipe.readers--;
      else pipe.writers--;
      if (pipe.readers === 0 && pipe.writers === 0) this.pipes.delete(pipe.id);
    }
    return e.kind === "inode" ? e.ino : 0;
  }

  /** Whether any open file description still refers to `ino`. */
  isOpen(ino: number): boolean {
    for (const f of this.files.values()) if (f.endpoint.kind === "inode" && f.endpoint.ino === ino) return true;
    return false;
  }
}
