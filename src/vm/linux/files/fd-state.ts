// The descriptor table's part of the layer state: pipes, open file
// descriptions (offsets, flags, directories being read: a getdents offset is
// an entry index) and descriptors, each in id order, with the reference
// counts checked against the references themselves.
import { FdTable, MAX_FDS, PIPE_BUF_SIZE, type Endpoint, type OpenFile, type Pipe } from "./fd-table.ts";
import type { FileSystem } from "./fs.ts";
import { checkAscending, StateError, type StateReader, type StateWriter } from "../state-bytes.ts";

const ENDPOINTS = ["inode", "stdin", "stdout", "stderr", "pipe-read", "pipe-write"] as const;

export function writeFdTable(w: StateWriter, t: FdTable): void {
  w.int(t.nextId);
  const pipes = byKey(t.pipes);
  w.int(pipes.length);
  for (const p of pipes) w.int(p.id).bytes(p.buffer).int(p.readers).int(p.writers);
  const files = byKey(t.files);
  w.int(files.length);
  for (const f of files) {
    const e = f.endpoint;
    w.int(f.id).int(ENDPOINTS.indexOf(e.kind === "pipe" ? `pipe-${e.end}` : e.kind));
    if (e.kind === "inode") w.int(e.ino);
    if (e.kind === "pipe") w.int(e.pipe);
    w.int(f.flags).int(f.offset).int(f.refs);
  }
  writeDescriptors(w, t);
}

/** One process's descriptors (the open file descriptions are the machine's, written once with the first table). */
export function writeDescriptors(w: StateWriter, t: FdTable): void {
  const fds = [...t.fds].sort(([a], [b]) => a - b);
  w.int(fds.length);
  for (const [fd, d] of fds) w.int(fd).int(d.file).bool(d.cloexec);
}

/** Another process's descriptors over the open file descriptions of `first`; the references are checked once all are read. */
export function readDescriptors(r: StateReader, first: FdTable): FdTable {
  const t = new FdTable(first.shared);
  const fds = r.list("descriptors", () => [r.count("descriptor", MAX_FDS - 1), { file: r.count("descriptor's file"), cloexec: r.bool("close-on-exec") }] as const);
  checkAscending(fds.map(([fd]) => fd), "descriptors");
  for (const [fd, d] of fds) t.fds.set(fd, { ...d });
  return t;
}

export function readFdTable(r: StateReader, fs: FileSystem): FdTable {
  const t = new FdTable();
  t.nextId = r.count("next descriptor id");
  const pipes = r.list("pipes", (): Pipe => ({
    id: r.count("pipe id"),
    buffer: r.bytes("pipe buffer", PIPE_BUF_SIZE),
    readers: r.count("pipe readers"),
    writers: r.count("pipe writers"),
  }));
  checkAscending(pipes.map((p) => p.id), "pipe ids");
  const files = r.list("open files", (): OpenFile => {
    const id = r.count("open file id");
    const kind = ENDPOINTS[r.range(`open file ${id} endpoint`, 0, ENDPOINTS.length - 1)]!;
    let endpoint: Endpoint;
    if (kind === "inode") endpoint = { kind, ino: r.count(`open file ${id} inode`) };
    else if (kind === "pipe-read" || kind === "pipe-write") endpoint = { kind: "pipe", pipe: r.count(`open file ${id} pipe`), end: kind === "pipe-read" ? "read" : "write" };
    else endpoint = { kind };
    return { id, endpoint, flags: r.num(`open file ${id} flags`), offset: r.range(`open file ${id} offset`, 0, Number.MAX_VALUE), refs: r.count(`open file ${id} refs`) };
  });
  checkAscending(files.map((f) => f.id), "open file ids");
  const fds = r.list("descriptors", () => [r.count("descriptor", MAX_FDS - 1), { file: r.count("descriptor's file"), cloexec: r.bool("close-on-exec") }] as const);
  checkAscending(fds.map(([fd]) => fd), "descriptors");
  for (const p of pipes) t.pipes.set(p.id, p);
  for (const f of files) t.files.set(f.id, f);
  for (const [fd, d] of fds) t.fds.set(fd, { ...d });
  return t;
}

function byKey<T>(map: Map<number, T>): T[] {
  return [...map].sort(([a], [b]) => a - b).map(([, v]) => v);
}

/**
 * Counts that close() and drop() decrement must match what refers to them
 * (the descriptors of every process), or they would go wrong later.
 */
export function checkReferences(tables: FdTable[], fs: FileSystem): void {
  const t = tables[0]!;
  const ids = [...t.pipes.keys(), ...t.files.keys()];
  if (new Set(ids).size !== ids.length) throw new StateError("a pipe and an open file share an id");
  if (ids.some((id) => id >= t.nextId || id < 1)) throw new StateError(`an id is not below the next id ${t.nextId}`);
  const refs = new Map<number, number>();
  for (const table of tables) {
    for (const [fd, d] of table.fds) {
      if (!t.files.has(d.file)) throw new StateError(`descriptor ${fd} names no open file`);
      refs.set(d.file, (refs.get(d.file) ?? 0) + 1);
    }
  }
  const ends = new Map<number, { readers: number; writers: number }>();
  for (const f of t.files.values()) {
    if (f.refs !== (refs.get(f.id) ?? 0) || f.refs === 0) throw new StateError(`open file ${f.id} counts ${f.refs} descriptors, not ${refs.get(f.id) ?? 0}`);
    const e = f.endpoint;
    if (e.kind === "inode" && !fs.inodes.has(e.ino)) throw new StateError(`open file ${f.id} names no inode`);
    if (e.kind === "pipe") {
      if (!t.pipes.has(e.pipe)) throw new StateError(`open file ${f.id} names no pipe`);
      const c = ends.get(e.pipe) ?? { readers: 0, writers: 0 };
      if (e.end === "read") c.readers++;
      else c.writers++;
      ends.set(e.pipe, c);
    }
  }
  for (const p of t.pipes.values()) {
    const c = ends.get(p.id) ?? { readers: 0, writers: 0 };
    if (c.readers !== p.readers || c.writers !== p.writers || c.readers + c.writers === 0) {
      throw new StateError(`pipe ${p.id} counts ${p.readers} readers and ${p.writers} writers, not ${c.readers} and ${c.writers}`);
    }
  }
}
