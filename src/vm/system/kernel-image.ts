// Recognises a RISC-V Linux kernel `Image` by its 64-byte header, as ELF
// kernels are recognised by theirs. Layout: Linux
// Documentation/riscv/boot-image-header.rst (header version 0.2):
//
//   0x00 code0, code1   (u32 each: the first instructions, a jump past it)
//   0x08 text_offset    (u64 LE: load offset from the start of RAM)
//   0x10 image_size     (u64 LE: bytes the kernel occupies once loaded)
//   0x18 flags          (u64 LE: bit 0 = big-endian kernel)
//   0x20 version        (u32 LE: major << 16 | minor)
//   0x24 res1, 0x28 res2
//   0x30 magic          "RISCV\0\0\0" (deprecated since 0.2, still written)
//   0x38 magic2         "RSC\x05"
//   0x3c res3           (the PE/COFF header offset for EFI stubs)
//
// Pure: bytes in, a header or null out; no file system, so the CLI, the
// service and the board can all call it.

export const KERNEL_IMAGE_HEADER_SIZE = 64;

const MAGIC_OFFSET = 0x30;
const MAGIC = [0x52, 0x49, 0x53, 0x43, 0x56, 0, 0, 0]; // "RISCV\0\0\0"
const MAGIC2_OFFSET = 0x38;
const MAGIC2 = [0x52, 0x53, 0x43, 0x05]; // "RSC\x05"
const FLAG_BIG_ENDIAN = 1n;

export interface KernelImageHeader {
  /** Where the kernel wants to sit, relative to the start of RAM (0x20_0000 on RV64). */
  textOffset: bigint;
  /** Bytes the loaded kernel occupies (text, data and bss); 0 from kernels too old to say. */
  imageSize: bigint;
  flags: bigint;
  bigEndian: boolean;
  /** Header version; 0.1 headers carry only the first magic. */
  version: { major: number; minor: number };
}

function matches(bytes: Uint8Array, offset: number, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[offset + i] === b);
}

/** True when `bytes` starts with a RISC-V Linux Image header (either magic). */
export function isKernelImage(bytes: Uint8Array): boolean {
  return (
    bytes.length >= KERNEL_IMAGE_HEADER_SIZE &&
    (matches(bytes, MAGIC2_OFFSET, MAGIC2) || matches(bytes, MAGIC_OFFSET, MAGIC))
  );
}

/** The header's fields, or null when `bytes` is not a RISC-V Image. */
export function parseKernelImageHeader(bytes: Uint8Array): KernelImageHeader | null {
  if (!isKernelImage(bytes)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, KERNEL_IMAGE_HEADER_SIZE);
  const flags = view.getBigUint64(0x18, true);
  const version = view.getUint32(0x20, true);
  return {
    textOffset: view.getBigUint64(0x08, true),
    imageSize: view.getBigUint64(0x10, true),
    flags,
    bigEndian: (flags & FLAG_BIG_ENDIAN) !== 0n,
    version: { major: version >>> 16, minor: version & 0xffff },
  };
}
