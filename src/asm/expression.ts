// GNU as expressions. Precedence follows gas (expr.c op_rank), which differs
// from C: `* / % << >>` bind tightest, then `| ^ & !`, then `+ -`, then the
// comparisons, then `&&`, then `||`. Values are 64-bit (BigInt, wrapped).

export type Expr =
  | { k: "num"; v: bigint }
  | { k: "sym"; name: string }
  | { k: "un"; op: string; a: Expr }
  | { k: "bin"; op: string; a: Expr; b: Expr };

/** A relocatable value: addend + plus - minus, where plus/minus are symbol names. */
export interface Value {
  addend: bigint;
  plus: string | null;
  minus: string | null;
}

export class ExprError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface NameHooks {
  /** Maps `1b`/`1f` to the name of that numeric label instance. */
  localLabel(n: string, dir: "b" | "f"): string;
  /** The name of a symbol for the current location (`.`). */
  dot(): string;
}

const RANK: Record<string, number> = {
  "*": 5, "/": 5, "%": 5, "<<": 5, ">>": 5,
  "|": 4, "^": 4, "&": 4, "!": 4,
  "+": 3, "-": 3,
  "==": 2, "!=": 2, "<>": 2, "<": 2, ">": 2, "<=": 2, ">=": 2,
  "&&": 1,
  "||": 0,
};

const OPS = ["<<", ">>", "==", "!=", "<>", "<=", ">=", "&&", "||", "*", "/", "%", "|", "^", "&", "!", "+", "-", "<", ">"];

const PLAIN_DECIMAL = /^-?[0-9]{1,15}$/;
const PLAIN_NAME = /^[A-Za-z_$][\w.$]*$/;

export function parseExpr(text: string, hooks: NameHooks): Expr {
  // Fast paths for what most operands are: a small decimal, or a symbol name.
  if (PLAIN_DECIMAL.test(text) && (text.length === 1 || text[text[0] === "-" ? 1 : 0] !== "0")) return { k: "num", v: BigInt(text) };
  if (PLAIN_NAME.test(text)) return { k: "sym", name: text };
  let i = 0;
  const n = text.length;
  const skip = () => {
    while (i < n && (text[i] === " " || text[i] === "\t")) i++;
  };
  const primary = (): Expr => {
    skip();
    if (i >= n) throw new ExprError("expected an expression", i);
    const c = text[i];
    if (c === "(") {
      i++;
      const e = binary(0);
      skip();
      if (text[i] !== ")") throw new ExprError("expected ')'", i);
      i++;
      return e;
    }
    if (c === "-" || c === "~" || c === "+" || c === "!") {
      i++;
      const a = primary();
      return c === "+" ? a : { k: "un", op: c, a };
    }
    if (c === "'") {
      i++;
      let ch: number;
      if (text[i] === "\\") {
        const esc = text[i + 1];
        ch = ESCAPES[esc] ?? esc.charCodeAt(0);
        i += 2;
      } else {
        ch = text.charCodeAt(i);
        i++;
      }
      if (text[i] === "'") i++;
      return { k: "num", v: BigInt(ch) };
    }
    if (c >= "0" && c <= "9") {
      const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)([bBfF](?![\w$]))?/.exec(text.slice(i));
      if (!m) throw new ExprError("bad number", i);
      i += m[0].length;
      if (m[2]) {
        if (!/^\d+$/.test(m[1])) throw new ExprError(`bad local label reference '${m[0]}'`, i);
        return { k: "sym", name: hooks.localLabel(m[1], m[2].toLowerCase() as "b" | "f") };
      }
      if (/[\w$.]/.test(text[i] ?? "")) throw new ExprError(`bad number '${m[0]}${text[i]}'`, i);
      return { k: "num", v: parseNumber(m[1]) };
    }
    const m = /^[A-Za-z_.$][\w.$]*/.exec(text.slice(i));
    if (m) {
      i += m[0].length;
      if (m[0] === ".") return { k: "sym", name: hooks.dot() };
      return { k: "sym", name: m[0] };
    }
    throw new ExprError(`unexpected '${c}' in expression`, i);
  };
  const binary = (minRank: number): Expr => {
    let left = primary();
    for (;;) {
      skip();
      let op: string | undefined;
      for (const o of OPS) if (text.startsWith(o, i)) { op = o; break; }
      if (!op || RANK[op] < minRank) return left;
      i += op.length;
      const right = binary(RANK[op] + 1);
      left = { k: "bin", op, a: left, b: right };
    }
  };
  const e = binary(0);
  skip();
  if (i < n) throw new ExprError(`unexpected '${text.slice(i)}' after expression`, i);
  return e;
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, "0": 0, "\\": 92, "'": 39, '"': 34, b: 8, f: 12, v: 11, a: 7 };

function parseNumber(s: string): bigint {
  if (/^0[bB]/.test(s)) return BigInt(s);
  if (/^0[xX]/.test(s)) return BigInt(s);
  if (s.length > 1 && s[0] === "0") return BigInt("0o" + s.slice(1));
  return BigInt(s);
}

export const wrap64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Looks a symbol up: a known constant, or a symbol that stays symbolic. */
export type Resolve = (name: string) => bigint | null;

export class NotAbsolute extends Error {}

/**
 * Evaluates to addend + plus - minus. `resolve` returns a constant for
 * absolute symbols (.equ, and labels whose distance is already known when
 * the caller can fold them), or null to leave the symbol relocatable.
 */
export function evaluate(e: Expr, resolve: Resolve, distance?: Distance): Value {
  const absolute = (v: Value): bigint => {
    if (v.plus !== null && v.minus !== null && distance) {
      const d = distance(v.plus, v.minus);
      if (d !== null) return wrap64(v.addend + d);
    }
    return absoluteOf(v);
  };
  const evaluate2 = (x: Expr) => evaluate(x, resolve, distance);
  switch (e.k) {
    case "num":
      return { addend: e.v, plus: null, minus: null };
    case "sym": {
      const v = resolve(e.name);
      return v === null ? { addend: 0n, plus: e.name, minus: null } : { addend: v, plus: null, minus: null };
    }
    case "un": {
      const a = evaluate2(e.a);
      if (e.op === "-") {
        if (a.plus === null && a.minus === null) return { addend: wrap64(-a.addend), plus: null, minus: null };
        if (a.minus === null || a.plus === null) return { addend: wrap64(-a.addend), plus: a.minus, minus: a.plus };
        throw new NotAbsolute("expression is too complex");
      }
      const v = absolute(a);
      if (e.op === "~") return abs(wrap64(~v));
      return abs(v === 0n ? 1n : 0n);
    }
    case "bin": {
      const a = evaluate2(e.a);
      const b = evaluate2(e.b);
      if (e.op === "+") return add(a, b, 1n);
      if (e.op === "-") return add(a, b, -1n);
      const x = absolute(a);
      const y = absolute(b);
      switch (e.op) {
        case "*": return abs(wrap64(x * y));
        case "/": if (y === 0n) throw new NotAbsolute("division by zero"); return abs(wrap64(x / y));
        case "%": if (y === 0n) throw new NotAbsolute("division by zero"); return abs(wrap64(x % y));
        case "<<": return abs(wrap64(x << (y & 63n)));
        case ">>": return abs(wrap64(x >> (y & 63n)));
        case "|": return abs(x | y);
        case "&": return abs(x & y);
        case "^": return abs(x ^ y);
        case "!": return abs(wrap64(x | ~y));
        // gas comparisons yield -1 for true.
        case "==": return abs(x === y ? -1n : 0n);
        case "!=": case "<>": return abs(x !== y ? -1n : 0n);
        case "<": return abs(x < y ? -1n : 0n);
        case ">": return abs(x > y ? -1n : 0n);
        case "<=": return abs(x <= y ? -1n : 0n);
        case ">=": return abs(x >= y ? -1n : 0n);
        case "&&": return abs(x !== 0n && y !== 0n ? 1n : 0n);
        case "||": return abs(x !== 0n || y !== 0n ? 1n : 0n);
      }
      throw new NotAbsolute(`unknown operator ${e.op}`);
    }
  }
}

const abs = (v: bigint): Value => ({ addend: v, plus: null, minus: null });

/** Distance plus - minus between two labels when it is already known, else null. */
export type Distance = (plus: string, minus: string) => bigint | null;

function absoluteOf(v: Value): bigint {
  if (v.plus !== null || v.minus !== null) throw new NotAbsolute(`symbol '${v.plus ?? v.minus}' is not a constant here`);
  return v.addend;
}

function add(a: Value, b: Value, sign: bigint): Value {
  const addend = wrap64(a.addend + sign * b.addend);
  const bp = sign > 0n ? b.plus : b.minus;
  const bm = sign > 0n ? b.minus : b.plus;
  let plus = a.plus;
  let minus = a.minus;
  for (const p of [bp]) if (p !== null) {
    if (minus === p) minus = null;
    else if (plus === null) plus = p;
    else throw new NotAbsolute("expression is too complex");
  }
  for (const m of [bm]) if (m !== null) {
    if (plus === m) plus = null;
    else if (minus === null) minus = m;
    else throw new NotAbsolute("expression is too complex");
  }
  return { addend, plus, minus };
}

/** Names of all symbols an expression mentions. */
export function symbolsOf(e: Expr, out: string[] = []): string[] {
  if (e.k === "sym") out.push(e.name);
  else if (e.k === "un") symbolsOf(e.a, out);
  else if (e.k === "bin") { symbolsOf(e.a, out); symbolsOf(e.b, out); }
  return out;
}
