// Source text -> statements. This is the layer below directives and
// instructions: comments, `;` separators, labels, the operation word and its
// comma-separated operands, with a 1-based column for each so diagnostics can
// point at the operand that is wrong. Macro expansion and `.include` work on
// these lines (see preprocess.ts).

import type { SourcePosition } from "./diagnostics.ts";

export interface Operand {
  text: string;
  column: number;
}

export interface Statement {
  file: string;
  line: number;
  /** Labels defined before the operation (`loop: 1: addi ...`). */
  labels: { name: string; column: number }[];
  /** Lower-cased operation (`addi`, `.word`), or "" for a label-only line. */
  op: string;
  /** The operation word as written (for `Sym = value`). */
  word: string;
  opColumn: number;
  operands: Operand[];
  /** The operand text as written, for directives that take free text. */
  rest: string;
  restColumn: number;
}

export interface LogicalLine {
  file: string;
  line: number;
  text: string;
  /** Column in the original line where `text` starts. */
  column: number;
}

/**
 * Splits a whole file into logical lines: `#` and `//` comments removed,
 * `/* *\/` comments blanked (they may span lines), and `;` separating
 * statements. Strings and character literals are respected throughout.
 */
export function splitLines(file: string, text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let inBlock = false;
  const lines = text.split("\n");
  for (let li = 0; li < lines.length; li++) {
    let raw = lines[li];
    if (raw.endsWith("\r")) raw = raw.slice(0, -1);
    // Most lines have no string, comment or separator: take them whole.
    if (!inBlock && !/["'#;/]/.test(raw)) {
      if (raw.trim() !== "") out.push({ file, line: li + 1, text: raw, column: 1 });
      continue;
    }
    let cur = "";
    let start = 0;
    let i = 0;
    const push = (end: number) => {
      if (cur.trim() !== "") out.push({ file, line: li + 1, text: cur, column: start + 1 });
      cur = "";
      start = end;
    };
    while (i < raw.length) {
      const c = raw[i];
      if (inBlock) {
        if (c === "*" && raw[i + 1] === "/") {
          inBlock = false;
          cur += "  ";
          i += 2;
        } else {
          cur += " ";
          i++;
        }
        continue;
      }
      if (c === '"') {
        let j = i + 1;
        while (j < raw.length && raw[j] !== '"') j += raw[j] === "\\" ? 2 : 1;
        cur += raw.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (c === "'") {
        // A character literal 'x' or '\n' (gas also accepts a lone 'x).
        let j = i + 1;
        if (raw[j] === "\\") j += 2;
        else j += 1;
        if (raw[j] === "'") j++;
        cur += raw.slice(i, j);
        i = j;
        continue;
      }
      if (c === "#" || (c === "/" && raw[i + 1] === "/")) break;
      if (c === "/" && raw[i + 1] === "*") {
        inBlock = true;
        cur += "  ";
        i += 2;
        continue;
      }
      if (c === ";") {
        push(i + 1);
        i++;
        continue;
      }
      cur += c;
      i++;
    }
    push(raw.length);
  }
  return out;
}

const LABEL = /^\s*([A-Za-z_.$][\w.$]*|\d+)\s*:(?!=)/;
const WORD = /^\s*([A-Za-z_.$%][\w.$]*)/;

/** Parses one logical line into labels, operation and operands. */
export function parseStatement(l: LogicalLine): Statement {
  let text = l.text;
  let offset = 0;
  const labels: Statement["labels"] = [];
  for (; text.includes(":"); ) {
    const m = LABEL.exec(text);
    if (!m) break;
    const lead = m[0].length - m[0].trimStart().length;
    labels.push({ name: m[1], column: l.column + offset + lead });
    offset += m[0].length;
    text = text.slice(m[0].length);
  }
  const w = WORD.exec(text);
  if (!w) {
    const rest = text.trim();
    return {
      file: l.file,
      line: l.line,
      labels,
      op: rest === "" ? "" : rest,
      word: rest,
      opColumn: l.column + offset + (text.length - text.trimStart().length),
      operands: [],
      rest: "",
      restColumn: 0,
    };
  }
  const lead = w[0].length - w[1].length;
  const opColumn = l.column + offset + lead;
  const after = text.slice(w[0].length);
  const restColumn = l.column + offset + w[0].length;
  return {
    file: l.file,
    line: l.line,
    labels,
    op: w[1].toLowerCase(),
    word: w[1],
    opColumn,
    operands: splitOperands(after, restColumn),
    rest: after,
    restColumn,
  };
}

/** Splits on commas outside strings, character literals and parentheses. */
export function splitOperands(text: string, column: number): Operand[] {
  const out: Operand[] = [];
  if (text.trim() === "") return out;
  let depth = 0;
  let start = 0;
  const flush = (end: number) => {
    const piece = text.slice(start, end);
    const lead = piece.length - piece.trimStart().length;
    out.push({ text: piece.trim(), column: column + start + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    } else if (c === "'") {
      if (text[i + 1] === "\\") i += 2;
      else i += 1;
      if (text[i + 1] === "'") i++;
    } else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      flush(i);
      start = i + 1;
    }
  }
  flush(text.length);
  return out;
}

export function positionOf(s: Statement, column: number): SourcePosition {
  return { file: s.file, line: s.line, column };
}
