// "F" and "D" extensions (unprivileged spec, chapters "F Standard Extension
// for Single-Precision Floating-Point" and "D Standard Extension for
// Double-Precision Floating-Point") corner cases. Every operand and result
// moves through integer registers as raw bits (fmv.d.x / fmv.x.d), so the
// checks see exactly what is in the 64-bit f registers, including NaN-boxing.
//
// Covered: NaN-boxing of single values (section "NaN Boxing of Narrower
// Values"), the canonical NaN (section "NaN Generation and Propagation"),
// fmin/fmax with NaNs and signed zeros, float-to-integer saturation and NV
// (table "Domains of float-to-integer conversions"), all five rounding modes
// through frm and as static rm (including fmadd, and fusedness), invalid rm,
// fflags accrual and the fcsr/frm/fflags views (section "Floating-Point
// Control and Status Register"), overflow/underflow/div-by-zero flags,
// fsgnj*, fmv.x.w sign extension, fclass, comparisons, integer-to-float
// conversions, FP loads/stores and mstatus.FS (privileged spec 3.1.6.6).
#include "macros.h"

typedef uint64_t u64;

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

// NaN-boxed single: the upper 32 bits all ones.
#define BOX(x) (0xffffffff00000000ull | (u64)(uint32_t)(x))

// Single-precision bit patterns.
#define S_P0 0x00000000u
#define S_N0 0x80000000u
#define S_1 0x3f800000u
#define S_N1 0xbf800000u
#define S_2 0x40000000u
#define S_N2 0xc0000000u
#define S_3 0x40400000u
#define S_HALF 0x3f000000u
#define S_NHALF 0xbf000000u
#define S_1_5 0x3fc00000u
#define S_2_5 0x40200000u
#define S_N2_5 0xc0200000u
#define S_4 0x40800000u
#define S_INF 0x7f800000u
#define S_NINF 0xff800000u
#define S_MAX 0x7f7fffffu
#define S_MINNORM 0x00800000u
#define S_MINSUB 0x00000001u
#define S_SUB 0x00400000u // a subnormal
#define S_QNAN 0x7fc00000u // canonical
#define S_QNANP 0x7fc12345u // quiet, with payload
#define S_NQNAN 0xffc00000u // quiet, negative
#define S_SNAN 0x7f800001u
#define S_EPS24 0x33800000u // 2^-24: half an ulp of 1.0
#define S_3E9 0x4f32d05eu // 3e9 (exact)
#define S_4E9 0x4f6e6b28u // 4e9 (exact)
#define S_5E9 0x4f9502f9u // 5e9 (exact)
#define S_2P31 0x4f000000u // 2^31
#define S_N2P31 0xcf000000u // -2^31
#define S_2P63 0x5f000000u // 2^63
#define S_N2P63 0xdf000000u // -2^63

// Double-precision bit patterns.
#define D_P0 0x0000000000000000ull
#define D_N0 0x8000000000000000ull
#define D_1 0x3ff0000000000000ull
#define D_N1 0xbff0000000000000ull
#define D_2 0x4000000000000000ull
#define D_N2 0xc000000000000000ull
#define D_3 0x4008000000000000ull
#define D_4 0x4010000000000000ull
#define D_2_5 0x4004000000000000ull
#define D_N2_5 0xc004000000000000ull
#define D_HALF 0x3fe0000000000000ull
#define D_INF 0x7ff0000000000000ull
#define D_NINF 0xfff0000000000000ull
#define D_MAX 0x7fefffffffffffffull
#define D_MINNORM 0x0010000000000000ull
#define D_MINSUB 0x0000000000000001ull
#define D_QNAN 0x7ff8000000000000ull // canonical
#define D_QNANP 0x7ff8000000012345ull
#define D_SNAN 0x7ff0000000000001ull
#define D_EPS53 0x3ca0000000000000ull // 2^-53
#define D_EPS54 0x3c90000000000000ull // 2^-54
#define D_2P63 0x43e0000000000000ull
#define D_N2P63 0xc3e0000000000000ull
#define D_2P64 0x43f0000000000000ull
#define D_2P31M_HALF 0x41dfffffffe00000ull // 2^31 - 0.5
#define D_2P32M1 0x41efffffffe00000ull // 2^32 - 1

// ---- raw-bit wrappers ------------------------------------------------------
// rm is a suffix string such as ", rup", or "" for instructions without one.
#define RNE ", rne"
#define RTZ ", rtz"
#define RDN ", rdn"
#define RUP ", rup"
#define RMM ", rmm"
#define DYN ", dyn"

// f = op(f)
#define F1(insn, rm, a)                                                                   \
  ({                                                                                      \
    u64 r_;                                                                               \
    __asm__ volatile("fmv.d.x ft0, %1\n\t" insn " ft1, ft0" rm "\n\tfmv.x.d %0, ft1"      \
                     : "=r"(r_)                                                           \
                     : "r"((u64)(a))                                                      \
                     : "ft0", "ft1");                                                     \
    r_;                                                                                   \
  })
// f = op(f, f)
#define F2(insn, rm, a, b)                                                                \
  ({                                                                                      \
    u64 r_;                                                                               \
    __asm__ volatile("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" insn " ft2, ft0, ft1" rm  \
                     "\n\tfmv.x.d %0, ft2"                                                \
                     : "=r"(r_)                                                           \
                     : "r"((u64)(a)), "r"((u64)(b))                                       \
                     : "ft0", "ft1", "ft2");                                              \
    r_;                                                                                   \
  })
// f = op(f, f, f)
#define F3(insn, rm, a, b, c)                                                             \
  ({                                                                                      \
    u64 r_;                                                                               \
    __asm__ volatile("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\tfmv.d.x ft2, %3\n\t" insn    \
                     " ft3, ft0, ft1, ft2" rm "\n\tfmv.x.d %0, ft3"                       \
                     : "=r"(r_)                                                           \
                     : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(c))                        \
                     : "ft0", "ft1", "ft2", "ft3");                                       \
    r_;                                                                                   \
  })
// x = op(f)
#define X1(insn, rm, a)                                                                   \
  ({                                                                                      \
    u64 r_;                                                                               \
    __asm__ volatile("fmv.d.x ft0, %1\n\t" insn " %0, ft0" rm                             \
                     : "=r"(r_)                                                           \
                     : "r"((u64)(a))                                                      \
                     : "ft0");                                                            \
    r_;                                                                                   \
  })
// x = op(f, f)
#define X2(insn, a, b)                                                                    \
  ({                                                                                      \
    u64 r_;                                                                               \
    __asm__ volatile("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" insn " %0, ft0, ft1"        \
                     : "=r"(r_)                                                           \
                     : "r"((u64)(a)), "r"((u64)(b))                                       \
                     : "ft0", "ft1");                                                     \
    r_;                                                                                   \
  })
// f = op(x)
#define FX(insn, rm, x)                                                                   \
  ({                                                                                      \
    u64 r_;                                                                               \
    __asm__ volatile(insn " ft0, %1" rm "\n\tfmv.x.d %0, ft0"                             \
                     : "=r"(r_)                                                           \
                     : "r"((u64)(x))                                                      \
                     : "ft0");                                                            \
    r_;                                                                                   \
  })

static inline u64 get_fflags(void) {
  u64 v;
  __asm__ volatile("csrr %0, fflags" : "=r"(v));
  return v;
}
static inline void clear_fflags(void) { __asm__ volatile("csrw fflags, zero"); }
static inline void set_frm(u64 rm) { __asm__ volatile("csrw frm, %0" : : "r"(rm)); }
static inline u64 get_frm(void) {
  u64 v;
  __asm__ volatile("csrr %0, frm" : "=r"(v));
  return v;
}
static inline u64 get_fcsr(void) {
  u64 v;
  __asm__ volatile("csrr %0, fcsr" : "=r"(v));
  return v;
}
static inline u64 read_mstatus(void) {
  u64 v;
  __asm__ volatile("csrr %0, mstatus" : "=r"(v));
  return v;
}

// T(expr, expected, flags): run expr with fflags cleared, check the result
// bits and exactly the flags raised.
#define T(expr, exp, fl)                                  \
  do {                                                    \
    clear_fflags();                                       \
    u64 r_ = (expr);                                      \
    u64 f_ = get_fflags();                                \
    CHECK_EQ(#expr, r_, (exp));                           \
    CHECK_EQ("fflags after " #expr, f_, (fl));            \
  } while (0)

enum { FRM_RNE = 0, FRM_RTZ = 1, FRM_RDN = 2, FRM_RUP = 3, FRM_RMM = 4 };

static void nan_boxing(void) {
  // An f register holding a single must have its upper 32 bits all ones;
  // any other value read as a single is the canonical NaN.
  const u64 unboxed_one = 0x000000003f800000ull;
  const u64 half_boxed_one = 0xfffffffe3f800000ull;
  T(F2("fadd.s", RNE, unboxed_one, BOX(S_1)), BOX(S_QNAN), 0);
  T(F2("fadd.s", RNE, BOX(S_1), half_boxed_one), BOX(S_QNAN), 0);
  T(F2("fadd.s", RNE, BOX(S_1), BOX(S_1)), BOX(S_2), 0); // control
  // the sign-injection ops see the canonical NaN as well
  T(F2("fsgnj.s", "", unboxed_one, unboxed_one), BOX(S_QNAN), 0);
  T(F2("fsgnjn.s", "", unboxed_one, unboxed_one), BOX(S_NQNAN), 0);
  T(F2("fsgnj.s", "", BOX(S_N1), unboxed_one), BOX(S_1), 0); // sign of +NaN
  // conversions and comparisons
  T(F1("fcvt.d.s", "", unboxed_one), D_QNAN, 0);
  T(X2("feq.s", unboxed_one, unboxed_one), 0, 0);
  T(X2("flt.s", unboxed_one, BOX(S_1)), 0, NV); // flt signals on any NaN
  T(X1("fclass.s", "", unboxed_one), 1 << 9, 0);
  T(X1("fcvt.w.s", RTZ, unboxed_one), 0x7fffffff, NV);
  T(F2("fmin.s", "", unboxed_one, BOX(S_2)), BOX(S_2), 0);
  // transfers do not check: fmv.x.w and fsw move the low 32 bits as they are
  T(X1("fmv.x.w", "", 0x123456789abcdef0ull), 0xffffffff9abcdef0ull, 0);
  {
    uint32_t word[2] = {0, 0x5a5a5a5a};
    u64 v = 0x0000000040490fdbull;
    __asm__ volatile("fmv.d.x ft0, %1\n\tfsw ft0, 0(%0)" : : "r"(word), "r"(v) : "ft0", "memory");
    CHECK_EQ("fsw of an unboxed register stores its low word", word[0], 0x40490fdb);
    CHECK_EQ("fsw writes 4 bytes", word[1], 0x5a5a5a5a);
  }
  // and transfers into the register file box
  T(FX("fmv.w.x", "", 0x1234567887654321ull), BOX(0x87654321), 0);
  {
    uint32_t w = S_3;
    u64 r;
    __asm__ volatile("flw ft0, 0(%1)\n\tfmv.x.d %0, ft0" : "=r"(r) : "r"(&w) : "ft0", "memory");
    CHECK_EQ("flw NaN-boxes", r, BOX(S_3));
  }
  // single results are boxed
  T(FX("fcvt.s.w", RNE, 1), BOX(S_1), 0);
  T(F1("fcvt.s.d", RNE, D_2), BOX(S_2), 0);
  // a boxed single read as a double is just a (quiet, negative) NaN
  T(F2("fadd.d", RNE, BOX(S_1), D_1), D_QNAN, 0);
}

static void canonical_nan(void) {
  // Results that are NaN are the canonical NaN; payloads never propagate.
  T(F2("fdiv.s", RNE, BOX(S_P0), BOX(S_P0)), BOX(S_QNAN), NV);
  T(F1("fsqrt.s", RNE, BOX(S_N1)), BOX(S_QNAN), NV);
  T(F1("fsqrt.s", RNE, BOX(S_N0)), BOX(S_N0), 0);
  T(F2("fadd.s", RNE, BOX(S_INF), BOX(S_NINF)), BOX(S_QNAN), NV);
  T(F2("fmul.s", RNE, BOX(S_P0), BOX(S_INF)), BOX(S_QNAN), NV);
  T(F2("fadd.s", RNE, BOX(S_QNANP), BOX(S_1)), BOX(S_QNAN), 0);
  T(F2("fadd.s", RNE, BOX(S_NQNAN), BOX(S_1)), BOX(S_QNAN), 0);
  T(F2("fadd.s", RNE, BOX(S_SNAN), BOX(S_1)), BOX(S_QNAN), NV);
  T(F2("fmul.s", RNE, BOX(S_1), BOX(S_QNANP)), BOX(S_QNAN), 0);
  T(F2("fdiv.d", RNE, D_P0, D_P0), D_QNAN, NV);
  T(F1("fsqrt.d", RNE, D_N1), D_QNAN, NV);
  T(F2("fadd.d", RNE, D_QNANP, D_1), D_QNAN, 0);
  T(F2("fsub.d", RNE, D_1, D_SNAN), D_QNAN, NV);
  T(F2("fsub.d", RNE, D_INF, D_INF), D_QNAN, NV);
  T(F1("fcvt.s.d", RNE, D_QNANP), BOX(S_QNAN), 0);
  T(F1("fcvt.s.d", RNE, D_SNAN), BOX(S_QNAN), NV);
  T(F1("fcvt.d.s", "", BOX(S_QNANP)), D_QNAN, 0);
  T(F1("fcvt.d.s", "", BOX(S_SNAN)), D_QNAN, NV);
  T(F3("fmadd.d", RNE, D_QNANP, D_1, D_1), D_QNAN, 0);
}

static void min_max(void) {
  // fmin/fmax (version 2.2 semantics): a single quiet NaN operand is ignored,
  // two NaNs give the canonical NaN, a signaling NaN raises NV, and -0 < +0.
  T(F2("fmin.s", "", BOX(S_QNAN), BOX(S_1)), BOX(S_1), 0);
  T(F2("fmin.s", "", BOX(S_1), BOX(S_QNANP)), BOX(S_1), 0);
  T(F2("fmax.s", "", BOX(S_QNAN), BOX(S_N1)), BOX(S_N1), 0);
  T(F2("fmin.s", "", BOX(S_SNAN), BOX(S_1)), BOX(S_1), NV);
  T(F2("fmax.s", "", BOX(S_2), BOX(S_SNAN)), BOX(S_2), NV);
  T(F2("fmin.s", "", BOX(S_QNANP), BOX(S_QNANP)), BOX(S_QNAN), 0);
  T(F2("fmax.s", "", BOX(S_SNAN), BOX(S_QNAN)), BOX(S_QNAN), NV);
  T(F2("fmin.s", "", BOX(S_N0), BOX(S_P0)), BOX(S_N0), 0);
  T(F2("fmin.s", "", BOX(S_P0), BOX(S_N0)), BOX(S_N0), 0);
  T(F2("fmax.s", "", BOX(S_N0), BOX(S_P0)), BOX(S_P0), 0);
  T(F2("fmax.s", "", BOX(S_P0), BOX(S_N0)), BOX(S_P0), 0);
  T(F2("fmin.s", "", BOX(S_N1), BOX(S_2)), BOX(S_N1), 0);
  T(F2("fmax.s", "", BOX(S_N1), BOX(S_2)), BOX(S_2), 0);
  T(F2("fmax.s", "", BOX(S_NINF), BOX(S_N2)), BOX(S_N2), 0);
  T(F2("fmin.d", "", D_QNAN, D_1), D_1, 0);
  T(F2("fmax.d", "", D_N1, D_QNANP), D_N1, 0);
  T(F2("fmin.d", "", D_SNAN, D_2), D_2, NV);
  T(F2("fmax.d", "", D_QNANP, D_SNAN), D_QNAN, NV);
  T(F2("fmin.d", "", D_P0, D_N0), D_N0, 0);
  T(F2("fmax.d", "", D_N0, D_P0), D_P0, 0);
  T(F2("fmax.d", "", D_INF, D_MAX), D_INF, 0);
}

static void float_to_int(void) {
  // Out-of-range and NaN inputs saturate and raise NV (never NX); in-range
  // inexact results raise NX. W/WU results are sign-extended 32-bit values.
  T(X1("fcvt.w.s", RTZ, BOX(S_3E9)), 0x7fffffff, NV);
  T(X1("fcvt.w.s", RTZ, BOX(S_3E9 | 0x80000000u)), 0xffffffff80000000ull, NV);
  T(X1("fcvt.w.s", RTZ, BOX(S_QNAN)), 0x7fffffff, NV);
  T(X1("fcvt.w.s", RTZ, BOX(S_NQNAN)), 0x7fffffff, NV); // NaN is "positive" whatever its sign
  T(X1("fcvt.w.s", RTZ, BOX(S_INF)), 0x7fffffff, NV);
  T(X1("fcvt.w.s", RTZ, BOX(S_NINF)), 0xffffffff80000000ull, NV);
  T(X1("fcvt.w.s", RTZ, BOX(S_N2P31)), 0xffffffff80000000ull, 0);
  T(X1("fcvt.w.s", RTZ, BOX(S_2P31)), 0x7fffffff, NV);
  T(X1("fcvt.w.s", RTZ, BOX(S_N2_5)), -2, NX);
  T(X1("fcvt.wu.s", RTZ, BOX(S_N1)), 0, NV);
  T(X1("fcvt.wu.s", RTZ, BOX(S_NHALF)), 0, NX); // rounds to -0: in range
  T(X1("fcvt.wu.s", RTZ, BOX(S_4E9)), 0xffffffffee6b2800ull, 0);
  T(X1("fcvt.wu.s", RTZ, BOX(S_5E9)), 0xffffffffffffffffull, NV);
  T(X1("fcvt.wu.s", RTZ, BOX(S_QNAN)), 0xffffffffffffffffull, NV);
  T(X1("fcvt.wu.s", RTZ, BOX(S_NINF)), 0, NV);
  T(X1("fcvt.l.s", RTZ, BOX(S_2P63)), 0x7fffffffffffffffull, NV);
  T(X1("fcvt.l.s", RTZ, BOX(S_N2P63)), 0x8000000000000000ull, 0);
  T(X1("fcvt.l.s", RTZ, BOX(S_QNAN)), 0x7fffffffffffffffull, NV);
  T(X1("fcvt.l.s", RTZ, BOX(S_NINF)), 0x8000000000000000ull, NV);
  T(X1("fcvt.lu.s", RTZ, BOX(S_N1)), 0, NV);
  T(X1("fcvt.lu.s", RTZ, BOX(S_2P63)), 0x8000000000000000ull, 0);
  T(X1("fcvt.lu.s", RTZ, BOX(S_INF)), 0xffffffffffffffffull, NV);
  T(X1("fcvt.w.d", RNE, D_2P31M_HALF), 0x7fffffff, NV); // rounds to 2^31: out of range
  T(X1("fcvt.w.d", RTZ, D_2P31M_HALF), 0x7fffffff, NX); // rounds to 2^31 - 1: fine
  T(X1("fcvt.w.d", RTZ, D_N0), 0, 0);
  T(X1("fcvt.wu.d", RTZ, D_2P32M1), 0xffffffffffffffffull, 0);
  T(X1("fcvt.wu.d", RTZ, D_QNANP), 0xffffffffffffffffull, NV);
  T(X1("fcvt.l.d", RTZ, D_2P63), 0x7fffffffffffffffull, NV);
  T(X1("fcvt.l.d", RTZ, D_N2P63), 0x8000000000000000ull, 0);
  T(X1("fcvt.l.d", RTZ, D_SNAN), 0x7fffffffffffffffull, NV);
  T(X1("fcvt.lu.d", RTZ, D_N1), 0, NV);
  T(X1("fcvt.lu.d", RTZ, D_2P64), 0xffffffffffffffffull, NV);
  T(X1("fcvt.lu.d", RTZ, D_QNAN), 0xffffffffffffffffull, NV);
  T(X1("fcvt.lu.d", RTZ, D_2P63), 0x8000000000000000ull, 0);
}

// One value through all five static rounding modes and, via frm, dynamic.
#define RM5_X1(insn, a, rne, rtz, rdn, rup, rmm, fl) \
  do {                                               \
    T(X1(insn, RNE, a), rne, fl);                    \
    T(X1(insn, RTZ, a), rtz, fl);                    \
    T(X1(insn, RDN, a), rdn, fl);                    \
    T(X1(insn, RUP, a), rup, fl);                    \
    T(X1(insn, RMM, a), rmm, fl);                    \
    set_frm(FRM_RNE);                                \
    T(X1(insn, DYN, a), rne, fl);                    \
    set_frm(FRM_RTZ);                                \
    T(X1(insn, DYN, a), rtz, fl);                    \
    set_frm(FRM_RDN);                                \
    T(X1(insn, DYN, a), rdn, fl);                    \
    set_frm(FRM_RUP);                                \
    T(X1(insn, DYN, a), rup, fl);                    \
    set_frm(FRM_RMM);                                \
    T(X1(insn, DYN, a), rmm, fl);                    \
    set_frm(FRM_RNE);                                \
  } while (0)
#define RM5_F2(insn, a, b, rne, rtz, rdn, rup, rmm, fl) \
  do {                                                  \
    T(F2(insn, RNE, a, b), rne, fl);                    \
    T(F2(insn, RTZ, a, b), rtz, fl);                    \
    T(F2(insn, RDN, a, b), rdn, fl);                    \
    T(F2(insn, RUP, a, b), rup, fl);                    \
    T(F2(insn, RMM, a, b), rmm, fl);                    \
    set_frm(FRM_RTZ);                                   \
    T(F2(insn, DYN, a, b), rtz, fl);                    \
    set_frm(FRM_RDN);                                   \
    T(F2(insn, DYN, a, b), rdn, fl);                    \
    set_frm(FRM_RUP);                                   \
    T(F2(insn, DYN, a, b), rup, fl);                    \
    set_frm(FRM_RMM);                                   \
    T(F2(insn, DYN, a, b), rmm, fl);                    \
    set_frm(FRM_RNE);                                   \
    T(F2(insn, DYN, a, b), rne, fl);                    \
  } while (0)
#define RM5_F3(insn, a, b, c, rne, rtz, rdn, rup, rmm, fl) \
  do {                                                     \
    T(F3(insn, RNE, a, b, c), rne, fl);                    \
    T(F3(insn, RTZ, a, b, c), rtz, fl);                    \
    T(F3(insn, RDN, a, b, c), rdn, fl);                    \
    T(F3(insn, RUP, a, b, c), rup, fl);                    \
    T(F3(insn, RMM, a, b, c), rmm, fl);                    \
    set_frm(FRM_RUP);                                      \
    T(F3(insn, DYN, a, b, c), rup, fl);                    \
    set_frm(FRM_RMM);                                      \
    T(F3(insn, DYN, a, b, c), rmm, fl);                    \
    set_frm(FRM_RNE);                                      \
  } while (0)

static void rounding_modes(void) {
  // Ties and signs through fcvt.w.s: RNE ties to even, RMM ties away.
  RM5_X1("fcvt.w.s", BOX(S_2_5), 2, 2, 2, 3, 3, NX);
  RM5_X1("fcvt.w.s", BOX(S_N2_5), -2, -2, -3, -2, -3, NX);
  RM5_X1("fcvt.w.s", BOX(S_1_5), 2, 1, 1, 2, 2, NX);
  RM5_X1("fcvt.l.d", D_N2_5, -2, -2, -3, -2, -3, NX);
  RM5_X1("fcvt.wu.d", D_2_5, 2, 2, 2, 3, 3, NX);
  // A sum exactly halfway between two singles: 1 + 2^-24.
  RM5_F2("fadd.s", BOX(S_1), BOX(S_EPS24), BOX(S_1), BOX(S_1), BOX(S_1), BOX(0x3f800001),
         BOX(0x3f800001), NX);
  RM5_F2("fadd.s", BOX(S_N1), BOX(S_EPS24 | 0x80000000u), BOX(S_N1), BOX(S_N1),
         BOX(0xbf800001), BOX(S_N1), BOX(0xbf800001), NX);
  RM5_F2("fadd.d", D_1, D_EPS53, D_1, D_1, D_1, 0x3ff0000000000001ull, 0x3ff0000000000001ull,
         NX);
  // Overflow: RTZ/RDN give the largest finite value, RNE/RUP/RMM infinity.
  RM5_F2("fmul.s", BOX(S_MAX), BOX(S_2), BOX(S_INF), BOX(S_MAX), BOX(S_MAX), BOX(S_INF),
         BOX(S_INF), OF | NX);
  RM5_F2("fmul.d", D_MAX | D_N0, D_2, D_NINF, D_MAX | D_N0, D_NINF, D_MAX | D_N0, D_NINF,
         OF | NX);
  // Underflow: 2^-150 is halfway between 0 and the smallest subnormal.
  RM5_F2("fmul.s", BOX(S_MINSUB), BOX(S_HALF), BOX(S_P0), BOX(S_P0), BOX(S_P0), BOX(S_MINSUB),
         BOX(S_MINSUB), UF | NX);
  // Fused multiply-add rounds once: 1*1 + 2^-24 is the same tie as above.
  RM5_F3("fmadd.s", BOX(S_1), BOX(S_1), BOX(S_EPS24), BOX(S_1), BOX(S_1), BOX(S_1),
         BOX(0x3f800001), BOX(0x3f800001), NX);
  // (1+2^-23)^2 = 1 + 2^-22 + 2^-46: below half an ulp
  RM5_F3("fmadd.s", BOX(0x3f800001), BOX(0x3f800001), BOX(S_P0), BOX(0x3f800002),
         BOX(0x3f800002), BOX(0x3f800002), BOX(0x3f800003), BOX(0x3f800002), NX);
  // -(1*1) + 2^-54: halfway between -1 and -(1 - 2^-53)
  RM5_F3("fnmsub.d", D_1, D_1, D_EPS54, 0xbff0000000000000ull, 0xbfefffffffffffffull,
         0xbff0000000000000ull, 0xbfefffffffffffffull, 0xbff0000000000000ull, NX);
  // sqrt(2) and int -> float conversions under RUP/RDN
  T(F1("fsqrt.s", RNE, BOX(S_2)), BOX(0x3fb504f3), NX);
  T(F1("fsqrt.s", RUP, BOX(S_2)), BOX(0x3fb504f4), NX);
  T(F1("fsqrt.d", RNE, D_2), 0x3ff6a09e667f3bcdull, NX);
  T(F1("fsqrt.d", RDN, D_2), 0x3ff6a09e667f3bccull, NX);
  T(FX("fcvt.s.w", RNE, 16777217), BOX(0x4b800000), NX);
  T(FX("fcvt.s.w", RUP, 16777217), BOX(0x4b800001), NX);
  T(FX("fcvt.s.w", RMM, -16777217), BOX(0xcb800001), NX);
  T(F1("fcvt.s.d", RNE, 0x3ff0000010000000ull), BOX(S_1), NX); // 1 + 2^-24: a tie
  T(F1("fcvt.s.d", RUP, 0x3ff0000010000000ull), BOX(0x3f800001), NX);
  // A static rm overrides frm.
  set_frm(FRM_RUP);
  T(F2("fadd.s", RNE, BOX(S_1), BOX(S_EPS24)), BOX(S_1), NX);
  T(F2("fadd.s", DYN, BOX(S_1), BOX(S_EPS24)), BOX(0x3f800001), NX);
  set_frm(FRM_RNE);
}

static void fused(void) {
  // (1+2^-52)(1-2^-52) - 1 = -2^-104 exactly when fused (0 if rounded twice)
  T(F3("fmsub.d", RNE, 0x3ff0000000000001ull, 0x3feffffffffffffeull, D_1),
    0xb970000000000000ull, 0);
  T(F3("fmadd.d", RNE, 0x3ff0000000000001ull, 0x3feffffffffffffeull, D_N1),
    0xb970000000000000ull, 0);
  // sign conventions: fmadd a*b+c, fmsub a*b-c, fnmsub -(a*b)+c, fnmadd -(a*b)-c
  T(F3("fmadd.s", RNE, BOX(S_2), BOX(S_3), BOX(S_1)), BOX(0x40e00000), 0);  // 7
  T(F3("fmsub.s", RNE, BOX(S_2), BOX(S_3), BOX(S_1)), BOX(0x40a00000), 0);  // 5
  T(F3("fnmsub.s", RNE, BOX(S_2), BOX(S_3), BOX(S_1)), BOX(0xc0a00000), 0); // -5
  T(F3("fnmadd.s", RNE, BOX(S_2), BOX(S_3), BOX(S_1)), BOX(0xc0e00000), 0); // -7
  T(F3("fmadd.d", RNE, D_2, D_3, D_1), 0x401c000000000000ull, 0);
  T(F3("fnmadd.d", RNE, D_2, D_3, D_1), 0xc01c000000000000ull, 0);
  // inf * 0 + qNaN is invalid (spec: NV even when the addend is a quiet NaN)
  T(F3("fmadd.s", RNE, BOX(S_INF), BOX(S_P0), BOX(S_QNAN)), BOX(S_QNAN), NV);
  T(F3("fmadd.d", RNE, D_P0, D_NINF, D_QNANP), D_QNAN, NV);
  // exact zero results: the sign follows the rounding mode
  T(F3("fmadd.s", RNE, BOX(S_1), BOX(S_1), BOX(S_N1)), BOX(S_P0), 0);
  T(F3("fmadd.s", RDN, BOX(S_1), BOX(S_1), BOX(S_N1)), BOX(S_N0), 0);
}

static void flags_and_fcsr(void) {
  // fflags accrue until cleared.
  clear_fflags();
  (void)F2("fdiv.s", RNE, BOX(S_1), BOX(S_P0)); // DZ
  (void)F2("fadd.s", RNE, BOX(S_1), BOX(S_EPS24)); // NX
  (void)F2("fadd.s", RNE, BOX(S_1), BOX(S_1)); // exact: clears nothing
  CHECK_EQ("fflags accumulate DZ|NX", get_fflags(), DZ | NX);
  (void)X2("flt.d", D_QNAN, D_1); // NV
  CHECK_EQ("fflags accumulate NV", get_fflags(), NV | DZ | NX);
  // division by zero
  T(F2("fdiv.s", RNE, BOX(S_N1), BOX(S_P0)), BOX(S_NINF), DZ);
  T(F2("fdiv.d", RNE, D_1, D_N0), D_NINF, DZ);
  T(F2("fdiv.d", RNE, D_INF, D_P0), D_INF, 0); // inf / 0 is exact, not DZ
  // exact subnormal result: no UF (underflow needs tiny *and* inexact)
  T(F2("fmul.s", RNE, BOX(S_MINNORM), BOX(S_HALF)), BOX(S_SUB), 0);
  T(F2("fmul.d", RNE, D_MINSUB, D_HALF), D_P0, UF | NX);
  // fcsr = frm << 5 | fflags (section "Floating-Point Control and Status Register")
  u64 old;
  __asm__ volatile("csrw fcsr, %0" : : "r"((u64)((FRM_RDN << 5) | 0x1f)));
  CHECK_EQ("frm view of fcsr", get_frm(), FRM_RDN);
  CHECK_EQ("fflags view of fcsr", get_fflags(), 0x1f);
  __asm__ volatile("csrrw %0, fflags, %1" : "=r"(old) : "r"((u64)0x05));
  CHECK_EQ("csrrw fflags returns the old flags", old, 0x1f);
  CHECK_EQ("fcsr after writing fflags", get_fcsr(), (FRM_RDN << 5) | 0x05);
  __asm__ volatile("csrrs %0, fflags, %1" : "=r"(old) : "r"((u64)0x10));
  CHECK_EQ("csrrs fflags", get_fflags(), 0x15);
  __asm__ volatile("csrrc %0, fflags, %1" : "=r"(old) : "r"((u64)0x01));
  CHECK_EQ("csrrc fflags", get_fflags(), 0x14);
  __asm__ volatile("csrrwi %0, frm, 4" : "=r"(old));
  CHECK_EQ("csrrwi frm returns the old mode", old, FRM_RDN);
  CHECK_EQ("fcsr after writing frm", get_fcsr(), (FRM_RMM << 5) | 0x14);
  __asm__ volatile("fsflags %0, %1" : "=r"(old) : "r"((u64)0xff));
  CHECK_EQ("fflags is 5 bits wide", get_fflags(), 0x1f);
  __asm__ volatile("csrw fcsr, %0" : : "r"((u64)0xffffffff));
  CHECK_EQ("fcsr keeps only frm and fflags", get_fcsr(), 0xff);
  __asm__ volatile("csrw fcsr, zero");
  CHECK_EQ("fcsr cleared", get_fcsr(), 0);
}

static void sign_injection_and_moves(void) {
  T(F2("fsgnj.s", "", BOX(S_1), BOX(S_N2)), BOX(S_N1), 0);
  T(F2("fsgnjn.s", "", BOX(S_1), BOX(S_N2)), BOX(S_1), 0);
  T(F2("fsgnjx.s", "", BOX(S_N1), BOX(S_N2)), BOX(S_1), 0);
  T(F2("fsgnjx.s", "", BOX(S_N1), BOX(S_2)), BOX(S_N1), 0);
  // sign injection is not arithmetic: NaN payloads survive, sNaN raises nothing
  T(F2("fsgnjn.s", "", BOX(S_QNANP), BOX(S_QNANP)), BOX(S_QNANP | 0x80000000u), 0);
  T(F2("fsgnj.s", "", BOX(S_SNAN), BOX(S_N1)), BOX(S_SNAN | 0x80000000u), 0);
  T(F2("fsgnj.d", "", D_1, D_N0), D_N1, 0);
  T(F2("fsgnjn.d", "", D_SNAN, D_SNAN), D_SNAN | D_N0, 0);
  T(F2("fsgnjx.d", "", D_N2, D_N1), D_2, 0);
  T(F2("fsgnjx.d", "", D_QNANP, D_N1), D_QNANP | D_N0, 0);
  // fmv.x.w sign-extends bit 31; fmv.x.d / fmv.d.x move 64 bits unchanged
  T(X1("fmv.x.w", "", BOX(0x80000000u)), 0xffffffff80000000ull, 0);
  T(X1("fmv.x.w", "", BOX(S_INF)), 0x7f800000, 0);
  T(X1("fmv.x.d", "", 0xdeadbeefcafef00dull), 0xdeadbeefcafef00dull, 0);
  T(X1("fmv.x.d", "", D_SNAN), D_SNAN, 0);
}

static void classify(void) {
  // fclass: one bit for each of the ten classes
  T(X1("fclass.s", "", BOX(S_NINF)), 1 << 0, 0);
  T(X1("fclass.s", "", BOX(S_N1)), 1 << 1, 0);
  T(X1("fclass.s", "", BOX(S_SUB | 0x80000000u)), 1 << 2, 0);
  T(X1("fclass.s", "", BOX(S_N0)), 1 << 3, 0);
  T(X1("fclass.s", "", BOX(S_P0)), 1 << 4, 0);
  T(X1("fclass.s", "", BOX(S_MINSUB)), 1 << 5, 0);
  T(X1("fclass.s", "", BOX(S_MINNORM)), 1 << 6, 0);
  T(X1("fclass.s", "", BOX(S_INF)), 1 << 7, 0);
  T(X1("fclass.s", "", BOX(S_SNAN)), 1 << 8, 0);
  T(X1("fclass.s", "", BOX(S_QNANP)), 1 << 9, 0);
  T(X1("fclass.s", "", BOX(S_NQNAN)), 1 << 9, 0);
  T(X1("fclass.d", "", D_NINF), 1 << 0, 0);
  T(X1("fclass.d", "", D_N2), 1 << 1, 0);
  T(X1("fclass.d", "", D_MINSUB | D_N0), 1 << 2, 0);
  T(X1("fclass.d", "", D_N0), 1 << 3, 0);
  T(X1("fclass.d", "", D_P0), 1 << 4, 0);
  T(X1("fclass.d", "", 0x000fffffffffffffull), 1 << 5, 0);
  T(X1("fclass.d", "", D_MAX), 1 << 6, 0);
  T(X1("fclass.d", "", D_INF), 1 << 7, 0);
  T(X1("fclass.d", "", D_SNAN), 1 << 8, 0);
  T(X1("fclass.d", "", D_QNAN), 1 << 9, 0);
}

static void compare(void) {
  // feq is quiet (NV only for sNaN); flt/fle are signaling (NV for any NaN)
  T(X2("feq.s", BOX(S_P0), BOX(S_N0)), 1, 0);
  T(X2("flt.s", BOX(S_N0), BOX(S_P0)), 0, 0);
  T(X2("fle.s", BOX(S_N0), BOX(S_P0)), 1, 0);
  T(X2("flt.s", BOX(S_N1), BOX(S_1)), 1, 0);
  T(X2("fle.s", BOX(S_2), BOX(S_1)), 0, 0);
  T(X2("feq.s", BOX(S_QNAN), BOX(S_QNAN)), 0, 0);
  T(X2("feq.s", BOX(S_SNAN), BOX(S_1)), 0, NV);
  T(X2("flt.s", BOX(S_QNAN), BOX(S_1)), 0, NV);
  T(X2("fle.s", BOX(S_1), BOX(S_QNAN)), 0, NV);
  T(X2("feq.d", D_N0, D_P0), 1, 0);
  T(X2("flt.d", D_NINF, D_N1), 1, 0);
  T(X2("fle.d", D_INF, D_INF), 1, 0);
  T(X2("feq.d", D_QNANP, D_QNANP), 0, 0);
  T(X2("feq.d", D_1, D_SNAN), 0, NV);
  T(X2("fle.d", D_QNAN, D_1), 0, NV);
}

static void int_to_float(void) {
  // W/WU sources use the low 32 bits of the register only
  T(FX("fcvt.s.w", RNE, 0x00000000ffffffffull), BOX(S_N1), 0);
  T(FX("fcvt.s.wu", RNE, 0x1234567800000001ull), BOX(S_1), 0);
  T(FX("fcvt.s.wu", RNE, 0xffffffffffffffffull), BOX(0x4f800000), NX); // 2^32 - 1 -> 2^32
  T(FX("fcvt.s.l", RNE, 0x8000000000000000ull), BOX(S_N2P63), 0);
  T(FX("fcvt.s.lu", RNE, 0xffffffffffffffffull), BOX(0x5f800000), NX);
  T(FX("fcvt.d.w", "", 0xffffffff80000000ull), 0xc1e0000000000000ull, 0);
  T(FX("fcvt.d.wu", "", 0xffffffff80000000ull), 0x41e0000000000000ull, 0);
  T(FX("fcvt.d.l", RNE, 0x7fffffffffffffffull), D_2P63, NX);
  T(FX("fcvt.d.l", RTZ, 0x7fffffffffffffffull), 0x43dfffffffffffffull, NX);
  T(FX("fcvt.d.lu", RNE, 0xffffffffffffffffull), D_2P64, NX);
  T(FX("fcvt.d.l", RNE, 0), D_P0, 0); // +0, never -0
  // float <-> double
  T(F1("fcvt.d.s", "", BOX(0x3dcccccd)), 0x3fb99999a0000000ull, 0);
  T(F1("fcvt.s.d", RNE, 0x7e37e43c8800759cull), BOX(S_INF), OF | NX); // 1e300
  T(F1("fcvt.s.d", RTZ, 0x7e37e43c8800759cull), BOX(S_MAX), OF | NX);
  T(F1("fcvt.s.d", RNE, D_N0), BOX(S_N0), 0);
}

static void loads_stores(void) {
  u64 buf[2] = {0x1111111111111111ull, 0x2222222222222222ull};
  u64 r;
  __asm__ volatile("fld ft0, 8(%1)\n\tfsd ft0, 0(%1)\n\tfmv.x.d %0, ft0"
                   : "=r"(r)
                   : "r"(buf)
                   : "ft0", "memory");
  CHECK_EQ("fld", r, 0x2222222222222222ull);
  CHECK_EQ("fsd", buf[0], 0x2222222222222222ull);
  __asm__ volatile("fmv.w.x ft0, %1\n\tfsw ft0, 4(%0)" : : "r"(buf), "r"((u64)S_N2) : "ft0", "memory");
  CHECK_EQ("fsw writes one word", buf[0], 0xc000000022222222ull);
  __asm__ volatile("flw ft0, 4(%1)\n\tfmv.x.d %0, ft0" : "=r"(r) : "r"(buf) : "ft0", "memory");
  CHECK_EQ("flw", r, BOX(S_N2));
}

static void fs_state_and_illegal(void) {
  // mstatus.FS: any write of f registers or fcsr makes the state Dirty (3),
  // and SD (bit 63) summarises it (privileged spec 3.1.6.6).
  const u64 fs = 3ull << 13;
  __asm__ volatile("csrc mstatus, %0\n\tcsrs mstatus, %1" : : "r"(fs), "r"(1ull << 13));
  CHECK_EQ("FS = Initial", read_mstatus() & fs, 1ull << 13);
  (void)F2("fadd.d", RNE, D_1, D_1);
  CHECK_EQ("FS = Dirty after an FP op", read_mstatus() & fs, fs);
  CHECK_EQ("SD set while FS is Dirty", read_mstatus() >> 63, 1);

  // Traps: FS = Off makes FP instructions and fcsr accesses illegal; a
  // reserved rm (5, 6 static; 5..7 in frm with rm=DYN) is illegal too.
  __asm__ volatile("la t0, isa_mtrap\n\tcsrw mtvec, t0" : : : "t0");
  isa_mtrap_count = 0;
  __asm__ volatile("csrc mstatus, %0" : : "r"(fs));
  __asm__ volatile("fadd.d ft0, ft0, ft0" : : : "ft0");
  __asm__ volatile("csrr t0, fcsr" : : : "t0");
  __asm__ volatile("fmv.x.w t0, ft0" : : : "t0");
  CHECK_EQ("FS=Off: three illegal-instruction traps", isa_mtrap_count, 3);
  CHECK_EQ("FS=Off: cause", isa_mtrap_cause, CAUSE_ILLEGAL_INSN);
  __asm__ volatile("csrs mstatus, %0" : : "r"(fs));

  isa_mtrap_count = 0;
  u64 r = 0x77;
  // fadd.s ft2, ft0, ft1 with rm = 5 (reserved)
  __asm__ volatile("fmv.d.x ft2, %0\n\t.word 0x00105153\n\tfmv.x.d %0, ft2" : "+r"(r) : : "ft2");
  CHECK_EQ("static rm=5: illegal", isa_mtrap_count, 1);
  CHECK_EQ("static rm=5: cause", isa_mtrap_cause, CAUSE_ILLEGAL_INSN);
  CHECK_EQ("static rm=5: mtval holds the instruction", isa_mtrap_tval, 0x00105153);
  CHECK_EQ("static rm=5: destination unchanged", r, 0x77);
  // fmadd.d ft3, ft0, ft1, ft2 with rm = 6 (reserved)
  __asm__ volatile(".word 0x121061c3");
  CHECK_EQ("static rm=6: illegal", isa_mtrap_count, 2);
  __asm__ volatile("csrwi frm, 5");
  (void)F2("fadd.s", DYN, BOX(S_1), BOX(S_1));
  CHECK_EQ("frm=5 with rm=DYN: illegal", isa_mtrap_count, 3);
  __asm__ volatile("csrwi frm, 7");
  (void)F1("fsqrt.d", DYN, D_4);
  CHECK_EQ("frm=7 with rm=DYN: illegal", isa_mtrap_count, 4);
  (void)F2("fadd.s", RNE, BOX(S_1), BOX(S_1)); // a static rm ignores frm
  (void)F2("fsgnj.s", "", BOX(S_1), BOX(S_1)); // no rm at all
  CHECK_EQ("static rm with a bad frm: fine", isa_mtrap_count, 4);
  __asm__ volatile("csrwi frm, 0");
  __asm__ volatile("la t0, __isa_unexpected\n\tcsrw mtvec, t0" : : : "t0");
}

int main(void) {
  isa_init("fd");
  nan_boxing();
  canonical_nan();
  min_max();
  float_to_int();
  rounding_modes();
  fused();
  flags_and_fcsr();
  sign_injection_and_moves();
  classify();
  compare();
  int_to_float();
  loads_stores();
  fs_state_and_illegal();
  isa_finish();
}
