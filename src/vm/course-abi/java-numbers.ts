// Java's Float.toString / Double.toString (RARS prints floats with them):
// the shortest digits that read back as the same value, with at least one
// digit after the point, in plain form for 1e-3 <= |x| < 1e7 and as
// d.dddE<n> otherwise ("1.0E7", "1.5E-4").

function format(x: number, digits: (x: number) => string): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  const sci = digits(a); // shortest, as d.ddde±n
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(sci)!;
  const mantissa = m[1] + (m[2] ?? "");
  const exp = Number(m[3]);
  if (a >= 1e-3 && a < 1e7) {
    let s: string;
    if (exp >= 0) {
      const int = mantissa.slice(0, exp + 1).padEnd(exp + 1, "0");
      const frac = mantissa.slice(exp + 1);
      s = `${int}.${frac === "" ? "0" : frac}`;
    } else s = `0.${"0".repeat(-exp - 1)}${mantissa}`;
    return sign + s;
  }
  return `${sign}${mantissa[0]}.${mantissa.slice(1) || "0"}E${exp}`;
}

export function javaDouble(x: number): string {
  return format(x, (a) => a.toExponential());
}

export function javaFloat(x: number): string {
  return format(x, (a) => {
    for (let p = 1; p <= 9; p++) {
      const s = a.toExponential(p - 1);
      if (Math.fround(Number(s)) === a) return s;
    }
    return a.toExponential(8);
  });
}

/** A number as Java's parseDouble accepts it (decimal or scientific), or null. */
export function parseJavaNumber(text: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(text) && !/^[+-]?(NaN|Infinity)$/.test(text)) return null;
  return Number(text.replace(/[fFdD]$/, ""));
}
