// Syscall handlers (src/vm/linux/sys-*.ts) through the dispatcher, on a
// Kernel whose registers and RAM are plain JavaScript (no wasm core): the
// errno of bad descriptors and bad pointers, ENOSYS and its counting, stdin
// that makes a read wait, output caps, pipes, futexes, clocks, memory calls
// and the riscv64 struct layouts they write.
import { describe, expect, it } from "vitest";
import { AddressSpace, MMAP_BASE, PAGE_SIZE, PROT_READ, PROT_WRITE } from "../../src/vm/linux/memory/address-space.ts";
import { GuestClock } from "../../src/vm/linux/time/clock.ts";
import { ConsoleInput, OutputSink } from "../../src/vm/linux/files/console.ts";
import { FdTable } from "../../src/vm/linux/files/fd-table.ts";
import { FileSystem } from "../../src/vm/linux/files/fs.ts";
import { Kernel, type SyscallResult } from "../../src/vm/linux/kernel.ts";
import { GuestRandom } from "../../src/vm/linux/time/random.ts";
import { populateRoot } from "../../src/vm/linux/files/rootfs.ts";
import { block, cyclesUntilEvent, schedule, type Idle } from "../../src/vm/linux/tasks/scheduler.ts";
import { encodeSiginfo, SignalState, SIGPIPE } from "../../src/vm/linux/signals/signals.ts";
import { dispatch } from "../../src/vm/linux/entry/syscall-table.ts";
import { SYSCALL_NAMES } from "../../src/vm/linux/entry/syscall-names.ts";

const MiB = 1 << 20;
const BUF = 0x100_0000;
const RO = 0x200_0000;
const NUMBERS = new Map([...SYSCALL_NAMES].map(([nr, name]) => [name, nr]));
const E = { EPERM: 1, ENOENT: 2, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EFAULT: 14, EEXIST: 17, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENOTTY: 25, ESPIPE: 29, EPIPE: 32, ERANGE: 34, ENOSYS: 38, ETIMEDOUT: 110 };

interface Options {
  stdin?: string;
  stdinClosed?: boolean;
  outputLimit?: number;
  memoryLimit?: number;
}

function setup(options: Options = {}) {
  const ram = new Uint8Array(32 * MiB);
  const mem = new AddressSpace({ bytes: () => ram, codeWritten: () => {}, flushTranslations: () => {}, wrote: () => {} }, ram.length, options.memoryLimit ?? 32 * MiB);
  const clock = { cycles: 0n };
  const guestClock = new GuestClock(() => clock.cycles, 1_700_000_000);
  // As boot.ts does: the files may hold at most the memory limit.
  const fs = new FileSystem(() => guestClock.now(), options.memoryLimit ?? 32 * MiB);
  populateRoot(fs, "/prog", new Uint8Array(8), []);
  const x = new Array<bigint>(32).fill(0n);
  const f = new Array<bigint>(32).fill(0n);
  let pc = 0n;
  const regs = {
    getX: (i: number) => x[i],
    setX: (i: number, v: bigint) => void (i && (x[i] = v)),
    getF: (i: number) => f[i],
    setF: (i: number, v: bigint) => void (f[i] = v),
    getPc: () => pc,
    setPc: (v: bigint) => void (pc = v),
    getFcsr: () => 0,
    setFcsr: () => {},
    clearReservation: () => {},
  };
  const stdin = new ConsoleInput(new TextEncoder().encode(options.stdin ?? ""), options.stdinClosed ?? true);
  const limit = options.outputLimit ?? MiB;
  const identity = { pid: 1000, ppid: 1, uid: 0, gid: 0, nodename: "edgevm", release: "6.1.0-edgevm", version: "#1" };
  const k = new Kernel(regs, mem, fs, FdTable.withConsole(), stdin, new OutputSink(limit), new OutputSink(limit), guestClock, new GuestRandom(7), new SignalState(), identity, options.memoryLimit ?? 32 * MiB);
  mem.map(BUF, BUF + 64 * 1024, PROT_READ | PROT_WRITE, "mmap");
  mem.map(RO, RO + PAGE_SIZE, PROT_READ, "mmap");
  let strings = BUF + 60 * 1024;
  const call = (name: string, ...args: (number | bigint)[]): SyscallResult => {
    const nr = NUMBERS.get(name) ?? Number(name);
    return dispatch(k, nr, [...args.map((a) => BigInt.asUintN(64, BigInt(a))), 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6));
  };
  /** A call as the kernel entry makes it: a blocking call waits in the scheduler, and a0 is what it returned. */
  const waitFor = (name: string, ...args: (number | bigint)[]): number | Idle => {
    const r = call(name, ...args);
    if (typeof r !== "object") return Number(r);
    if (r.kind !== "block") throw new Error(`${name}: ${r.kind}`);
    block(k, r.wait);
    const idle = schedule(k);
    return idle ?? Number(BigInt.asIntN(64, x[10]!));
  };
  const str = (s: string): number => {
    const at = strings;
    const bytes = new TextEncoder().encode(s + "\0");
    mem.write(at, bytes);
    strings += bytes.length;
    return at;
  };
  const peek = (at: number, len: number) => mem.read(at, len)!;
  const u32 = (at: number) => new DataView(peek(at, 4).buffer).getUint32(0, true);
  const u64 = (at: number) => new DataView(peek(at, 8).buffer).getBigUint64(0, true);
  const text = (at: number, len: number) => new TextDecoder().decode(peek(at, len));
  return { k, mem, clock, call, waitFor, str, peek, u32, u64, text, regs };
}

describe("dispatch", () => {
  it("answers unknown and unimplemented syscalls with ENOSYS and counts them", () => {
    const { k, call } = setup();
    expect(call("9999")).toBe(-E.ENOSYS);
    expect(call("clone", 0)).toBe(-E.ENOSYS);
    expect(call("clone", 0)).toBe(-E.ENOSYS);
    expect(call("rseq", 0, 0, 0, 0), "deliberately absent, like qemu-riscv64").toBe(-E.ENOSYS);
    expect(call("getpid")).toBe(1000);
    expect(Object.fromEntries(k.unsupported)).toEqual({ syscall_9999: 1, clone: 2 });
    expect(Object.fromEntries(k.counts)).toEqual({ syscall_9999: 1, clone: 2, rseq: 1, getpid: 1 });
  });
});

describe("descriptors and pointers", () => {
  it("reports EBADF for closed, unknown and wrong-direction descriptors", () => {
    const { call } = setup();
    expect(call("read", 99, BUF, 10)).toBe(-E.EBADF);
    expect(call("write", -1, BUF, 10)).toBe(-E.EBADF);
    expect(call("read", 1, BUF, 10), "stdout is write-only").toBe(-E.EBADF);
    expect(call("write", 0, BUF, 1), "stdin is read-only").toBe(-E.EBADF);
    expect(call("close", 2)).toBe(0);
    expect(call("close", 2)).toBe(-E.EBADF);
    expect(call("fstat", 2, BUF)).toBe(-E.EBADF);
    expect(call("dup3", 7, 8, 0)).toBe(-E.EBADF);
    expect(call("dup3", 1, 1, 0)).toBe(-E.EINVAL);
    expect(call("lseek", 1, 0, 0), "the console is a pipe").toBe(-E.ESPIPE);
  });

  it("reports EFAULT for unmapped or read-only buffers and bad path pointers", () => {
    const { call, str } = setup({ stdin: "data" });
    expect(call("write", 1, 0x10, 5)).toBe(-E.EFAULT);
    expect(call("write", 1, BUF + 64 * 1024 - 2, 5), "runs off the mapping").toBe(-E.EFAULT);
    expect(call("write", 1, BUF, 2 ** 40), "a huge count costs no huge host buffer").toBe(-E.EFAULT);
    expect(call("read", 0, RO, 4), "read into read-only memory").toBe(-E.EFAULT);
    expect(call("openat", -100, 0x10, 0, 0)).toBe(-E.EFAULT);
    expect(call("fstat", 1, RO)).toBe(-E.EFAULT);
    expect(call("clock_gettime", 0, 0)).toBe(-E.EFAULT);
    expect(call("pipe2", RO, 0)).toBe(-E.EFAULT);
    expect(call("openat", -100, str("/tmp"), 0, 0), "the failed pipe2 left no descriptors behind").toBe(3);
  });
});

describe("console", () => {
  it("waits for stdin that is open and empty, then reads what arrives", () => {
    const { k, call, text } = setup({ stdinClosed: false });
    expect(call("read", 0, BUF, 100)).toMatchObject({ kind: "block", wait: { kind: "retry", input: true } });
    expect(k.counts.get("read"), "a read that waits is counted when it completes").toBeUndefined();
    k.stdin.push(new TextEncoder().encode("hello"));
    expect(call("read", 0, BUF, 3)).toBe(3);
    expect(text(BUF, 3)).toBe("hel");
    expect(call("read", 0, BUF, 100)).toBe(2);
    k.stdin.close();
    expect(call("read", 0, BUF, 100), "EOF").toBe(0);
  });

  it("answers EAGAIN to a non-blocking read of empty stdin", () => {
    const { call } = setup({ stdinClosed: false });
    expect(call("fcntl", 0, 4 /* F_SETFL */, 0o4000)).toBe(0);
    expect(call("read", 0, BUF, 10)).toBe(-E.EAGAIN);
  });

  it("captures stdout and stderr separately and stops at the cap", () => {
    const { k, call, str } = setup({ outputLimit: 8 });
    expect(call("write", 1, str("out"), 3)).toBe(3);
    expect(call("write", 2, str("err"), 3)).toBe(3);
    expect(k.outputLimitHit).toBeUndefined();
    expect(call("write", 1, str("0123456789"), 10), "what fits").toBe(5);
    expect(k.outputLimitHit).toBe("stdout");
    expect(new TextDecoder().decode(k.stdout.take())).toBe("out01234");
    expect(new TextDecoder().decode(k.stderr.take())).toBe("err");
  });

  it("gathers writev into one write and scatters readv", () => {
    const { k, call, mem, text } = setup({ stdin: "abcdefgh" });
    const iov = new DataView(new ArrayBuffer(32));
    const a = BUF + 1000;
    const b = BUF + 2000;
    mem.write(a, new TextEncoder().encode("one "));
    mem.write(b, new TextEncoder().encode("two"));
    iov.setBigUint64(0, BigInt(a), true);
    iov.setBigUint64(8, 4n, true);
    iov.setBigUint64(16, BigInt(b), true);
    iov.setBigUint64(24, 3n, true);
    mem.write(BUF, new Uint8Array(iov.buffer));
    expect(call("writev", 1, BUF, 2)).toBe(7);
    expect(new TextDecoder().decode(k.stdout.take())).toBe("one two");
    expect(call("readv", 0, BUF, 2)).toBe(7);
    expect(text(a, 4) + text(b, 3)).toBe("abcdefg");
    expect(call("writev", 1, BUF, 5000)).toBe(-E.EINVAL);
  });

  it("is not a terminal", () => {
    const { call } = setup();
    expect(call("ioctl", 1, 0x5401 /* TCGETS */, BUF)).toBe(-E.ENOTTY);
    expect(call("ioctl", 1, 0x5413 /* TIOCGWINSZ */, BUF)).toBe(-E.ENOTTY);
    expect(call("ioctl", 99, 0x5401, BUF)).toBe(-E.EBADF);
  });
});

describe("readiness", () => {
  it("select()s stdin and pipes: ready sets, a timeout of zero, and waiting for input", () => {
    const { k, call, mem, peek } = setup({ stdin: "x", stdinClosed: false });
    call("pipe2", BUF + 512, 0);
    mem.write(BUF, Uint8Array.from([0b1001, 0, 0, 0, 0, 0, 0, 0])); // readfds {0, 3}
    mem.write(BUF + 8, Uint8Array.from([0b10000, 0, 0, 0, 0, 0, 0, 0])); // writefds {4}
    expect(call("pselect6", 5, BUF, BUF + 8, 0, 0, 0)).toBe(2);
    expect([peek(BUF, 1)[0], peek(BUF + 8, 1)[0]]).toEqual([0b1, 0b10000]);
    call("read", 0, BUF + 100, 10);
    mem.write(BUF, Uint8Array.from([0b1, 0, 0, 0, 0, 0, 0, 0]));
    mem.write(BUF + 16, new Uint8Array(16)); // a zero timespec
    expect(call("pselect6", 1, BUF, 0, 0, BUF + 16, 0)).toBe(0);
    expect(peek(BUF, 1)[0], "select clears what is not ready").toBe(0);
    mem.write(BUF, Uint8Array.from([0b1]));
    expect(call("pselect6", 1, BUF, 0, 0, 0, 0)).toMatchObject({ kind: "block", wait: { kind: "retry", input: true } });
    k.stdin.close();
    expect(call("pselect6", 1, BUF, 0, 0, 0, 0), "EOF is readable").toBe(1);
    mem.write(BUF, Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0x80]));
    expect(call("pselect6", 64, BUF, 0, 0, 0, 0)).toBe(-E.EBADF);
  });

  it("closes descriptor ranges, or marks them close-on-exec", () => {
    const { k, call, str } = setup();
    for (let i = 0; i < 3; i++) call("openat", -100, str("/tmp"), 0, 0);
    expect(call("close_range", 4, 100, 4 /* CLOSE_RANGE_CLOEXEC */)).toBe(0);
    expect(call("fcntl", 5, 1 /* F_GETFD */)).toBe(1);
    expect(call("close_range", 4, 0xffffffff, 0)).toBe(0);
    expect([...k.fds.fds.keys()]).toEqual([0, 1, 2, 3]);
    expect(call("close_range", 5, 4, 0)).toBe(-E.EINVAL);
  });
});

describe("files", () => {
  it("opens, writes, seeks, reads and stats with the riscv64 struct stat layout", () => {
    const { call, str, u32, u64, text } = setup();
    const fd = call("openat", -100, str("/tmp/f.txt"), 0o102 /* O_RDWR|O_CREAT */, 0o640) as number;
    expect(fd).toBe(3);
    expect(call("write", fd, str("hello world"), 11)).toBe(11);
    expect(call("lseek", fd, 6, 0)).toBe(6);
    expect(call("read", fd, BUF, 100)).toBe(5);
    expect(text(BUF, 5)).toBe("world");
    expect(call("pread64", fd, BUF, 5, 0)).toBe(5);
    expect(call("fstat", fd, BUF)).toBe(0);
    expect(u32(BUF + 16), "st_mode").toBe(0o100640);
    expect(u32(BUF + 20), "st_nlink").toBe(1);
    expect(u64(BUF + 48), "st_size").toBe(11n);
    expect(u32(BUF + 56), "st_blksize").toBe(4096);
    expect(call("statx", -100, str("/tmp/f.txt"), 0, 0x7ff, BUF)).toBe(0);
    expect(u32(BUF), "stx_mask").toBe(0x7ff);
    expect(u64(BUF + 40), "stx_size").toBe(11n);
    expect(call("newfstatat", -100, str(""), BUF, 0x1000 /* AT_EMPTY_PATH */), "the cwd itself").toBe(0);
    expect(u32(BUF + 16) & 0o170000).toBe(0o040000);
    expect(call("newfstatat", -100, str("/nope"), BUF, 0)).toBe(-E.ENOENT);
    expect(call("openat", -100, str("/tmp/f.txt"), 0o300 /* O_CREAT|O_EXCL */, 0)).toBe(-E.EEXIST);
    expect(call("openat", -100, str("/tmp"), 1 /* O_WRONLY */, 0)).toBe(-E.EISDIR);
    expect(call("openat", -100, str("/tmp/f.txt"), 0o200000 /* O_DIRECTORY */, 0)).toBe(-E.ENOTDIR);
  });

  it("lists a directory with getdents64, resumably, and refuses a too-small buffer", () => {
    const { call, str, mem } = setup();
    for (const n of ["b", "a", "c"]) call("mkdirat", -100, str(`/tmp/${n}`), 0o755);
    const fd = call("openat", -100, str("/tmp"), 0o200000, 0) as number;
    expect(call("getdents64", fd, BUF, 10)).toBe(-E.EINVAL);
    const names: string[] = [];
    for (let n = call("getdents64", fd, BUF, 56) as number; n > 0; n = call("getdents64", fd, BUF, 56) as number) {
      const raw = mem.read(BUF, n)!;
      const view = new DataView(raw.buffer);
      for (let at = 0; at < n; at += view.getUint16(at + 16, true)) {
        expect(view.getUint8(at + 18), "d_type DT_DIR").toBe(4);
        names.push(new TextDecoder().decode(raw.subarray(at + 19, raw.indexOf(0, at + 19))));
      }
    }
    expect(names).toEqual([".", "..", "a", "b", "c"]);
  });

  it("keeps an unlinked file readable while open", () => {
    const { k, call, str, text } = setup();
    const fd = call("openat", -100, str("/tmp/gone"), 0o102, 0o600) as number;
    call("write", fd, str("still here"), 10);
    expect(call("unlinkat", -100, str("/tmp/gone"), 0)).toBe(0);
    expect(call("pread64", fd, BUF, 10, 0)).toBe(10);
    expect(text(BUF, 10)).toBe("still here");
    const before = k.fs.inodes.size;
    call("close", fd);
    expect(k.fs.inodes.size).toBe(before - 1);
  });

  it("answers getcwd with ERANGE when the buffer is short, and follows chdir", () => {
    const { call, str, text } = setup();
    expect(call("chdir", str("/tmp"))).toBe(0);
    expect(call("getcwd", BUF, 4)).toBe(-E.ERANGE);
    expect(call("getcwd", BUF, 100)).toBe(5);
    expect(text(BUF, 5)).toBe("/tmp\0");
    expect(call("chdir", str("/dev/null"))).toBe(-E.ENOTDIR);
  });

  it("keeps a removed working directory: getcwd is ENOENT, nothing can be created in it, .. leads out", () => {
    const { k, call, str, text } = setup();
    expect(call("mkdirat", -100, str("/tmp/w"), 0o755)).toBe(0);
    expect(call("chdir", str("/tmp/w"))).toBe(0);
    const removed = k.cwd;
    expect(call("unlinkat", -100, str("/tmp/w"), 0x200 /* AT_REMOVEDIR */)).toBe(0);
    expect(call("getcwd", BUF, 100)).toBe(-E.ENOENT);
    expect(call("openat", -100, str("new"), 0o102, 0o600)).toBe(-E.ENOENT);
    expect(call("mkdirat", -100, str("sub"), 0o755)).toBe(-E.ENOENT);
    expect(call("newfstatat", -100, str("."), BUF, 0), "the directory itself").toBe(0);
    expect(call("mkdirat", -100, str("/tmp/w"), 0o755), "its old name is free").toBe(0);
    expect(call("chdir", str(".."))).toBe(0);
    expect(call("getcwd", BUF, 100)).toBe(5);
    expect(text(BUF, 5)).toBe("/tmp\0");
    expect(k.fs.inodes.has(removed), "released once no longer the cwd").toBe(false);
  });

  it("keeps a file replaced by rename readable while open", () => {
    const { call, str, text } = setup();
    const fd = call("openat", -100, str("/tmp/old"), 0o102, 0o600) as number;
    call("write", fd, str("old data"), 8);
    call("close", call("openat", -100, str("/tmp/new"), 0o102, 0o600) as number);
    expect(call("renameat2", -100, str("/tmp/new"), -100, str("/tmp/old"), 0)).toBe(0);
    expect(call("pread64", fd, BUF, 8, 0)).toBe(8);
    expect(text(BUF, 8)).toBe("old data");
  });

  it("checks utimensat's nanoseconds before anything else, and two UTIME_OMITs change nothing", () => {
    const { k, call, str, mem } = setup();
    const times = (atimeNs: bigint, mtimeNs: bigint) => {
      const v = new DataView(new ArrayBuffer(32));
      v.setBigInt64(0, 5n, true);
      v.setBigInt64(8, atimeNs, true);
      v.setBigInt64(16, -7n, true);
      v.setBigInt64(24, mtimeNs, true);
      mem.write(BUF, new Uint8Array(v.buffer));
      return BUF;
    };
    const fd = call("openat", -100, str("/tmp/t"), 0o102, 0o600) as number;
    expect(call("utimensat", -100, str("/tmp/t"), times(1_000_000_000n, 0n), 0)).toBe(-E.EINVAL);
    expect(call("utimensat", -100, str("/tmp/t"), times(0n, -1n), 0)).toBe(-E.EINVAL);
    expect(call("utimensat", -100, str("/nope"), times(0n, -1n), 0), "EINVAL before ENOENT").toBe(-E.EINVAL);
    expect(call("utimensat", -100, str("/tmp/t"), times(0n, 0n), 0x4000), "unknown flag").toBe(-E.EINVAL);
    const inode = k.fs.get(k.fs.resolve(0, "/tmp/t"));
    const mtime = inode.mtime;
    expect(call("utimensat", -100, str("/tmp/t"), times(999_999_999n, (1n << 30n) - 2n), 0)).toBe(0);
    expect([inode.atime, inode.mtime]).toEqual([{ sec: 5, nsec: 999_999_999 }, mtime]);
    k.clock.sleep(1000n);
    const ctime = inode.ctime;
    const omit = (1n << 30n) - 2n;
    expect(call("utimensat", fd, 0, times(omit, omit), 0)).toBe(0);
    expect(inode.ctime).toBe(ctime);
    expect(call("utimensat", fd, str(""), times(0n, 0n), 0x1000 /* AT_EMPTY_PATH */)).toBe(0);
    expect(inode.mtime).toEqual({ sec: -7, nsec: 0 });
  });

  it("answers a write at a huge offset with EINVAL past 2^63 - 1 and ENOSPC past the room, never a host error", () => {
    const { call, str } = setup();
    const fd = call("openat", -100, str("/tmp/big"), 0o102, 0o600) as number;
    const x = str("x");
    expect(call("pwrite64", fd, x, 1, 1n << 62n)).toBe(-28 /* ENOSPC: files are stored densely */);
    expect(call("pwrite64", fd, x, 2, (1n << 63n) - 1n)).toBe(-E.EINVAL);
    expect(call("pwrite64", fd, x, 1, -1n)).toBe(-E.EINVAL);
    expect(call("pread64", fd, BUF, 1, 1n << 62n)).toBe(0);
    expect(call("lseek", fd, 1n << 40n, 0)).toBe(2 ** 40);
    expect(call("write", fd, x, 1)).toBe(-28);
    expect(call("pwrite64", fd, x, 1, 1000)).toBe(1);
    expect(call("fstat", fd, BUF)).toBe(0);
  });

  it("generates /proc/self/maps from the regions in Linux's format, readable in pieces", () => {
    const { call, str, u32, u64, mem } = setup();
    const fd = call("openat", -100, str("/proc/self/maps"), 0, 0) as number;
    expect(call("fstat", fd, BUF)).toBe(0);
    expect([u32(BUF + 16), u64(BUF + 48)], "an empty regular file, as procfs shows it").toEqual([0o100444, 0n]);
    let text = "";
    for (let n = call("read", fd, BUF, 37) as number; n > 0; n = call("read", fd, BUF, 37) as number) text += new TextDecoder().decode(mem.read(BUF, n)!);
    expect(text).toBe("01000000-01010000 rw-p 00000000 00:00 0 \n02000000-02001000 r--p 00000000 00:00 0 \n");
    expect(call("lseek", fd, 0, 2 /* SEEK_END */)).toBe(-E.EINVAL);
    expect(call("lseek", fd, 18, 0)).toBe(18);
    expect(call("read", fd, BUF, 4)).toBe(4);
    expect(new TextDecoder().decode(mem.read(BUF, 4)!)).toBe("rw-p");
    expect(call("write", call("openat", -100, str("/proc/self/maps"), 1, 0) as number, BUF, 1)).toBe(-E.EINVAL);
    mem.initBrk(0x80_0000);
    call("brk", 0x80_2000);
    call("pread64", fd, BUF, 200, 0);
    expect(new TextDecoder().decode(mem.read(BUF, 200)!)).toContain("00800000-00802000 rw-p 00000000 00:00 0                                  [heap]\n");
  });

  it("reads /proc/self/exe as a link to the program", () => {
    const { call, str, text } = setup();
    expect(call("readlinkat", -100, str("/proc/self/exe"), BUF, 100)).toBe(5);
    expect(text(BUF, 5)).toBe("/prog");
    expect(call("readlinkat", -100, str("/prog"), BUF, 100)).toBe(-E.EINVAL);
  });
});

describe("pipes", () => {
  it("moves bytes, reports EOF, EPIPE with SIGPIPE, and a deadlock", () => {
    const { k, call, waitFor, u32, str } = setup();
    expect(call("pipe2", BUF, 0)).toBe(0);
    const [r, w] = [u32(BUF), u32(BUF + 4)];
    expect(waitFor("read", r, BUF + 100, 10)).toEqual({ kind: "deadlock", message: "deadlock: read from an empty pipe, with no timeout and no signal to come" });
    k.thread.wait = undefined;
    expect(call("write", w, str("xyz"), 3)).toBe(3);
    expect(call("read", r, BUF + 100, 10)).toBe(3);
    expect(call("close", w)).toBe(0);
    expect(call("read", r, BUF + 100, 10)).toBe(0);
    expect(call("pipe2", BUF, 0o4000 /* O_NONBLOCK */)).toBe(0);
    const [r2, w2] = [u32(BUF), u32(BUF + 4)];
    expect(call("read", r2, BUF + 100, 10)).toBe(-E.EAGAIN);
    call("close", r2);
    expect(call("write", w2, str("x"), 1)).toBe(-E.EPIPE);
    expect(k.signals.isPending(SIGPIPE)).toBe(true);
  });
});

describe("futex, clocks and sleeping", () => {
  it("reads clocks from the cycle counter at 100 MHz plus the epoch", () => {
    const { clock, call, u64 } = setup();
    clock.cycles = 250_000_000n;
    expect(call("clock_gettime", 1 /* MONOTONIC */, BUF)).toBe(0);
    expect([u64(BUF), u64(BUF + 8)]).toEqual([2n, 500_000_000n]);
    expect(call("clock_gettime", 0 /* REALTIME */, BUF)).toBe(0);
    expect(u64(BUF)).toBe(1_700_000_002n);
    expect(call("clock_gettime", 99, BUF)).toBe(-E.EINVAL);
    expect(call("gettimeofday", BUF, 0)).toBe(0);
    expect(u64(BUF + 8), "microseconds").toBe(500_000n);
  });

  it("reports Linux's clock resolutions: 1 ns, a 4 ms tick for the coarse clocks", () => {
    const { call, u64 } = setup();
    for (const [id, ns] of [[0, 1n], [1, 1n], [2, 1n], [4, 1n], [5, 4_000_000n], [6, 4_000_000n], [7, 1n]] as const) {
      expect(call("clock_getres", id, BUF)).toBe(0);
      expect([id, u64(BUF), u64(BUF + 8)]).toEqual([id, 0n, ns]);
    }
    expect(call("clock_getres", 99, BUF)).toBe(-E.EINVAL);
    expect(call("clock_getres", 1, 0), "a NULL res only checks the clock").toBe(0);
  });

  it("sleeps by moving guest time forward", () => {
    const { k, call, waitFor, mem, u64 } = setup();
    const ts = new DataView(new ArrayBuffer(16));
    ts.setBigUint64(0, 3n, true);
    ts.setBigUint64(8, 5n, true);
    mem.write(BUF, new Uint8Array(ts.buffer));
    expect(waitFor("nanosleep", BUF, 0)).toBe(0);
    expect(k.clock.monotonicNs()).toBe(3_000_000_005n);
    ts.setBigUint64(8, 1_000_000_000n, true);
    mem.write(BUF, new Uint8Array(ts.buffer));
    expect(call("nanosleep", BUF, 0)).toBe(-E.EINVAL);
    expect(call("clock_gettime", 1, BUF + 100)).toBe(0);
    expect(u64(BUF + 100)).toBe(3n);
  });

  it("handles single-threaded futex waits: mismatch, timeout, deadlock", () => {
    const { k, call, waitFor, mem } = setup();
    mem.write(BUF, new Uint8Array([5, 0, 0, 0]));
    expect(call("futex", BUF, 0 /* WAIT */, 4, 0)).toBe(-E.EAGAIN);
    expect(call("futex", BUF, 128 /* WAKE|PRIVATE */ + 1, 1)).toBe(0);
    expect(call("futex", BUF + 2, 1, 1), "misaligned").toBe(-E.EINVAL);
    expect(waitFor("futex", BUF, 0, 5, 0)).toEqual({ kind: "deadlock", message: `deadlock: futex wait on 0x${BUF.toString(16)}, with no timeout and no signal to come` });
    k.thread.wait = undefined;
    const ts = new DataView(new ArrayBuffer(16));
    ts.setBigUint64(8, 1000n, true);
    mem.write(BUF + 16, new Uint8Array(ts.buffer));
    expect(waitFor("futex", BUF, 0, 5, BUF + 16)).toBe(-E.ETIMEDOUT);
    expect(k.clock.monotonicNs()).toBe(1000n);
  });
});

describe("threads", () => {
  const THREAD_FLAGS = 0x3d0f00; // glibc's pthread_create: VM FS FILES SIGHAND THREAD SYSVSEM SETTLS PARENT_SETTID CHILD_CLEARTID

  /** A process with `n` more threads (1001...), all runnable, the first thread on the hart. */
  function withThreads(n: number, options: Options = {}) {
    const t = setup(options);
    t.regs.setPc(0x1000n);
    for (let i = 0; i < n; i++) expect(t.call("clone", THREAD_FLAGS, BUF + 0x8000 - i * 0x1000, BUF + 0x100 + i * 4, 0x7000 + i, BUF + 0x100 + i * 4)).toBe(1001 + i);
    /** The running thread makes a call; a blocking one blocks it and the scheduler moves on. */
    const run = (name: string, ...args: (number | bigint)[]) => {
      const r = t.call(name, ...args);
      if (typeof r === "object" && r.kind === "block") block(t.k, r.wait);
      else if (typeof r !== "object") t.regs.setX(10, BigInt.asUintN(64, BigInt(r)));
      return { result: r, idle: schedule(t.k) };
    };
    const tid = () => t.k.thread.tid;
    const a0Of = (tid: number) => {
      const th = t.k.threads.get(tid)!;
      return Number(BigInt.asIntN(64, th === t.k.thread ? t.regs.getX(10) : th.context!.x[10]!));
    };
    return { ...t, run, tid, a0Of };
  }

  it("clones threads as glibc asks, and refuses processes that would share what a fork copies", () => {
    const { k, call, regs, u32 } = setup();
    regs.setPc(0x1000n);
    regs.setX(2, 0x5555n);
    expect(call("clone", 0x111 /* CLONE_VM | SIGCHLD without CLONE_VFORK */, 0, 0, 0, 0)).toBe(-E.ENOSYS);
    expect(call("clone", 0x411 /* CLONE_FILES | SIGCHLD */, 0, 0, 0, 0)).toBe(-E.ENOSYS);
    expect(k.unsupported.get("clone")).toBe(2);
    expect(call("clone", 0x10100 /* THREAD without SIGHAND */, 0, 0, 0, 0)).toBe(-E.EINVAL);
    expect(call("clone3", BUF, 88)).toBe(-E.ENOSYS);
    expect(call("clone", THREAD_FLAGS, BUF + 0x8000, BUF + 0x100, 0x7777, BUF + 0x104)).toBe(1001);
    expect(u32(BUF + 0x100), "CLONE_PARENT_SETTID").toBe(1001);
    const child = k.threads.get(1001)!;
    expect(child.clearChildTid).toBe(BUF + 0x104);
    expect(child.context!.pc, "past the ecall").toBe(0x1004n);
    expect([child.context!.x[10], child.context!.x[2], child.context!.x[4]]).toEqual([0n, BigInt(BUF + 0x8000), 0x7777n]);
    expect(k.threads.queue.map((t) => t.tid)).toEqual([1001]);
    expect(call("gettid")).toBe(1000);
    expect(call("getpid")).toBe(1000);
    expect(call("sched_getaffinity", 1001, 8, BUF), "a thread's affinity: one CPU").toBe(8);
    expect(call("sched_getaffinity", 4242, 8, BUF)).toBe(-3 /* ESRCH */);
  });

  it("runs threads round-robin in slices of 10,000 instructions, and switches at once when one blocks or yields", () => {
    const { k, clock, run, tid } = withThreads(2);
    expect(cyclesUntilEvent(k)).toBe(10_000n);
    clock.cycles = 9_999n;
    expect(schedule(k)).toBeUndefined();
    expect(tid(), "the slice is not over").toBe(1000);
    clock.cycles = 10_000n;
    schedule(k);
    expect(tid()).toBe(1001);
    expect(k.threads.queue.map((t) => t.tid)).toEqual([1002, 1000]);
    expect(cyclesUntilEvent(k)).toBe(10_000n);
    run("sched_yield");
    expect(tid()).toBe(1002);
    run("futex", BUF, 0, 0, 0);
    expect(tid(), "1002 waits on a futex").toBe(1000);
    expect(k.threads.queue.map((t) => t.tid)).toEqual([1001]);
  });

  it("wakes futex waiters first come first served, by bitset, and requeues them behind the others", () => {
    const { k, run, tid, a0Of, mem } = withThreads(3);
    mem.write(BUF, new Uint8Array(8));
    run("futex", BUF, 0, 0, 0); // 1000
    run("futex", BUF, 9 /* WAIT_BITSET */, 0, 0, 0, 0b10); // 1001
    run("futex", BUF + 4, 0, 0, 0); // 1002
    expect(tid()).toBe(1003);
    expect(run("futex", BUF, 10 /* WAKE_BITSET */, 5, 0, 0, 0b01).result, "only 1000's bitset meets it").toBe(1);
    expect(a0Of(1000)).toBe(0);
    expect(run("futex", BUF, 3 /* REQUEUE */, 0, 1, BUF + 4).result, "1001 moved behind 1002").toBe(1);
    expect(run("futex", BUF + 4, 1, 1).result).toBe(1);
    expect(k.threads.get(1001)!.wait, "1002 came first").toMatchObject({ kind: "futex", uaddr: BUF + 4 });
    expect(run("futex", BUF + 4, 4 /* CMP_REQUEUE */, 0, 1, BUF, 7).result, "the word is not 7").toBe(-E.EAGAIN);
    // WAKE_OP: *(BUF+4) += 1, wake 0 on BUF, and 1 on BUF+4 if the old value was 0 (cmp EQ, cmparg 0).
    expect(run("futex", BUF, 5, 0, 1, BUF + 4, (1 << 28) | (1 << 12)).result).toBe(1);
    expect(mem.read(BUF + 4, 1)![0]).toBe(1);
    expect(k.threads.get(1001)!.wait).toBeUndefined();
  });

  it("ends a thread: its clear_child_tid is zeroed and woken (pthread_join), and the last exit ends the process with the first thread's code", () => {
    const { k, run, tid, a0Of, u32 } = withThreads(1);
    expect(u32(BUF + 0x100)).toBe(1001);
    run("futex", BUF + 0x100, 0, 1001, 0); // 1000 joins 1001
    expect(tid()).toBe(1001);
    expect(run("exit", 3).result).toEqual({ kind: "thread-exit" });
    expect(u32(BUF + 0x100)).toBe(0);
    expect(tid()).toBe(1000);
    expect(a0Of(1000), "the join's futex wait returned 0").toBe(0);
    expect(k.threads.all.size).toBe(1);
    const two = withThreads(1);
    expect(two.run("exit", 7).result).toEqual({ kind: "thread-exit" });
    expect(two.tid()).toBe(1001);
    expect(two.run("exit", 9).result, "the first thread's code").toEqual({ kind: "exit", code: 7 });
  });

  it("releases a dead thread's robust futexes: FUTEX_OWNER_DIED, and a waiter woken", () => {
    const { k, run, tid, a0Of, mem, u32 } = withThreads(1);
    // 1000 waits on a robust mutex that 1001 holds (owner tid 1001 with FUTEX_WAITERS).
    const head = BUF + 0x200;
    const entry = BUF + 0x300;
    const word = entry + 32;
    const u64s = (at: number, values: bigint[]) => values.forEach((v, i) => mem.writeU64(at + i * 8, v));
    u64s(head, [BigInt(entry), 32n, 0n]);
    u64s(entry, [BigInt(head)]);
    mem.write(word, new Uint8Array(new Uint32Array([0x8000_0000 | 1001]).buffer));
    run("futex", word, 0, 0x8000_03e9, 0);
    expect(tid()).toBe(1001);
    expect(run("set_robust_list", head, 24).result).toBe(0);
    run("exit", 0);
    expect(u32(word).toString(16)).toBe("c0000000");
    expect(a0Of(1000)).toBe(0);
    expect(k.threads.get(1000)!.wait).toBeUndefined();
  });

  it("interrupts a thread's wait with a signal sent to it; tgkill of an unknown thread is ESRCH", () => {
    const { k, run, a0Of, mem } = withThreads(1);
    mem.write(BUF, new Uint8Array(4));
    mem.writeU64(BUF + 0x400, 0x1234n);
    mem.writeU64(BUF + 0x408, 0n);
    mem.writeU64(BUF + 0x410, 0n);
    expect(run("rt_sigaction", 10, BUF + 0x400, 0, 8).result).toBe(0);
    run("futex", BUF, 0, 0, 0);
    expect(run("tgkill", 1000, 1000, 10).result).toBe(0);
    expect(a0Of(1000)).toBe(-4 /* EINTR */);
    expect(k.threads.get(1000)!.signals.pending.has(10)).toBe(true);
    expect(run("tgkill", 1000, 4242, 10).result).toBe(-3 /* ESRCH */);
    expect(run("tgkill", 999, 1001, 10).result).toBe(-3);
    expect(run("tkill", 1001, 15).result, "SIGTERM, default action").toBe(0);
    expect(k.fatalSignal?.signo, "ends the process at once").toBe(15);
  });

  it("names every blocked thread when they all wait for ever, and jumps to the earliest timeout first", () => {
    const { k, run, tid, mem } = withThreads(1);
    mem.write(BUF, new Uint8Array(4));
    mem.writeU64(BUF + 16, 0n);
    mem.writeU64(BUF + 24, 5000n);
    run("futex", BUF, 0, 0, BUF + 16); // 1000: 5 µs
    expect(tid()).toBe(1001);
    const { idle } = run("futex", BUF, 0, 0, 0);
    expect(idle, "1000's timeout comes").toBeUndefined();
    expect([tid(), k.clock.monotonicNs()]).toEqual([1000, 5000n]);
    const last = run("futex", BUF, 0, 0, 0);
    expect(last.idle).toEqual({ kind: "deadlock", message: `deadlock: every thread waits for ever (thread 1000: futex wait on 0x${BUF.toString(16)}; thread 1001: futex wait on 0x${BUF.toString(16)}), with no timeout and no signal to come` });
  });
});

describe("memory", () => {
  it("maps top-down, unmaps, protects and refuses bad requests", () => {
    const { call, mem } = setup({ memoryLimit: 16 * MiB });
    const a = call("mmap", 0, 8192, 3, 0x22 /* PRIVATE|ANONYMOUS */, -1, 0) as number;
    expect(a).toBe(MMAP_BASE - 8192);
    expect(call("mmap", 0, 4096, 3, 0x22, -1, 0)).toBe(MMAP_BASE - 12288);
    expect(call("mmap", 0, 0, 3, 0x22, -1, 0)).toBe(-E.EINVAL);
    expect(call("mmap", 0, 4096, 3, 0x20, -1, 0), "neither shared nor private").toBe(-E.EINVAL);
    expect(call("mmap", 0, 64 * MiB, 3, 0x22, -1, 0), "over the memory limit").toBe(-E.ENOMEM);
    expect(call("mmap", 0, 4096, 1, 0x02, 99, 0)).toBe(-E.EBADF);
    expect(call("mmap", a, 4096, 1, 0x100022 /* FIXED_NOREPLACE */, -1, 0)).toBe(-17);
    expect(call("mprotect", a, 4096, 1)).toBe(0);
    expect(mem.vmaAt(a as number)!.prot).toBe(1);
    expect(call("munmap", (a as number) + 1, 4096)).toBe(-E.EINVAL);
    expect(call("munmap", a, 8192)).toBe(0);
    expect(call("mprotect", a, 4096, 3)).toBe(-E.ENOMEM);
  });

  it("moves the break like brk(2)", () => {
    const { call, mem } = setup();
    mem.initBrk(0x80_0000);
    expect(call("brk", 0)).toBe(0x80_0000);
    expect(call("brk", 0x80_1234)).toBe(0x80_1234);
    expect(call("brk", 0x10)).toBe(0x80_1234);
  });

  it("maps a file's contents (private copy) and refuses a shared writable file mapping", () => {
    const { call, str, mem } = setup();
    const fd = call("openat", -100, str("/tmp/m"), 0o102, 0o600) as number;
    call("write", fd, str("mapped bytes"), 12);
    const at = call("mmap", 0, 4096, 1, 0x02, fd, 0) as number;
    expect(new TextDecoder().decode(mem.read(at, 12)!)).toBe("mapped bytes");
    expect(call("mmap", 0, 4096, 3, 0x01 /* SHARED */, fd, 0)).toBe(-19);
  });
});

describe("process", () => {
  it("exits with the low 8 bits of the code", () => {
    const { call } = setup();
    expect(call("exit_group", 300)).toEqual({ kind: "exit", code: 44 });
  });

  it("fills uname with Linux/riscv64 in 65-byte fields", () => {
    const { call, text } = setup();
    expect(call("uname", BUF)).toBe(0);
    expect(text(BUF, 5)).toBe("Linux");
    expect(text(BUF + 260, 7)).toBe("riscv64");
  });

  it("queues signals sent to itself and rejects other pids", () => {
    const { k, call } = setup();
    expect(call("kill", 1234, 10)).toBe(-3);
    expect(call("kill", 1000, 0)).toBe(0);
    expect(call("kill", 1000, 65)).toBe(-E.EINVAL);
    expect(call("tgkill", 1000, 1000, 10)).toBe(0);
    expect(k.signals.isPending(10)).toBe(true);
    expect(call("rt_sigaction", 9, BUF, 0, 8), "SIGKILL cannot be caught").toBe(-E.EINVAL);
    expect(call("rt_sigprocmask", 0, BUF, 0, 4), "sigsetsize must be 8").toBe(-E.EINVAL);
  });

  it("queues a sigqueue signal with the caller's si_code, pid and si_value; a forged kill origin only to itself", () => {
    const { k, mem, call } = setup();
    const info = (code: number, value: bigint) => {
      const b = new DataView(new ArrayBuffer(128));
      b.setInt32(0, 10, true);
      b.setInt32(8, code, true);
      b.setUint32(16, 1000, true);
      b.setBigUint64(24, value, true);
      mem.write(BUF, new Uint8Array(b.buffer));
    };
    info(-1 /* SI_QUEUE */, 0x1234_5678_9abcn);
    expect(call("rt_sigqueueinfo", 1000, 10, BUF)).toBe(0);
    const taken = k.signals.takeDeliverable();
    expect(taken).toEqual({ signo: 10, code: -1, pid: 1000, value: 0x1234_5678_9abcn });
    const bytes = encodeSiginfo(taken!);
    expect(new DataView(bytes.buffer).getBigUint64(24, true)).toBe(0x1234_5678_9abcn);
    expect(call("rt_sigqueueinfo", 4321, 10, BUF)).toBe(-3 /* ESRCH */);
    expect(call("rt_sigqueueinfo", 1000, 65, BUF)).toBe(-E.EINVAL);
    expect(call("rt_sigqueueinfo", 1000, 10, RO + PAGE_SIZE)).toBe(-E.EFAULT);
    info(0 /* SI_USER */, 0n);
    expect(call("rt_sigqueueinfo", 1000, 10, BUF), "to itself").toBe(0);
    expect(call("rt_tgsigqueueinfo", 1000, 1000, 12, BUF)).toBe(0);
    expect(call("rt_tgsigqueueinfo", 1000, 4242, 12, BUF)).toBe(-3);
    expect(call("rt_tgsigqueueinfo", 999, 1000, 12, BUF)).toBe(-3);
    expect(k.signals.isPending(12)).toBe(true);
  });

  it("draws getrandom bytes from the seed", () => {
    const a = setup();
    const b = setup();
    expect(a.call("getrandom", BUF, 32, 0)).toBe(32);
    expect(b.call("getrandom", BUF, 32, 0)).toBe(32);
    expect(a.peek(BUF, 32)).toEqual(b.peek(BUF, 32));
    expect(a.call("getrandom", BUF, 32, 0)).toBe(32);
    expect(a.peek(BUF, 32)).not.toEqual(b.peek(BUF, 32));
    expect(a.call("getrandom", BUF, 8, 0x100)).toBe(-E.EINVAL);
  });

  it("reports limits: RLIMIT_STACK 8 MiB and prlimit64 on other pids", () => {
    const { call, u64 } = setup();
    expect(call("prlimit64", 0, 3, 0, BUF)).toBe(0);
    expect(u64(BUF)).toBe(8n << 20n);
    expect(call("prlimit64", 4321, 3, 0, BUF)).toBe(-3);
    expect(call("getrlimit", 99, BUF)).toBe(-E.EINVAL);
  });
});

describe("processes", () => {
  const ECHILD = 10;
  const ESRCH = 3;
  const WNOHANG = 1;
  const FORK = 0x01200011; // glibc's fork: CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD

  it("wait4 and waitid without children fail with ECHILD", () => {
    const { call } = setup();
    expect(call("wait4", -1, BUF, 0, 0)).toBe(-ECHILD);
    expect(call("wait4", 1000, BUF, WNOHANG, 0), "a process is not its own child").toBe(-ECHILD);
    expect(call("waitid", 0 /* P_ALL */, 0, BUF, 4 /* WEXITED */, 0)).toBe(-ECHILD);
    expect(call("wait4", -1, BUF, 0x10 /* not an option */, 0)).toBe(-E.EINVAL);
  });

  it("fork gives the child a copy of memory, shared open files and the parent as ppid, and returns 0 in it", () => {
    const { k, call, regs, u32 } = setup();
    regs.setPc(0x1000n);
    k.mem.write(BUF, new Uint8Array([1, 2, 3, 4]));
    const fds = BUF + 0x200;
    expect(call("pipe2", fds, 0)).toBe(0);
    const pid = call("clone", FORK, 0, 0, 0, BUF + 0x100);
    expect(pid).toBe(1001);
    expect(u32(BUF + 0x100), "CLONE_CHILD_SETTID writes the child's memory, not the parent's").toBe(0);
    const child = k.procs.get(1001)!;
    expect(child.ppid).toBe(1000);
    const view = child.view!;
    const t = view.threads.current;
    expect([t.tid, t.context!.pc, t.context!.x[10]]).toEqual([1001, 0x1004n, 0n]);
    expect(t.clearChildTid).toBe(BUF + 0x100);
    expect(view.identity).toMatchObject({ pid: 1001, ppid: 1000 });
    k.mem.write(BUF, new Uint8Array([9, 9, 9, 9]));
    expect([...view.mem.read(BUF, 4)!], "the child keeps what the parent had at fork").toEqual([1, 2, 3, 4]);
    expect(new DataView(view.mem.read(BUF + 0x100, 4)!.buffer).getUint32(0, true)).toBe(1001);
    expect(view.mem.frameAt(BUF / PAGE_SIZE)).not.toBe(k.mem.frameAt(BUF / PAGE_SIZE));
    const readEnd = u32(fds);
    expect(view.fds.get(readEnd), "one open file description for both").toBe(k.fds.get(readEnd));
    expect(k.fds.get(readEnd)!.refs).toBe(2);
    expect(call("getppid")).toBe(1);
  });

  it("a child that ends is a zombie with its status until wait4 reaps it; WNOHANG does not wait", async () => {
    const { k, call, u32 } = setup();
    const { endProcess, switchProcess } = await import("../../src/vm/linux/tasks/processes.ts");
    expect(call("clone", FORK, 0, 0, 0, 0)).toBe(1001);
    expect(call("clone", FORK, 0, 0, 0, 0)).toBe(1002);
    expect(call("wait4", -1, BUF, WNOHANG, 0), "both still run").toBe(0);
    expect(call("wait4", 1001, BUF, 0, 0)).toMatchObject({ kind: "block", wait: { kind: "retry", what: "wait4" } });
    switchProcess(k, 1002);
    expect(call("getpid")).toBe(1002);
    expect(call("getppid")).toBe(1000);
    expect(call("wait4", -1, BUF, 0, 0), "a sibling is not a child").toBe(-ECHILD);
    endProcess(k, 7 << 8);
    expect(call("getpid"), "the hart goes back to the parent").toBe(1000);
    expect(k.procs.get(1002)).toMatchObject({ status: 0x700, view: undefined });
    expect(call("kill", 1002, 0), "a zombie still takes a signal").toBe(0);
    expect(call("wait4", 1001, BUF, WNOHANG, 0), "only 1002 ended").toBe(0);
    expect(call("wait4", -1, BUF, 0, 0)).toBe(1002);
    expect(u32(BUF), "WIFEXITED, WEXITSTATUS 7").toBe(0x700);
    expect(k.procs.has(1002)).toBe(false);
    expect(call("kill", 1002, 0), "reaped").toBe(-ESRCH);
    switchProcess(k, 1001);
    endProcess(k, 15 /* SIGTERM */);
    expect(call("waitid", 1 /* P_PID */, 1001, BUF, 4 | 0x0100_0000 /* WEXITED | WNOWAIT */, 0)).toBe(0);
    expect([u32(BUF), u32(BUF + 8), u32(BUF + 16), u32(BUF + 24)], "SIGCHLD, CLD_KILLED, pid, signal").toEqual([17, 2, 1001, 15]);
    expect(call("wait4", 1001, BUF, 0, 0), "WNOWAIT left it a zombie").toBe(1001);
    expect(u32(BUF), "WIFSIGNALED, WTERMSIG 15").toBe(15);
    expect(call("wait4", -1, BUF, 0, 0)).toBe(-ECHILD);
  });

  it("orphans go to init, which reaps them at once", async () => {
    const { k, call } = setup();
    const { endProcess, switchProcess } = await import("../../src/vm/linux/tasks/processes.ts");
    expect(call("clone", FORK, 0, 0, 0, 0)).toBe(1001);
    switchProcess(k, 1001);
    expect(call("clone", FORK, 0, 0, 0, 0)).toBe(1002);
    endProcess(k, 0);
    expect(call("wait4", -1, BUF, 0, 0)).toBe(1001);
    switchProcess(k, 1002);
    expect(call("getppid")).toBe(1);
    endProcess(k, 0);
    expect(call("getpid")).toBe(1000);
    expect([...k.procs.keys()], "no zombie left behind").toEqual([1000]);
  });

  it("a parent blocked in wait4 is woken to make it again when a child ends, before its SIGCHLD handler runs (no EINTR)", async () => {
    const { k, call, regs } = setup();
    const { endProcess, switchProcess } = await import("../../src/vm/linux/tasks/processes.ts");
    const act = new Uint8Array(24);
    new DataView(act.buffer).setBigUint64(0, 0x4000n, true);
    new DataView(act.buffer).setBigUint64(8, 0x1000_0004n /* SA_RESTART | SA_SIGINFO */, true);
    k.mem.write(BUF, act);
    expect(call("rt_sigaction", 17, BUF, 0, 8)).toBe(0);
    regs.setPc(0x1000n);
    expect(call("clone", FORK, 0, 0, 0, 0)).toBe(1001);
    const r = call("wait4", -1, BUF, 0, 0);
    if (typeof r !== "object" || r.kind !== "block") throw new Error("wait4 should block");
    block(k, r.wait);
    expect(schedule(k)).toBeUndefined();
    expect(call("getpid"), "the child runs while the parent waits").toBe(1001);
    endProcess(k, 3 << 8);
    expect(call("getpid")).toBe(1000);
    expect(k.thread.wait, "runnable again").toBeUndefined();
    expect(regs.getPc(), "still at its ecall: wait4 is made again after the handler").toBe(0x1000n);
    expect(k.thread.signals.pending.has(17) || k.signals.shared.has(17), "SIGCHLD pending").toBe(true);
    expect(call("wait4", -1, BUF, 0, 0)).toBe(1001);
  });

  it("execve fails with ENOENT: there is no other program to run", () => {
    const { call, str } = setup();
    expect(call("execve", str("/bin/sh"), 0, 0)).toBe(-E.ENOENT);
  });
});
