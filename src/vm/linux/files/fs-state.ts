// The file system's part of the layer state: inode records in inode order,
// and the regular files' contents apart, in the same order, so that the
// bulk (the program image, the request's files) sits at the front of the
// state and keeps its chunk ids while metadata changes every quantum.
import { FileSystem, ROOT_INO, type Device, type Inode, type Timespec } from "./fs.ts";
import { checkAscending, StateError, type StateReader, type StateWriter } from "../state-bytes.ts";

const KINDS = ["dir", "file", "symlink", "chardev"] as const;
const DEVICES: readonly Device[] = ["null", "zero", "full", "urandom", "stdin", "stdout", "stderr", "maps"];
const NAME_MAX = 255;

/** Every regular file's contents (up to its size), in inode order. */
export function fileContents(fs: FileSystem): Uint8Array[] {
  return inodesInOrder(fs).flatMap((inode) => (inode.kind === "file" ? [inode.data.subarray(0, inode.size)] : []));
}

export function writeFileSystem(w: StateWriter, fs: FileSystem): void {
  w.int(fs.capacity).int(fs.used).int(fs.nextIno);
  const inodes = inodesInOrder(fs);
  w.int(inodes.length);
  for (const inode of inodes) {
    w.int(inode.ino).int(KINDS.indexOf(inode.kind)).int(inode.mode).int(inode.nlink).int(inode.uid).int(inode.gid);
    for (const t of [inode.atime, inode.mtime, inode.ctime]) w.int(t.sec).int(t.nsec);
    switch (inode.kind) {
      case "dir": {
        w.int(inode.parent);
        const entries = [...inode.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        w.int(entries.length);
        for (const [name, ino] of entries) w.byteString(name).int(ino);
        break;
      }
      case "file":
        w.int(inode.size);
        break;
      case "symlink":
        w.byteString(inode.target);
        break;
      case "chardev":
        w.int(DEVICES.indexOf(inode.device)).int(inode.rdev);
        break;
    }
  }
}

/** Reads the records `writeFileSystem` wrote; file data comes from `contents` (the state's contents area). */
export function readFileSystem(r: StateReader, contents: Uint8Array, now: () => Timespec): FileSystem {
  const capacity = r.count("file system capacity");
  const used = r.count("file system bytes used");
  const nextIno = r.count("next inode number");
  const fs = new FileSystem(now, capacity);
  const inodes = new Map<number, Inode>();
  let at = 0;
  const list = r.list("inodes", () => {
    const ino = r.range("inode number", 1, Number.MAX_SAFE_INTEGER);
    const kind = KINDS[r.range(`inode ${ino} kind`, 0, KINDS.length - 1)]!;
    const base = {
      ino, mode: r.range(`inode ${ino} mode`, 0, 0o7777), nlink: r.count(`inode ${ino} nlink`),
      uid: r.num(`inode ${ino} uid`), gid: r.num(`inode ${ino} gid`),
      atime: timespec(r, ino), mtime: timespec(r, ino), ctime: timespec(r, ino),
    };
    let inode: Inode;
    switch (kind) {
      case "dir": {
        const parent = r.count(`inode ${ino} parent`);
        const entries = r.list(`inode ${ino} entries`, () => [entryName(r, ino), r.count(`an entry of inode ${ino}`)] as const);
        checkAscending(entries.map(([name]) => name), `the names in directory ${ino}`);
        inode = { ...base, kind, parent, entries: new Map(entries) };
        break;
      }
      case "file": {
        const size = r.count(`inode ${ino} size`, contents.length - at);
        // Views of one buffer the reader already copied: each file owns its range, and growing replaces it.
        inode = { ...base, kind, size, data: contents.subarray(at, at + size) };
        at += size;
        break;
      }
      case "symlink":
        inode = { ...base, kind, target: r.byteString(`inode ${ino} target`, 4095) };
        if (inode.target.length === 0) throw new StateError(`symlink ${ino} has an empty target`);
        break;
      case "chardev":
        inode = { ...base, kind, device: DEVICES[r.range(`inode ${ino} device`, 0, DEVICES.length - 1)]!, rdev: r.count(`inode ${ino} rdev`) };
        break;
    }
    inodes.set(ino, inode);
    return ino;
  });
  checkAscending(list, "inode numbers");
  if (at !== contents.length) throw new StateError(`the contents area holds ${contents.length} bytes, the files ${at}`);
  // Not checked against the capacity: a write past the end of a file may overshoot it by the hole it leaves.
  if (used !== at) throw new StateError(`the file system counts ${used} bytes used, its files hold ${at}`);
  if (list.length > 0 && nextIno <= list[list.length - 1]!) throw new StateError(`next inode number ${nextIno} is in use`);
  checkTree(inodes);
  fs.inodes = inodes;
  fs.nextIno = nextIno;
  fs.used = used;
  return fs;
}

function inodesInOrder(fs: FileSystem): Inode[] {
  return [...fs.inodes.values()].sort((a, b) => a.ino - b.ino);
}

function timespec(r: StateReader, ino: number): Timespec {
  // utimensat stores what the guest gives, so any integer is a state the kernel can reach.
  return { sec: r.num(`inode ${ino} time`), nsec: r.num(`inode ${ino} time nsec`) };
}

function entryName(r: StateReader, ino: number): string {
  const name = r.byteString(`a name in directory ${ino}`, NAME_MAX);
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
    throw new StateError(`directory ${ino} has an entry named ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * The references lookups follow must lead to inodes of the right kind. A
 * removed directory still open (nlink 0) may outlive its parent, as the
 * kernel lets it.
 */
function checkTree(inodes: Map<number, Inode>): void {
  const root = inodes.get(ROOT_INO);
  if (!root || root.kind !== "dir" || root.parent !== ROOT_INO) throw new StateError("the root directory is missing");
  for (const inode of inodes.values()) {
    if (inode.kind !== "dir") continue;
    if (inode.nlink > 0 && inodes.get(inode.parent)?.kind !== "dir") throw new StateError(`directory ${inode.ino} has no parent directory`);
    for (const [name, child] of inode.entries) {
      if (!inodes.has(child)) throw new StateError(`entry ${JSON.stringify(name)} of directory ${inode.ino} names no inode`);
      if (child === ROOT_INO) throw new StateError(`directory ${inode.ino} links the root`);
    }
  }
}
