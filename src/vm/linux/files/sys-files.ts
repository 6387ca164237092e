// File syscalls: descriptors, paths, directories, stat, ioctl and fcntl.
import { EACCES, EBADF, EEXIST, EFAULT, EINVAL, EISDIR, ELOOP, ENOENT, ENOTDIR, ENOTTY, EOPNOTSUPP, ERANGE, ESPIPE } from "../entry/errno.ts";
import { MAX_RW, readable, readFile, seek, seekable, statFile, statInode, writable, writeFile } from "./file-io.ts";
import {
  O_ACCMODE,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  PIPE_BUF_SIZE,
  SETFL_MASK,
  type Endpoint,
  type OpenFile,
} from "./fd-table.ts";
import { bytesFromPath, direntType, type Inode, type Timespec } from "./fs.ts";
import {
  AT_EMPTY_PATH,
  AT_REMOVEDIR,
  AT_SYMLINK_FOLLOW,
  AT_SYMLINK_NOFOLLOW,
  type Handler,
  type Kernel,
  type SyscallArgs,
  type SyscallResult,
} from "../kernel.ts";
import { encodeDirent, encodeStat, encodeStatx, StructWriter, type FileStat } from "../entry/structs.ts";

const IOV_MAX = 1024;

// ---- read and write --------------------------------------------------------

function read(k: Kernel, a: SyscallArgs, at?: number): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  const len = Math.min(a.addr(2), MAX_RW);
  if (len === 0) return readable(file) ? 0 : -EBADF;
  const got = readFile(k, file, len, at);
  if (!(got instanceof Uint8Array)) return got;
  return k.write(a.addr(1), got) ? got.length : -EFAULT;
}

/** Guest bytes are copied out this much at a time, so a huge count never means a huge host buffer. */
const WRITE_CHUNK = 1 << 20;

/**
 * Writes `len` bytes from guest address `buf` in chunks, stopping at a short
 * write; the count written, or (when nothing was) an errno or an Outcome.
 */
function writeFrom(k: Kernel, file: OpenFile, buf: number, len: number, at?: number): SyscallResult {
  let done = 0;
  while (done < len) {
    const n = Math.min(WRITE_CHUNK, len - done);
    const bytes = k.mem.read(buf + done, n);
    if (!bytes) return done > 0 ? done : -EFAULT;
    const r = writeFile(k, file, bytes, at === undefined ? undefined : at + done);
    if (typeof r !== "number" || r < 0) return done > 0 ? done : r;
    done += r;
    if (r < n) break;
  }
  return done;
}

function write(k: Kernel, a: SyscallArgs, at?: number): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  if (!writable(file)) return -EBADF;
  return writeFrom(k, file, a.addr(1), Math.min(a.addr(2), MAX_RW), at);
}

/**
 * pread64 / pwrite64 / preadv / pwritev at offset a3. A negative offset, or
 * (with a count in a2, as pread64 and pwrite64 have) an end past 2^63 - 1, is
 * EINVAL (rw_verify_area).
 */
function positioned(k: Kernel, a: SyscallArgs, op: typeof read, counted = false): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  if (!seekable(k, file)) return -ESPIPE;
  const offset = a.long(3);
  if (offset < 0n || (counted && offset + a.raw[2]! > MAX_LFS_FILESIZE)) return -EINVAL;
  return op(k, a, Number(offset));
}

/** Linux's largest file offset, 2^63 - 1. */
const MAX_LFS_FILESIZE = (1n << 63n) - 1n;

/** The (base, len) pairs of an iovec array, or -EFAULT / -EINVAL. */
function iovecs(k: Kernel, ptr: number, count: number): [number, number][] | number {
  if (count < 0 || count > IOV_MAX) return -EINVAL;
  const raw = k.mem.read(ptr, count * 16);
  if (!raw) return -EFAULT;
  const view = new DataView(raw.buffer);
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) out.push([Number(view.getBigUint64(i * 16, true)), Number(view.getBigUint64(i * 16 + 8, true))]);
  return out;
}

function readv(k: Kernel, a: SyscallArgs, at?: number): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  const vecs = iovecs(k, a.addr(1), a.int(2));
  if (typeof vecs === "number") return vecs;
  let total = 0;
  for (const [base, len] of vecs) {
    if (len === 0) continue;
    const got = readFile(k, file, Math.min(len, MAX_RW - total), at === undefined ? undefined : at + total);
    if (!(got instanceof Uint8Array)) return total > 0 ? total : got;
    if (!k.write(base, got)) return total > 0 ? total : -EFAULT;
    total += got.length;
    if (got.length < len) break;
  }
  return total;
}

function writev(k: Kernel, a: SyscallArgs, at?: number): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  const vecs = iovecs(k, a.addr(1), a.int(2));
  if (typeof vecs === "number") return vecs;
  if (!writable(file)) return -EBADF;
  let total = 0;
  for (const [base, len] of vecs) {
    const want = Math.min(len, MAX_RW - total);
    const r = writeFrom(k, file, base, want, at === undefined ? undefined : at + total);
    if (typeof r !== "number" || r < 0) return total > 0 ? total : r;
    total += r;
    if (r < want) break;
  }
  return total;
}

// ---- open and close --------------------------------------------------------

function openat(k: Kernel, a: SyscallArgs): SyscallResult {
  const path = k.path(a.addr(1));
  if (typeof path === "number") return path;
  return openPath(k, a.int(0), path, a.int(2), a.uint(3));
}

export function openPath(k: Kernel, dirfd: number, path: string, flags: number, mode: number): number {
  if ((flags & O_TMPFILE) === O_TMPFILE) return -EOPNOTSUPP;
  const base = k.dirBase(dirfd, path);
  if (base < 0) return base;
  const follow = (flags & O_NOFOLLOW) === 0 && (flags & (O_CREAT | O_EXCL)) !== (O_CREAT | O_EXCL);
  const found = k.fs.lookup(base, path, follow);
  if (typeof found === "number") return found;
  let ino = found.ino;
  if (ino === undefined) {
    if (!(flags & O_CREAT)) return -ENOENT;
    if (path.endsWith("/")) return -EISDIR;
    ino = k.fs.createFile(found.parent, found.name, mode & ~k.umask & 0o7777);
  } else if ((flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) {
    return -EEXIST;
  }
  const inode = k.fs.get(ino);
  const checked = checkOpen(inode, flags);
  if (checked < 0) return checked;
  if (flags & O_TRUNC && inode.kind === "file" && (flags & O_ACCMODE) !== O_RDONLY) {
    const r = k.fs.truncate(ino, 0);
    if (r < 0) return r;
  }
  const endpoint: Endpoint =
    inode.kind === "chardev" && (inode.device === "stdin" || inode.device === "stdout" || inode.device === "stderr")
      ? { kind: inode.device }
      : { kind: "inode", ino };
  const file = k.fds.open(endpoint, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC));
  return k.fds.install(file, (flags & O_CLOEXEC) !== 0);
}

function checkOpen(inode: Inode, flags: number): number {
  if (flags & O_PATH) return 0;
  if (inode.kind === "symlink") return -ELOOP; // O_NOFOLLOW on a symlink
  if (flags & O_DIRECTORY && inode.kind !== "dir") return -ENOTDIR;
  const acc = flags & O_ACCMODE;
  if (inode.kind === "dir" && (acc === O_WRONLY || acc === O_RDWR || flags & O_CREAT)) return -EISDIR;
  if (acc === O_ACCMODE) return -EINVAL;
  return 0;
}

function close(k: Kernel, a: SyscallArgs): SyscallResult {
  const r = k.fds.close(a.int(0));
  if (r < 0) return r;
  k.releaseInode(r);
  return 0;
}

function lseek(k: Kernel, a: SyscallArgs): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  return seek(k, file, a.long(1), a.int(2));
}

// ---- stat ------------------------------------------------------------------

/** stat of a path or (AT_EMPTY_PATH with "") of the descriptor itself. */
function statAt(k: Kernel, dirfd: number, pathPtr: number, flags: number): FileStat | number {
  const path = k.path(pathPtr);
  if (typeof path === "number") return path;
  if (path === "" && flags & AT_EMPTY_PATH) {
    if (dirfd === -100) return statInode(k, k.fs.get(k.cwd));
    const file = k.file(dirfd);
    return file ? statFile(k, file) : -EBADF;
  }
  const base = k.dirBase(dirfd, path);
  if (base < 0) return base;
  const ino = k.fs.resolve(base, path, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  return ino < 0 ? ino : statInode(k, k.fs.get(ino));
}

function fstat(k: Kernel, a: SyscallArgs): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  return k.write(a.addr(1), encodeStat(statFile(k, file))) ? 0 : -EFAULT;
}

function newfstatat(k: Kernel, a: SyscallArgs): SyscallResult {
  const st = statAt(k, a.int(0), a.addr(1), a.int(3));
  if (typeof st === "number") return st;
  return k.write(a.addr(2), encodeStat(st)) ? 0 : -EFAULT;
}

function statx(k: Kernel, a: SyscallArgs): SyscallResult {
  const st = statAt(k, a.int(0), a.addr(1), a.int(2));
  if (typeof st === "number") return st;
  return k.write(a.addr(4), encodeStatx(st)) ? 0 : -EFAULT;
}

/** struct statfs (asm-generic/statfs.h, 120 bytes): a tmpfs with room for the file capacity. */
function encodeStatfs(k: Kernel): Uint8Array {
  const blocks = Math.floor(Math.min(k.fs.capacity, 2 ** 40) / 4096);
  const free = Math.max(0, blocks - Math.ceil(k.fs.used / 4096));
  return new StructWriter(120)
    .u64(0, 0x01021994) // TMPFS_MAGIC
    .u64(8, 4096)
    .u64(16, blocks)
    .u64(24, free)
    .u64(32, free)
    .u64(40, 1 << 20)
    .u64(48, (1 << 20) - k.fs.inodes.size)
    .u64(64, 255)
    .u64(72, 4096).bytes;
}

function statfs(k: Kernel, a: SyscallArgs): SyscallResult {
  const path = k.path(a.addr(0));
  if (typeof path === "number") return path;
  const ino = k.fs.resolve(k.cwd, path);
  if (ino < 0) return ino;
  return k.write(a.addr(1), encodeStatfs(k)) ? 0 : -EFAULT;
}

function fstatfs(k: Kernel, a: SyscallArgs): SyscallResult {
  if (!k.file(a.int(0))) return -EBADF;
  return k.write(a.addr(1), encodeStatfs(k)) ? 0 : -EFAULT;
}

// ---- directories -----------------------------------------------------------

function getdents64(k: Kernel, a: SyscallArgs): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  if (file.endpoint.kind !== "inode") return -ENOTDIR;
  const dir = k.fs.get(file.endpoint.ino);
  if (dir.kind !== "dir") return -ENOTDIR;
  // The position is an index into ".", "..", then the names in sorted order.
  const entries: [string, number][] = [[".", dir.ino], ["..", dir.parent], ...k.fs.list(dir.ino)];
  const room = a.addr(2);
  const records: Uint8Array[] = [];
  let used = 0;
  for (let i = file.offset; i < entries.length; i++) {
    const [name, ino] = entries[i];
    const rec = encodeDirent(ino, i + 1, direntType(k.fs.get(ino)), bytesFromPath(name));
    if (used + rec.length > room) {
      if (records.length === 0) return -EINVAL;
      break;
    }
    records.push(rec);
    used += rec.length;
  }
  const out = new Uint8Array(used);
  records.reduce((at, r) => (out.set(r, at), at + r.length), 0);
  if (!k.write(a.addr(1), out)) return -EFAULT;
  file.offset += records.length;
  return used;
}

function mkdirat(k: Kernel, a: SyscallArgs): SyscallResult {
  const path = k.path(a.addr(1));
  if (typeof path === "number") return path;
  const base = k.dirBase(a.int(0), path);
  if (base < 0) return base;
  const r = k.fs.mkdir(base, path, a.uint(2) & ~k.umask);
  return r < 0 ? r : 0;
}

function unlinkat(k: Kernel, a: SyscallArgs): SyscallResult {
  const flags = a.int(2);
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const path = k.path(a.addr(1));
  if (typeof path === "number") return path;
  const base = k.dirBase(a.int(0), path);
  if (base < 0) return base;
  const ino = k.fs.resolve(base, path, false);
  const r = k.fs.unlink(base, path, (flags & AT_REMOVEDIR) !== 0);
  if (r === 0 && ino > 0) k.releaseInode(ino);
  return r;
}

function renameat2(k: Kernel, a: SyscallArgs): SyscallResult {
  const flags = a.uint(4);
  const RENAME_NOREPLACE = 1;
  if (flags & ~RENAME_NOREPLACE) return -EINVAL; // RENAME_EXCHANGE / RENAME_WHITEOUT are not supported
  const from = k.path(a.addr(1));
  if (typeof from === "number") return from;
  const to = k.path(a.addr(3));
  if (typeof to === "number") return to;
  const fromBase = k.dirBase(a.int(0), from);
  if (fromBase < 0) return fromBase;
  const toBase = k.dirBase(a.int(2), to);
  if (toBase < 0) return toBase;
  return k.fs.rename(fromBase, from, toBase, to, (flags & RENAME_NOREPLACE) !== 0, (ino) => k.releaseInode(ino));
}


function faccessat2(k: Kernel, a: SyscallArgs, flags = a.int(3)): SyscallResult {
  const mode = a.int(2);
  if (mode & ~7) return -EINVAL;
  const path = k.path(a.addr(1));
  if (typeof path === "number") return path;
  if (path === "" && flags & AT_EMPTY_PATH) return k.file(a.int(0)) ? 0 : -EBADF;
  const base = k.dirBase(a.int(0), path);
  if (base < 0) return base;
  const ino = k.fs.resolve(base, path, (flags & AT_SYMLINK_NOFOLLOW) === 0);
  if (ino < 0) return ino;
  // Root passes read and write checks; execute needs an x bit somewhere (or a directory).
  const inode = k.fs.get(ino);
  if (mode & 1 && inode.kind !== "dir" && (inode.mode & 0o111) === 0) return -EACCES;
  return 0;
}

function readlinkat(k: Kernel, a: SyscallArgs): SyscallResult {
  const size = a.int(3);
  if (size <= 0) return -EINVAL;
  const path = k.path(a.addr(1));
  if (typeof path === "number") return path;
  const base = k.dirBase(a.int(0), path);
  if (base < 0) return base;
  const ino = k.fs.resolve(base, path, false);
  if (ino < 0) return ino;
  const inode = k.fs.get(ino);
  if (inode.kind !== "symlink") return -EINVAL;
  const target = bytesFromPath(inode.target).subarray(0, size);
  return k.write(a.addr(2), target) ? target.length : -EFAULT;
}

function symlinkat(k: Kernel, a: SyscallArgs): SyscallResult {
  const target = k.path(a.addr(0));
  if (typeof target === "number") return target;
  const path = k.path(a.addr(2));
  if (typeof path === "number") return path;
  const base = k.dirBase(a.int(1), path);
  if (base < 0) return base;
  const r = k.fs.symlink(base, path, target);
  return r < 0 ? r : 0;
}

function linkat(k: Kernel, a: SyscallArgs): SyscallResult {
  const from = k.path(a.addr(1));
  if (typeof from === "number") return from;
  const to = k.path(a.addr(3));
  if (typeof to === "number") return to;
  const fromBase = k.dirBase(a.int(0), from);
  if (fromBase < 0) return fromBase;
  const toBase = k.dirBase(a.int(2), to);
  if (toBase < 0) return toBase;
  const ino = k.fs.resolve(fromBase, from, (a.int(4) & AT_SYMLINK_FOLLOW) !== 0);
  if (ino < 0) return ino;
  return k.fs.hardlink(ino, toBase, to);
}

function getcwd(k: Kernel, a: SyscallArgs): SyscallResult {
  const name = k.fs.pathOf(k.cwd);
  if (name === undefined) return -ENOENT; // the working directory was removed
  const path = bytesFromPath(name);
  if (a.addr(1) < path.length + 1) return -ERANGE;
  const out = new Uint8Array(path.length + 1);
  out.set(path);
  return k.write(a.addr(0), out) ? out.length : -EFAULT;
}

function chdir(k: Kernel, a: SyscallArgs): SyscallResult {
  const path = k.path(a.addr(0));
  if (typeof path === "number") return path;
  const ino = k.fs.resolve(k.cwd, path);
  if (ino < 0) return ino;
  if (k.fs.get(ino).kind !== "dir") return -ENOTDIR;
  k.changeDir(ino);
  return 0;
}

function fchdir(k: Kernel, a: SyscallArgs): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  if (file.endpoint.kind !== "inode" || k.fs.get(file.endpoint.ino).kind !== "dir") return -ENOTDIR;
  k.changeDir(file.endpoint.ino);
  return 0;
}

// ---- file contents and metadata --------------------------------------------

function ftruncate(k: Kernel, a: SyscallArgs): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  const len = a.long(1);
  if (len < 0n) return -EINVAL;
  if (file.endpoint.kind !== "inode" || k.fs.get(file.endpoint.ino).kind !== "file" || !writable(file)) return -EINVAL;
  return k.fs.truncate(file.endpoint.ino, Number(len));
}

function truncate(k: Kernel, a: SyscallArgs): SyscallResult {
  const path = k.path(a.addr(0));
  if (typeof path === "number") return path;
  const len = a.long(1);
  if (len < 0n) return -EINVAL;
  const ino = k.fs.resolve(k.cwd, path);
  if (ino < 0) return ino;
  const kind = k.fs.get(ino).kind;
  if (kind === "dir") return -EISDIR;
  if (kind !== "file") return -EINVAL;
  return k.fs.truncate(ino, Number(len));
}

function fsync(k: Kernel, a: SyscallArgs): SyscallResult {
  return k.file(a.int(0)) ? 0 : -EBADF;
}

function umask(k: Kernel, a: SyscallArgs): SyscallResult {
  const old = k.umask;
  k.umask = a.uint(0) & 0o777;
  return old;
}

function inodeOfFd(k: Kernel, fd: number): Inode | number {
  const file = k.file(fd);
  if (!file) return -EBADF;
  return file.endpoint.kind === "inode" ? k.fs.get(file.endpoint.ino) : -EINVAL;
}

function fchmod(k: Kernel, a: SyscallArgs): SyscallResult {
  const inode = inodeOfFd(k, a.int(0));
  if (typeof inode === "number") return inode === -EINVAL ? 0 : inode;
  inode.mode = a.uint(1) & 0o7777;
  k.fs.touch(inode, "c");
  return 0;
}

function fchmodat(k: Kernel, a: SyscallArgs): SyscallResult {
  const path = k.path(a.addr(1));
  if (typeof path === "number") return path;
  const base = k.dirBase(a.int(0), path);
  if (base < 0) return base;
  const ino = k.fs.resolve(base, path);
  if (ino < 0) return ino;
  const inode = k.fs.get(ino);
  inode.mode = a.uint(2) & 0o7777;
  k.fs.touch(inode, "c");
  return 0;
}

function fchownat(k: Kernel, a: SyscallArgs): SyscallResult {
  const path = k.path(a.addr(1));
  if (typeof path === "number") return path;
  if (path === "" && a.int(4) & AT_EMPTY_PATH) return k.file(a.int(0)) ? 0 : -EBADF;
  const base = k.dirBase(a.int(0), path);
  if (base < 0) return base;
  const ino = k.fs.resolve(base, path, (a.int(4) & AT_SYMLINK_NOFOLLOW) === 0);
  return ino < 0 ? ino : 0;
}

function fchown(k: Kernel, a: SyscallArgs): SyscallResult {
  return k.file(a.int(0)) ? 0 : -EBADF;
}

/** utimensat: UTIME_NOW and UTIME_OMIT in tv_nsec; a NULL array means now for both. */
/**
 * utimensat: the times are checked before the path (do_utimes): a
 * nanosecond count outside 0..999,999,999 that is not UTIME_NOW or
 * UTIME_OMIT is EINVAL, and two UTIME_OMITs change nothing, not even ctime.
 */
function utimensat(k: Kernel, a: SyscallArgs): SyscallResult {
  const UTIME_NOW = (1 << 30) - 1;
  const UTIME_OMIT = (1 << 30) - 2;
  if (a.int(3) & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const now = k.clock.now();
  let times: (Timespec | undefined)[] = [now, now];
  if (a.addr(2) !== 0) {
    const raw = k.mem.read(a.addr(2), 32);
    if (!raw) return -EFAULT;
    const v = new DataView(raw.buffer);
    const nsecs = [8, 24].map((at) => v.getBigInt64(at, true));
    if (nsecs.some((n) => n !== BigInt(UTIME_NOW) && n !== BigInt(UTIME_OMIT) && (n < 0n || n >= 1_000_000_000n))) return -EINVAL;
    times = [0, 16].map((at, i) => {
      const nsec = Number(nsecs[i]);
      if (nsec === UTIME_NOW) return now;
      if (nsec === UTIME_OMIT) return undefined;
      return { sec: Number(v.getBigInt64(at, true)), nsec };
    });
  }
  let inode: Inode;
  const path = a.addr(1) === 0 ? "" : k.path(a.addr(1));
  if (typeof path === "number") return path;
  if (a.addr(1) === 0 || (path === "" && a.int(3) & AT_EMPTY_PATH)) {
    const got = inodeOfFd(k, a.int(0));
    if (typeof got === "number") return got === -EINVAL ? 0 : got;
    inode = got;
  } else {
    const base = k.dirBase(a.int(0), path);
    if (base < 0) return base;
    const ino = k.fs.resolve(base, path, (a.int(3) & AT_SYMLINK_NOFOLLOW) === 0);
    if (ino < 0) return ino;
    inode = k.fs.get(ino);
  }
  if (!times[0] && !times[1]) return 0;
  if (times[0]) inode.atime = times[0];
  if (times[1]) inode.mtime = times[1];
  inode.ctime = now;
  return 0;
}

// ---- descriptors -----------------------------------------------------------

function dup(k: Kernel, a: SyscallArgs): SyscallResult {
  const file = k.file(a.int(0));
  if (!file) return -EBADF;
  return k.fds.install(file, false);
}

function dup3(k: Kernel, a: SyscallArgs): SyscallResult {
  const [oldfd, newfd, flags] = [a.int(0), a.int(1), a.int(2)];
  if (flags & ~O_CLOEXEC) return -EINVAL;
  if (oldfd === newfd) return -EINVAL;
  const file = k.file(oldfd);
  if (!file) return -EBADF;
  if (newfd < 0 || newfd >= 1024) return -EBADF;
  const released = k.fds.place(newfd, file, (flags & O_CLOEXEC) !== 0);
  if (released !== undefined) k.releaseInode(released);
  return newfd;
}

function pipe2(k: Kernel, a: SyscallArgs): SyscallResult {
  const flags = a.int(1);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | 0o40000 /* O_DIRECT */)) return -EINVAL;
  const pipe = k.fds.newPipe();
  const status = flags & O_NONBLOCK;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const r = k.fds.install(k.fds.open({ kind: "pipe", pipe: pipe.id, end: "read" }, O_RDONLY | status), cloexec);
  if (r < 0) return r;
  const w = k.fds.install(k.fds.open({ kind: "pipe", pipe: pipe.id, end: "write" }, O_WRONLY | status), cloexec);
  if (w < 0) {
    k.fds.close(r);
    return w;
  }
  const out = new StructWriter(8).u32(0, r).u32(4, w).bytes;
  if (k.write(a.addr(0), out)) return 0;
  k.fds.close(r);
  k.fds.close(w);
  return -EFAULT;
}

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_GETLK = 5;
const F_SETLK = 6;
const F_SETLKW = 7;
const F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031;
const F_GETPIPE_SZ = 1032;
const FD_CLOEXEC = 1;

function fcntl(k: Kernel, a: SyscallArgs): SyscallResult {
  const fd = a.int(0);
  const file = k.file(fd);
  const d = k.fds.descriptor(fd);
  if (!file || !d) return -EBADF;
  switch (a.int(1)) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      const min = a.int(2);
      if (min < 0 || min >= 1024) return -EINVAL;
      return k.fds.install(file, a.int(1) === F_DUPFD_CLOEXEC, min);
    }
    case F_GETFD:
      return d.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
      d.cloexec = (a.int(2) & FD_CLOEXEC) !== 0;
      return 0;
    case F_GETFL:
      return file.flags;
    case F_SETFL:
      file.flags = (file.flags & ~SETFL_MASK) | (a.int(2) & SETFL_MASK);
      return 0;
    case F_GETLK: {
      // No other process can hold a lock: report l_type = F_UNLCK (2).
      const lock = k.mem.read(a.addr(2), 2);
      if (!lock) return -EFAULT;
      return k.write(a.addr(2), new Uint8Array([2, 0])) ? 0 : -EFAULT;
    }
    case F_SETLK:
    case F_SETLKW:
      return 0;
    case F_GETPIPE_SZ:
      return file.endpoint.kind === "pipe" ? PIPE_BUF_SIZE : -EBADF;
    case F_SETPIPE_SZ:
      return file.endpoint.kind === "pipe" ? PIPE_BUF_SIZE : -EBADF;
    default:
      return -EINVAL;
  }
}

const TCGETS = 0x5401;
const TIOCGWINSZ = 0x5413;
const FIONREAD = 0x541b;
const FIONBIO = 0x5421;
const FIOCLEX = 0x5451;
const FIONCLEX = 0x5450;

/** ioctl: no descriptor is a terminal (TCGETS, TIOCGWINSZ: ENOTTY), as under a pipeline. */
function ioctl(k: Kernel, a: SyscallArgs): SyscallResult {
  const fd = a.int(0);
  const file = k.file(fd);
  if (!file) return -EBADF;
  switch (a.uint(1)) {
    case FIONREAD: {
      const n = bytesReady(k, file);
      if (n < 0) return -ENOTTY;
      return k.write(a.addr(2), new StructWriter(4).u32(0, n).bytes) ? 0 : -EFAULT;
    }
    case FIONBIO: {
      const on = k.mem.read(a.addr(2), 4);
      if (!on) return -EFAULT;
      const set = new DataView(on.buffer).getInt32(0, true) !== 0;
      file.flags = set ? file.flags | O_NONBLOCK : file.flags & ~O_NONBLOCK;
      return 0;
    }
    case FIOCLEX:
    case FIONCLEX:
      k.fds.descriptor(fd)!.cloexec = a.uint(1) === FIOCLEX;
      return 0;
    case TCGETS:
    case TIOCGWINSZ:
    default:
      return -ENOTTY;
  }
}

function bytesReady(k: Kernel, file: OpenFile): number {
  const e = file.endpoint;
  if (e.kind === "stdin") return k.stdin.available;
  if (e.kind === "pipe") return k.fds.pipes.get(e.pipe)!.buffer.length;
  if (e.kind === "inode") {
    const inode = k.fs.get(e.ino);
    if (inode.kind === "file") return Math.max(0, inode.size - file.offset);
  }
  return -1;
}

/** close_range(first, last, flags): CLOSE_RANGE_CLOEXEC (4) marks instead of closing. */
function closeRange(k: Kernel, a: SyscallArgs): SyscallResult {
  const [first, last, flags] = [a.uint(0), a.uint(1), a.uint(2)];
  if (flags & ~(2 | 4) || first > last) return -EINVAL; // CLOSE_RANGE_UNSHARE (2) has nothing to unshare
  for (const fd of [...k.fds.fds.keys()].sort((x, y) => x - y)) {
    if (fd < first || fd > last) continue;
    if (flags & 4) k.fds.descriptor(fd)!.cloexec = true;
    else k.releaseInode(k.fds.close(fd));
  }
  return 0;
}

/** sendfile(out, in, offset*, count): copies through the host. */
function sendfile(k: Kernel, a: SyscallArgs): SyscallResult {
  const out = k.file(a.int(0));
  const input = k.file(a.int(1));
  if (!out || !input) return -EBADF;
  const offPtr = a.addr(2);
  let at: number | undefined;
  if (offPtr !== 0) {
    const off = k.mem.readU64(offPtr);
    if (off === null) return -EFAULT;
    at = Number(off);
  }
  const got = readFile(k, input, Math.min(a.addr(3), MAX_RW), at);
  if (!(got instanceof Uint8Array)) return got as SyscallResult;
  const n = writeFile(k, out, got);
  if (typeof n !== "number" || n < 0) return n;
  if (at !== undefined && !k.mem.writeU64(offPtr, BigInt(at + n))) return -EFAULT;
  return n;
}

export const fileSyscalls: Record<string, Handler> = {
  read: (k, a) => read(k, a),
  write: (k, a) => write(k, a),
  readv: (k, a) => readv(k, a),
  writev: (k, a) => writev(k, a),
  pread64: (k, a) => positioned(k, a, read, true),
  pwrite64: (k, a) => positioned(k, a, write, true),
  preadv: (k, a) => positioned(k, a, readv),
  pwritev: (k, a) => positioned(k, a, writev),
  openat,
  close,
  lseek,
  fstat,
  newfstatat,
  statx,
  statfs,
  fstatfs,
  getdents64,
  mkdirat,
  unlinkat,
  renameat2,
  faccessat: (k, a) => faccessat2(k, a, 0),
  faccessat2: (k, a) => faccessat2(k, a),
  readlinkat,
  symlinkat,
  linkat,
  getcwd,
  chdir,
  fchdir,
  ftruncate,
  truncate,
  fsync,
  fdatasync: fsync,
  sync: () => 0,
  syncfs: fsync,
  umask,
  fchmod,
  fchmodat,
  fchown,
  fchownat,
  utimensat,
  dup,
  dup3,
  close_range: closeRange,
  pipe2,
  fcntl,
  ioctl,
  sendfile,
  fadvise64: (k, a) => (k.file(a.int(0)) ? 0 : -EBADF),
  flock: (k, a) => (k.file(a.int(0)) ? 0 : -EBADF),
};
