// The in-memory file system (src/vm/linux/files/fs.ts) and the tree a process
// starts with (rootfs.ts): path resolution as Linux's namei does it, the
// errno of each refused operation, link counts, capacity, and ordering that
// does not depend on history.
import { describe, expect, it } from "vitest";
import { FileSystem, pathFromBytes, pathFromText, ROOT_INO, bytesFromPath } from "../../src/vm/linux/files/fs.ts";
import { absoluteGuestPath, populateRoot, utcZoneFile } from "../../src/vm/linux/files/rootfs.ts";

const EEXIST = -17;
const ENOENT = -2;
const ENOTDIR = -20;
const EISDIR = -21;
const EINVAL = -22;
const ENOSPC = -28;
const ENAMETOOLONG = -36;
const ENOTEMPTY = -39;
const ELOOP = -40;

function fresh(capacity?: number): FileSystem {
  let t = 0;
  return new FileSystem(() => ({ sec: 1000 + t++, nsec: 0 }), capacity);
}

const text = (s: string) => new TextEncoder().encode(s);

describe("FileSystem lookup", () => {
  it("resolves absolute and relative paths, . and .., and the root's parent", () => {
    const fs = fresh();
    const a = fs.mkdirs("/a/b/c");
    expect(fs.resolve(ROOT_INO, "/a/b/c")).toBe(a);
    const b = fs.resolve(ROOT_INO, "/a/b");
    expect(fs.resolve(b, "c")).toBe(a);
    expect(fs.resolve(a, "../../b/./c/")).toBe(a);
    expect(fs.resolve(ROOT_INO, "/../../a/b/c")).toBe(a);
    expect(fs.resolve(ROOT_INO, "//a///b//c")).toBe(a);
    expect(fs.pathOf(a)).toBe("/a/b/c");
    expect(fs.pathOf(ROOT_INO)).toBe("/");
  });

  it("reports ENOENT, ENOTDIR, ENAMETOOLONG and an empty path", () => {
    const fs = fresh();
    fs.addFile("/f", text("x"));
    expect(fs.resolve(ROOT_INO, "/missing/x")).toBe(ENOENT);
    expect(fs.resolve(ROOT_INO, "/missing")).toBe(ENOENT);
    expect(fs.resolve(ROOT_INO, "/f/x")).toBe(ENOTDIR);
    expect(fs.resolve(ROOT_INO, "/f/")).toBe(ENOTDIR);
    expect(fs.resolve(ROOT_INO, "")).toBe(ENOENT);
    expect(fs.resolve(ROOT_INO, "/" + "n".repeat(256))).toBe(ENAMETOOLONG);
    expect(fs.resolve(ROOT_INO, "/x".repeat(2048))).toBe(ENAMETOOLONG);
  });

  it("follows symlinks (relative to their directory), but not a last component when asked not to", () => {
    const fs = fresh();
    fs.mkdirs("/data/real");
    const file = fs.addFile("/data/real/file", text("hello"));
    expect(fs.symlink(ROOT_INO, "/data/link", "real")).toBeGreaterThan(0);
    expect(fs.symlink(ROOT_INO, "/abs", "/data/real/file")).toBeGreaterThan(0);
    expect(fs.resolve(ROOT_INO, "/data/link/file")).toBe(file);
    expect(fs.resolve(ROOT_INO, "/abs")).toBe(file);
    const link = fs.resolve(ROOT_INO, "/abs", false);
    expect(fs.get(link).kind).toBe("symlink");
    expect(fs.resolve(ROOT_INO, "/data/link/", false), "a trailing slash follows").toBe(fs.resolve(ROOT_INO, "/data/real"));
  });

  it("stops symlink loops with ELOOP and resolves dangling ones to a creatable name", () => {
    const fs = fresh();
    fs.symlink(ROOT_INO, "/a", "b");
    fs.symlink(ROOT_INO, "/b", "a");
    expect(fs.resolve(ROOT_INO, "/a")).toBe(ELOOP);
    fs.mkdirs("/d");
    fs.symlink(ROOT_INO, "/dangling", "/d/target");
    const r = fs.lookup(ROOT_INO, "/dangling", true);
    expect(r).toEqual({ parent: fs.resolve(ROOT_INO, "/d"), name: "target", ino: undefined });
  });
});

describe("FileSystem changes", () => {
  it("creates directories and refuses duplicates", () => {
    const fs = fresh();
    expect(fs.mkdir(ROOT_INO, "/d", 0o755)).toBeGreaterThan(0);
    expect(fs.mkdir(ROOT_INO, "/d", 0o755)).toBe(EEXIST);
    expect(fs.mkdir(ROOT_INO, "/x/y", 0o755)).toBe(ENOENT);
    expect(fs.mkdir(ROOT_INO, "/", 0o755)).toBe(EEXIST);
    expect(fs.get(ROOT_INO).nlink).toBe(3);
  });

  it("unlinks files and removes empty directories only", () => {
    const fs = fresh();
    fs.mkdirs("/d/sub");
    const f = fs.addFile("/d/f", text("1"));
    expect(fs.unlink(ROOT_INO, "/d", true)).toBe(ENOTEMPTY);
    expect(fs.unlink(ROOT_INO, "/d/sub", false)).toBe(EISDIR);
    expect(fs.unlink(ROOT_INO, "/d/f", true)).toBe(ENOTDIR);
    expect(fs.unlink(ROOT_INO, "/d/f", false)).toBe(0);
    expect(fs.get(f).nlink, "the inode lives on until released").toBe(0);
    fs.release(f);
    expect(fs.inodes.has(f)).toBe(false);
    expect(fs.unlink(ROOT_INO, "/d/sub", true)).toBe(0);
    expect(fs.unlink(ROOT_INO, "/d/.", true)).toBe(EINVAL);
    expect(fs.unlink(ROOT_INO, "/d", true)).toBe(0);
    expect(fs.unlink(ROOT_INO, "/d", true)).toBe(ENOENT);
  });

  it("counts hard links", () => {
    const fs = fresh();
    const f = fs.addFile("/f", text("data"));
    expect(fs.hardlink(f, ROOT_INO, "/g")).toBe(0);
    expect(fs.get(f).nlink).toBe(2);
    fs.unlink(ROOT_INO, "/f", false);
    expect(fs.resolve(ROOT_INO, "/g")).toBe(f);
    expect(fs.hardlink(fs.resolve(ROOT_INO, "/"), ROOT_INO, "/h")).toBe(-1);
  });

  it("renames like rename(2): replacing, refusing cycles and type mismatches", () => {
    const fs = fresh();
    fs.mkdirs("/a/inner");
    fs.mkdirs("/empty");
    fs.mkdirs("/full/x");
    const f = fs.addFile("/f", text("f"));
    fs.addFile("/g", text("g"));
    expect(fs.rename(ROOT_INO, "/a", ROOT_INO, "/a/inner/moved", false)).toBe(EINVAL);
    expect(fs.rename(ROOT_INO, "/f", ROOT_INO, "/empty", false)).toBe(EISDIR);
    expect(fs.rename(ROOT_INO, "/a", ROOT_INO, "/f", false)).toBe(ENOTDIR);
    expect(fs.rename(ROOT_INO, "/a", ROOT_INO, "/full", false)).toBe(ENOTEMPTY);
    expect(fs.rename(ROOT_INO, "/f", ROOT_INO, "/g", true)).toBe(EEXIST);
    expect(fs.rename(ROOT_INO, "/f", ROOT_INO, "/g", false)).toBe(0);
    expect(fs.resolve(ROOT_INO, "/g")).toBe(f);
    expect(fs.resolve(ROOT_INO, "/f")).toBe(ENOENT);
    expect(fs.rename(ROOT_INO, "/a", ROOT_INO, "/empty", false)).toBe(0);
    expect(fs.pathOf(fs.resolve(ROOT_INO, "/empty/inner"))).toBe("/empty/inner");
    expect(fs.resolve(fs.resolve(ROOT_INO, "/empty/inner"), "../..")).toBe(ROOT_INO);
  });

  it("reads, writes with holes, truncates and enforces the capacity", () => {
    const fs = fresh(100);
    const f = fs.addFile("/f", text("0123456789"));
    expect(fs.writeAt(f, 20, text("xy"))).toBe(2);
    expect(fs.readAt(f, 8, 100)).toEqual(Uint8Array.from([56, 57, ...new Array(10).fill(0), 120, 121]));
    fs.truncate(f, 4);
    fs.truncate(f, 6);
    expect(fs.readAt(f, 0, 10)).toEqual(Uint8Array.from([48, 49, 50, 51, 0, 0]));
    expect(fs.used).toBe(6);
    expect(fs.writeAt(f, 0, new Uint8Array(200)), "partial up to the capacity").toBe(100);
    expect(fs.writeAt(f, 100, new Uint8Array(1))).toBe(ENOSPC);
    expect(fs.truncate(f, 101)).toBe(ENOSPC);
    expect(fs.addFile("/g", new Uint8Array(1))).toBe(ENOSPC);
  });

  it("lists entries in name order whatever the creation order", () => {
    const fs = fresh();
    for (const n of ["zeta", "alpha", "Mid", "beta"]) fs.addFile(`/d/${n}`, text(n));
    expect(fs.list(fs.resolve(ROOT_INO, "/d")).map(([n]) => n)).toEqual(["Mid", "alpha", "beta", "zeta"]);
  });
});

describe("paths as bytes", () => {
  it("round-trips any byte sequence and encodes host text as UTF-8", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesFromPath(pathFromBytes(bytes))).toEqual(bytes);
    expect(bytesFromPath(pathFromText("/tmp/é"))).toEqual(Uint8Array.from([47, 116, 109, 112, 47, 0xc3, 0xa9]));
  });

  it("makes guest paths absolute", () => {
    expect(absoluteGuestPath("tests/bin/x")).toBe("/tests/bin/x");
    expect(absoluteGuestPath("./a/../b")).toBe("/b");
    expect(absoluteGuestPath("/x/./y/")).toBe("/x/y");
    expect(absoluteGuestPath("z", "/home")).toBe("/home/z");
  });
});

describe("the initial tree", () => {
  it("has /tmp, devices, /proc/self/exe and the request's files", () => {
    const fs = fresh();
    const exe = text("\x7fELF...");
    expect(populateRoot(fs, "/bin/prog", exe, [{ path: "/data/in.txt", data: text("input") }])).toBeUndefined();
    expect(fs.get(fs.resolve(ROOT_INO, "/tmp")).mode).toBe(0o1777);
    for (const dev of ["null", "zero", "full", "random", "urandom", "stdin", "stdout", "stderr"]) {
      expect(fs.get(fs.resolve(ROOT_INO, `/dev/${dev}`)).kind).toBe("chardev");
    }
    const link = fs.get(fs.resolve(ROOT_INO, "/proc/self/exe", false));
    expect(link.kind === "symlink" && link.target).toBe("/bin/prog");
    expect(fs.readAt(fs.resolve(ROOT_INO, "/proc/self/exe"), 0, 100)).toEqual(exe);
    expect(fs.readAt(fs.resolve(ROOT_INO, "/data/in.txt"), 0, 100)).toEqual(text("input"));
    expect(populateRoot(fresh(), "/p", exe, [{ path: "relative", data: exe }])).toMatch(/not absolute/);
  });

  it("has the UTC zone file glibc loads for TZ=UTC, unless the request brings its own", () => {
    const fs = fresh();
    expect(populateRoot(fs, "/p", text("x"), [{ path: "/usr/share/zoneinfo/UTC", data: text("mine") }])).toBeUndefined();
    expect(fs.readAt(fs.resolve(ROOT_INO, "/usr/share/zoneinfo/UTC"), 0, 100)).toEqual(text("mine"));
    const zone = fs.readAt(fs.resolve(ROOT_INO, "/usr/share/zoneinfo/Etc/UTC"), 0, 200) as Uint8Array;
    expect(zone).toEqual(utcZoneFile());
    // RFC 8536: two 44-byte headers, each block one ttinfo (6 bytes) and "UTC\0", then the footer.
    expect(zone.length).toBe(114);
    expect(new TextDecoder().decode(zone.subarray(0, 5))).toBe("TZif2");
    expect(new TextDecoder().decode(zone.subarray(108))).toBe("\nUTC0\n");
  });

  it("has root in /etc/passwd and /etc/group", () => {
    const fs = fresh();
    expect(populateRoot(fs, "/p", text("x"), [])).toBeUndefined();
    expect(new TextDecoder().decode(fs.readAt(fs.resolve(ROOT_INO, "/etc/passwd"), 0, 100))).toBe("root:x:0:0:root:/root:/bin/bash\n");
    expect(new TextDecoder().decode(fs.readAt(fs.resolve(ROOT_INO, "/etc/group"), 0, 100))).toBe("root:x:0:\n");
  });
});
