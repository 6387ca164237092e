// The process-mode layer state (src/vm/linux/state-codec.ts and its parts):
// a kernel with something of every kind in it (files, links, an unlinked
// open file, a pipe with data, a directory half read, signal actions and a
// pending signal, an alarm, limits, regions, free frames, half-read stdin)
// encodes to bytes that decode to a kernel which encodes to the same bytes
// and behaves the same; damaged bytes are a LayerStateError (corrupt-object),
// which step() reports as a SnapshotError of that code,
// never a different machine, whether decoded directly or through step().
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  encodeChunkObject, encodeManifest, MemoryStore, objectKey, readChunk, readManifest, sha256, SnapshotError, step,
  type ObjectStore,
} from "../../src/snapshot/index.ts";
import { LayerStateError, type GuestHost } from "../../src/vm/guest-layer.ts";
import type { CoreExports as SnapshotCore } from "../../src/vm/core-abi.ts";
import type { Kernel } from "../../src/vm/linux/kernel.ts";
import { block, schedule } from "../../src/vm/linux/tasks/scheduler.ts";
import { dispatch } from "../../src/vm/linux/entry/syscall-table.ts";
import { SYSCALL_NAMES } from "../../src/vm/linux/entry/syscall-names.ts";
import { LinuxLayer, linuxLayerCodec, prepareLinuxMachine } from "../../src/vm/linux/linux-layer.ts";

const compile = WebAssembly.Module as unknown as new (bytes: Uint8Array) => WebAssembly.Module;
const core = new compile(readFileSync(new URL("../../build/core.wasm", import.meta.url)));
// pie is a libc-free static-pie of a few KiB: a small state whose every byte can be damaged in turn.
const PIE = new Uint8Array(readFileSync(new URL("../../tests/guest/linux/bin/pie", import.meta.url)));
const NUMBERS = new Map([...SYSCALL_NAMES].map(([nr, name]) => [name, nr]));
const AT_FDCWD = -100;

function hostOf(c: SnapshotCore): GuestHost {
  return { core: c, resident: async () => {}, wrote: () => {}, output: () => {} };
}

/** A booted pie whose kernel then made the calls that leave state of every kind behind. */
async function richMachine() {
  const initial = await prepareLinuxMachine(core, PIE, {
    args: ["/bin/pie", "a"], env: ["K=V"], stdin: new TextEncoder().encode("abcdef"), stdinClosed: false,
    memoryLimit: 16 << 20, seed: "state", files: [{ path: "/data/in.txt", data: new TextEncoder().encode("input file\n") }],
  });
  if (initial.kind !== "prepared" || !(initial.layer instanceof LinuxLayer)) throw new Error("not a prepared Linux machine");
  const layer = initial.layer;
  const k = layer.kernel;
  const call = (name: string, ...args: (number | bigint)[]) => {
    const r = dispatch(k, NUMBERS.get(name)!, [...args.map((a) => BigInt.asUintN(64, BigInt(a))), 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6));
    if (typeof r === "object") throw new Error(`${name}: ${r.kind}`);
    return Number(r);
  };
  /** A call that blocks the calling thread, then the scheduler's move (another thread, or time passing). */
  const wait = (name: string, ...args: (number | bigint)[]) => {
    const r = dispatch(k, NUMBERS.get(name)!, [...args.map((a) => BigInt.asUintN(64, BigInt(a))), 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6));
    if (typeof r !== "object" || r.kind !== "block") throw new Error(`${name} did not block`);
    block(k, r.wait);
    const idle = schedule(k);
    if (idle) throw new Error(`${name}: ${idle.kind}`);
  };
  const buf = call("mmap", 0, 0x20000, 3, 0x22, -1, 0);
  let strings = buf + 0x10000;
  const str = (s: string) => {
    const at = strings;
    k.mem.write(at, new TextEncoder().encode(s + "\0"));
    strings += s.length + 1;
    return at;
  };
  const put = (at: number, bytes: number[]) => k.mem.write(at, new Uint8Array(bytes));
  const u64s = (at: number, values: bigint[]) => {
    const b = new Uint8Array(values.length * 8);
    values.forEach((v, i) => new DataView(b.buffer).setBigUint64(i * 8, v, true));
    k.mem.write(at, b);
  };
  expect(call("mkdirat", AT_FDCWD, str("/tmp/d"), 0o755)).toBe(0);
  const f = call("openat", AT_FDCWD, str("/tmp/d/f"), 0o101, 0o600);
  put(buf, [...new TextEncoder().encode("hello")]);
  expect(call("write", f, buf, 5)).toBe(5);
  expect(call("symlinkat", str("/tmp/d/f"), AT_FDCWD, str("/tmp/link"))).toBe(0);
  expect(call("linkat", AT_FDCWD, str("/tmp/d/f"), AT_FDCWD, str("/tmp/hard"), 0)).toBe(0);
  const gone = call("openat", AT_FDCWD, str("/tmp/gone"), 0o102, 0o644);
  expect(call("write", gone, buf, 3)).toBe(3);
  expect(call("unlinkat", AT_FDCWD, str("/tmp/gone"), 0)).toBe(0);
  expect(call("pipe2", buf + 0x100, 0)).toBe(0);
  const [readEnd, writeEnd] = [...new Int32Array(k.mem.read(buf + 0x100, 8)!.buffer)];
  expect(call("write", writeEnd!, buf, 5)).toBe(5);
  expect(call("dup3", f, 10, 0o2000000)).toBe(10);
  const dev = call("openat", AT_FDCWD, str("/dev"), 0o200000, 0);
  expect(call("getdents64", dev, buf + 0x1000, 100)).toBeGreaterThan(0);
  expect(call("chdir", str("/tmp/d"))).toBe(0);
  call("umask", 0o027);
  u64s(buf + 0x200, [0x1234n, 0x1000_0004n, 1n << 11n]);
  expect(call("rt_sigaction", 10, buf + 0x200, 0, 8)).toBe(0);
  u64s(buf + 0x300, [1n << 11n]);
  expect(call("rt_sigprocmask", 0, buf + 0x300, 0, 8)).toBe(0);
  expect(call("kill", 1000, 12)).toBe(0);
  u64s(buf + 0x400, [BigInt(buf + 0x8000), 0n, 0x2000n]);
  expect(call("sigaltstack", buf + 0x400, 0)).toBe(0);
  u64s(buf + 0x500, [0n, 500_000n, 1n, 500_000n]);
  expect(call("setitimer", 0, buf + 0x500, 0)).toBe(0);
  u64s(buf + 0x600, [512n, 1024n]);
  expect(call("prlimit64", 0, 7, buf + 0x600, 0)).toBe(0);
  expect(call("prctl", 15, str("snapname"))).toBe(0);
  call("set_tid_address", buf + 0x800);
  const brk = call("brk", 0);
  expect(call("brk", brk + 0x3000)).toBe(brk + 0x3000);
  // Pages touched, then unmapped: their frames go to the free list.
  k.mem.write(buf + 0x18000, new Uint8Array(0x4000).fill(7));
  expect(call("munmap", buf + 0x18000, 0x4000)).toBe(0);
  u64s(buf + 0x700, [0n, 2500n]);
  wait("nanosleep", buf + 0x700, 0);
  expect(call("getrandom", buf + 0x900, 16, 0)).toBe(16);
  expect(call("read", 0, buf + 0xa00, 3)).toBe(3);
  expect(call("write", 1, buf, 5)).toBe(5);
  expect(call("write", 2, buf, 2)).toBe(2);
  expect(call("clone", 0)).toBe(-38);
  // Threads in every state: 1000 in a timed futex wait, 1001 asleep with its own mask, robust list and
  // alternate stack, 1002 waiting to read an empty pipe, 1003 on the hart with a signal of its own
  // pending, 1004 in the run queue.
  const glibcFlags = 0x3d0f00;
  const tids = [0, 1, 2, 3].map((i) => call("clone", glibcFlags, buf + 0x8000 - i * 0x800, buf + 0xe00 + i * 4, 0x7000 + i, buf + 0xe00 + i * 4));
  expect(tids).toEqual([1001, 1002, 1003, 1004]);
  u64s(buf + 0xf00, [1n, 0n]);
  wait("futex", buf + 0xf10, 0, 0, buf + 0xf00);
  expect(call("gettid")).toBe(1001);
  expect(call("set_robust_list", buf + 0xf40, 24)).toBe(0);
  u64s(buf + 0x400, [BigInt(buf + 0xa000), 0n, 0x2000n]);
  expect(call("sigaltstack", buf + 0x400, 0)).toBe(0);
  u64s(buf + 0x300, [1n << 9n]);
  expect(call("rt_sigprocmask", 0, buf + 0x300, 0, 8)).toBe(0);
  u64s(buf + 0x700, [2n, 0n]);
  wait("nanosleep", buf + 0x700, buf + 0x780);
  expect(call("gettid")).toBe(1002);
  expect(call("pipe2", buf + 0x180, 0)).toBe(0);
  wait("read", new Int32Array(k.mem.read(buf + 0x180, 4)!.buffer)[0]!, buf + 0xb00, 10);
  expect(call("gettid")).toBe(1003);
  expect(call("tgkill", 1000, 1003, 10)).toBe(0);
  return { initial, layer, k, call, buf, readEnd: readEnd!, dev };
}

async function decode(bytes: Uint8Array, c: SnapshotCore): Promise<LinuxLayer> {
  return (await linuxLayerCodec.decode(bytes, hostOf(c))) as LinuxLayer;
}

/** Bytes after the contents area: the magic, the version (one byte) and the contents length precede it. */
function recordsLength(bytes: Uint8Array, contents: number): number {
  let header = 5;
  while (bytes[header]! & 0x80) header++;
  return bytes.length - (header + 1) - contents;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

describe("process-mode layer state", () => {
  it("encodes canonically, and decodes to a kernel that encodes the same and behaves the same", async () => {
    const { initial, layer, k, call, buf, readEnd, dev } = await richMachine();
    if (initial.kind !== "prepared") throw new Error("unreachable");
    const bytes = layer.encode();
    expect(sameBytes(layer.encode(), bytes), "encoding twice").toBe(true);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("EVLX");
    const restored = await decode(bytes, initial.core);
    expect(sameBytes(restored.encode(), bytes), "decode then encode").toBe(true);
    const r: Kernel = restored.kernel;
    expect(r.fs.pathOf(r.cwd)).toBe("/tmp/d");
    expect(r.umask).toBe(0o027);
    expect(new TextDecoder().decode(r.threads.get(1000)!.comm)).toBe("snapname");
    expect(r.signals.isPending(12)).toBe(true);
    expect(r.alarm).toEqual(k.alarm);
    expect(r.clock.sleptNs).toBe(2500n);
    expect(r.random.state).toEqual(k.random.state);
    expect(r.mem.frames.free).toEqual(k.mem.frames.free);
    expect(r.mem.frames.free.length).toBeGreaterThan(0);
    expect(r.stdout.total).toBe(5);
    expect(r.stdin.unread()).toEqual(new TextEncoder().encode("def"));
    expect(r.unsupported.get("clone")).toBe(1);
    expect([...r.threads.all.keys()]).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect([...r.threads.all.values()].map((t) => t.wait?.kind)).toEqual(["futex", "sleep", "retry", undefined, undefined]);
    expect(r.threads.current.tid).toBe(1003);
    expect(r.threads.queue.map((t) => t.tid)).toEqual([1004]);
    expect(r.threads.get(1003)!.signals.pending.has(10)).toBe(true);
    expect(r.threads.get(1001)!.robustList).toBe(buf + 0xf40);
    expect(r.threads.get(1004)!.context).toEqual(k.threads.get(1004)!.context);
    expect(r.threads.sliceEnd).toBe(k.threads.sliceEnd);
    // The same calls on the original and on the restored kernel give the same results.
    const on = (kernel: Kernel) => (name: string, ...args: number[]) =>
      dispatch(kernel, NUMBERS.get(name)!, [...args.map((a) => BigInt.asUintN(64, BigInt(a))), 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6));
    for (const [name, ...args] of [["read", readEnd, buf, 100], ["getdents64", dev, buf + 0x1000, 4096], ["openat", AT_FDCWD, buf, 0, 0], ["lseek", 10, 0, 1]] as const) {
      const a = on(k)(name, ...args);
      const a1 = k.mem.read(buf, 64);
      const b = on(r)(name, ...args);
      expect(b, name).toEqual(a);
      expect(k.mem.read(buf, 64), name).toEqual(a1);
    }
    expect(call("getpid")).toBe(1000);
  });

  it("round-trips states at the kernel's edges: a removed cwd, an open directory outliving its parent, odd times", async () => {
    const { initial, layer, k, call, buf } = await richMachine();
    if (initial.kind !== "prepared") throw new Error("unreachable");
    const path = (s: string) => {
      k.mem.write(buf + 0xc000, new TextEncoder().encode(s + "\0"));
      return buf + 0xc000;
    };
    expect(call("mkdirat", AT_FDCWD, path("/tmp/a"), 0o755)).toBe(0);
    expect(call("mkdirat", AT_FDCWD, path("/tmp/a/b"), 0o755)).toBe(0);
    const open = call("openat", AT_FDCWD, path("/tmp/a/b"), 0o200000, 0);
    expect(call("unlinkat", AT_FDCWD, path("/tmp/a/b"), 0x200)).toBe(0);
    expect(call("unlinkat", AT_FDCWD, path("/tmp/a"), 0x200)).toBe(0);
    expect(open).toBeGreaterThan(2);
    expect(call("unlinkat", AT_FDCWD, path("/tmp/d/f"), 0)).toBe(0);
    expect(call("unlinkat", AT_FDCWD, path("/tmp/d"), 0x200)).toBe(0); // the cwd
    const times = new Uint8Array(32);
    new DataView(times.buffer).setBigInt64(8, 999_999_999n, true);
    new DataView(times.buffer).setBigInt64(16, -1n, true);
    k.mem.write(buf + 0xd000, times);
    expect(call("utimensat", AT_FDCWD, path("/tmp/hard"), buf + 0xd000, 0)).toBe(0);
    const bytes = layer.encode();
    expect(sameBytes((await decode(bytes, initial.core)).encode(), bytes)).toBe(true);
  });

  it("refuses every truncation, trailing bytes and another version", async () => {
    const { initial, layer } = await richMachine();
    if (initial.kind !== "prepared") throw new Error("unreachable");
    const bytes = layer.encode();
    for (let n = 0; n < bytes.length; n++) await expectCorrupt(bytes.subarray(0, n), initial.core, `truncated to ${n}`);
    await expectCorrupt(new Uint8Array([...bytes, 0]), initial.core, "a byte appended");
    const other = bytes.slice();
    other[4] = 10; // version 5, zigzag
    await expect(decode(other, initial.core)).rejects.toThrow(/state version 5/);
  });

  it("a damaged byte anywhere is a corrupt-object error or decodes to exactly the damaged bytes", async () => {
    const { initial, layer, k } = await richMachine();
    if (initial.kind !== "prepared") throw new Error("unreachable");
    const bytes = layer.encode();
    // Every byte of the header and the records; a sample of the file contents, which any bytes are.
    const recordsAt = bytes.length - recordsLength(bytes, k.fs.used);
    const positions = [...Array(bytes.length).keys()].filter((i) => i < 8 || i >= recordsAt || i % 97 === 0);
    const wrong: string[] = [];
    let refused = 0;
    for (const i of positions) {
      for (const flip of [0x01, 0x80]) {
        const damaged = bytes.slice();
        damaged[i]! ^= flip;
        const outcome = await decode(damaged, initial.core).then((l) => l, (e: unknown) => e);
        if (outcome instanceof LinuxLayer) {
          if (!sameBytes(outcome.encode(), damaged)) wrong.push(`byte ${i} ^ ${flip} decoded to another state`);
        } else if (outcome instanceof LayerStateError && outcome.code === "corrupt-object") {
          refused++;
        } else {
          wrong.push(`byte ${i} ^ ${flip}: ${String(outcome)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Most damage to the records breaks a rule (the rest is another valid value, e.g. a count or a time).
    expect(refused).toBeGreaterThan(bytes.length - recordsAt);
  });

  it("step() refuses a snapshot whose layer state is damaged, even stored under its correct ids", async () => {
    const store: ObjectStore = new MemoryStore();
    const options = { core, layers: [linuxLayerCodec] };
    const initial = await prepareLinuxMachine(core, PIE, { args: ["/bin/pie"], memoryLimit: 16 << 20 });
    const id = (await step(initial, {}, 5n, store, options)).snapshotId;
    const { manifest } = await readManifest(store, id);
    const guest = manifest.guest!;
    expect(guest.kind).toBe("linux/4");
    expect(guest.state.chunks).toHaveLength(1);
    const state = (await readChunk(store, guest.state.chunks[0]!, guest.state.length)).content.slice();
    state[state.length - 1] ^= 0x40;
    const chunk = await sha256(state);
    await store.put(objectKey.chunk(chunk), await encodeChunkObject(state, "lz4"));
    const damaged = await encodeManifest({ ...manifest, guest: { kind: guest.kind, state: { length: state.length, chunks: [chunk] } } });
    await store.put(objectKey.manifest(damaged.id), damaged.bytes);
    const error = await step(damaged.id, {}, 100n, store, options).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotError);
    expect((error as SnapshotError).code).toBe("corrupt-object");
    expect((error as SnapshotError).message).toMatch(/process-mode layer state/);
  });
});

async function expectCorrupt(bytes: Uint8Array, c: SnapshotCore, what: string): Promise<void> {
  const error = await decode(bytes, c).then(() => null, (e: unknown) => e);
  expect(error, what).toBeInstanceOf(LayerStateError);
  expect((error as LayerStateError).code, what).toBe("corrupt-object");
}
