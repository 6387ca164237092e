// The FPU (src/core/fpu.ts) against reference vectors produced by a real
// RV64GC implementation (tests/guest/linux/fpu-vectors.c under qemu-riscv64):
// every result bit and every fflags bit must match.
//
// The committed vectors (tests/unit/fpu-vectors.txt) make this test
// self-contained. When qemu-riscv64 and riscv64-linux-gnu-gcc are installed,
// a larger freshly generated set is checked as well.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const VECTORS = join(ROOT, "tests/unit/fpu-vectors.txt");
const GENERATOR = join(ROOT, "tests/guest/linux/fpu-vectors.c");
// The fresh qemu run: random cases per op as a multiple of the committed set,
// and a seed that makes them different cases.
const FRESH_SCALE = 40;
const FRESH_SEED = 1;

type Fn = (...args: (bigint | number)[]) => bigint | number;
type Fpu = Record<string, Fn> & { getFlags(): number; clearFlags(): void };

// Operand/result kinds: binary64 bits (d), binary32 bits (s), integer register (x).
type Kind = "d" | "s" | "x";
interface OpSpec {
  fn: string;
  args: Kind[];
  out: Kind;
  rm: boolean;
  // fmsub/fnmsub/fnmadd: the caller flips these input signs and calls MulAdd.
  negate?: [boolean, boolean, boolean];
}

function opTable(): Map<string, OpSpec> {
  const t = new Map<string, OpSpec>();
  for (const [suffix, k, F] of [["d", "d", "f64"], ["s", "s", "f32"]] as const) {
    t.set(`fadd.${suffix}`, { fn: `${F}Add`, args: [k, k], out: k, rm: true });
    t.set(`fsub.${suffix}`, { fn: `${F}Sub`, args: [k, k], out: k, rm: true });
    t.set(`fmul.${suffix}`, { fn: `${F}Mul`, args: [k, k], out: k, rm: true });
    t.set(`fdiv.${suffix}`, { fn: `${F}Div`, args: [k, k], out: k, rm: true });
    t.set(`fsqrt.${suffix}`, { fn: `${F}Sqrt`, args: [k], out: k, rm: true });
    const fma = (negate: [boolean, boolean, boolean]): OpSpec =>
      ({ fn: `${F}MulAdd`, args: [k, k, k], out: k, rm: true, negate });
    t.set(`fmadd.${suffix}`, fma([false, false, false]));
    t.set(`fmsub.${suffix}`, fma([false, false, true]));
    t.set(`fnmsub.${suffix}`, fma([true, false, false]));
    t.set(`fnmadd.${suffix}`, fma([true, false, true]));
    t.set(`fmin.${suffix}`, { fn: `${F}Min`, args: [k, k], out: k, rm: false });
    t.set(`fmax.${suffix}`, { fn: `${F}Max`, args: [k, k], out: k, rm: false });
    t.set(`feq.${suffix}`, { fn: `${F}Eq`, args: [k, k], out: "x", rm: false });
    t.set(`flt.${suffix}`, { fn: `${F}Lt`, args: [k, k], out: "x", rm: false });
    t.set(`fle.${suffix}`, { fn: `${F}Le`, args: [k, k], out: "x", rm: false });
    t.set(`fclass.${suffix}`, { fn: `${F}Classify`, args: [k], out: "x", rm: false });
    for (const [iname, I] of [["w", "I32"], ["wu", "U32"], ["l", "I64"], ["lu", "U64"]] as const) {
      t.set(`fcvt.${iname}.${suffix}`, { fn: `${F}To${I}`, args: [k], out: "x", rm: true });
      t.set(`fcvt.${suffix}.${iname}`, { fn: `${I.toLowerCase()}To${F === "f64" ? "F64" : "F32"}`, args: ["x"], out: k, rm: true });
    }
  }
  t.set("fcvt.s.d", { fn: "f64ToF32", args: ["d"], out: "s", rm: true });
  t.set("fcvt.d.s", { fn: "f32ToF64", args: ["s"], out: "d", rm: false });
  return t;
}

const OPS = opTable();

interface Vector {
  line: number;
  op: string;
  rm: number; // -1: the instruction has no rounding mode
  operands: bigint[];
  result: bigint;
  flags: number;
}

function parseLine(line: string, lineNo: number): Vector | null {
  const text = line.trim();
  if (text === "" || text.startsWith("#")) return null;
  const f = text.split(" ");
  const n = f.length;
  return {
    line: lineNo,
    op: f[0],
    rm: f[1] === "-" ? -1 : Number(f[1]),
    operands: f.slice(2, n - 2).map((h) => BigInt("0x" + h)),
    result: BigInt("0x" + f[n - 2]),
    flags: parseInt(f[n - 1], 16),
  };
}

function parseVectors(text: string): Vector[] {
  return text.split("\n").flatMap((line, i) => parseLine(line, i + 1) ?? []);
}

const SIGN: Record<Kind, bigint> = { d: 1n << 63n, s: 1n << 31n, x: 0n };

function toArg(kind: Kind, v: bigint): bigint | number {
  return kind === "s" ? Number(v) : v;
}

function fromResult(kind: Kind, r: bigint | number): bigint {
  return kind === "s" ? BigInt((r as number) >>> 0) : BigInt.asUintN(64, r as bigint);
}

interface Outcome {
  result: bigint;
  flags: number;
}

function run(fpu: Fpu, v: Vector): Outcome {
  const spec = OPS.get(v.op);
  if (!spec) throw new Error(`line ${v.line}: unknown op ${v.op}`);
  const args: (bigint | number)[] = spec.args.map((kind, i) => {
    const flip = spec.negate?.[i] ? SIGN[kind] : 0n;
    return toArg(kind, v.operands[i] ^ flip);
  });
  if (spec.rm) args.push(v.rm < 0 ? 0 : v.rm);
  fpu.clearFlags();
  const r = fpu[spec.fn](...args);
  return { result: fromResult(spec.out, r), flags: fpu.getFlags() };
}

// ---------------------------------------------------------------------------
// Readable mismatch reports

const RM_NAMES = ["rne", "rtz", "rdn", "rup", "rmm"];
const FLAG_NAMES: [number, string][] = [[0x10, "NV"], [0x08, "DZ"], [0x04, "OF"], [0x02, "UF"], [0x01, "NX"]];

function flagNames(f: number): string {
  const names = FLAG_NAMES.filter(([bit]) => f & bit).map(([, n]) => n);
  return names.length ? names.join("|") : "-";
}

function describeValue(kind: Kind, v: bigint): string {
  if (kind === "x") return `0x${v.toString(16)}`;
  const view = new DataView(new ArrayBuffer(8));
  if (kind === "d") view.setBigUint64(0, v);
  else view.setUint32(0, Number(v));
  const value = kind === "d" ? view.getFloat64(0) : view.getFloat32(0);
  const digits = kind === "d" ? 16 : 8;
  return `${v.toString(16).padStart(digits, "0")} (${Object.is(value, -0) ? "-0" : value})`;
}

function describeMismatch(v: Vector, got: Outcome): string {
  const spec = OPS.get(v.op)!;
  const rm = v.rm < 0 ? "" : ` ${RM_NAMES[v.rm]}`;
  const ops = v.operands.map((o, i) => describeValue(spec.args[i], o)).join(", ");
  return [
    `line ${v.line}: ${v.op}${rm} ${ops}`,
    `  expected ${describeValue(spec.out, v.result)} flags ${flagNames(v.flags)}`,
    `  got      ${describeValue(spec.out, got.result)} flags ${flagNames(got.flags)}`,
  ].join("\n");
}

interface CheckResult {
  checked: number;
  failures: number;
  report: string;
}

function checkAll(fpu: Fpu, vectors: Iterable<Vector>): CheckResult {
  let checked = 0;
  let failures = 0;
  const shown: string[] = [];
  for (const v of vectors) {
    checked++;
    const got = run(fpu, v);
    if (got.result === v.result && got.flags === v.flags) continue;
    failures++;
    if (shown.length < 12) shown.push(describeMismatch(v, got));
  }
  return { checked, failures, report: `${failures} of ${checked} vectors differ\n${shown.join("\n")}` };
}

// Parses while checking, so a large run never holds all its vectors at once.
function* streamVectors(text: string): Generator<Vector> {
  let start = 0;
  for (let lineNo = 1; start < text.length; lineNo++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const v = parseLine(text.slice(start, end), lineNo);
    if (v) yield v;
    start = end + 1;
  }
}

// The rules of the F/D chapters that the interpreter relies on, spelled out
// (each line is also in the committed vectors, taken from qemu-riscv64).
const SPEC_RULES: [string, string][] = [
  ["an invalid operation gives the canonical NaN", "fadd.d 0 7ff0000000000000 fff0000000000000 7ff8000000000000 10"],
  ["NaN payloads are not propagated", "fadd.s 0 7fc12345 3f800000 7fc00000 00"],
  ["fmin returns the non-NaN operand, NV on a signaling NaN", "fmin.d - 7ff4000000000000 3ff0000000000000 3ff0000000000000 10"],
  ["fmax of two NaNs is the canonical NaN", "fmax.s - 7fc00000 7fa00000 7fc00000 10"],
  ["fmin/fmax order -0 below +0", "fmin.s - 00000000 80000000 80000000 00"],
  ["fmin/fmax order -0 below +0 (max)", "fmax.d - 8000000000000000 0000000000000000 0000000000000000 00"],
  ["feq is quiet on a quiet NaN", "feq.d - 7ff8000000000000 3ff0000000000000 0000000000000000 00"],
  ["flt signals on a quiet NaN", "flt.d - 7ff8000000000000 3ff0000000000000 0000000000000000 10"],
  ["inf * 0 + qNaN raises NV", "fmadd.d 0 7ff0000000000000 0000000000000000 7ff8000000000000 7ff8000000000000 10"],
  ["inf * 0 + qNaN raises NV through fnmsub", "fnmsub.d 0 7ff0000000000000 8000000000000000 7ff8000000000000 7ff8000000000000 10"],
  ["an exact zero FMA sum is +0 in RNE", "fmadd.d 0 3ff0000000000000 4000000000000000 c000000000000000 0000000000000000 00"],
  ["an exact zero FMA sum is -0 in RDN", "fmadd.d 2 3ff0000000000000 4000000000000000 c000000000000000 8000000000000000 00"],
  ["tininess is detected after rounding (RNE: not tiny)", "fmul.s 0 007ffff0 3f800010 00800000 01"],
  ["tininess is detected after rounding (RTZ: tiny)", "fmul.s 1 007ffff0 3f800010 007fffff 03"],
  ["overflow in RNE gives infinity", "fmul.d 0 7fefffffffffffff 4000000000000000 7ff0000000000000 05"],
  ["overflow in RTZ gives the largest finite value", "fmul.d 1 7fefffffffffffff 4000000000000000 7fefffffffffffff 05"],
  ["fcvt.w of NaN saturates to the largest positive value", "fcvt.w.d 0 7ff8000000000000 000000007fffffff 10"],
  ["fcvt.wu results are sign-extended to 64 bits", "fcvt.wu.d 1 41efffffffe00000 ffffffffffffffff 00"],
  ["fcvt.wu of -0.5 rounding to 0 is valid and inexact", "fcvt.wu.d 1 bfe0000000000000 0000000000000000 01"],
  ["fcvt.wu of -0.5 rounding to -1 is invalid", "fcvt.wu.d 2 bfe0000000000000 0000000000000000 10"],
  ["fcvt.l of -2^63 is exact", "fcvt.l.d 0 c3e0000000000000 8000000000000000 00"],
  ["fcvt.lu of 2^64 saturates with NV only", "fcvt.lu.d 0 43f0000000000000 ffffffffffffffff 10"],
];

// ---------------------------------------------------------------------------
// Setup: the FPU compiled alone into a test module

// The project's global types are Workers', which omit compile(); Node has it.
const nodeWasm = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> };

let workDir = "";
let fpu: Fpu;

async function compileFpu(dir: string): Promise<Fpu> {
  const outFile = join(dir, "fpu.wasm");
  let stderr = "";
  const { error } = await asc.main(
    ["src/core/fpu-exports.ts", "--outFile", outFile, "-O3", "--runtime", "stub", "--noAssert", "--use", "abort=", "--baseDir", ROOT],
    { stderr: { write: (s: string | Uint8Array) => { stderr += String(s); return true; } } as never },
  );
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr}`);
  const module = await nodeWasm.compile(readFileSync(outFile));
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as Fpu;
}

function hasCommand(cmd: string): boolean {
  return spawnSync(cmd, ["--version"], { stdio: "ignore" }).status === 0;
}

const HAVE_TOOLCHAIN = hasCommand("qemu-riscv64") && hasCommand("riscv64-linux-gnu-gcc");
if (!HAVE_TOOLCHAIN) {
  process.stderr.write("fpu.test: qemu-riscv64 or riscv64-linux-gnu-gcc missing; only the committed vectors are checked\n");
}

function freshVectors(dir: string): string {
  const exe = join(dir, "fpu-vectors");
  execFileSync("riscv64-linux-gnu-gcc", ["-O2", "-static", "-march=rv64gc", "-o", exe, GENERATOR]);
  return execFileSync("qemu-riscv64", [exe, String(FRESH_SCALE), String(FRESH_SEED)], { maxBuffer: 1 << 30 }).toString();
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "edgevm-fpu-"));
  fpu = await compileFpu(workDir);
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("fpu", () => {
  it("matches the committed RISC-V reference vectors bit for bit", () => {
    const vectors = parseVectors(readFileSync(VECTORS, "utf8"));
    expect(vectors.length).toBeGreaterThan(20000);
    for (const op of new Set(vectors.map((v) => v.op))) expect(OPS.has(op), op).toBe(true);
    const { failures, report } = checkAll(fpu, vectors);
    expect(failures, report).toBe(0);
  });

  it.each(SPEC_RULES)("%s", (_rule, line) => {
    const [v] = parseVectors(line);
    const got = run(fpu, v);
    expect({ result: got.result.toString(16), flags: flagNames(got.flags) }, describeMismatch(v, got))
      .toEqual({ result: v.result.toString(16), flags: flagNames(v.flags) });
  });

  it.skipIf(!HAVE_TOOLCHAIN)("matches a fresh, larger qemu-riscv64 run (needs qemu-riscv64 and riscv64-linux-gnu-gcc)", () => {
    const { checked, failures, report } = checkAll(fpu, streamVectors(freshVectors(workDir)));
    expect(checked).toBeGreaterThan(1_000_000);
    expect(failures, report).toBe(0);
  });

  it("exports every operation of the interface and the fpFlags global", () => {
    const wanted = new Set([...OPS.values()].map((s) => s.fn));
    expect(wanted.size).toBe(42);
    for (const fn of wanted) expect(typeof fpu[fn], fn).toBe("function");
    expect((fpu as unknown as Record<string, unknown>).fpFlags).toBeInstanceOf(WebAssembly.Global);
  });
});
