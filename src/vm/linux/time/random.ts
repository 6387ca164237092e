// The guest's only source of randomness (getrandom, /dev/urandom, AT_RANDOM):
// a PRNG seeded from the machine config, so runs repeat exactly.
// xoshiro128** (Blackman and Vigna), seeded through SplitMix32 so that any
// seed, even 0, gives a well-mixed state. Not cryptographic, by design.

export class GuestRandom {
  /** Four u32 words: the whole state (plain data for snapshots). */
  state: number[];

  constructor(seed: number | bigint | string = 0) {
    let x = foldSeed(seed);
    this.state = [0, 0, 0, 0].map(() => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    });
  }

  nextU32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    for (let i = 0; i < 4; i++) s[i] >>>= 0;
    return result;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.nextU32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Any seed as 32 bits: numbers and bigints by their 64-bit value, strings by FNV-1a. */
function foldSeed(seed: number | bigint | string): number {
  if (typeof seed === "string") {
    let h = 0x811c9dc5;
    for (const b of new TextEncoder().encode(seed)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    return h;
  }
  const v = BigInt.asUintN(64, BigInt(seed));
  return Number((v ^ (v >> 32n)) & 0xffff_ffffn);
}
