// A virtio-blk disk's contents: a copy of the host image that the guest may
// change (the host file is never written), with the chunks it changed
// tracked, as guest RAM's pages are, for snapshots that store only what changed.
export const DISK_SECTOR = 512;
export const DISK_CHUNK_BYTES = 64 * 1024;

export class DiskImage {
  readonly bytes: Uint8Array;
  /** Chunks (DISK_CHUNK_BYTES each) written since the last clearDirty(). */
  readonly dirty = new Set<number>();

  constructor(image: Uint8Array) {
    this.bytes = image.slice();
  }

  /** Whole sectors; a partial last sector is not addressable (as under QEMU). */
  get sectors(): bigint {
    return BigInt(Math.floor(this.bytes.length / DISK_SECTOR));
  }

  /** Whether [sector, sector + bytes) lies inside the disk. */
  holds(sector: bigint, bytes: number): boolean {
    return sector >= 0n && sector * BigInt(DISK_SECTOR) + BigInt(bytes) <= this.sectors * BigInt(DISK_SECTOR);
  }

  read(sector: bigint, bytes: number): Uint8Array {
    const at = Number(sector) * DISK_SECTOR;
    return this.bytes.subarray(at, at + bytes);
  }

  write(sector: bigint, data: Uint8Array): void {
    if (data.length === 0) return;
    const at = Number(sector) * DISK_SECTOR;
    this.bytes.set(data, at);
    for (let c = Math.floor(at / DISK_CHUNK_BYTES); c <= Math.floor((at + data.length - 1) / DISK_CHUNK_BYTES); c++) this.dirty.add(c);
  }

  clearDirty(): void {
    this.dirty.clear();
  }
}
