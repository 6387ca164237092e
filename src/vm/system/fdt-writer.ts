// Writes a device tree as a flattened device tree blob (Devicetree
// Specification v0.4, chapter 5): a 40-byte header, the memory reservation
// block, the structure block and the strings block, all big-endian, version
// 17 (compatible back to 16, as libfdt writes it).
import type { FdtNode } from "./fdt.ts";

export const FDT_MAGIC = 0xd00d_feed;
export const FDT_VERSION = 17;
export const FDT_LAST_COMPATIBLE_VERSION = 16;
export const FDT_HEADER_SIZE = 40;

/** Structure block tokens (DT spec 5.4.1). */
export const FdtToken = { BeginNode: 1, EndNode: 2, Prop: 3, Nop: 4, End: 9 } as const;

/** A region the client must not use (DT spec 5.3: /memreserve/ entries), in bytes. */
export interface FdtReservation {
  readonly address: number;
  readonly size: number;
}

export interface FdtWriteOptions {
  readonly reservations?: readonly FdtReservation[];
  /** Physical id of the boot CPU (header field boot_cpuid_phys). */
  readonly bootCpuId?: number;
}

// DT spec 2.2.1 and 2.2.4.1: names of 1..31 characters from a fixed set.
const NODE_NAME = /^[A-Za-z0-9,._+-]{1,31}(@[A-Za-z0-9,._+-]+)?$/;
const PROPERTY_NAME = /^[A-Za-z0-9,._+?#-]{1,31}$/;

/** Grows as it is written; big-endian words. */
class ByteSink {
  private bytes = new Uint8Array(1024);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u32(value: number): void {
    this.reserve(4);
    new DataView(this.bytes.buffer).setUint32(this.length, value);
    this.length += 4;
  }

  u64(value: number): void {
    this.u32(Math.floor(value / 2 ** 32));
    this.u32(value >>> 0);
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** Zero bytes up to a multiple of `alignment`. */
  align(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.raw(new Uint8Array(pad));
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** The strings block: each property name once, referred to by offset. */
class StringsBlock {
  private readonly offsets = new Map<string, number>();
  private readonly sink = new ByteSink();
  private readonly encoder = new TextEncoder();

  offsetOf(name: string): number {
    const known = this.offsets.get(name);
    if (known !== undefined) return known;
    const offset = this.sink.length;
    this.sink.raw(this.encoder.encode(`${name}\0`));
    this.offsets.set(name, offset);
    return offset;
  }

  result(): Uint8Array {
    return this.sink.result();
  }
}

function writeNode(node: FdtNode, isRoot: boolean, struct: ByteSink, strings: StringsBlock): void {
  if (!isRoot && !NODE_NAME.test(node.name)) throw new RangeError(`device-tree node name "${node.name}" is not valid (DT spec 2.2.1)`);
  if (isRoot && node.name !== "") throw new RangeError("the root node's name must be empty");
  struct.u32(FdtToken.BeginNode);
  struct.raw(new TextEncoder().encode(`${node.name}\0`));
  struct.align(4);
  const seen = new Set<string>();
  for (const prop of node.properties) {
    if (!PROPERTY_NAME.test(prop.name)) throw new RangeError(`device-tree property name "${prop.name}" is not valid (DT spec 2.2.4.1)`);
    if (seen.has(prop.name)) throw new RangeError(`node "${node.name}" has property "${prop.name}" twice`);
    seen.add(prop.name);
    struct.u32(FdtToken.Prop);
    struct.u32(prop.value.length);
    struct.u32(strings.offsetOf(prop.name));
    struct.raw(prop.value);
    struct.align(4);
  }
  const names = new Set<string>();
  for (const child of node.children) {
    if (names.has(child.name)) throw new RangeError(`node "${node.name}" has two children named "${child.name}"`);
    names.add(child.name);
    writeNode(child, false, struct, strings);
  }
  struct.u32(FdtToken.EndNode);
}

/** The DTB of `root` (the root node must be named ""). */
export function writeFdt(root: FdtNode, options: FdtWriteOptions = {}): Uint8Array {
  const struct = new ByteSink();
  const strings = new StringsBlock();
  writeNode(root, true, struct, strings);
  struct.u32(FdtToken.End);
  const structBytes = struct.result();
  const stringBytes = strings.result();

  const reservations = new ByteSink();
  for (const r of options.reservations ?? []) {
    if (!Number.isSafeInteger(r.address) || !Number.isSafeInteger(r.size) || r.address < 0 || r.size <= 0) {
      throw new RangeError(`memory reservation ${r.address}+${r.size} is not a region`);
    }
    reservations.u64(r.address);
    reservations.u64(r.size);
  }
  reservations.u64(0); // the list ends with an all-zero entry (DT spec 5.3.2)
  reservations.u64(0);
  const reservationBytes = reservations.result();

  // Header, then the blocks in the order libfdt uses; the reservation block
  // must be 8-aligned and the structure block 4-aligned (DT spec 5.3, 5.4).
  const offReservations = FDT_HEADER_SIZE; // 40 is a multiple of 8
  const offStruct = offReservations + reservationBytes.length;
  const offStrings = offStruct + structBytes.length;
  const total = offStrings + stringBytes.length;

  const out = new ByteSink();
  out.u32(FDT_MAGIC);
  out.u32(total);
  out.u32(offStruct);
  out.u32(offStrings);
  out.u32(offReservations);
  out.u32(FDT_VERSION);
  out.u32(FDT_LAST_COMPATIBLE_VERSION);
  out.u32(options.bootCpuId ?? 0);
  out.u32(stringBytes.length);
  out.u32(structBytes.length);
  out.raw(reservationBytes);
  out.raw(structBytes);
  out.raw(stringBytes);
  return out.result();
}
