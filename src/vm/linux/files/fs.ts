// The process's file system: an in-memory tree of inodes that is part of the
// machine state, like a tmpfs mounted at /. Plain data (maps of numbered
// inodes) so that it can be encoded canonically in a snapshot.
//
// Paths are byte strings: each char is one byte (0-255) of the guest's path,
// so any byte sequence round-trips (see pathFromBytes / bytesFromPath).
// There is no permission checking: the guest runs as root (uid 0), which
// Linux lets past mode bits anyway.
import { EEXIST, EINVAL, EISDIR, ELOOP, ENAMETOOLONG, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY, EPERM } from "../entry/errno.ts";

export interface Timespec {
  sec: number;
  nsec: number;
}

/**
 * A character device: what reading and writing it does. "maps" is
 * /proc/self/maps, text made at every read (proc-maps.ts), which stat shows
 * as an empty regular file as procfs does.
 */
export type Device = "null" | "zero" | "full" | "urandom" | "stdin" | "stdout" | "stderr" | "maps";

/** Whether an inode is a procfs-like generated file (a "maps" device). */
export function isProcFile(inode: Inode): boolean {
  return inode.kind === "chardev" && inode.device === "maps";
}

export type Inode =
  | (InodeBase & { kind: "dir"; entries: Map<string, number>; parent: number })
  | (InodeBase & { kind: "file"; data: Uint8Array; size: number })
  | (InodeBase & { kind: "symlink"; target: string })
  | (InodeBase & { kind: "chardev"; device: Device; rdev: number });

interface InodeBase {
  ino: number;
  /** Permission bits (07777). */
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
}

export const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

/** linux_dirent64 d_type values (include/linux/fs_types.h). */
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_REG = 8;
export const DT_LNK = 10;

const NAME_MAX = 255;
const PATH_MAX = 4096;
/** Linux follows at most 40 symlinks in one lookup (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;
export const ROOT_INO = 1;

export function pathFromBytes(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

export function bytesFromPath(path: string): Uint8Array {
  const out = new Uint8Array(path.length);
  for (let i = 0; i < path.length; i++) out[i] = path.charCodeAt(i);
  return out;
}

/** A host (UTF-16) string as a guest byte string: its UTF-8 bytes. */
export function pathFromText(text: string): string {
  return pathFromBytes(new TextEncoder().encode(text));
}

export function fileType(inode: Inode): number {
  switch (inode.kind) {
    case "dir":
      return S_IFDIR;
    case "file":
      return S_IFREG;
    case "symlink":
      return S_IFLNK;
    case "chardev":
      return isProcFile(inode) ? S_IFREG : S_IFCHR;
  }
}

export function direntType(inode: Inode): number {
  switch (inode.kind) {
    case "dir":
      return DT_DIR;
    case "file":
      return DT_REG;
    case "symlink":
      return DT_LNK;
    case "chardev":
      return isProcFile(inode) ? DT_REG : DT_CHR;
  }
}

/** A resolved path: the directory holding the last component, its name, and its inode when it exists. */
export interface Lookup {
  parent: number;
  name: string;
  ino: number | undefined;
}

export class FileSystem {
  inodes = new Map<number, Inode>();
  nextIno = ROOT_INO;
  /** Bytes held by regular files; writes beyond `capacity` fail with ENOSPC (the host keeps them in memory). */
  used = 0;

  constructor(
    private readonly now: () => Timespec,
    readonly capacity: number = Number.MAX_SAFE_INTEGER,
  ) {
    const root = this.newDir(ROOT_INO, 0o755);
    if (root.ino !== ROOT_INO) throw new Error("root inode must be the first");
  }

  get(ino: number): Inode {
    const inode = this.inodes.get(ino);
    if (!inode) throw new Error(`inode ${ino} does not exist`);
    return inode;
  }

  private base(mode: number): InodeBase {
    const t = this.now();
    return { ino: this.nextIno++, mode, nlink: 1, uid: 0, gid: 0, atime: t, mtime: t, ctime: t };
  }

  private newDir(parent: number, mode: number): Inode & { kind: "dir" } {
    const dir = { ...this.base(mode), kind: "dir" as const, entries: new Map<string, number>(), parent, nlink: 2 };
    if (dir.ino === ROOT_INO) dir.parent = ROOT_INO;
    this.inodes.set(dir.ino, dir);
    return dir;
  }

  touch(inode: Inode, which: "m" | "c" | "a" = "m"): void {
    const t = this.now();
    if (which === "a") {
      inode.atime = t;
      return;
    }
    inode.ctime = t;
    if (which === "m") inode.mtime = t;
  }

  // ---- lookup --------------------------------------------------------------

  /**
   * Resolves `path` from directory `base`: every component but the last must
   * be a directory (symlinks followed); the last is followed too when
   * `follow` is set. A negative number is an errno.
   */
  lookup(base: number, path: string, follow: boolean, depth = 0): Lookup | number {
    if (path.length === 0) return -ENOENT;
    if (path.length >= PATH_MAX) return -ENAMETOOLONG;
    const parts = path.split("/").filter((p) => p.length > 0);
    const mustBeDir = path.endsWith("/");
    let dir = path.startsWith("/") ? ROOT_INO : base;
    if (parts.length === 0) return { parent: dir, name: ".", ino: dir };
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      if (name.length > NAME_MAX) return -ENAMETOOLONG;
      const node = this.get(dir);
      if (node.kind !== "dir") return -ENOTDIR;
      // A removed directory (a cwd or an open descriptor keeps it) has no entries and takes no new ones
      // (IS_DEADDIR); its ".." leads back while its old parent lives.
      if (node.nlink === 0 && name !== "." && !(name === ".." && this.inodes.has(node.parent))) return -ENOENT;
      const last = i === parts.length - 1;
      let ino = name === "." ? dir : name === ".." ? node.parent : node.entries.get(name);
      if (ino === undefined) return last ? { parent: dir, name, ino: undefined } : -ENOENT;
      const child = this.get(ino);
      if (child.kind === "symlink" && (!last || follow || mustBeDir)) {
        if (depth >= MAX_SYMLINKS) return -ELOOP;
        const target = this.lookup(dir, child.target, true, depth + 1);
        if (typeof target === "number") return target;
        if (target.ino === undefined) return last ? target : -ENOENT;
        ino = target.ino;
      }
      if (last) {
        if (mustBeDir && this.get(ino).kind !== "dir") return -ENOTDIR;
        return { parent: dir, name, ino };
      }
      dir = ino;
    }
    throw new Error("unreachable");
  }

  /** The inode at `path`, or a negative errno (ENOENT when it does not exist). */
  resolve(base: number, path: string, follow = true): number {
    const r = this.lookup(base, path, follow);
    if (typeof r === "number") return r;
    return r.ino ?? -ENOENT;
  }

  /** The absolute path of a directory (for getcwd); undefined once it was removed. */
  pathOf(dirIno: number): string | undefined {
    const names: string[] = [];
    for (let ino = dirIno; ino !== ROOT_INO; ) {
      const dir = this.get(ino);
      if (dir.kind !== "dir") throw new Error("pathOf needs a directory");
      // A removed directory's parent may be gone too; a live one's parent is live.
      if (dir.nlink === 0) return undefined;
      const parent = this.get(dir.parent) as Inode & { kind: "dir" };
      const name = [...parent.entries].find(([, child]) => child === ino)?.[0];
      if (name === undefined) return undefined;
      names.push(name);
      ino = dir.parent;
    }
    return "/" + names.reverse().join("/");
  }

  /** Directory entries sorted by name (a deterministic order whatever the history). */
  list(dirIno: number): [string, number][] {
    const dir = this.get(dirIno);
    if (dir.kind !== "dir") return [];
    return [...dir.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  // ---- changes -------------------------------------------------------------

  private link(parent: number, name: string, ino: number): void {
    const dir = this.get(parent);
    if (dir.kind !== "dir") throw new Error("link into a non-directory");
    dir.entries.set(name, ino);
    this.touch(dir);
  }

  private creatable(base: number, path: string): Lookup | number {
    const r = this.lookup(base, path, false);
    if (typeof r === "number") return r;
    if (r.ino !== undefined) return -EEXIST;
    if (r.name === "." || r.name === "..") return -EEXIST;
    return r;
  }

  mkdir(base: number, path: string, mode: number): number {
    const r = this.creatable(base, path);
    if (typeof r === "number") return r;
    const dir = this.newDir(r.parent, mode & 0o7777);
    this.link(r.parent, r.name, dir.ino);
    this.get(r.parent).nlink++;
    return dir.ino;
  }

  createFile(parent: number, name: string, mode: number, data = new Uint8Array(0)): number {
    const file = { ...this.base(mode & 0o7777), kind: "file" as const, data, size: data.length };
    this.used += data.length;
    this.inodes.set(file.ino, file);
    this.link(parent, name, file.ino);
    return file.ino;
  }

  symlink(base: number, path: string, target: string): number {
    if (target.length === 0) return -ENOENT;
    const r = this.creatable(base, path);
    if (typeof r === "number") return r;
    const link = { ...this.base(0o777), kind: "symlink" as const, target };
    this.inodes.set(link.ino, link);
    this.link(r.parent, r.name, link.ino);
    return link.ino;
  }

  device(parent: number, name: string, device: Device, rdev: number, mode = 0o666): number {
    const dev = { ...this.base(mode), kind: "chardev" as const, device, rdev };
    this.inodes.set(dev.ino, dev);
    this.link(parent, name, dev.ino);
    return dev.ino;
  }

  /** link(2): a new name for an existing non-directory. */
  hardlink(ino: number, base: number, path: string): number {
    const inode = this.get(ino);
    if (inode.kind === "dir") return -EPERM;
    const r = this.creatable(base, path);
    if (typeof r === "number") return r;
    this.link(r.parent, r.name, ino);
    inode.nlink++;
    this.touch(inode, "c");
    return 0;
  }

  /** unlinkat(2), with or without AT_REMOVEDIR. The inode lives on while open (the caller keeps it). */
  unlink(base: number, path: string, removeDir: boolean): number {
    const r = this.lookup(base, path, false);
    if (typeof r === "number") return r;
    if (r.ino === undefined) return -ENOENT;
    if (removeDir && (r.name === "." || r.ino === ROOT_INO)) return -EINVAL;
    if (removeDir && r.name === "..") return -ENOTEMPTY;
    const inode = this.get(r.ino);
    if (removeDir && inode.kind !== "dir") return -ENOTDIR;
    if (!removeDir && inode.kind === "dir") return -EISDIR;
    if (inode.kind === "dir" && inode.entries.size > 0) return -ENOTEMPTY;
    const parent = this.get(r.parent) as Inode & { kind: "dir" };
    parent.entries.delete(r.name);
    this.touch(parent);
    if (inode.kind === "dir") {
      parent.nlink--;
      inode.nlink = 0;
    } else {
      inode.nlink--;
      this.touch(inode, "c");
    }
    return 0;
  }

  /** Drops an inode that has no names left, once nothing holds it open. */
  release(ino: number): void {
    const inode = this.inodes.get(ino);
    if (!inode || inode.nlink !== 0 || ino === ROOT_INO) return;
    if (inode.kind === "file") this.used -= inode.size;
    this.inodes.delete(ino);
  }

  /**
   * renameat2 without flags (RENAME_NOREPLACE when `noReplace`). A replaced
   * target goes to `release`, which keeps it while something holds it open.
   */
  rename(oldBase: number, oldPath: string, newBase: number, newPath: string, noReplace: boolean, release = (ino: number) => this.release(ino)): number {
    const from = this.lookup(oldBase, oldPath, false);
    if (typeof from === "number") return from;
    if (from.ino === undefined) return -ENOENT;
    const to = this.lookup(newBase, newPath, false);
    if (typeof to === "number") return to;
    if ([from.name, to.name].some((n) => n === "." || n === "..")) return -EINVAL;
    const moving = this.get(from.ino);
    if (to.ino === from.ino) return 0;
    if (moving.kind === "dir" && this.isAncestor(from.ino, to.parent)) return -EINVAL;
    if (to.ino !== undefined) {
      if (noReplace) return -EEXIST;
      const target = this.get(to.ino);
      if (moving.kind === "dir" && target.kind !== "dir") return -ENOTDIR;
      if (moving.kind !== "dir" && target.kind === "dir") return -EISDIR;
      const removed = this.unlink(to.parent, to.name, target.kind === "dir");
      if (removed < 0) return removed;
      release(to.ino);
    }
    const oldParent = this.get(from.parent) as Inode & { kind: "dir" };
    oldParent.entries.delete(from.name);
    this.touch(oldParent);
    this.link(to.parent, to.name, from.ino);
    if (moving.kind === "dir") {
      oldParent.nlink--;
      this.get(to.parent).nlink++;
      moving.parent = to.parent;
    }
    this.touch(moving, "c");
    return 0;
  }

  private isAncestor(ancestor: number, ino: number): boolean {
    for (let at = ino; ; ) {
      if (at === ancestor) return true;
      if (at === ROOT_INO) return false;
      const dir = this.get(at);
      if (dir.kind !== "dir") return false;
      at = dir.parent;
    }
  }

  // ---- file contents -------------------------------------------------------

  /** Sets a regular file's size, zero-filling growth; 0 or -ENOSPC. */
  truncate(ino: number, size: number): number {
    const file = this.get(ino);
    if (file.kind !== "file") return 0;
    if (size > file.size && this.used + (size - file.size) > this.capacity) return -ENOSPC;
    if (size > file.data.length) file.data = grow(file.data, size);
    else if (size < file.size) file.data.fill(0, size, file.size);
    this.used += size - file.size;
    file.size = size;
    this.touch(file);
    return 0;
  }

  readAt(ino: number, offset: number, len: number): Uint8Array {
    const file = this.get(ino);
    if (file.kind !== "file" || offset >= file.size) return new Uint8Array(0);
    return file.data.slice(offset, Math.min(file.size, offset + len));
  }

  /**
   * Writes at `offset`; the bytes written (fewer when the file system is
   * full) or -ENOSPC. Files are stored densely, so a hole before `offset`
   * takes room like data (a tmpfs would keep it sparse).
   */
  writeAt(ino: number, offset: number, bytes: Uint8Array): number {
    const file = this.get(ino);
    if (file.kind !== "file") return 0;
    // What the file may grow to: its size plus the free room.
    const limit = file.size + this.capacity - this.used;
    const n = Math.min(bytes.length, Math.max(0, limit - offset));
    if (n === 0 && bytes.length > 0) return -ENOSPC;
    const end = offset + n;
    if (end > file.data.length) file.data = grow(file.data, end);
    file.data.set(bytes.subarray(0, n), offset);
    if (end > file.size) {
      this.used += end - file.size;
      file.size = end;
    }
    this.touch(file);
    return n;
  }

  /** Setup helper: creates directories along `path` (absolute) and writes a file there. */
  addFile(path: string, data: Uint8Array, mode = 0o644): number {
    const slash = path.lastIndexOf("/");
    const dir = this.mkdirs(path.slice(0, slash));
    if (dir < 0) return dir;
    const name = path.slice(slash + 1);
    const existing = this.lookup(dir, name, false);
    if (typeof existing === "number") return existing;
    if (existing.ino !== undefined) {
      const inode = this.get(existing.ino);
      if (inode.kind !== "file") return -EEXIST;
      this.truncate(inode.ino, 0);
      const written = this.writeAt(inode.ino, 0, data);
      return written < data.length ? -ENOSPC : existing.ino;
    }
    if (this.used + data.length > this.capacity) return -ENOSPC;
    return this.createFile(dir, name, mode, data.slice());
  }

  /** mkdir -p from the root; the directory's inode or a negative errno. */
  mkdirs(path: string, mode = 0o755): number {
    let dir = ROOT_INO;
    for (const name of path.split("/").filter((p) => p.length > 0)) {
      const r = this.lookup(dir, name, true);
      if (typeof r === "number") return r;
      if (r.ino === undefined) {
        const made = this.mkdir(dir, name, mode);
        if (made < 0) return made;
        dir = made;
      } else if (this.get(r.ino).kind !== "dir") {
        return -ENOTDIR;
      } else {
        dir = r.ino;
      }
    }
    return dir;
  }
}

/** Capacity doubles so that appending stays linear. */
function grow(data: Uint8Array, need: number): Uint8Array {
  const out = new Uint8Array(Math.max(need, data.length * 2, 256));
  out.set(data);
  return out;
}
