// The flattened device tree as data: nodes, properties, and the property
// value encodings of the Devicetree Specification v0.4, section 2.2.4
// (<u32> and <u64> cells big-endian, <string> NUL-terminated, <stringlist>
// concatenated NUL-terminated strings, and empty values for booleans).
// fdt-writer.ts turns a tree into a DTB; fdt-reader.ts parses one back.

export interface FdtProperty {
  readonly name: string;
  readonly value: Uint8Array;
}

export interface FdtNode {
  /** Node name with its unit address ("serial@10000000"); "" for the root. */
  readonly name: string;
  readonly properties: FdtProperty[];
  readonly children: FdtNode[];
}

export function fdtNode(name: string, properties: FdtProperty[] = [], children: FdtNode[] = []): FdtNode {
  return { name, properties, children };
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A property of 32-bit cells (<u32> or <prop-encoded-array>). */
export function cellsProp(name: string, ...cells: number[]): FdtProperty {
  const value = new Uint8Array(cells.length * 4);
  const view = new DataView(value.buffer);
  cells.forEach((cell, i) => {
    if (!Number.isInteger(cell) || cell < 0 || cell > 0xffff_ffff) throw new RangeError(`${name}: cell ${cell} is not a u32`);
    view.setUint32(i * 4, cell);
  });
  return { name, value };
}

/** Splits `value` into `cells` 32-bit cells, most significant first (DT spec 2.3.6: reg is address/size cells). */
export function toCells(value: number, cells: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${value} is not an address`);
  const out: number[] = [];
  let rest = BigInt(value);
  for (let i = 0; i < cells; i++) {
    out.unshift(Number(rest & 0xffff_ffffn));
    rest >>= 32n;
  }
  if (rest !== 0n) throw new RangeError(`${value} does not fit in ${cells} cells`);
  return out;
}

/** A `reg` of (address, size) pairs in 2+2 cells, the layout of the virt board's root and /soc. */
export function regProp(...ranges: readonly (readonly [number, number])[]): FdtProperty {
  return cellsProp("reg", ...ranges.flatMap(([base, size]) => [...toCells(base, 2), ...toCells(size, 2)]));
}

export function stringProp(name: string, value: string): FdtProperty {
  return stringListProp(name, [value]);
}

export function stringListProp(name: string, values: readonly string[]): FdtProperty {
  for (const v of values) if (v.includes("\0")) throw new RangeError(`${name}: a string holds a NUL`);
  return { name, value: utf8.encode(values.map((v) => `${v}\0`).join("")) };
}

/** A property whose presence is its meaning (`interrupt-controller`, `ranges` for an identity map). */
export function emptyProp(name: string): FdtProperty {
  return { name, value: new Uint8Array(0) };
}

export function bytesProp(name: string, value: Uint8Array): FdtProperty {
  return { name, value: value.slice() };
}

// --- reading values back (for tests, the CLI and anyone inspecting a tree) ---

/** The child at `path` ("/soc/serial@10000000"), or undefined. */
export function findNode(root: FdtNode, path: string): FdtNode | undefined {
  if (path === "/") return root;
  let node: FdtNode | undefined = root;
  for (const part of path.split("/").filter((p) => p !== "")) {
    node = node.children.find((c) => c.name === part);
    if (!node) return undefined;
  }
  return node;
}

export function findProperty(node: FdtNode, name: string): FdtProperty | undefined {
  return node.properties.find((p) => p.name === name);
}

export function readCells(value: Uint8Array): number[] {
  if (value.length % 4 !== 0) throw new RangeError(`a value of ${value.length} bytes is not a list of cells`);
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return Array.from({ length: value.length / 4 }, (_, i) => view.getUint32(i * 4));
}

export function readStrings(value: Uint8Array): string[] {
  if (value.length === 0 || value[value.length - 1] !== 0) throw new RangeError("a string value must end with NUL");
  return utf8Decoder.decode(value.subarray(0, value.length - 1)).split("\0");
}

/** Every node of the tree with its full path, parents before children. */
export function walkNodes(root: FdtNode): { path: string; node: FdtNode }[] {
  const out: { path: string; node: FdtNode }[] = [];
  const visit = (node: FdtNode, path: string) => {
    out.push({ path, node });
    for (const child of node.children) visit(child, path === "/" ? `/${child.name}` : `${path}/${child.name}`);
  };
  visit(root, "/");
  return out;
}
