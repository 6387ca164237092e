// Expectations against what a run left behind: output text, exit code, guest
// files, registers, memory words. Each failed expectation is one sentence a
// student can act on; a test passes when there are none.
import { registerIndex, type Expectations, type Test } from "./suite.ts";

export interface Observed {
  stdout: string;
  stderr: string;
  /** null when the machine did not stop (nothing to compare an exit code with). */
  exitCode: number | null;
  register(index: number | "pc"): bigint;
  file(path: string): Uint8Array | null;
  /** The words at expect.memory.symbol, or null when they are outside RAM. */
  memoryWords: number[] | null;
}

export function normalizeText(text: string, how: Test["normalize"]): string {
  switch (how) {
    case "none":
      return text;
    case "trailing-whitespace":
      return text.replace(/[ \t\r\f\v]+$/gm, "").replace(/\n+$/, "");
    case "whitespace":
      return text.replace(/\s+/g, " ").trim();
  }
}

export function checkExpectations(expect: Expectations, how: Test["normalize"], seen: Observed): string[] {
  const failures: string[] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    const actual = seen[stream];
    const exact = expect[stream];
    if (exact !== undefined && normalizeText(actual, how) !== normalizeText(exact, how)) {
      failures.push(`${stream} differs from the expected output: ${firstDifference(normalizeText(exact, how), normalizeText(actual, how))}`);
    }
    const contains = expect[`${stream}Contains`];
    if (contains !== undefined && !normalizeText(actual, how).includes(normalizeText(contains, how))) {
      failures.push(`${stream} does not contain ${quote(contains)}`);
    }
    const matches = expect[`${stream}Matches`];
    if (matches !== undefined && !new RegExp(matches).test(actual)) failures.push(`${stream} does not match /${matches}/`);
  }
  if (expect.exitCode !== undefined && seen.exitCode !== expect.exitCode) {
    failures.push(seen.exitCode === null ? `expected exit code ${expect.exitCode}, but the program did not stop` : `exit code ${seen.exitCode}, expected ${expect.exitCode}`);
  }
  // Sorted: a report's order must not depend on how the suite's object keys were spelled.
  for (const path of Object.keys(expect.files ?? {}).sort()) {
    const wanted = expect.files![path]!;
    const actual = seen.file(path);
    if (actual === null) {
      failures.push(`file ${path} does not exist after the run`);
      continue;
    }
    const wantedBytes = typeof wanted === "string" ? new TextEncoder().encode(wanted) : base64Bytes(wanted.base64);
    if (typeof wanted === "string") {
      const text = new TextDecoder().decode(actual);
      if (normalizeText(text, how) !== normalizeText(wanted, how)) failures.push(`file ${path} differs: ${firstDifference(normalizeText(wanted, how), normalizeText(text, how))}`);
    } else if (!sameBytes(actual, wantedBytes)) {
      failures.push(`file ${path} differs from the expected ${wantedBytes.length} bytes (it has ${actual.length})`);
    }
  }
  for (const name of Object.keys(expect.registers ?? {}).sort()) {
    const want = BigInt.asUintN(64, BigInt(expect.registers![name]!));
    const got = BigInt.asUintN(64, seen.register(registerIndex(name)!));
    if (want !== got) failures.push(`register ${name} is ${formatRegister(got)}, expected ${formatRegister(want)}`);
  }
  if (expect.memory) {
    const words = seen.memoryWords;
    if (words === null) {
      failures.push(`memory at ${expect.memory.symbol} is outside RAM`);
    } else {
      const at = expect.memory.words.findIndex((w, i) => (w >>> 0) !== words[i]);
      if (at >= 0) {
        failures.push(`memory at ${expect.memory.symbol}+${at * 4}: word ${at} is ${signedWord(words[at]!)}, expected ${signedWord(expect.memory.words[at]! >>> 0)}`);
      }
    }
  }
  return failures;
}

/** Where two texts first differ, as line and column with both lines quoted. */
export function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const line = expected.slice(0, i).split("\n").length;
  const lineStart = expected.lastIndexOf("\n", i - 1) + 1;
  const lineOf = (s: string) => {
    const end = s.indexOf("\n", i);
    return s.slice(lineStart, end < 0 ? s.length : end);
  };
  if (i === expected.length) return `line ${line}: expected the output to end, got ${quote(actual.slice(i))} more`;
  if (i === actual.length) return `line ${line}: the output ends where ${quote(expected.slice(i))} was expected`;
  return `line ${line}, column ${i - lineStart + 1}: expected ${quote(lineOf(expected))}, got ${quote(lineOf(actual))}`;
}

function quote(s: string): string {
  const text = JSON.stringify(s);
  return text.length > 120 ? text.slice(0, 117) + '..."' : text;
}

function formatRegister(v: bigint): string {
  const signed = BigInt.asIntN(64, v);
  return `${signed} (0x${v.toString(16)})`;
}

function signedWord(w: number): string {
  return `${w | 0} (0x${w.toString(16)})`;
}

function base64Bytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
