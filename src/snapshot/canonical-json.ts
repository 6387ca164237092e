// Canonical JSON: the one byte string for a value, so that equal states hash
// to equal ids. The rules (docs/snapshot-format.md, "Canonical JSON") are a
// subset of RFC 8785 (JCS) that needs no number formatting: values are
// objects, arrays, strings, booleans, null and integers of at most 2^53 - 1
// in magnitude (no floats, no exponents); object keys are sorted by UTF-16
// code units; no whitespace; strings are escaped as ECMAScript's
// JSON.stringify does; the text is UTF-8.

export type Canonical = null | boolean | number | string | Canonical[] | { [key: string]: Canonical };

export function encodeCanonical(value: Canonical): Uint8Array {
  return new TextEncoder().encode(canonicalText(value));
}

export function canonicalText(value: Canonical): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON holds integers only, not ${value}`);
    return Object.is(value, -0) ? "0" : String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(canonicalText).join(",") + "]";
  if (typeof value === "object") {
    const keys = Object.keys(value).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const v = value[key];
      if (v === undefined) throw new TypeError(`canonical JSON has no undefined (key ${key})`);
      parts.push(JSON.stringify(key) + ":" + canonicalText(v));
    }
    return "{" + parts.join(",") + "}";
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/**
 * Parses bytes that must already be canonical: anything else (other spacing,
 * key order, escapes, floats, invalid UTF-8) gives null, so one state can
 * never be stored under two ids.
 */
export function decodeCanonical(bytes: Uint8Array): Canonical | null {
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    value = JSON.parse(text);
  } catch {
    return null;
  }
  try {
    return canonicalText(value as Canonical) === text ? (value as Canonical) : null;
  } catch {
    return null;
  }
}
