// Content addresses of grading's own objects (suites): JSON with sorted keys
// hashed with SHA-256, so equal suites get equal ids however they were spelled.
import { sha256 } from "../snapshot/hash.ts";

/** JSON with object keys sorted at every level (arrays keep their order); undefined members are left out. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map((v) => (v === undefined ? "null" : stableJson(v))).join(",") + "]";
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => JSON.stringify(k) + ":" + stableJson((value as Record<string, unknown>)[k]));
  return "{" + entries.join(",") + "}";
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return sha256(bytes);
}
