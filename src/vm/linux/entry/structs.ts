// riscv64 Linux struct layouts the syscalls exchange with the guest. Every
// offset and size here was checked by compiling offsetof()/sizeof() against
// the riscv64 glibc 2.36 and Linux 6.1 uapi headers (riscv64-linux-gnu-gcc)
// and running the result under qemu-riscv64: struct stat 128 bytes, statx
// 256, timespec/timeval 16, utsname 6 x 65, sysinfo 112, rlimit 16, iovec
// 16, linux_dirent64 name at 19, rusage 144, tms 32, stack_t 24, siginfo 128,
// ucontext 960 (uc_mcontext at 176: 32 x-registers then the FP state).
import type { Timespec } from "../files/fs.ts";

export class StructWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(at: number, v: number): this {
    this.view.setUint8(at, v);
    return this;
  }

  u16(at: number, v: number): this {
    this.view.setUint16(at, v, true);
    return this;
  }

  u32(at: number, v: number): this {
    this.view.setUint32(at, v >>> 0, true);
    return this;
  }

  u64(at: number, v: number | bigint): this {
    this.view.setBigUint64(at, BigInt.asUintN(64, BigInt(v)), true);
    return this;
  }

  text(at: number, s: string, max: number): this {
    const b = new TextEncoder().encode(s).subarray(0, max - 1);
    this.bytes.set(b, at);
    return this;
  }
}

/** What stat and statx report about a file. */
export interface FileStat {
  dev: number;
  ino: number;
  /** File type and permission bits. */
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
}

/** Linux's new_encode_dev (include/linux/kdev_t.h). */
export function encodeDev(major: number, minor: number): number {
  return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}

/** struct stat (asm-generic/stat.h), 128 bytes. */
export function encodeStat(s: FileStat): Uint8Array {
  const w = new StructWriter(128)
    .u64(0, s.dev)
    .u64(8, s.ino)
    .u32(16, s.mode)
    .u32(20, s.nlink)
    .u32(24, s.uid)
    .u32(28, s.gid)
    .u64(32, s.rdev)
    .u64(48, s.size)
    .u32(56, s.blksize)
    .u64(64, s.blocks);
  for (const [at, t] of [[72, s.atime], [88, s.mtime], [104, s.ctime]] as const) w.u64(at, t.sec).u64(at + 8, t.nsec);
  return w.bytes;
}

/** STATX_TYPE .. STATX_BLOCKS: what statx fills in. */
export const STATX_BASIC_STATS = 0x7ff;

/** struct statx (linux/stat.h), 256 bytes. */
export function encodeStatx(s: FileStat): Uint8Array {
  const w = new StructWriter(256)
    .u32(0, STATX_BASIC_STATS)
    .u32(4, s.blksize)
    .u32(16, s.nlink)
    .u32(20, s.uid)
    .u32(24, s.gid)
    .u16(28, s.mode)
    .u64(32, s.ino)
    .u64(40, s.size)
    .u64(48, s.blocks);
  for (const [at, t] of [[64, s.atime], [96, s.ctime], [112, s.mtime]] as const) w.u64(at, t.sec).u32(at + 8, t.nsec);
  w.u32(128, s.rdev >>> 8).u32(132, s.rdev & 0xff);
  w.u32(136, s.dev >>> 8).u32(140, s.dev & 0xff);
  return w.bytes;
}

/** struct timespec / struct timeval (16 bytes): seconds, then nanoseconds or microseconds. */
export function encodeTimespec(ns: bigint): Uint8Array {
  return new StructWriter(16).u64(0, ns / 1_000_000_000n).u64(8, ns % 1_000_000_000n).bytes;
}

export function encodeTimeval(ns: bigint): Uint8Array {
  return new StructWriter(16).u64(0, ns / 1_000_000_000n).u64(8, (ns % 1_000_000_000n) / 1000n).bytes;
}

/** Reads a struct timespec; undefined when tv_nsec is out of range (EINVAL). */
export function decodeTimespec(bytes: Uint8Array): bigint | undefined {
  const v = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const sec = v.getBigInt64(0, true);
  const nsec = v.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) return undefined;
  return sec * 1_000_000_000n + nsec;
}

export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

/** struct new_utsname: six 65-byte fields. */
export function encodeUtsname(u: Utsname): Uint8Array {
  const w = new StructWriter(390);
  [u.sysname, u.nodename, u.release, u.version, u.machine, u.domainname].forEach((s, i) => w.text(i * 65, s, 65));
  return w.bytes;
}

/** struct sysinfo, 112 bytes (mem_unit 1: sizes in bytes). */
export function encodeSysinfo(uptimeSeconds: number, totalram: number, freeram: number, procs: number): Uint8Array {
  return new StructWriter(112)
    .u64(0, uptimeSeconds)
    .u64(32, totalram)
    .u64(40, freeram)
    .u16(80, procs)
    .u32(104, 1).bytes;
}

/** struct rlimit: soft and hard limits; RLIM_INFINITY is all ones. */
export const RLIM_INFINITY = (1n << 64n) - 1n;

export function encodeRlimit(cur: bigint, max: bigint): Uint8Array {
  return new StructWriter(16).u64(0, cur).u64(8, max).bytes;
}

/** struct tms: utime, stime, cutime, cstime in clock ticks. */
export function encodeTms(userTicks: bigint): Uint8Array {
  return new StructWriter(32).u64(0, userTicks).bytes;
}

/** struct rusage, 144 bytes: ru_utime, ru_stime, ru_maxrss (KiB). */
export function encodeRusage(userNs: bigint, maxRssKiB: number): Uint8Array {
  const w = new StructWriter(144);
  w.bytes.set(encodeTimeval(userNs), 0);
  return w.u64(32, maxRssKiB).bytes;
}

/** One linux_dirent64 record: d_ino, d_off, d_reclen, d_type, NUL-terminated d_name, padded to 8. */
export function encodeDirent(ino: number, nextOffset: number, type: number, name: Uint8Array): Uint8Array {
  const reclen = Math.ceil((19 + name.length + 1) / 8) * 8;
  const w = new StructWriter(reclen).u64(0, ino).u64(8, nextOffset).u16(16, reclen).u8(18, type);
  w.bytes.set(name, 19);
  return w.bytes;
}
