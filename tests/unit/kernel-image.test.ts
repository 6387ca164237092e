import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isKernelImage, parseKernelImageHeader } from "../../src/vm/system/kernel-image.ts";
import { builtImagesDir } from "../support/linux-images.ts";

// A header as Linux 6.1's arch/riscv/kernel/head.S lays it out for RV64.
function header(opts: { magic?: boolean; magic2?: boolean; version?: number; flags?: bigint } = {}) {
  const bytes = new Uint8Array(4096);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x5a4d0013, true); // "MZ" + nop, as an EFI-capable kernel starts
  view.setUint32(4, 0x0400006f, true); // j to the code past the header
  view.setBigUint64(0x08, 0x200000n, true);
  view.setBigUint64(0x10, 0x2c3000n, true);
  view.setBigUint64(0x18, opts.flags ?? 0n, true);
  view.setUint32(0x20, opts.version ?? 2, true);
  if (opts.magic ?? true) bytes.set([0x52, 0x49, 0x53, 0x43, 0x56, 0, 0, 0], 0x30);
  if (opts.magic2 ?? true) bytes.set([0x52, 0x53, 0x43, 0x05], 0x38);
  return bytes;
}

describe("RISC-V Linux Image header", () => {
  it("reads a version 0.2 header", () => {
    expect(parseKernelImageHeader(header())).toEqual({
      textOffset: 0x200000n,
      imageSize: 0x2c3000n,
      flags: 0n,
      bigEndian: false,
      version: { major: 0, minor: 2 },
    });
  });

  it("accepts either magic alone (0.1 headers have only the first)", () => {
    expect(isKernelImage(header({ magic2: false, version: 1 }))).toBe(true);
    expect(isKernelImage(header({ magic: false }))).toBe(true);
  });

  it("reports the big-endian flag", () => {
    expect(parseKernelImageHeader(header({ flags: 1n }))?.bigEndian).toBe(true);
  });

  it("rejects files without the magic, short files and ELF files", () => {
    expect(parseKernelImageHeader(header({ magic: false, magic2: false }))).toBeNull();
    expect(isKernelImage(header().subarray(0, 63))).toBe(false);
    const elf = new Uint8Array(4096);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    expect(isKernelImage(elf)).toBe(false);
  });

  it("reads a header at an offset inside a larger buffer", () => {
    const outer = new Uint8Array(8192);
    outer.set(header(), 100);
    expect(parseKernelImageHeader(outer.subarray(100))?.textOffset).toBe(0x200000n);
  });

  const dir = builtImagesDir();
  it.skipIf(!dir)("recognises the Image built by `npm run images`", () => {
    const image = readFileSync(`${dir}/Image`);
    const parsed = parseKernelImageHeader(image);
    expect(parsed?.textOffset).toBe(0x200000n);
    expect(parsed?.version).toEqual({ major: 0, minor: 2 });
    expect(Number(parsed?.imageSize)).toBeGreaterThanOrEqual(image.length);
    expect(isKernelImage(readFileSync(`${dir}/initramfs.cpio.gz`))).toBe(false);
  });
  if (!dir) console.log("kernel-image: built Image absent (run `npm run images`); skipping its check");
});
