// Guest physical memory as a device sees it (DMA): bounds-checked reads and
// writes of RAM that keep the core's page flags true (a written page is
// dirty for snapshots and its decoded instructions are dropped).
import { RAM_BASE } from "../elf.ts";
import type { SystemCoreExports } from "./system-core.ts";

/** A device touched memory outside RAM: the request is in error, the machine is not. */
export class DmaError extends Error {
  override name = "DmaError";
}

export class GuestMemory {
  constructor(private readonly core: SystemCoreExports) {}

  /** A fresh view of RAM [offset, offset + length), backed first (backing may detach older views). */
  private view(paddr: bigint, length: number): Uint8Array {
    const size = BigInt(this.core.ramSize() >>> 0);
    if (paddr < RAM_BASE || paddr + BigInt(length) > RAM_BASE + size) {
      throw new DmaError(`DMA to ${length} bytes at 0x${paddr.toString(16)}, outside RAM`);
    }
    const offset = Number(paddr - RAM_BASE);
    if ((this.core.ramBacked() >>> 0) < offset + length && this.core.backRam(offset + length) === 0) {
      throw new DmaError("the host has no memory left to back guest RAM");
    }
    return new Uint8Array(this.core.memory.buffer, (this.core.ramOffset() >>> 0) + offset, length);
  }

  read(paddr: bigint, length: number): Uint8Array {
    return this.view(paddr, length).slice();
  }

  write(paddr: bigint, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.view(paddr, bytes.length).set(bytes);
    this.core.dmaWritten(paddr, bytes.length);
  }

  u16(paddr: bigint): number {
    const b = this.view(paddr, 2);
    return b[0]! | (b[1]! << 8);
  }

  u32(paddr: bigint): number {
    const b = this.view(paddr, 4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  u64(paddr: bigint): bigint {
    return BigInt(this.u32(paddr)) | (BigInt(this.u32(paddr + 4n)) << 32n);
  }

  setU16(paddr: bigint, v: number): void {
    this.write(paddr, new Uint8Array([v & 0xff, (v >>> 8) & 0xff]));
  }

  setU32(paddr: bigint, v: number): void {
    this.write(paddr, new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]));
  }
}
