// Reference vectors for edgevm's FPU (src/core/fpu.ts), computed by a real
// RV64GC implementation: qemu-riscv64 or hardware. Every case runs one F/D
// instruction in inline asm, with frm set and fflags cleared just before, so
// the compiler cannot fold or reorder anything.
//
// Usage: fpu-vectors [scale [seed]]
//   scale multiplies the random cases (default 1); seed varies them.
// Output, one line per case:
//   <mnemonic> <rm> <operand hex>... <result hex> <fflags hex>
// rm is 0..4 (RNE RTZ RDN RUP RMM), or "-" for instructions without one.
// Widths: doubles and integer registers 16 hex digits, singles 8 (the
// single result is the low word of the NaN-boxed register).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef uint64_t u64;
typedef u64 (*runner)(u64 a, u64 b, u64 c, u64 rm, u64 *flags);

// ---------------------------------------------------------------------------
// Instruction runners. Operands arrive as raw bits in integer registers and
// are moved into f registers inside the asm (fmv.w.x NaN-boxes singles).

#define SETUP "fsrm %[rm]\n\tfsflags zero\n\t"
#define FLAGS "\n\tfrflags %[f]\n\t"

#define DEF_FFF(fn, insn, mv, mvo)                                                  \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0, t1, t2;                                                              \
    (void)c;                                                                        \
    __asm__ volatile(mv " %[t0], %[a]\n\t" mv " %[t1], %[b]\n\t" SETUP insn         \
                     " %[t2], %[t0], %[t1], dyn" FLAGS mvo " %[r], %[t2]"           \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0), [t1] "=&f"(t1),  \
                       [t2] "=&f"(t2)                                               \
                     : [a] "r"(a), [b] "r"(b), [rm] "r"(rm));                       \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

#define DEF_FFFF(fn, insn, mv, mvo)                                                 \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0, t1, t2, t3;                                                          \
    __asm__ volatile(mv " %[t0], %[a]\n\t" mv " %[t1], %[b]\n\t" mv " %[t2], %[c]\n\t" \
                     SETUP insn " %[t3], %[t0], %[t1], %[t2], dyn" FLAGS mvo        \
                     " %[r], %[t3]"                                                 \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0), [t1] "=&f"(t1),  \
                       [t2] "=&f"(t2), [t3] "=&f"(t3)                               \
                     : [a] "r"(a), [b] "r"(b), [c] "r"(c), [rm] "r"(rm));           \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

// One float operand, float result, with rounding mode (sqrt, fcvt.s.d).
#define DEF_FF(fn, insn, mv, mvo)                                                   \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0, t1;                                                                  \
    (void)b, (void)c;                                                               \
    __asm__ volatile(mv " %[t0], %[a]\n\t" SETUP insn " %[t1], %[t0], dyn" FLAGS mvo \
                     " %[r], %[t1]"                                                 \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0), [t1] "=&f"(t1)   \
                     : [a] "r"(a), [rm] "r"(rm));                                   \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

// One float operand, float result, no rounding mode field (fcvt.d.s).
#define DEF_FF_NORM(fn, insn, mv, mvo)                                              \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0, t1;                                                                  \
    (void)b, (void)c;                                                               \
    __asm__ volatile(mv " %[t0], %[a]\n\t" SETUP insn " %[t1], %[t0]" FLAGS mvo      \
                     " %[r], %[t1]"                                                 \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0), [t1] "=&f"(t1)   \
                     : [a] "r"(a), [rm] "r"(rm));                                   \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

// Two float operands, no rounding mode: fmin/fmax (float result) when mvo is
// an fmv, feq/flt/fle (integer result) when the result is the integer reg.
#define DEF_FF_MINMAX(fn, insn, mv, mvo)                                            \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0, t1, t2;                                                              \
    (void)c;                                                                        \
    __asm__ volatile(mv " %[t0], %[a]\n\t" mv " %[t1], %[b]\n\t" SETUP insn         \
                     " %[t2], %[t0], %[t1]" FLAGS mvo " %[r], %[t2]"                \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0), [t1] "=&f"(t1),  \
                       [t2] "=&f"(t2)                                               \
                     : [a] "r"(a), [b] "r"(b), [rm] "r"(rm));                       \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

#define DEF_FF_CMP(fn, insn, mv)                                                    \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0, t1;                                                                  \
    (void)c;                                                                        \
    __asm__ volatile(mv " %[t0], %[a]\n\t" mv " %[t1], %[b]\n\t" SETUP insn         \
                     " %[r], %[t0], %[t1]" FLAGS                                    \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0), [t1] "=&f"(t1)   \
                     : [a] "r"(a), [b] "r"(b), [rm] "r"(rm));                       \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

#define DEF_CLASS(fn, insn, mv)                                                     \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0;                                                                      \
    (void)b, (void)c;                                                               \
    __asm__ volatile(mv " %[t0], %[a]\n\t" SETUP insn " %[r], %[t0]" FLAGS          \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0)                   \
                     : [a] "r"(a), [rm] "r"(rm));                                   \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

// Float to integer register.
#define DEF_F2I(fn, insn, mv)                                                       \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0;                                                                      \
    (void)b, (void)c;                                                               \
    __asm__ volatile(mv " %[t0], %[a]\n\t" SETUP insn " %[r], %[t0], dyn" FLAGS     \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0)                   \
                     : [a] "r"(a), [rm] "r"(rm));                                   \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

// Integer register to float.
#define DEF_I2F(fn, insn, mvo)                                                      \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0;                                                                      \
    (void)b, (void)c;                                                               \
    __asm__ volatile(SETUP insn " %[t0], %[a], dyn" FLAGS mvo " %[r], %[t0]"        \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0)                   \
                     : [a] "r"(a), [rm] "r"(rm));                                   \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

// Exact conversions (fcvt.d.w, fcvt.d.wu) take no rounding mode operand.
#define DEF_I2F_EXACT(fn, insn, mvo)                                                \
  static u64 fn(u64 a, u64 b, u64 c, u64 rm, u64 *flags) {                          \
    u64 r, f;                                                                       \
    double t0;                                                                      \
    (void)b, (void)c;                                                               \
    __asm__ volatile(SETUP insn " %[t0], %[a]" FLAGS mvo " %[r], %[t0]"             \
                     : [r] "=&r"(r), [f] "=&r"(f), [t0] "=&f"(t0)                   \
                     : [a] "r"(a), [rm] "r"(rm));                                   \
    *flags = f;                                                                     \
    return r;                                                                       \
  }

#define MVD "fmv.d.x"
#define MVDO "fmv.x.d"
#define MVS "fmv.w.x"
#define MVSO "fmv.x.w"

DEF_FFF(fadd_d, "fadd.d", MVD, MVDO)
DEF_FFF(fsub_d, "fsub.d", MVD, MVDO)
DEF_FFF(fmul_d, "fmul.d", MVD, MVDO)
DEF_FFF(fdiv_d, "fdiv.d", MVD, MVDO)
DEF_FF(fsqrt_d, "fsqrt.d", MVD, MVDO)
DEF_FFFF(fmadd_d, "fmadd.d", MVD, MVDO)
DEF_FFFF(fmsub_d, "fmsub.d", MVD, MVDO)
DEF_FFFF(fnmsub_d, "fnmsub.d", MVD, MVDO)
DEF_FFFF(fnmadd_d, "fnmadd.d", MVD, MVDO)
DEF_FF_MINMAX(fmin_d, "fmin.d", MVD, MVDO)
DEF_FF_MINMAX(fmax_d, "fmax.d", MVD, MVDO)
DEF_FF_CMP(feq_d, "feq.d", MVD)
DEF_FF_CMP(flt_d, "flt.d", MVD)
DEF_FF_CMP(fle_d, "fle.d", MVD)
DEF_CLASS(fclass_d, "fclass.d", MVD)
DEF_F2I(fcvt_w_d, "fcvt.w.d", MVD)
DEF_F2I(fcvt_wu_d, "fcvt.wu.d", MVD)
DEF_F2I(fcvt_l_d, "fcvt.l.d", MVD)
DEF_F2I(fcvt_lu_d, "fcvt.lu.d", MVD)
DEF_I2F_EXACT(fcvt_d_w, "fcvt.d.w", MVDO)
DEF_I2F_EXACT(fcvt_d_wu, "fcvt.d.wu", MVDO)
DEF_I2F(fcvt_d_l, "fcvt.d.l", MVDO)
DEF_I2F(fcvt_d_lu, "fcvt.d.lu", MVDO)
DEF_FF(fcvt_s_d, "fcvt.s.d", MVD, MVSO)
DEF_FF_NORM(fcvt_d_s, "fcvt.d.s", MVS, MVDO)

DEF_FFF(fadd_s, "fadd.s", MVS, MVSO)
DEF_FFF(fsub_s, "fsub.s", MVS, MVSO)
DEF_FFF(fmul_s, "fmul.s", MVS, MVSO)
DEF_FFF(fdiv_s, "fdiv.s", MVS, MVSO)
DEF_FF(fsqrt_s, "fsqrt.s", MVS, MVSO)
DEF_FFFF(fmadd_s, "fmadd.s", MVS, MVSO)
DEF_FFFF(fmsub_s, "fmsub.s", MVS, MVSO)
DEF_FFFF(fnmsub_s, "fnmsub.s", MVS, MVSO)
DEF_FFFF(fnmadd_s, "fnmadd.s", MVS, MVSO)
DEF_FF_MINMAX(fmin_s, "fmin.s", MVS, MVSO)
DEF_FF_MINMAX(fmax_s, "fmax.s", MVS, MVSO)
DEF_FF_CMP(feq_s, "feq.s", MVS)
DEF_FF_CMP(flt_s, "flt.s", MVS)
DEF_FF_CMP(fle_s, "fle.s", MVS)
DEF_CLASS(fclass_s, "fclass.s", MVS)
DEF_F2I(fcvt_w_s, "fcvt.w.s", MVS)
DEF_F2I(fcvt_wu_s, "fcvt.wu.s", MVS)
DEF_F2I(fcvt_l_s, "fcvt.l.s", MVS)
DEF_F2I(fcvt_lu_s, "fcvt.lu.s", MVS)
DEF_I2F(fcvt_s_w, "fcvt.s.w", MVSO)
DEF_I2F(fcvt_s_wu, "fcvt.s.wu", MVSO)
DEF_I2F(fcvt_s_l, "fcvt.s.l", MVSO)
DEF_I2F(fcvt_s_lu, "fcvt.s.lu", MVSO)

// ---------------------------------------------------------------------------
// Deterministic operands

static u64 rng = 0x243f6a8885a308d3ull;

// splitmix64: a fixed sequence on every host.
static u64 next(void) {
  u64 z = (rng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static unsigned below(unsigned n) { return (unsigned)(next() % n); }

// Format parameters: single (s = 1) or double.
static int mbits(int s) { return s ? 23 : 52; }
static int emaxf(int s) { return s ? 255 : 2047; }
static int biasf(int s) { return s ? 127 : 1023; }
static u64 pack(int s, u64 sign, u64 field, u64 mant) {
  return (sign << (s ? 31 : 63)) | (field << mbits(s)) | (mant & ((1ull << mbits(s)) - 1));
}
static u64 sign_bit(int s) { return s ? 0x80000000ull : 0x8000000000000000ull; }

static const u64 special_d[] = {
  0x0000000000000000, 0x8000000000000000, 0x0000000000000001, 0x8000000000000001,
  0x000fffffffffffff, 0x800ffffffffffffe, 0x0010000000000000, 0x8010000000000000,
  0x0010000000000001, 0x001fffffffffffff, 0x7fefffffffffffff, 0xffefffffffffffff,
  0x7fe0000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
  0xfff8000000000000, 0x7ff4000000000000, 0x7ff0000000000001, 0x3ff0000000000000,
  0xbff0000000000000, 0x3ff8000000000000, 0x4008000000000000, 0xc008000000000000,
  0x3ff0000000000001, 0x3fefffffffffffff, 0x3fe0000000000000, 0xbfe0000000000000,
  0x3fe8000000000000, 0x3ff4000000000000, 0x3fb999999999999a, 0x3ca0000000000000,
  0x4340000000000000, 0x4340000000000001, 0x41dfffffffc00000, 0x41e0000000000000,
  0x41dfffffffffffff, 0xc1e0000000000000, 0xc1e0000000100000, 0x41efffffffe00000,
  0x41f0000000000000, 0x41efffffffffffff, 0x43e0000000000000, 0x43dfffffffffffff,
  0xc3e0000000000000, 0xc3e0000000000001, 0x43f0000000000000, 0x43efffffffffffff,
  0x3810000000000000, 0x380fffffe0000000, 0x47efffffe0000000, 0x47effffff0000000,
};
static const u64 special_s[] = {
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807ffffe, 0x00800000,
  0x80800000, 0x00800001, 0x00ffffff, 0x7f7fffff, 0xff7fffff, 0x7f000000, 0x7f800000,
  0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000, 0x7f800001, 0x3f800000, 0xbf800000,
  0x3fc00000, 0x40400000, 0xc0400000, 0x3f800001, 0x3f7fffff, 0x3f000000, 0xbf000000,
  0x3f400000, 0x3fa00000, 0x3dcccccd, 0x33800000, 0x4b800000, 0x4b800001, 0x4effffff,
  0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x4f800000, 0x5effffff, 0x5f000000,
  0xdf000000, 0xdf000001, 0x5f7fffff, 0x5f800000,
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

// A small set whose every pair/triple is run: the zero/infinity/NaN rules.
static const u64 corner_d[] = {0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000,
                               0xffefffffffffffff, 0x7ff0000000000000, 0xfff0000000000000,
                               0x7ff8000000000000, 0x7ff4000000000000};
static const u64 corner_s[] = {0x00000000, 0x80000000, 0x3f800000, 0xff7fffff,
                               0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000};

static u64 special(int s) {
  return s ? special_s[below(COUNT(special_s))] : special_d[below(COUNT(special_d))];
}

// A mantissa pattern: short ones make exact results and ties likely.
static u64 rand_mant(int s) {
  int m = mbits(s);
  u64 all = (1ull << m) - 1;
  switch (below(8)) {
  case 0: case 1: case 2: return next() & all;
  case 3: { int keep = (int)below((unsigned)m + 1); return next() & all & ~((1ull << (m - keep)) - 1); }
  case 4: return all & ~((1ull << below((unsigned)m + 1)) - 1);   // ones then zeros
  case 5: return (1ull << below((unsigned)m + 1)) - 1;            // zeros then ones
  case 6: return 0;
  default: return 1ull << below((unsigned)m);
  }
}

// An exponent field: all of the range, near 1, near the subnormals, near overflow.
static u64 rand_field(int s) {
  int emax = emaxf(s), bias = biasf(s);
  switch (below(8)) {
  case 0: return below((unsigned)emax + 1);
  case 1: return below(3);
  case 2: return (u64)(emax - 1 - (int)below(3));
  case 3: return (u64)(bias - 40 + (int)below(81));
  default: return (u64)(bias - 8 + (int)below(17));
  }
}

static u64 rand_float(int s) {
  unsigned k = below(16);
  if (k == 0) return special(s);
  if (k == 1) return s ? next() & 0xffffffff : next();
  return pack(s, next() & 1, rand_field(s), rand_mant(s));
}

// A float near x: a few ulps away, or with a nearby exponent.
static u64 nudge(int s, u64 x) {
  u64 r = x;
  switch (below(4)) {
  case 0: r = x + (u64)(int)(below(5) - 2); break;
  case 1: r = x ^ sign_bit(s); break;
  case 2: r = (x ^ sign_bit(s)) + (u64)(int)(below(5) - 2); break;
  default: r = x + ((u64)(int)(below(2 * (unsigned)mbits(s) + 9) - (unsigned)mbits(s) - 4) << mbits(s)); break;
  }
  return s ? r & 0xffffffff : r;
}

static u64 rand_int(void) {
  int bits = (int)below(65);
  u64 v = bits == 0 ? 0 : next() >> (64 - bits);
  switch (below(6)) {
  case 0: v |= 1ull << (bits ? bits - 1 : 0); break;
  case 1: v &= ~((1ull << below(40)) - 1); break;   // trailing zeros: ties after rounding
  case 2: v = (v & ~((1ull << below(40)) - 1)) | (1ull << below(40)); break;
  default: break;
  }
  if (below(3) == 0) v = (u64)0 - v;
  return v;
}

// Floats around integers, halves and the fcvt range limits.
static u64 rand_convertible(int s) {
  if (below(4) == 0) return nudge(s, special(s));
  int e = (int)below(70) - 3;
  return pack(s, next() & 1, (u64)(biasf(s) + e), rand_mant(s));
}

// Doubles around the single range, with ties at the 24th bit.
static u64 rand_narrowable(void) {
  u64 field = (u64)(1023 - 160 + (int)below(292));
  u64 mant = rand_mant(0);
  if (below(3) == 0) mant = (mant & ~((1ull << 29) - 1)) | (1ull << 28);
  return pack(0, next() & 1, field, mant);
}

static u64 run_rne(runner fn, u64 a, u64 b, u64 c) {
  u64 flags;
  return fn(a, b, c, 0, &flags);
}

// ---------------------------------------------------------------------------
// Cases

typedef struct {
  const char *name;
  runner fn;
  int arity;      // operands
  int single;     // float operands are singles
  int in_int;     // the operand is an integer register
  int out_digits; // hex digits of the result
  int has_rm;
  int gen;        // operand generator, see operands()
  unsigned count; // random tuples at scale 1
} op_t;

enum { G_MUL, G_ADD, G_DIV, G_SQRT, G_FMA, G_TOINT, G_FROMINT, G_NARROW, G_ANY };

static const op_t ops[] = {
  {"fadd.d", fadd_d, 2, 0, 0, 16, 1, G_ADD, 350},
  {"fsub.d", fsub_d, 2, 0, 0, 16, 1, G_ADD, 80},
  {"fmul.d", fmul_d, 2, 0, 0, 16, 1, G_MUL, 350},
  {"fdiv.d", fdiv_d, 2, 0, 0, 16, 1, G_DIV, 300},
  {"fsqrt.d", fsqrt_d, 1, 0, 0, 16, 1, G_SQRT, 180},
  {"fmadd.d", fmadd_d, 3, 0, 0, 16, 1, G_FMA, 450},
  {"fmsub.d", fmsub_d, 3, 0, 0, 16, 1, G_FMA, 50},
  {"fnmsub.d", fnmsub_d, 3, 0, 0, 16, 1, G_FMA, 50},
  {"fnmadd.d", fnmadd_d, 3, 0, 0, 16, 1, G_FMA, 50},
  {"fmin.d", fmin_d, 2, 0, 0, 16, 0, G_MUL, 100},
  {"fmax.d", fmax_d, 2, 0, 0, 16, 0, G_MUL, 100},
  {"feq.d", feq_d, 2, 0, 0, 16, 0, G_MUL, 100},
  {"flt.d", flt_d, 2, 0, 0, 16, 0, G_MUL, 100},
  {"fle.d", fle_d, 2, 0, 0, 16, 0, G_MUL, 100},
  {"fclass.d", fclass_d, 1, 0, 0, 16, 0, G_ANY, 50},
  {"fcvt.w.d", fcvt_w_d, 1, 0, 0, 16, 1, G_TOINT, 120},
  {"fcvt.wu.d", fcvt_wu_d, 1, 0, 0, 16, 1, G_TOINT, 120},
  {"fcvt.l.d", fcvt_l_d, 1, 0, 0, 16, 1, G_TOINT, 120},
  {"fcvt.lu.d", fcvt_lu_d, 1, 0, 0, 16, 1, G_TOINT, 120},
  {"fcvt.d.w", fcvt_d_w, 1, 0, 1, 16, 0, G_FROMINT, 40},
  {"fcvt.d.wu", fcvt_d_wu, 1, 0, 1, 16, 0, G_FROMINT, 40},
  {"fcvt.d.l", fcvt_d_l, 1, 0, 1, 16, 1, G_FROMINT, 100},
  {"fcvt.d.lu", fcvt_d_lu, 1, 0, 1, 16, 1, G_FROMINT, 100},
  {"fcvt.s.d", fcvt_s_d, 1, 0, 0, 8, 1, G_NARROW, 150},
  {"fcvt.d.s", fcvt_d_s, 1, 1, 0, 16, 0, G_ANY, 60},

  {"fadd.s", fadd_s, 2, 1, 0, 8, 1, G_ADD, 350},
  {"fsub.s", fsub_s, 2, 1, 0, 8, 1, G_ADD, 80},
  {"fmul.s", fmul_s, 2, 1, 0, 8, 1, G_MUL, 350},
  {"fdiv.s", fdiv_s, 2, 1, 0, 8, 1, G_DIV, 300},
  {"fsqrt.s", fsqrt_s, 1, 1, 0, 8, 1, G_SQRT, 180},
  {"fmadd.s", fmadd_s, 3, 1, 0, 8, 1, G_FMA, 450},
  {"fmsub.s", fmsub_s, 3, 1, 0, 8, 1, G_FMA, 50},
  {"fnmsub.s", fnmsub_s, 3, 1, 0, 8, 1, G_FMA, 50},
  {"fnmadd.s", fnmadd_s, 3, 1, 0, 8, 1, G_FMA, 50},
  {"fmin.s", fmin_s, 2, 1, 0, 8, 0, G_MUL, 100},
  {"fmax.s", fmax_s, 2, 1, 0, 8, 0, G_MUL, 100},
  {"feq.s", feq_s, 2, 1, 0, 16, 0, G_MUL, 100},
  {"flt.s", flt_s, 2, 1, 0, 16, 0, G_MUL, 100},
  {"fle.s", fle_s, 2, 1, 0, 16, 0, G_MUL, 100},
  {"fclass.s", fclass_s, 1, 1, 0, 16, 0, G_ANY, 50},
  {"fcvt.w.s", fcvt_w_s, 1, 1, 0, 16, 1, G_TOINT, 120},
  {"fcvt.wu.s", fcvt_wu_s, 1, 1, 0, 16, 1, G_TOINT, 120},
  {"fcvt.l.s", fcvt_l_s, 1, 1, 0, 16, 1, G_TOINT, 120},
  {"fcvt.lu.s", fcvt_lu_s, 1, 1, 0, 16, 1, G_TOINT, 120},
  {"fcvt.s.w", fcvt_s_w, 1, 1, 1, 8, 1, G_FROMINT, 60},
  {"fcvt.s.wu", fcvt_s_wu, 1, 1, 1, 8, 1, G_FROMINT, 60},
  {"fcvt.s.l", fcvt_s_l, 1, 1, 1, 8, 1, G_FROMINT, 100},
  {"fcvt.s.lu", fcvt_s_lu, 1, 1, 1, 8, 1, G_FROMINT, 100},
};

// A random operand tuple for op; results of RNE instructions build related
// operands (cancellation, exact quotients and roots) without host arithmetic.
static void operands(const op_t *op, u64 v[3]) {
  int s = op->single;
  v[0] = rand_float(s);
  v[1] = rand_float(s);
  v[2] = rand_float(s);
  switch (op->gen) {
  case G_ADD:
    if (below(2)) v[1] = nudge(s, v[0]);
    break;
  case G_DIV:
    if (below(3) == 0) v[0] = run_rne(s ? fmul_s : fmul_d, v[1], pack(s, 0, (u64)biasf(s) + below(5), rand_mant(s) & ~((1ull << (mbits(s) - 8)) - 1)), 0);
    break;
  case G_SQRT:
    if (below(3) == 0) v[0] = run_rne(s ? fmul_s : fmul_d, v[1], v[1], 0);
    else if (below(4) == 0) v[0] &= ~sign_bit(s);
    break;
  case G_FMA: {
    unsigned k = below(4);
    u64 p = run_rne(s ? fmul_s : fmul_d, v[0], v[1], 0);
    if (k == 0) v[2] = nudge(s, p ^ sign_bit(s));
    else if (k == 1) v[2] = nudge(s, p);
    break;
  }
  case G_TOINT:
    v[0] = rand_convertible(s);
    break;
  case G_FROMINT:
    v[0] = rand_int();
    break;
  case G_NARROW:
    v[0] = below(8) == 0 ? rand_float(0) : rand_narrowable();
    break;
  default:
    if (op->arity == 2 && below(4) == 0) v[1] = nudge(s, v[0]);
    break;
  }
}

static void print_case(const op_t *op, int rm, const u64 v[3]) {
  u64 flags;
  u64 r = op->fn(v[0], v[1], v[2], rm < 0 ? 0 : (u64)rm, &flags);
  int in_digits = op->in_int ? 16 : op->single ? 8 : 16;
  if (op->out_digits == 8) r &= 0xffffffff;
  if (rm < 0) printf("%s -", op->name);
  else printf("%s %d", op->name, rm);
  for (int i = 0; i < op->arity; i++) printf(" %0*llx", in_digits, (unsigned long long)v[i]);
  printf(" %0*llx %02llx\n", op->out_digits, (unsigned long long)r, (unsigned long long)flags);
}

static void print_all_rm(const op_t *op, const u64 v[3]) {
  if (!op->has_rm) {
    print_case(op, -1, v);
    return;
  }
  for (int rm = 0; rm < 5; rm++) print_case(op, rm, v);
}

// Fixed cases: integer corners for int -> float, every special for the other
// one-operand instructions, every corner pair for two operands, and every
// corner triple (in RNE and RDN) for fmadd.
static void corner_cases(const op_t *op) {
  const u64 *list = op->single ? corner_s : corner_d;
  unsigned n = op->single ? COUNT(corner_s) : COUNT(corner_d);
  u64 v[3] = {0, 0, 0};
  if (op->in_int) {
    static const u64 ints[] = {0, 1, 0xffffffffffffffff, 0x7fffffff, 0x80000000, 0xffffffff80000000,
                               0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
                               0x20000000000001, 0x1000001, 0xfffffffffeffffff, 0xffffffffffffff7f};
    for (unsigned i = 0; i < COUNT(ints); i++) {
      v[0] = ints[i];
      print_all_rm(op, v);
    }
    return;
  }
  if (op->arity == 1) {
    unsigned ns = op->single ? COUNT(special_s) : COUNT(special_d);
    for (unsigned i = 0; i < ns; i++) {
      v[0] = op->single ? special_s[i] : special_d[i];
      print_all_rm(op, v);
    }
    return;
  }
  if (op->arity == 2) {
    for (unsigned i = 0; i < n; i++)
      for (unsigned j = 0; j < n; j++) {
        v[0] = list[i];
        v[1] = list[j];
        print_all_rm(op, v);
      }
    return;
  }
  // Triples: signs of zeros in RNE and RDN, the inf*0 and NaN rules.
  if (op->fn != fmadd_d && op->fn != fmadd_s) return;
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = 0; j < n; j++)
      for (unsigned k = 0; k < n; k++) {
        v[0] = list[i];
        v[1] = list[j];
        v[2] = list[k];
        print_case(op, 0, v);
        print_case(op, 2, v);
      }
}

// Hand-picked cases for rules random operands rarely reach.
static const struct {
  const char *op;
  u64 a, b, c;
} targeted[] = {
  // Tininess after rounding: exact values just below the smallest normal that
  // round to it with an unbounded exponent are not tiny (only NX in RNE).
  {"fmul.d", 0x000fffffffffffff, 0x3ff0000000000001, 0},
  {"fmul.d", 0x0010000000000000, 0x3fefffffffffffff, 0},
  {"fmul.s", 0x007ffff0, 0x3f800010, 0},
  {"fmul.s", 0x007fffff, 0x3f800001, 0},
  {"fmadd.d", 0x9e40000000000000, 0x1e40000000000000, 0x0010000000000000},
  {"fmadd.s", 0x98800000, 0x18800000, 0x00800000},
  {"fcvt.s.d", 0x380ffffff0000000, 0, 0},
  {"fcvt.s.d", 0x380fffffe0000000, 0, 0},
  {"fdiv.d", 0x001fffffffffffff, 0x4000000000000001, 0},
  {"fdiv.s", 0x00ffffff, 0x40000001, 0},
  // Exact zero sums: +0, or -0 in RDN, also through the negated FMA forms.
  {"fmadd.d", 0x3ff0000000000000, 0x4000000000000000, 0xc000000000000000},
  {"fnmadd.d", 0x3ff0000000000000, 0x4000000000000000, 0xc000000000000000},
  {"fmsub.d", 0x3ff0000000000000, 0x4000000000000000, 0x4000000000000000},
  {"fnmsub.d", 0x3ff0000000000000, 0x4000000000000000, 0x4000000000000000},
  {"fmadd.d", 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000},
  {"fnmadd.d", 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000},
  {"fmadd.s", 0x3f800000, 0x40000000, 0xc0000000},
  {"fnmadd.s", 0x80000000, 0x3f800000, 0x80000000},
  // inf * 0 + qNaN raises NV (F: fused multiply-add).
  {"fnmsub.d", 0x7ff0000000000000, 0x8000000000000000, 0x7ff8000000000000},
  {"fmsub.s", 0x00000000, 0xff800000, 0x7fc00000},
  // NaN results are canonical; min/max return the non-NaN operand, -0 < +0.
  {"fadd.s", 0x7fc12345, 0x3f800000, 0},
  {"fadd.d", 0x7ff0000000000000, 0xfff0000000000000, 0},
  {"fmin.d", 0x7ff4000000000000, 0x3ff0000000000000, 0},
  {"fmax.s", 0x7fc00000, 0x7fa00000, 0},
  {"fmin.s", 0x00000000, 0x80000000, 0},
  {"fmax.d", 0x8000000000000000, 0x0000000000000000, 0},
  // Overflow: infinity or the largest finite value depending on rm.
  {"fmul.d", 0x7fefffffffffffff, 0x4000000000000000, 0},
  {"fadd.s", 0xff7fffff, 0xff7fffff, 0},
  // fcvt.wu results are sign-extended from 32 bits.
  {"fcvt.wu.d", 0x41efffffffe00000, 0, 0},
  {"fcvt.wu.s", 0x4f7fffff, 0, 0},
  // fcvt.wu of a negative value that rounds to zero is valid (NX, not NV).
  {"fcvt.wu.d", 0xbfe0000000000000, 0, 0},
  {"fcvt.wu.d", 0xbfe8000000000000, 0, 0},
  {"fcvt.lu.s", 0xbf000000, 0, 0},
  {"fcvt.w.d", 0xc1e0000000100000, 0, 0},
  {"fcvt.w.d", 0x41dfffffffe00000, 0, 0},
  {"fcvt.l.d", 0xc3e0000000000000, 0, 0},
};

static void targeted_cases(const op_t *op) {
  for (unsigned i = 0; i < COUNT(targeted); i++) {
    const char *a = targeted[i].op, *b = op->name;
    while (*a && *a == *b) a++, b++;
    if (*a || *b) continue;
    u64 v[3] = {targeted[i].a, targeted[i].b, targeted[i].c};
    print_all_rm(op, v);
  }
}

int main(int argc, char **argv) {
  unsigned scale = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 1;
  if (argc > 2) rng ^= strtoull(argv[2], 0, 0) * 0x9e3779b97f4a7c15ull;
  for (unsigned i = 0; i < COUNT(ops); i++) {
    const op_t *op = &ops[i];
    corner_cases(op);
    targeted_cases(op);
    for (unsigned n = 0; n < op->count * scale; n++) {
      u64 v[3];
      operands(op, v);
      if (op->single && !op->in_int) v[0] &= 0xffffffff, v[1] &= 0xffffffff, v[2] &= 0xffffffff;
      print_all_rm(op, v);
    }
  }
  return 0;
}
