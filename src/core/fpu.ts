// RISC-V F and D extensions: IEEE 754-2008 binary32/binary64 arithmetic with
// all five rounding modes, accrued exception flags and a single-rounding FMA.
//
// Wasm only has round-to-nearest-even arithmetic, no flags and no fused
// multiply-add. Every operation therefore has two paths:
//  - a fast path, taken in RNE when operands and result are comfortably in the
//    normal range: the native instruction, plus an exact test that tells
//    whether it rounded (error-free transforms for add and fma, a low-64-bit
//    significand identity for mul, div and sqrt);
//  - a software path on integer significands (directed rounding, FMA outside
//    the guarded range, subnormals, overflow, infinities, NaNs, conversions).
// The software path takes binary64 bit patterns: a binary32 operand is widened
// first (exact), and only the final rounding (roundPack) knows the output format,
// so a binary32 result is rounded exactly once.
//
// Spec references are to the RISC-V unprivileged ISA, chapters "F" (single)
// and "D" (double precision).

// ---------------------------------------------------------------------------
// Flags and rounding modes

// Accrued exceptions, fflags layout (F: "Floating-Point Control and Status Register").
export let fpFlags: u32 = 0;

const NV: u32 = 0x10;
const DZ: u32 = 0x08;
const OF: u32 = 0x04;
const UF: u32 = 0x02;
const NX: u32 = 0x01;

const RNE: u32 = 0;
const RTZ: u32 = 1;
const RDN: u32 = 2;
const RUP: u32 = 3;

// ---------------------------------------------------------------------------
// Encodings

const SIGN64: u64 = 0x8000000000000000;
const INF64: u64 = 0x7ff0000000000000;
const FRAC64: u64 = 0x000fffffffffffff;
const HIDDEN64: u64 = 0x0010000000000000;
const QUIET64: u64 = 0x0008000000000000;
const MAX64: u64 = 0x7fefffffffffffff;
// F: "Canonical NaN" -- every NaN a RISC-V operation produces.
const NAN64: u64 = 0x7ff8000000000000;

const SIGN32: u32 = 0x80000000;
const INF32: u32 = 0x7f800000;
const QUIET32: u32 = 0x00400000;
const MAX32: u32 = 0x7f7fffff;
const NAN32: u32 = 0x7fc00000;

// @ts-ignore: decorator
@inline function isNaN64(x: u64): bool {
  return (x & ~SIGN64) > INF64;
}
// @ts-ignore: decorator
@inline function isSNaN64(x: u64): bool {
  return isNaN64(x) && (x & QUIET64) == 0;
}
// @ts-ignore: decorator
@inline function isInf64(x: u64): bool {
  return (x & ~SIGN64) == INF64;
}
// @ts-ignore: decorator
@inline function isZero64(x: u64): bool {
  return (x << 1) == 0;
}
// @ts-ignore: decorator
@inline function isNaN32(x: u32): bool {
  return (x & ~SIGN32) > INF32;
}
// @ts-ignore: decorator
@inline function isSNaN32(x: u32): bool {
  return isNaN32(x) && (x & QUIET32) == 0;
}
// @ts-ignore: decorator
@inline function signOf(x: u64): bool {
  return (x >> 63) != 0;
}
// @ts-ignore: decorator
@inline function expField64(x: u64): u32 {
  return <u32>(x >> 52) & 0x7ff;
}
// @ts-ignore: decorator
@inline function sig53(x: u64): u64 {
  return (x & FRAC64) | HIDDEN64;
}
// @ts-ignore: decorator
@inline function f64of(x: u64): f64 {
  return reinterpret<f64>(x);
}
// @ts-ignore: decorator
@inline function bitsOf(x: f64): u64 {
  return reinterpret<u64>(x);
}

// A binary32 value as binary64 bits: exact for every non-NaN input, as
// binary64 contains binary32. Callers deal with NaNs before widening.
// @ts-ignore: decorator
@inline function widen(a: u32): u64 {
  return reinterpret<u64>(<f64>reinterpret<f32>(a));
}

// The software path returns u64 bits; in single mode only the low 32 are used.
function signBit(negative: bool, single: bool): u64 {
  return negative ? (single ? <u64>SIGN32 : SIGN64) : 0;
}
function infOf(negative: bool, single: bool): u64 {
  return signBit(negative, single) | (single ? <u64>INF32 : INF64);
}
function zeroOf(negative: bool, single: bool): u64 {
  return signBit(negative, single);
}
// Invalid operation: NV and the canonical NaN.
function invalid(single: bool): u64 {
  fpFlags |= NV;
  return single ? <u64>NAN32 : NAN64;
}

// Some operand is a NaN: the canonical NaN (payloads are not propagated), NV
// only if one of them is signaling.
function nanResult64(a: u64, b: u64, c: u64): u64 {
  if (isSNaN64(a) || isSNaN64(b) || isSNaN64(c)) fpFlags |= NV;
  return NAN64;
}
function nanResult32(a: u32, b: u32, c: u32): u32 {
  if (isSNaN32(a) || isSNaN32(b) || isSNaN32(c)) fpFlags |= NV;
  return NAN32;
}

// ---------------------------------------------------------------------------
// Software path: unpacking, 128-bit helpers, rounding

let unpackedExp: i32 = 0;

// Significand of a finite nonzero binary64 with its leading one moved to bit
// 63; the exponent of that one goes to unpackedExp, so x = sig * 2^(exp - 63).
function unpack(x: u64): u64 {
  const field = <i32>expField64(x);
  const frac = x & FRAC64;
  if (field == 0) {
    const lz = <i32>clz(frac);
    unpackedExp = -1011 - lz;
    return frac << <u64>lz;
  }
  unpackedExp = field - 1023;
  return (frac | HIDDEN64) << 11;
}

// x >> d where every one shifted out is ORed into bit 0 ("jamming"). With at
// least two bits between bit 0 and the final rounding point this keeps every
// rounding decision of the exact value.
function shrJam(x: u64, d: i32): u64 {
  if (d == 0) return x;
  if (d >= 64) return <u64>(x != 0);
  return (x >> <u64>d) | <u64>((x << <u64>(64 - d)) != 0);
}

// Low half of the last 128-bit result; the functions return the high half.
let wideLo: u64 = 0;

function mul128(a: u64, b: u64): u64 {
  const aL = a & 0xffffffff, aH = a >> 32;
  const bL = b & 0xffffffff, bH = b >> 32;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL, hh = aH * bH;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  wideLo = (mid << 32) | (ll & 0xffffffff);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

// (hi:lo) >> d with jamming, any d >= 0.
function shr128Jam(hi: u64, lo: u64, d: i32): u64 {
  if (d == 0) {
    wideLo = lo;
    return hi;
  }
  if (d < 64) {
    const s = <u64>d;
    wideLo = (hi << (64 - s)) | (lo >> s) | <u64>((lo << (64 - s)) != 0);
    return hi >> s;
  }
  if (d < 128) {
    const s = <u64>(d - 64);
    const lostHi = s == 0 ? 0 : hi << (64 - s);
    wideLo = (hi >> s) | <u64>((lostHi | lo) != 0);
    return 0;
  }
  wideLo = <u64>((hi | lo) != 0);
  return 0;
}

// Set by roundShift: whether the bits dropped were not all zero.
let roundInexact = false;

// x / 2^drop rounded to an integer in mode rm (drop >= 1, any size), for a
// value of the given sign (directed modes round the magnitude away or toward 0).
function roundShift(x: u64, drop: i32, negative: bool, rm: u32): u64 {
  let q: u64, rem: u64, half: u64;
  if (drop < 64) {
    q = x >> <u64>drop;
    rem = x & ((<u64>1 << <u64>drop) - 1);
    half = <u64>1 << <u64>(drop - 1);
  } else if (drop == 64) {
    q = 0;
    rem = x;
    half = SIGN64;
  } else {
    // Everything is below the rounding bit: only "nonzero" matters.
    q = 0;
    rem = <u64>(x != 0);
    half = 2;
  }
  roundInexact = rem != 0;
  let up: bool;
  switch (rm) {
    case RNE: up = rem > half || (rem == half && (q & 1) != 0); break;
    case RTZ: up = false; break;
    case RDN: up = roundInexact && negative; break;
    case RUP: up = roundInexact && !negative; break;
    default: up = rem >= half; // RMM: ties away from zero
  }
  return q + <u64>up;
}

// IEEE 754 7.4: the overflowed result depends on the direction of rounding.
function overflow(negative: bool, rm: u32, single: bool): u64 {
  fpFlags |= OF | NX;
  const toMax = rm == RTZ || (rm == RDN && !negative) || (rm == RUP && negative);
  const mag: u64 = single ? (toMax ? <u64>MAX32 : <u64>INF32) : (toMax ? MAX64 : INF64);
  return signBit(negative, single) | mag;
}

// Rounds +-sig * 2^eLsb once into binary64 or binary32 and packs it. sig != 0
// may carry a jam bit in bit 0 provided sig >= 2^(p+1), which keeps that bit
// below the rounding bit (callers that jam have 55 or more significant bits).
function roundPack(negative: bool, eLsb: i32, sig: u64, rm: u32, single: bool): u64 {
  const p: i32 = single ? 24 : 53;
  const bias: i32 = single ? 127 : 1023;
  const emin: i32 = 1 - bias;
  const lz = <i32>clz(sig);
  const norm = sig << <u64>lz;
  const eTop = eLsb + 63 - lz; // exponent of the leading one
  const signs = signBit(negative, single);
  if (eTop >= emin) {
    const q = roundShift(norm, 64 - p, negative, rm);
    // q in [2^(p-1), 2^p]: adding it to the exponent field minus one lets a
    // carry out of the significand bump the exponent.
    const field = eTop + bias - 1;
    if (field + <i32>(q >> <u64>(p - 1)) >= 2 * bias + 1) return overflow(negative, rm, single);
    if (roundInexact) fpFlags |= NX;
    return signs | ((<u64>field << <u64>(p - 1)) + q);
  }
  // F: "tininess is detected after rounding": tiny unless rounding to p bits
  // with an unbounded exponent would reach the smallest normal.
  const tiny = eTop < emin - 1 || (roundShift(norm, 64 - p, negative, rm) >> <u64>p) == 0;
  const q = roundShift(norm, 64 - p + emin - eTop, negative, rm);
  if (roundInexact) fpFlags |= tiny ? NX | UF : NX;
  // A carry into bit p-1 lands in the exponent field: the smallest normal.
  return signs | q;
}

// A non-NaN binary64 value rounded into the output format.
function repack(a: u64, rm: u32, single: bool): u64 {
  const neg = signOf(a);
  if (isInf64(a)) return infOf(neg, single);
  if (isZero64(a)) return zeroOf(neg, single);
  const sig = unpack(a);
  return roundPack(neg, unpackedExp - 63, sig, rm, single);
}

// ---------------------------------------------------------------------------
// Software path: arithmetic on non-NaN binary64 bit patterns

function addSoft(a: u64, b: u64, rm: u32, single: bool): u64 {
  let negA = signOf(a), negB = signOf(b);
  if (isInf64(a) || isInf64(b)) {
    if (isInf64(a) && isInf64(b) && negA != negB) return invalid(single);
    return infOf(isInf64(a) ? negA : negB, single);
  }
  // IEEE 754 6.3: an exact zero sum of opposite signs is +0, -0 in RDN.
  if (isZero64(a) && isZero64(b)) return zeroOf(negA == negB ? negA : rm == RDN, single);
  if (isZero64(b)) return repack(a, rm, single);
  if (isZero64(a)) return repack(b, rm, single);
  // One bit of headroom for the carry: x = sig * 2^(exp - 62).
  let sigA = unpack(a) >> 1, expA = unpackedExp;
  let sigB = unpack(b) >> 1, expB = unpackedExp;
  if (expA < expB || (expA == expB && sigA < sigB)) {
    const s = sigA; sigA = sigB; sigB = s;
    const e = expA; expA = expB; expB = e;
    const n = negA; negA = negB; negB = n;
  }
  sigB = shrJam(sigB, expA - expB);
  let sum: u64;
  if (negA == negB) {
    sum = sigA + sigB;
  } else {
    sum = sigA - sigB;
    if (sum == 0) return zeroOf(rm == RDN, single);
  }
  return roundPack(negA, expA - 62, sum, rm, single);
}

function mulSoft(a: u64, b: u64, rm: u32, single: bool): u64 {
  const neg = signOf(a ^ b);
  if (isInf64(a) || isInf64(b)) {
    if (isZero64(a) || isZero64(b)) return invalid(single);
    return infOf(neg, single);
  }
  if (isZero64(a) || isZero64(b)) return zeroOf(neg, single);
  const sigA = unpack(a), expA = unpackedExp;
  const sigB = unpack(b), expB = unpackedExp;
  const hi = mul128(sigA, sigB); // >= 2^62: room below for the jam bit
  return roundPack(neg, expA + expB - 62, hi | <u64>(wideLo != 0), rm, single);
}

function divSoft(a: u64, b: u64, rm: u32, single: bool): u64 {
  const neg = signOf(a ^ b);
  if (isInf64(a)) return isInf64(b) ? invalid(single) : infOf(neg, single);
  if (isInf64(b)) return zeroOf(neg, single);
  if (isZero64(b)) {
    if (isZero64(a)) return invalid(single);
    fpFlags |= DZ;
    return infOf(neg, single);
  }
  if (isZero64(a)) return zeroOf(neg, single);
  let sa = unpack(a) >> 11;
  let e = unpackedExp;
  const sb = unpack(b) >> 11;
  e -= unpackedExp;
  if (sa < sb) {
    sa <<= 1;
    e--;
  }
  // q = floor(sa * 2^55 / sb) in [2^55, 2^56). The binary64 quotient is within
  // a few units of it; the exact remainder, which is small, is computed modulo
  // 2^64 and corrects the estimate.
  let q = <u64>(<f64>sa / <f64>sb * 36028797018963968.0);
  let r = <i64>((sa << 55) - q * sb);
  const d = <i64>sb;
  while (r < 0) { q--; r += d; }
  while (r >= d) { q++; r -= d; }
  return roundPack(neg, e - 55, q | <u64>(r != 0), rm, single);
}

function sqrtSoft(a: u64, rm: u32, single: bool): u64 {
  if (isZero64(a)) return zeroOf(signOf(a), single); // sqrt(-0) = -0
  if (signOf(a)) return invalid(single);
  if (isInf64(a)) return infOf(false, single);
  const s = unpack(a) >> 11; // a = s * 2^(e - 52)
  const e = unpackedExp;
  // S = s * 2^t in [2^108, 2^110) with e - 52 - t even; q = floor(sqrt(S)) in
  // [2^54, 2^55), estimated in binary64 and corrected with the exact remainder
  // S - q^2, small enough to be computed modulo 2^64.
  const t = 56 + (e & 1);
  let q = <u64>(sqrt<f64>(<f64>s * (t == 57 ? 2.0 : 1.0)) * 268435456.0);
  let r = <i64>((s << <u64>t) - q * q);
  while (r < 0) { r += <i64>(2 * q - 1); q--; }
  while (r > <i64>(2 * q)) { r -= <i64>(2 * q + 1); q++; }
  return roundPack(false, (e - 52 - t) >> 1, q | <u64>(r != 0), rm, single);
}

// a*b + c with one rounding (non-NaN inputs).
function mulAddSoft(a: u64, b: u64, c: u64, rm: u32, single: bool): u64 {
  const negP = signOf(a ^ b), negC = signOf(c);
  if (isInf64(a) || isInf64(b)) {
    if (isZero64(a) || isZero64(b)) return invalid(single);
    if (isInf64(c) && negC != negP) return invalid(single);
    return infOf(negP, single);
  }
  if (isInf64(c)) return infOf(negC, single);
  if (isZero64(a) || isZero64(b)) {
    if (isZero64(c)) return zeroOf(negP == negC ? negP : rm == RDN, single);
    return repack(c, rm, single);
  }
  const sigA = unpack(a), expA = unpackedExp;
  const sigB = unpack(b), expB = unpackedExp;
  let pHi = mul128(sigA, sigB); // P in [2^126, 2^128), a*b = P * 2^(expA + expB - 126)
  let pLo = wideLo;
  if (isZero64(c)) return roundPack(negP, expA + expB - 62, pHi | <u64>(pLo != 0), rm, single);
  return addWide(negP, pHi, pLo, expA + expB, negC, c, rm, single);
}

// Adds c to the exact 128-bit product P * 2^(expP - 126) and rounds once.
function addWide(negP: bool, pHi: u64, pLo: u64, expP: i32, negC: bool, c: u64, rm: u32, single: bool): u64 {
  const sigC = unpack(c), expC = unpackedExp;
  // Headroom for the carry; P >> 1 is exact (each significand has >= 11 zero
  // low bits), and neither operand's bit 0 is set before alignment.
  pLo = (pLo >> 1) | (pHi << 63);
  pHi >>= 1; // a*b = P * 2^(expP - 125)
  let cHi = sigC >> 1, cLo = sigC << 63; // c = C * 2^(expC - 126)
  let scale: i32;
  const d = expP - expC + 1;
  if (d >= 0) {
    cHi = shr128Jam(cHi, cLo, d);
    cLo = wideLo;
    scale = expP - 125;
  } else {
    pHi = shr128Jam(pHi, pLo, -d);
    pLo = wideLo;
    scale = expC - 126;
  }
  let neg = negP;
  let rHi: u64, rLo: u64;
  if (negP == negC) {
    rLo = pLo + cLo;
    rHi = pHi + cHi + <u64>(rLo < pLo);
  } else {
    if (pHi < cHi || (pHi == cHi && pLo < cLo)) {
      neg = negC;
      let t = pHi; pHi = cHi; cHi = t;
      t = pLo; pLo = cLo; cLo = t;
    }
    rLo = pLo - cLo;
    rHi = pHi - cHi - <u64>(pLo < cLo);
    if ((rHi | rLo) == 0) return zeroOf(rm == RDN, single);
  }
  // Massive cancellation leaves rHi == 0 only when nothing was jammed.
  if (rHi == 0) return roundPack(neg, scale, rLo, rm, single);
  const lz = clz(rHi);
  const top = lz == 0 ? rHi : (rHi << lz) | (rLo >> (64 - lz));
  return roundPack(neg, scale + 64 - <i32>lz, top | <u64>((rLo << lz) != 0), rm, single);
}

// ---------------------------------------------------------------------------
// Fast-path building blocks (binary64, round to nearest even)

const SPLITTER: f64 = 134217729.0; // 2^27 + 1, Veltkamp's constant for 53 bits

// Error term of the last twoSum: s + twoSumErr == x + y exactly (Knuth).
let twoSumErr: f64 = 0;

// @ts-ignore: decorator
@inline function twoSum(x: f64, y: f64): f64 {
  const s = x + y;
  const yv = s - x;
  twoSumErr = (x - (s - yv)) + (y - yv);
  return s;
}

// RO(x + y): if the sum rounded, the neighbour with an odd last bit. Leaves
// the rounding error in twoSumErr. A rounded sum is never subnormal, so the
// bit pattern steps by one ulp.
// @ts-ignore: decorator
@inline function addRoundToOdd(x: f64, y: f64): f64 {
  const s = twoSum(x, y);
  const sb = bitsOf(s);
  const away = ((sb ^ bitsOf(twoSumErr)) >> 63) == 0;
  const step = select<u64>(select<u64>(1, 0xffffffffffffffff, away), 0, twoSumErr != 0 && (sb & 1) == 0);
  return f64of(sb + step);
}

// Whether the last fmaNearest rounded.
let fmaInexact = false;

// RN(x*y + z) by Boldo & Melquiond, "Emulation of FMA and correctly rounded
// sums: proved algorithms using rounding to odd" (IEEE TC 2008): exact product
// (Veltkamp split, Dekker product), exact sum with z, then the low parts added
// in round-to-odd so that the final round-to-nearest sees a faithful sticky
// bit. Valid while nothing underflows or overflows; f64MulAdd guards exponents.
// Straight-line code with locals only: this is the hot path of fmadd.d.
function fmaNearest(x: f64, y: f64, z: f64): f64 {
  const uh = x * y;
  let g = SPLITTER * x;
  const xh = g - (g - x), xl = x - xh;
  g = SPLITTER * y;
  const yh = g - (g - y), yl = y - yh;
  const ul = ((xh * yh - uh) + xh * yl + xl * yh) + xl * yl;
  const th = twoSum(z, uh);
  const v = addRoundToOdd(twoSumErr, ul);
  const vInexact = twoSumErr != 0;
  const r = twoSum(th, v);
  fmaInexact = vInexact || twoSumErr != 0;
  return r;
}

// ---------------------------------------------------------------------------
// binary64 arithmetic

export function f64Add(a: u64, b: u64, rm: u32): u64 {
  if (rm == RNE) {
    const s = twoSum(f64of(a), f64of(b));
    const sb = bitsOf(s);
    // Finite sum: no overflow and no special operand. A subnormal sum is
    // always exact, so underflow cannot occur here.
    if ((sb & INF64) != INF64) {
      if (twoSumErr != 0) fpFlags |= NX;
      return sb;
    }
  }
  if (isNaN64(a) || isNaN64(b)) return nanResult64(a, b, 0);
  return addSoft(a, b, rm, false);
}

export function f64Sub(a: u64, b: u64, rm: u32): u64 {
  return f64Add(a, b ^ SIGN64, rm);
}

export function f64Mul(a: u64, b: u64, rm: u32): u64 {
  if (rm == RNE) {
    const pb = bitsOf(f64of(a) * f64of(b));
    const ea = expField64(a), eb = expField64(b), ep = expField64(pb);
    // Normal operands and a product at least twice the smallest normal (no
    // tininess question, no overflow). The exact 106-bit significand product
    // differs from the rounded one by less than 2^64 when it differs at all,
    // so comparing the low 64 bits decides exactness.
    if (ea - 1 < 2046 && eb - 1 < 2046 && ep - 2 < 2045) {
      const shift = <u64>(ep + 1075 - ea - eb);
      if (sig53(a) * sig53(b) != sig53(pb) << shift) fpFlags |= NX;
      return pb;
    }
  }
  if (isNaN64(a) || isNaN64(b)) return nanResult64(a, b, 0);
  return mulSoft(a, b, rm, false);
}

export function f64Div(a: u64, b: u64, rm: u32): u64 {
  if (rm == RNE) {
    const qb = bitsOf(f64of(a) / f64of(b));
    const ea = expField64(a), eb = expField64(b), eq = expField64(qb);
    // Exact iff q*b == a; |sig(q)*sig(b) - sig(a)*2^k| < sig(b) < 2^64.
    if (ea - 1 < 2046 && eb - 1 < 2046 && eq - 2 < 2045) {
      const k = <u64>(ea + 1075 - eb - eq);
      if (sig53(qb) * sig53(b) != sig53(a) << k) fpFlags |= NX;
      return qb;
    }
  }
  if (isNaN64(a) || isNaN64(b)) return nanResult64(a, b, 0);
  return divSoft(a, b, rm, false);
}

export function f64Sqrt(a: u64, rm: u32): u64 {
  const ea = expField64(a);
  if (rm == RNE && a < INF64 && ea != 0) {
    // Positive normal operand: the root is normal. Exact iff r*r == a;
    // |sig(r)^2 - sig(a)*2^k| <= 2^53 when it is not zero.
    const rb = bitsOf(sqrt<f64>(f64of(a)));
    const k = <u64>(ea + 1075 - 2 * expField64(rb));
    const sr = sig53(rb);
    if (sr * sr != sig53(a) << k) fpFlags |= NX;
    return rb;
  }
  if (isNaN64(a)) return nanResult64(a, 0, 0);
  return sqrtSoft(a, rm, false);
}

// a*b + c, one rounding. fmsub/fnmsub/fnmadd reach here with input signs
// flipped by the caller, which is exact, so the zero-sign rules of IEEE 754
// 6.3 hold for them too.
export function f64MulAdd(a: u64, b: u64, c: u64, rm: u32): u64 {
  if (rm == RNE) {
    const ea = expField64(a), eb = expField64(b), ec = expField64(c);
    // a, b normal below 2^984 (the split must not overflow), their product
    // in [2^-900, 2^901) so every partial product is exact, |c| < 2^1001.
    if (ea - 1 < 2006 && eb - 1 < 2006 && ec < 2024 && ea + eb - 1146 < 1801) {
      const rb = bitsOf(fmaNearest(f64of(a), f64of(b), f64of(c)));
      // Result clear of the subnormal range and of overflow, or an exact zero
      // (+0 in RNE, as the native sums produce).
      if (expField64(rb) - 2 < 2045 || isZero64(rb)) {
        if (fmaInexact) fpFlags |= NX;
        return rb;
      }
    }
  }
  return f64MulAddSlow(a, b, c, rm);
}

function f64MulAddSlow(a: u64, b: u64, c: u64, rm: u32): u64 {
  if (isNaN64(a) || isNaN64(b) || isNaN64(c)) {
    // F: fma "must set the invalid operation exception flag when the
    // multiplicands are infinity and zero, even when the addend is a quiet NaN".
    if ((isInf64(a) && isZero64(b)) || (isZero64(a) && isInf64(b))) fpFlags |= NV;
    return nanResult64(a, b, c);
  }
  return mulAddSoft(a, b, c, rm, false);
}

// ---------------------------------------------------------------------------
// binary32 arithmetic: native single ops are correctly rounded in RNE; their
// exactness is checked in binary64, where the products involved are exact.

// @ts-ignore: decorator
@inline function expField32(x: u32): u32 {
  return (x >> 23) & 0xff;
}

export function f32Add(a: u32, b: u32, rm: u32): u32 {
  if (rm == RNE) {
    const x = reinterpret<f32>(a), y = reinterpret<f32>(b);
    const s = x + y;
    const sb = reinterpret<u32>(s);
    if ((sb & INF32) != INF32) {
      const yv = s - x;
      if ((x - (s - yv)) + (y - yv) != 0) fpFlags |= NX;
      return sb;
    }
  }
  if (isNaN32(a) || isNaN32(b)) return nanResult32(a, b, 0);
  return <u32>addSoft(widen(a), widen(b), rm, true);
}

export function f32Sub(a: u32, b: u32, rm: u32): u32 {
  return f32Add(a, b ^ SIGN32, rm);
}

export function f32Mul(a: u32, b: u32, rm: u32): u32 {
  if (rm == RNE) {
    const x = reinterpret<f32>(a), y = reinterpret<f32>(b);
    const r = x * y;
    const rb = reinterpret<u32>(r);
    if (expField32(rb) - 2 < 253) {
      if (<f64>r != <f64>x * <f64>y) fpFlags |= NX;
      return rb;
    }
  }
  if (isNaN32(a) || isNaN32(b)) return nanResult32(a, b, 0);
  return <u32>mulSoft(widen(a), widen(b), rm, true);
}

export function f32Div(a: u32, b: u32, rm: u32): u32 {
  if (rm == RNE) {
    const x = reinterpret<f32>(a), y = reinterpret<f32>(b);
    const r = x / y;
    const rb = reinterpret<u32>(r);
    if (expField32(rb) - 2 < 253) {
      if (<f64>r * <f64>y != <f64>x) fpFlags |= NX;
      return rb;
    }
  }
  if (isNaN32(a) || isNaN32(b)) return nanResult32(a, b, 0);
  return <u32>divSoft(widen(a), widen(b), rm, true);
}

export function f32Sqrt(a: u32, rm: u32): u32 {
  if (rm == RNE && a < INF32) {
    const x = reinterpret<f32>(a);
    const r = sqrt<f32>(x);
    if (<f64>r * <f64>r != <f64>x) fpFlags |= NX;
    return reinterpret<u32>(r);
  }
  if (isNaN32(a)) return nanResult32(a, 0, 0);
  return <u32>sqrtSoft(widen(a), rm, true);
}

export function f32MulAdd(a: u32, b: u32, c: u32, rm: u32): u32 {
  if (rm == RNE) {
    // a*b is exact in binary64; the sum is made round-to-odd there, and
    // RN24(RO53(x)) == RN24(x) because 53 >= 24 + 2.
    const p = <f64>reinterpret<f32>(a) * <f64>reinterpret<f32>(b);
    const s = addRoundToOdd(p, <f64>reinterpret<f32>(c));
    const err = twoSumErr;
    const r = <f32>s;
    const rb = reinterpret<u32>(r);
    if (expField32(rb) - 2 < 253) {
      if (err != 0 || <f64>r != s) fpFlags |= NX;
      return rb;
    }
    if (s == 0 && err == 0) return rb; // exact zero, sign as IEEE 754 6.3
  }
  if (isNaN32(a) || isNaN32(b) || isNaN32(c)) {
    const x = widen(a), y = widen(b);
    if ((isInf64(x) && isZero64(y)) || (isZero64(x) && isInf64(y))) fpFlags |= NV;
    return nanResult32(a, b, c);
  }
  return <u32>mulAddSoft(widen(a), widen(b), widen(c), rm, true);
}

// ---------------------------------------------------------------------------
// min/max (F: IEEE 754-2019 minimumNumber/maximumNumber), comparisons, class

// Order of non-NaN values with -0 < +0.
function orderedLess64(a: u64, b: u64): bool {
  const na = signOf(a), nb = signOf(b);
  if (na != nb) return na;
  return na ? a > b : a < b;
}

// Only one NaN: the other operand; two NaNs: canonical NaN; NV on any sNaN.
function minMax64(a: u64, b: u64, wantMax: bool): u64 {
  const aNaN = isNaN64(a), bNaN = isNaN64(b);
  if (aNaN || bNaN) {
    if (isSNaN64(a) || isSNaN64(b)) fpFlags |= NV;
    return aNaN ? (bNaN ? NAN64 : b) : a;
  }
  return orderedLess64(a, b) != wantMax ? a : b;
}

export function f64Min(a: u64, b: u64): u64 {
  return minMax64(a, b, false);
}
export function f64Max(a: u64, b: u64): u64 {
  return minMax64(a, b, true);
}

// feq is a quiet comparison: NV only for signaling NaNs.
export function f64Eq(a: u64, b: u64): u64 {
  if (isNaN64(a) || isNaN64(b)) {
    if (isSNaN64(a) || isSNaN64(b)) fpFlags |= NV;
    return 0;
  }
  return <u64>(f64of(a) == f64of(b));
}

// flt/fle are signaling comparisons: NV for any NaN.
export function f64Lt(a: u64, b: u64): u64 {
  if (isNaN64(a) || isNaN64(b)) {
    fpFlags |= NV;
    return 0;
  }
  return <u64>(f64of(a) < f64of(b));
}
export function f64Le(a: u64, b: u64): u64 {
  if (isNaN64(a) || isNaN64(b)) {
    fpFlags |= NV;
    return 0;
  }
  return <u64>(f64of(a) <= f64of(b));
}

// F: fclass bit numbers, -inf (0) ... +inf (7), sNaN (8), qNaN (9).
function classBit(negative: bool, isMax: bool, isZeroExp: bool, fracZero: bool, quiet: bool): i32 {
  if (isMax) return fracZero ? (negative ? 0 : 7) : (quiet ? 9 : 8);
  if (isZeroExp) return fracZero ? (negative ? 3 : 4) : (negative ? 2 : 5);
  return negative ? 1 : 6;
}

export function f64Classify(a: u64): u64 {
  const field = expField64(a);
  const bit = classBit(signOf(a), field == 0x7ff, field == 0, (a & FRAC64) == 0, (a & QUIET64) != 0);
  return <u64>1 << <u64>bit;
}

export function f32Min(a: u32, b: u32): u32 {
  return minMax32(a, b, false);
}
export function f32Max(a: u32, b: u32): u32 {
  return minMax32(a, b, true);
}

function minMax32(a: u32, b: u32, wantMax: bool): u32 {
  const aNaN = isNaN32(a), bNaN = isNaN32(b);
  if (aNaN || bNaN) {
    if (isSNaN32(a) || isSNaN32(b)) fpFlags |= NV;
    return aNaN ? (bNaN ? NAN32 : b) : a;
  }
  return orderedLess64(widen(a), widen(b)) != wantMax ? a : b;
}

export function f32Eq(a: u32, b: u32): u64 {
  if (isNaN32(a) || isNaN32(b)) {
    if (isSNaN32(a) || isSNaN32(b)) fpFlags |= NV;
    return 0;
  }
  return <u64>(reinterpret<f32>(a) == reinterpret<f32>(b));
}
export function f32Lt(a: u32, b: u32): u64 {
  if (isNaN32(a) || isNaN32(b)) {
    fpFlags |= NV;
    return 0;
  }
  return <u64>(reinterpret<f32>(a) < reinterpret<f32>(b));
}
export function f32Le(a: u32, b: u32): u64 {
  if (isNaN32(a) || isNaN32(b)) {
    fpFlags |= NV;
    return 0;
  }
  return <u64>(reinterpret<f32>(a) <= reinterpret<f32>(b));
}

export function f32Classify(a: u32): u64 {
  const field = expField32(a);
  const bit = classBit((a >> 31) != 0, field == 0xff, field == 0, (a & 0x7fffff) == 0, (a & QUIET32) != 0);
  return <u64>1 << <u64>bit;
}

// ---------------------------------------------------------------------------
// Float -> integer (F: "Floating-Point Conversion and Move Instructions",
// table of fcvt results for invalid inputs)

const KIND_W: i32 = 0;
const KIND_WU: i32 = 1;
const KIND_L: i32 = 2;
const KIND_LU: i32 = 3;

// Out of range, infinite or NaN: NV (not NX) and the saturated value; NaN
// counts as positive. 32-bit results are sign-extended to XLEN, even for wu.
function invalidInt(negative: bool, kind: i32): u64 {
  fpFlags |= NV;
  switch (kind) {
    case KIND_W: return negative ? 0xffffffff80000000 : 0x7fffffff;
    case KIND_WU: return negative ? 0 : 0xffffffffffffffff;
    case KIND_L: return negative ? SIGN64 : 0x7fffffffffffffff;
    default: return negative ? 0 : 0xffffffffffffffff;
  }
}

// Largest magnitude representable for the sign; the range check applies to
// the rounded value ("minimum/maximum valid input (after rounding)").
function intLimit(negative: bool, kind: i32): u64 {
  switch (kind) {
    case KIND_W: return negative ? 0x80000000 : 0x7fffffff;
    case KIND_WU: return negative ? 0 : 0xffffffff;
    case KIND_L: return negative ? SIGN64 : 0x7fffffffffffffff;
    default: return negative ? 0 : 0xffffffffffffffff;
  }
}

// Valid range of a rounded value below 2^63 in magnitude (the bounds are exact
// in binary64): every such value fits l, and lu only needs it non-negative.
function minValid(kind: i32): f64 {
  return kind == KIND_W ? -2147483648.0 : kind == KIND_L ? -Infinity : 0;
}
function maxValid(kind: i32): f64 {
  return kind == KIND_W ? 2147483647.0 : kind == KIND_WU ? 4294967295.0 : Infinity;
}

// Rounds to an integral value with the wasm instruction for rm; NaN for RMM,
// which has none.
// @ts-ignore: decorator
@inline function roundIntegral(x: f64, rm: u32): f64 {
  switch (rm) {
    case RNE: return nearest<f64>(x);
    case RTZ: return trunc<f64>(x);
    case RDN: return floor<f64>(x);
    case RUP: return ceil<f64>(x);
    default: return NaN;
  }
}

function toInt(a: u64, rm: u32, kind: i32): u64 {
  // |a| < 2^63: the rounded value fits i64, so the native rounding and
  // conversion are exact; only the range of the kind is left to check
  // (-0.5 rounding to -0 is a valid wu/lu input: -0 >= 0).
  if (expField64(a) < 1023 + 63) {
    const x = f64of(a);
    const t = roundIntegral(x, rm);
    if (t >= minValid(kind) && t <= maxValid(kind)) {
      if (t != x) fpFlags |= NX;
      const v = <i64>t;
      return kind == KIND_W || kind == KIND_WU ? <u64><i64><i32>v : <u64>v;
    }
    if (t == t) return invalidInt(t < 0, kind);
  }
  return toIntSoft(a, rm, kind);
}

// RMM, |a| >= 2^63, infinities and NaNs.
function toIntSoft(a: u64, rm: u32, kind: i32): u64 {
  const neg = signOf(a);
  if (isNaN64(a)) return invalidInt(false, kind);
  if (isInf64(a)) return invalidInt(neg, kind);
  if (isZero64(a)) return 0;
  const sig = unpack(a); // a = sig * 2^(e - 63)
  const e = unpackedExp;
  if (e > 63) return invalidInt(neg, kind);
  let mag = sig;
  let inexact = false;
  if (e < 63) {
    mag = roundShift(sig, 63 - e, neg, rm);
    inexact = roundInexact;
  }
  if (mag > intLimit(neg, kind)) return invalidInt(neg, kind);
  if (inexact) fpFlags |= NX;
  const v = neg ? 0 - mag : mag;
  return kind == KIND_W || kind == KIND_WU ? <u64><i64><i32>v : v;
}

export function f64ToI32(a: u64, rm: u32): u64 {
  return toInt(a, rm, KIND_W);
}
export function f64ToU32(a: u64, rm: u32): u64 {
  return toInt(a, rm, KIND_WU);
}
export function f64ToI64(a: u64, rm: u32): u64 {
  return toInt(a, rm, KIND_L);
}
export function f64ToU64(a: u64, rm: u32): u64 {
  return toInt(a, rm, KIND_LU);
}
export function f32ToI32(a: u32, rm: u32): u64 {
  return toInt(widen(a), rm, KIND_W);
}
export function f32ToU32(a: u32, rm: u32): u64 {
  return toInt(widen(a), rm, KIND_WU);
}
export function f32ToI64(a: u32, rm: u32): u64 {
  return toInt(widen(a), rm, KIND_L);
}
export function f32ToU64(a: u32, rm: u32): u64 {
  return toInt(widen(a), rm, KIND_LU);
}

// ---------------------------------------------------------------------------
// Integer -> float: native when the magnitude fits the significand (exact in
// every mode), otherwise one software rounding.

function fromInt(negative: bool, mag: u64, rm: u32, single: bool): u64 {
  if (mag == 0) return 0;
  return roundPack(negative, 0, mag, rm, single);
}

export function i32ToF64(x: u64, rm: u32): u64 {
  return bitsOf(<f64><i32>x);
}
export function u32ToF64(x: u64, rm: u32): u64 {
  return bitsOf(<f64><u32>x);
}
export function i64ToF64(x: u64, rm: u32): u64 {
  const neg = <i64>x < 0;
  const mag = neg ? 0 - x : x;
  if (mag >> 53 == 0) return bitsOf(<f64><i64>x);
  return fromInt(neg, mag, rm, false);
}
export function u64ToF64(x: u64, rm: u32): u64 {
  if (x >> 53 == 0) return bitsOf(<f64>x);
  return fromInt(false, x, rm, false);
}

export function i32ToF32(x: u64, rm: u32): u32 {
  const v = <i64><i32>x;
  const neg = v < 0;
  const mag = <u64>(neg ? -v : v);
  if (mag >> 24 == 0) return reinterpret<u32>(<f32><i32>x);
  return <u32>fromInt(neg, mag, rm, true);
}
export function u32ToF32(x: u64, rm: u32): u32 {
  const mag = x & 0xffffffff;
  if (mag >> 24 == 0) return reinterpret<u32>(<f32><u32>mag);
  return <u32>fromInt(false, mag, rm, true);
}
export function i64ToF32(x: u64, rm: u32): u32 {
  const neg = <i64>x < 0;
  const mag = neg ? 0 - x : x;
  if (mag >> 24 == 0) return reinterpret<u32>(<f32><i64>x);
  return <u32>fromInt(neg, mag, rm, true);
}
export function u64ToF32(x: u64, rm: u32): u32 {
  if (x >> 24 == 0) return reinterpret<u32>(<f32>x);
  return <u32>fromInt(false, x, rm, true);
}

// ---------------------------------------------------------------------------
// binary64 <-> binary32

export function f64ToF32(a: u64, rm: u32): u32 {
  if (rm == RNE) {
    const r = <f32>f64of(a);
    const rb = reinterpret<u32>(r);
    if (expField32(rb) - 2 < 253) {
      if (<f64>r != f64of(a)) fpFlags |= NX;
      return rb;
    }
  }
  if (isNaN64(a)) {
    if (isSNaN64(a)) fpFlags |= NV;
    return NAN32;
  }
  return <u32>repack(a, rm, true);
}

export function f32ToF64(a: u32): u64 {
  if (isNaN32(a)) {
    if (isSNaN32(a)) fpFlags |= NV;
    return NAN64;
  }
  return widen(a);
}
