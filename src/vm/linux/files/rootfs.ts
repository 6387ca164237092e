// The file tree a process starts with: what a minimal Linux system offers a
// static program (/tmp, /dev, /proc/self/exe and maps, the CPU count in
// /sys), plus the program itself and the files of the request.
import { encodeDev } from "../entry/structs.ts";
import { pathFromText, type FileSystem } from "./fs.ts";

export interface SeedFile {
  /** Absolute guest path (UTF-8). */
  path: string;
  data: Uint8Array;
  /** Permission bits; 0644 unless given. */
  mode?: number;
}

/** A relative guest path made absolute against `cwd`, with "." and ".." folded. */
export function absoluteGuestPath(path: string, cwd = "/"): string {
  const parts: string[] = [];
  for (const p of (path.startsWith("/") ? path : `${cwd}/${path}`).split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return "/" + parts.join("/");
}

/** Builds the standard tree; returns an error message for a request file that cannot be placed. */
export function populateRoot(fs: FileSystem, exePath: string, exe: Uint8Array, files: readonly SeedFile[]): string | undefined {
  for (const dir of ["/tmp", "/dev", "/proc/self", "/etc", "/sys/devices/system/cpu"]) fs.mkdirs(dir);
  fs.get(fs.resolve(1, "/tmp")).mode = 0o1777;
  const dev = fs.resolve(1, "/dev");
  fs.device(dev, "null", "null", encodeDev(1, 3));
  fs.device(dev, "zero", "zero", encodeDev(1, 5));
  fs.device(dev, "full", "full", encodeDev(1, 7));
  fs.device(dev, "random", "urandom", encodeDev(1, 8));
  fs.device(dev, "urandom", "urandom", encodeDev(1, 9));
  fs.device(dev, "stdin", "stdin", encodeDev(136, 0), 0o620);
  fs.device(dev, "stdout", "stdout", encodeDev(136, 0), 0o620);
  fs.device(dev, "stderr", "stderr", encodeDev(136, 0), 0o620);
  const text = (s: string) => new TextEncoder().encode(s);
  fs.addFile("/sys/devices/system/cpu/online", text("0\n"), 0o444);
  fs.addFile("/sys/devices/system/cpu/possible", text("0\n"), 0o444);
  fs.addFile("/proc/cpuinfo", text("processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc\nmmu\t\t: sv39\n\n"), 0o444);
  fs.addFile("/etc/hostname", text("edgevm\n"));
  const exeGuest = pathFromText(exePath);
  if (fs.addFile(exeGuest, exe, 0o755) < 0) return `cannot place the program at ${exePath}`;
  fs.symlink(1, "/proc/self/exe", exeGuest);
  for (const f of files) {
    if (!f.path.startsWith("/")) return `guest path ${f.path} is not absolute`;
    const r = fs.addFile(pathFromText(f.path), f.data, f.mode ?? 0o644);
    if (r < 0) return `cannot create ${f.path} in the guest file system (errno ${-r})`;
  }
  // Last, so that it takes no inode number the files above had before it existed. A request file there wins.
  const procSelf = fs.resolve(1, "/proc/self");
  if (procSelf > 0 && fs.get(procSelf).kind === "dir" && fs.resolve(procSelf, "maps") < 0) fs.device(procSelf, "maps", "maps", 0, 0o444);
  // Files a Linux system has that the request may replace. TZ=UTC makes
  // glibc load the zone file; without it glibc reads "UTC" as a POSIX rule
  // with no DST name (tzname[1] ""), where a Linux system with tzdata, and
  // qemu on such a host, says "UTC". After /proc/self/maps for the same
  // reason as it: the inode numbers above stay what they were.
  const defaults: [string, Uint8Array][] = [
    ["/usr/share/zoneinfo/UTC", utcZoneFile()],
    ["/usr/share/zoneinfo/Etc/UTC", utcZoneFile()],
    // The guest runs as root: getpwuid(0)/getgrgid(0) find it, as on a Debian host (and qemu reads the host's files).
    ["/etc/passwd", text("root:x:0:0:root:/root:/bin/bash\n")],
    ["/etc/group", text("root:x:0:\n")],
  ];
  for (const [path, data] of defaults) {
    if (fs.resolve(1, pathFromText(path)) < 0) fs.addFile(pathFromText(path), data, 0o644);
  }
  return undefined;
}

/**
 * The TZif file of the UTC zone (RFC 8536): a version 2 file with one local
 * time type, offset 0 named "UTC", no transitions, in both the 32-bit and the
 * 64-bit data blocks, and the POSIX footer "UTC0".
 */
export function utcZoneFile(): Uint8Array {
  const block: number[] = [];
  const u32 = (v: number) => block.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  const ascii = (s: string) => block.push(...[...s].map((c) => c.charCodeAt(0)));
  const header = (version: string) => {
    ascii("TZif" + version);
    block.push(...new Array(15).fill(0));
    // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    for (const n of [0, 0, 0, 0, 1, 4]) u32(n);
  };
  const data = () => {
    u32(0); // utoff
    block.push(0, 0); // isdst, desigidx
    ascii("UTC\0");
  };
  header("2");
  data();
  header("2");
  data();
  ascii("\nUTC0\n");
  return Uint8Array.from(block);
}
