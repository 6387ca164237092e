import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cellsProp, emptyProp, fdtNode, findNode, readCells, readStrings, regProp, stringListProp, stringProp, walkNodes } from "../../src/vm/system/fdt.ts";
import { FdtFormatError, readFdt } from "../../src/vm/system/fdt-reader.ts";
import { FDT_MAGIC, writeFdt } from "../../src/vm/system/fdt-writer.ts";

const sample = () =>
  fdtNode(
    "",
    [cellsProp("#address-cells", 2), stringProp("model", "m")],
    [
      fdtNode("a@10", [regProp([0x10, 0x20]), emptyProp("flag")], [fdtNode("deep", [stringListProp("compatible", ["x,y", "z"])])]),
      fdtNode("b", [cellsProp("model", 7)]), // the same property name in two nodes shares one string
    ],
  );

describe("flattened device tree writer and reader", () => {
  it("round-trips a tree with its reservations and header fields", () => {
    const blob = writeFdt(sample(), { reservations: [{ address: 0x8000_0000, size: 0x20_0000 }], bootCpuId: 3 });
    const view = new DataView(blob.buffer);
    expect(view.getUint32(0)).toBe(FDT_MAGIC);
    expect(view.getUint32(4)).toBe(blob.length);
    const parsed = readFdt(blob);
    expect(parsed.header.version).toBe(17);
    expect(parsed.header.lastCompatibleVersion).toBe(16);
    expect(parsed.header.bootCpuId).toBe(3);
    expect(parsed.reservations).toEqual([{ address: 0x8000_0000, size: 0x20_0000 }]);
    expect(parsed.root).toEqual(sample());
    expect(walkNodes(parsed.root).map((n) => n.path)).toEqual(["/", "/a@10", "/a@10/deep", "/b"]);
  });

  it("stores each property name once in the strings block", () => {
    const blob = writeFdt(sample());
    const parsed = readFdt(blob);
    const strings = new TextDecoder().decode(blob.subarray(parsed.header.offStrings, parsed.header.offStrings + parsed.header.sizeStrings));
    expect(strings.split("\0").filter((s) => s === "model")).toHaveLength(1);
  });

  it("encodes values as the DT spec says: big-endian cells, NUL-terminated strings", () => {
    const root = readFdt(writeFdt(sample())).root;
    const a = findNode(root, "/a@10")!;
    expect(Array.from(a.properties[0].value)).toEqual([0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x20]);
    expect(readCells(a.properties[0].value)).toEqual([0, 0x10, 0, 0x20]);
    expect(readStrings(findNode(root, "/a@10/deep")!.properties[0].value)).toEqual(["x,y", "z"]);
    expect(a.properties[1].value.length).toBe(0);
  });

  it("refuses names the DT spec forbids and duplicate properties", () => {
    expect(() => writeFdt(fdtNode("", [], [fdtNode("has space")]))).toThrow(/not valid/);
    expect(() => writeFdt(fdtNode("", [stringProp("x", "1"), stringProp("x", "2")]))).toThrow(/twice/);
    expect(() => writeFdt(fdtNode("", [], [fdtNode("n"), fdtNode("n")]))).toThrow(/two children/);
    expect(() => cellsProp("c", 2 ** 32)).toThrow(RangeError);
  });

  it("rejects a blob with a bad magic, a truncated one and one with an unknown token", () => {
    const blob = writeFdt(sample());
    const badMagic = blob.slice();
    badMagic[0] = 0;
    expect(() => readFdt(badMagic)).toThrow(FdtFormatError);
    expect(() => readFdt(blob.subarray(0, blob.length - 8))).toThrow(/exceeds/);
    const parsed = readFdt(blob);
    const badToken = blob.slice();
    new DataView(badToken.buffer).setUint32(parsed.header.offStruct, 7);
    expect(() => readFdt(badToken)).toThrow(/unknown token 0x7/);
  });

  it("writes blobs that dtc decompiles (when dtc is installed)", (ctx) => {
    const dtc = spawnSync("dtc", ["--version"]);
    if (dtc.error) {
      console.log("SKIP dtc cross-check: dtc is not installed (Debian package device-tree-compiler)");
      ctx.skip();
    }
    const out = spawnSync("dtc", ["-I", "dtb", "-O", "dts", "-"], { input: writeFdt(sample()), encoding: "utf8" });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('compatible = "x,y\\0z";');
    expect(out.stdout).toContain("reg = <0x00 0x10 0x00 0x20>;");
  });
});
