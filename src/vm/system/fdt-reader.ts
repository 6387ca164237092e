// Parses a flattened device tree blob back into nodes (Devicetree
// Specification v0.4, chapter 5). Strict: a blob that is truncated, points
// outside itself or nests nodes wrongly is rejected with FdtFormatError, so
// tests comparing trees compare real structure.
import type { FdtNode, FdtProperty } from "./fdt.ts";
import { FDT_HEADER_SIZE, FDT_MAGIC, FdtToken, type FdtReservation } from "./fdt-writer.ts";

export class FdtFormatError extends Error {
  constructor(message: string) {
    super(`not a valid device tree blob: ${message}`);
    this.name = "FdtFormatError";
  }
}

export interface FdtHeader {
  readonly totalSize: number;
  readonly offStruct: number;
  readonly offStrings: number;
  readonly offReservations: number;
  readonly version: number;
  readonly lastCompatibleVersion: number;
  readonly bootCpuId: number;
  readonly sizeStrings: number;
  readonly sizeStruct: number;
}

export interface ParsedFdt {
  readonly header: FdtHeader;
  readonly reservations: FdtReservation[];
  readonly root: FdtNode;
}

function readHeader(view: DataView): FdtHeader {
  if (view.byteLength < FDT_HEADER_SIZE) throw new FdtFormatError(`${view.byteLength} bytes is shorter than the header`);
  if (view.getUint32(0) !== FDT_MAGIC) throw new FdtFormatError(`magic 0x${view.getUint32(0).toString(16)} is not 0xd00dfeed`);
  const header: FdtHeader = {
    totalSize: view.getUint32(4),
    offStruct: view.getUint32(8),
    offStrings: view.getUint32(12),
    offReservations: view.getUint32(16),
    version: view.getUint32(20),
    lastCompatibleVersion: view.getUint32(24),
    bootCpuId: view.getUint32(28),
    sizeStrings: view.getUint32(32),
    sizeStruct: view.getUint32(36),
  };
  // Version 17 readers accept blobs whose last compatible version is 16 or 17 (DT spec 5.2).
  if (header.lastCompatibleVersion > 17 || header.version < 16) {
    throw new FdtFormatError(`version ${header.version} (compatible with ${header.lastCompatibleVersion}) is not 16 or 17`);
  }
  if (header.totalSize > view.byteLength) throw new FdtFormatError(`totalsize ${header.totalSize} exceeds the ${view.byteLength} bytes given`);
  const within = (off: number, size: number) => off >= FDT_HEADER_SIZE && off + size <= header.totalSize;
  if (!within(header.offStrings, header.sizeStrings)) throw new FdtFormatError("the strings block lies outside the blob");
  if (!within(header.offStruct, header.version >= 17 ? header.sizeStruct : 0)) throw new FdtFormatError("the structure block lies outside the blob");
  if (header.offStruct % 4 !== 0) throw new FdtFormatError("the structure block is not 4-byte aligned");
  if (header.offReservations % 8 !== 0 || !within(header.offReservations, 16)) {
    throw new FdtFormatError("the memory reservation block is misplaced");
  }
  return header;
}

function readReservations(view: DataView, header: FdtHeader): FdtReservation[] {
  const out: FdtReservation[] = [];
  for (let at = header.offReservations; ; at += 16) {
    if (at + 16 > header.totalSize) throw new FdtFormatError("the memory reservation list has no terminating entry");
    const address = view.getBigUint64(at);
    const size = view.getBigUint64(at + 8);
    if (address === 0n && size === 0n) return out;
    if (address > BigInt(Number.MAX_SAFE_INTEGER) || size > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FdtFormatError("a memory reservation is beyond 2^53");
    }
    out.push({ address: Number(address), size: Number(size) });
  }
}

/** Parses `blob`; its header's totalsize may be smaller than the array (QEMU pads its dumps). */
export function readFdt(blob: Uint8Array): ParsedFdt {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const header = readHeader(view);
  const reservations = readReservations(view, header);
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const structEnd = header.version >= 17 ? header.offStruct + header.sizeStruct : header.totalSize;

  let at = header.offStruct;
  const word = (): number => {
    if (at + 4 > structEnd) throw new FdtFormatError("the structure block ends inside a token");
    const value = view.getUint32(at);
    at += 4;
    return value;
  };
  /** The NUL-terminated string at `from` and the offset just past its NUL. */
  const cString = (from: number, limit: number, what: string): [string, number] => {
    let end = from;
    while (end < limit && blob[end] !== 0) end++;
    if (end >= limit) throw new FdtFormatError(`${what} is not NUL-terminated`);
    return [decoder.decode(blob.subarray(from, end)), end + 1];
  };
  const propertyName = (offset: number): string => {
    if (offset >= header.sizeStrings) throw new FdtFormatError(`property name offset ${offset} is outside the strings block`);
    return cString(header.offStrings + offset, header.offStrings + header.sizeStrings, "a property name")[0];
  };

  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  for (;;) {
    const token = word();
    if (token === FdtToken.Nop) continue;
    if (token === FdtToken.BeginNode) {
      const [name, afterName] = cString(at, structEnd, "a node name");
      at = (afterName + 3) & ~3;
      const node: FdtNode = { name, properties: [], children: [] };
      if (stack.length === 0) {
        if (root) throw new FdtFormatError("a second root node");
        root = node;
      } else {
        stack[stack.length - 1].children.push(node);
      }
      stack.push(node);
    } else if (token === FdtToken.Prop) {
      const node = stack[stack.length - 1];
      if (!node) throw new FdtFormatError("a property outside any node");
      const length = word();
      const name = propertyName(word());
      if (at + length > structEnd) throw new FdtFormatError(`property ${name} runs past the structure block`);
      const property: FdtProperty = { name, value: blob.slice(at, at + length) };
      node.properties.push(property);
      at += (length + 3) & ~3;
    } else if (token === FdtToken.EndNode) {
      if (!stack.pop()) throw new FdtFormatError("an END_NODE with no open node");
    } else if (token === FdtToken.End) {
      if (stack.length !== 0 || !root) throw new FdtFormatError("FDT_END with nodes still open");
      return { header, reservations, root };
    } else {
      throw new FdtFormatError(`unknown token 0x${token.toString(16)} at offset ${at - 4}`);
    }
  }
}
