// SHA-256 ids and the byte/text conversions the format uses. WebCrypto only,
// so the same code hashes in Node, workerd and browsers.
import { SnapshotError } from "./errors.ts";

/** A snapshot or chunk id: SHA-256 as 64 lowercase hex digits. */
export type ObjectId = string;

const ID_PATTERN = /^[0-9a-f]{64}$/;

export function isObjectId(text: string): boolean {
  return ID_PATTERN.test(text);
}

export function checkObjectId(text: string, what = "snapshot id"): ObjectId {
  if (!isObjectId(text)) {
    throw new SnapshotError("invalid-id", `${JSON.stringify(text.slice(0, 80))} is not a ${what} (64 lowercase hex digits)`);
  }
  return text;
}

export async function sha256(bytes: Uint8Array): Promise<ObjectId> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** Lowercase hex only (the canonical form); null for anything else. */
export function fromHex(text: string): Uint8Array | null {
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** RFC 4648 base64 with padding (btoa exists everywhere but works on strings of Latin-1). */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + "==";
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + "=";
  }
  return s;
}

/** Strict decoding: only the exact text toBase64 produces is accepted (canonical form); null otherwise. */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (B64.indexOf(text[i]!) << 18) |
      (B64.indexOf(text[i + 1]!) << 12) |
      ((text[i + 2] === "=" ? 0 : B64.indexOf(text[i + 2]!)) << 6) |
      (text[i + 3] === "=" ? 0 : B64.indexOf(text[i + 3]!));
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return toBase64(out) === text ? out : null;
}
