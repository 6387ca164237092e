// "M" extension (unprivileged spec, chapter "M Extension for Integer
// Multiplication and Division"): low and high products with every signedness
// combination, the W forms' operand truncation and result sign extension,
// and the defined results of division by zero and signed overflow (table
// "Semantics for division by zero and division overflow"): no trap, q = all
// ones (-1) and r = dividend for x/0; q = dividend and r = 0 for
// most-negative / -1.
#include "macros.h"

TEST_BEGIN("m")

    // ---- MUL / MULH / MULHSU / MULHU
    li a1, 0x0123456789abcdef
    li a2, 0xfedcba9876543210
    mul a0, a1, a2
    CHECK(a0, 0x2236d88fe5618cf0)
    mulhu a0, a1, a2
    CHECK(a0, 0x0121fa00ad77d742)
    mulh a0, a1, a2
    CHECK(a0, 0xfffeb49923cc0953)
    mulhsu a0, a1, a2
    CHECK(a0, 0x0121fa00ad77d742)
    mulhsu a0, a2, a1 // rs1 signed (negative), rs2 unsigned
    CHECK(a0, 0xfffeb49923cc0953)
    li a1, -1
    li a2, -1
    mul a0, a1, a2
    CHECK(a0, 1)
    mulh a0, a1, a2 // (-1)(-1) = 1: high half 0
    CHECK(a0, 0)
    mulhu a0, a1, a2 // (2^64-1)^2 = 2^128 - 2^65 + 1
    CHECK(a0, 0xfffffffffffffffe)
    mulhsu a0, a1, a2 // -1 * (2^64-1) = -(2^64-1): high half all ones
    CHECK(a0, -1)
    li a1, 0x8000000000000000
    mulh a0, a1, a1 // (-2^63)^2 = 2^126
    CHECK(a0, 0x4000000000000000)
    mul a0, a1, a1
    CHECK(a0, 0)
    li a2, -1
    mulh a0, a1, a2 // -2^63 * -1 = 2^63: high half 0
    CHECK(a0, 0)
    mul a0, a1, a2 // low half wraps back to -2^63
    CHECK(a0, 0x8000000000000000)
    mulhsu a0, a1, a2 // -2^63 * (2^64-1) = -2^127 + 2^63
    CHECK(a0, 0x8000000000000000)
    li a2, 0
    mulh a0, a1, a2
    CHECK(a0, 0)
    // rd aliasing a source
    li a1, 7
    li a2, -6
    mul a1, a1, a2
    CHECK(a1, -42)

    // ---- MULW: low 32 bits of the operands, sign-extended 32-bit product
    li a1, 0xffffffff00010000
    li a2, 0x1234567800010000
    mulw a0, a1, a2 // 0x10000 * 0x10000 = 2^32: low word 0
    CHECK(a0, 0)
    li a1, 0x00000000ffffffff // -1 as a word
    li a2, 0x7fffffff00000002
    mulw a0, a1, a2
    CHECK(a0, -2)
    li a1, 0x10000
    li a2, 0x8000
    mulw a0, a1, a2 // 2^31: sign bit of the word set
    CHECK(a0, 0xffffffff80000000)

    // ---- DIV / DIVU / REM / REMU: rounding toward zero, sign of remainder
    // follows the dividend
    li a1, -7
    li a2, 2
    div a0, a1, a2
    CHECK(a0, -3)
    rem a0, a1, a2
    CHECK(a0, -1)
    li a2, -2
    div a0, a1, a2
    CHECK(a0, 3)
    rem a0, a1, a2
    CHECK(a0, -1)
    li a1, 7
    div a0, a1, a2
    CHECK(a0, -3)
    rem a0, a1, a2
    CHECK(a0, 1)
    li a1, -7
    li a2, 2
    divu a0, a1, a2
    CHECK(a0, 0x7ffffffffffffffc)
    remu a0, a1, a2
    CHECK(a0, 1)
    li a1, 0xfedcba9876543210
    li a2, 0x0123456789
    divu a0, a1, a2
    CHECK(a0, 0xe0000000)
    remu a0, a1, a2
    CHECK(a0, 0x96543210)
    // division by zero
    li a1, 0x123456789
    li a2, 0
    div a0, a1, a2
    CHECK(a0, -1)
    divu a0, a1, a2
    CHECK(a0, 0xffffffffffffffff)
    rem a0, a1, a2
    CHECK(a0, 0x123456789)
    remu a0, a1, a2
    CHECK(a0, 0x123456789)
    li a1, -5
    div a0, a1, a2
    CHECK(a0, -1)
    rem a0, a1, a2
    CHECK(a0, -5)
    // signed overflow
    li a1, 0x8000000000000000
    li a2, -1
    div a0, a1, a2
    CHECK(a0, 0x8000000000000000)
    rem a0, a1, a2
    CHECK(a0, 0)
    divu a0, a1, a2 // unsigned: just 0
    CHECK(a0, 0)
    remu a0, a1, a2
    CHECK(a0, 0x8000000000000000)

    // ---- DIVW / DIVUW / REMW / REMUW (section "Division Operations"):
    // operands are the low 32 bits; results are sign-extended 32-bit values
    li a1, 0xffffffff00000007 // 7
    li a2, 0x00000000fffffffe // -2
    divw a0, a1, a2
    CHECK(a0, -3)
    remw a0, a1, a2
    CHECK(a0, 1)
    divuw a0, a1, a2 // 7 / 0xfffffffe = 0
    CHECK(a0, 0)
    remuw a0, a1, a2
    CHECK(a0, 7)
    li a1, 0x00000000fffffff9 // the word is -7 signed, 4294967289 unsigned
    li a2, 0x2
    divuw a0, a1, a2
    CHECK(a0, 0x7ffffffc)
    remuw a0, a1, a2
    CHECK(a0, 1)
    divw a0, a1, a2
    CHECK(a0, -3)
    remw a0, a1, a2
    CHECK(a0, -1)
    li a1, 0x00000000fffffffe
    li a2, 1
    divuw a0, a1, a2 // 0xfffffffe: sign-extended even though unsigned
    CHECK(a0, 0xfffffffffffffffe)
    // by zero (the divisor's upper word is ignored: 0x100000000 is 0)
    li a1, 0x5555555580000000
    li a2, 0x0000000100000000
    divw a0, a1, a2
    CHECK(a0, -1)
    divuw a0, a1, a2 // 2^32 - 1, sign-extended
    CHECK(a0, 0xffffffffffffffff)
    remw a0, a1, a2 // the dividend's low word, sign-extended
    CHECK(a0, 0xffffffff80000000)
    remuw a0, a1, a2
    CHECK(a0, 0xffffffff80000000)
    li a1, 0x1234567812345678
    remuw a0, a1, a2
    CHECK(a0, 0x12345678)
    // overflow: most-negative word / -1
    li a1, 0x0000000080000000
    li a2, 0xffffffffffffffff
    divw a0, a1, a2
    CHECK(a0, 0xffffffff80000000)
    remw a0, a1, a2
    CHECK(a0, 0)
    // a 64-bit division of the same registers is an ordinary one
    div a0, a1, a2
    CHECK(a0, 0xffffffff80000000)

    // ---- x0 destination and rd == rs aliasing
    li a1, 3
    mul x0, a1, a1
    CHECK(x0, 0)
    li a1, 100
    li a2, 7
    rem a2, a1, a2
    CHECK(a2, 2)
    div a1, a1, a2
    CHECK(a1, 50)

TEST_END
