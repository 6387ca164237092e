// "A" extension (unprivileged spec, chapter "A Extension for Atomic
// Instructions"):
//  * LR/SC (section "Load-Reserved/Store-Conditional"): success writes 0 to
//    rd and stores; failure writes nonzero and stores nothing; every SC,
//    successful or not, invalidates the reservation; an SC must fail when its
//    address is outside the reservation set of the most recent LR; LR.W
//    sign-extends; SC.W writes 32 bits only.
//  * every AMO in .W and .D form (section "Atomic Memory Operations"): rd gets
//    the old value (sign-extended for .W), memory gets op(old, rs2); .W uses
//    only the low word of rs2, compares words for min/max and never touches
//    the neighbouring word; rd = x0 still updates memory.
//  * misaligned LR and AMO raise an address-misaligned or access-fault
//    exception (no Zam) and leave memory unchanged.
#include "macros.h"

// in_range(reg, lo, hi): reg := (lo <= reg <= hi)
.macro in_range reg, lo, hi
    addi \reg, \reg, -\lo
    sltiu \reg, \reg, (\hi - \lo + 1)
.endm

TEST_BEGIN("a")
    la s0, cell
    la s1, far_cell

    // ---- SC with no reservation ever made fails
    li a2, 0x1234
    sd zero, 0(s0)
    sc.d a1, a2, (s0)
    snez a1, a1
    CHECK(a1, 1)
    ld a0, 0(s0)
    CHECK(a0, 0)

    // ---- LR/SC success, then the reservation is gone
    li a2, 0x1111222233334444
    sd a2, 0(s0)
    lr.d a0, (s0)
    CHECK(a0, 0x1111222233334444)
    li a2, 0x5555666677778888
    sc.d a1, a2, (s0)
    CHECK(a1, 0)
    ld a0, 0(s0)
    CHECK(a0, 0x5555666677778888)
    li a2, 0x9999
    sc.d a1, a2, (s0) // the successful SC above invalidated the reservation
    snez a1, a1
    CHECK(a1, 1)
    ld a0, 0(s0)
    CHECK(a0, 0x5555666677778888)

    // ---- an intervening (failing) SC to another address also invalidates it
    lr.d a0, (s0)
    li a2, 0xaaaa
    sc.d a1, a2, (s1) // outside the reservation set: must fail
    snez a1, a1
    CHECK(a1, 1)
    ld a0, 0(s1)
    CHECK(a0, 0xfa4fa4fa4)
    li a2, 0xbbbb
    sc.d a1, a2, (s0) // reservation was invalidated by the SC above
    snez a1, a1
    CHECK(a1, 1)
    ld a0, 0(s0)
    CHECK(a0, 0x5555666677778888)

    // ---- the most recent LR wins: LR a; LR b; SC a fails
    lr.d a0, (s0)
    lr.d a0, (s1)
    li a2, 0xcccc
    sc.d a1, a2, (s0)
    snez a1, a1
    CHECK(a1, 1)
    ld a0, 0(s0)
    CHECK(a0, 0x5555666677778888)
    sc.d a1, a2, (s1) // and the SC above consumed the reservation on b too
    snez a1, a1
    CHECK(a1, 1)

    // ---- LR.W sign-extends, SC.W writes one word
    li a2, 0x0badf00d80000001
    sd a2, 0(s0)
    lr.w a0, (s0)
    CHECK(a0, 0xffffffff80000001)
    li a2, 0xffffffff7ffffffe
    sc.w a1, a2, (s0)
    CHECK(a1, 0)
    ld a0, 0(s0)
    CHECK(a0, 0x0badf00d7ffffffe)
    addi s2, s0, 4
    lr.w a0, (s2) // the upper word, positive
    CHECK(a0, 0x0badf00d)
    li a2, 0x12345678
    sc.w a1, a2, (s2)
    CHECK(a1, 0)
    ld a0, 0(s0)
    CHECK(a0, 0x123456787ffffffe)

    // ---- an LR/SC retry loop: atomic increment by 5, aq/rl variants
    li a2, 41
    sd a2, 0(s0)
1:  lr.d.aq a0, (s0)
    addi a0, a0, 5
    sc.d.rl a1, a0, (s0)
    bnez a1, 1b
    ld a0, 0(s0)
    CHECK(a0, 46)

    // ---- AMO .D
#define AMO_D(op, init, src, old, new)  \
    li a2, init;                        \
    sd a2, 0(s0);                       \
    li a2, src;                         \
    op a0, a2, (s0);                    \
    CHECK(a0, old);                     \
    ld a0, 0(s0);                       \
    CHECK(a0, new)

    AMO_D(amoswap.d, 0x8000000000000001, 0x0123456789abcdef, 0x8000000000000001, 0x0123456789abcdef)
    AMO_D(amoadd.d, 0xfffffffffffffffe, 3, 0xfffffffffffffffe, 1)
    AMO_D(amoadd.d, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, 0x8000000000000000)
    AMO_D(amoxor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0)
    AMO_D(amoand.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f000f000f000f00)
    AMO_D(amoor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0)
    // signed vs unsigned comparisons: -5 vs 3
    AMO_D(amomin.d, -5, 3, -5, -5)
    AMO_D(amomin.d, 3, -5, 3, -5)
    AMO_D(amominu.d, -5, 3, -5, 3)
    AMO_D(amominu.d, 3, -5, 3, 3)
    AMO_D(amomax.d, -5, 3, -5, 3)
    AMO_D(amomax.d, 3, -5, 3, 3)
    AMO_D(amomaxu.d, -5, 3, -5, -5)
    AMO_D(amomaxu.d, 3, -5, 3, -5)
    AMO_D(amomin.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
    AMO_D(amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
    AMO_D(amoadd.d.aqrl, 10, 20, 10, 30)
    AMO_D(amoswap.d.aq, 1, 2, 1, 2)
    AMO_D(amoor.d.rl, 1, 2, 1, 3)

    // ---- AMO .W on the low word of `cell`; the high word holds a canary
#define AMO_W(op, init, src, old, new)      \
    li a2, (0xc0ffee00 << 32) | (init);      \
    sd a2, 0(s0);                           \
    li a2, src;                             \
    op a0, a2, (s0);                        \
    CHECK(a0, old);                         \
    ld a0, 0(s0);                           \
    CHECK(a0, (0xc0ffee00 << 32) | (new))

    AMO_W(amoswap.w, 0x80000000, 0x5a5a5a5a12345678, 0xffffffff80000000, 0x12345678)
    AMO_W(amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0x80000000)
    AMO_W(amoadd.w, 0xffffffff, 1, -1, 0) // no carry into the canary
    AMO_W(amoadd.w, 0x00000010, 0x7777777700000020, 0x10, 0x30)
    AMO_W(amoxor.w, 0xff00ff00, 0xffffffff0ff00ff0, 0xffffffffff00ff00, 0xf0f0f0f0)
    AMO_W(amoand.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0x0f000f00)
    AMO_W(amoor.w, 0x7f00ff00, 0x0ff00ff0, 0x7f00ff00, 0x7ff0fff0)
    AMO_W(amomin.w, 0xfffffffb, 3, -5, 0xfffffffb)
    AMO_W(amomin.w, 3, 0xfffffffb, 3, 0xfffffffb)
    AMO_W(amominu.w, 0xfffffffb, 3, -5, 3)
    AMO_W(amomax.w, 0xfffffffb, 3, -5, 3)
    AMO_W(amomaxu.w, 0xfffffffb, 3, -5, 0xfffffffb)
    AMO_W(amomaxu.w, 3, 0xfffffffb, 3, 0xfffffffb)
    // only the low word of rs2 counts: 0x0000000080000000 is -2^31 as a word
    AMO_W(amomin.w, 1, 0x0000000080000000, 1, 0x80000000)
    AMO_W(amomax.w, 1, 0x0000000080000000, 1, 1)
    // ...and 0xffffffff00000002 is +2 as a word
    AMO_W(amomin.w, 5, 0xffffffff00000002, 5, 2)
    AMO_W(amominu.w, 5, 0xffffffff00000002, 5, 2)
    AMO_W(amomaxu.w, 5, 0xffffffff00000002, 5, 5)

    // .W on the high word of `cell` (address 4 mod 8)
    li a2, 0x00000001fffffff0
    sd a2, 0(s0)
    li a2, 0x10
    addi s2, s0, 4
    amoadd.w a0, a2, (s2)
    CHECK(a0, 1)
    ld a0, 0(s0)
    CHECK(a0, 0x00000011fffffff0)

    // ---- rd = x0 still performs the memory update; rd == rs2 aliasing
    li a2, 100
    sd a2, 0(s0)
    li a2, 23
    amoadd.d x0, a2, (s0)
    ld a0, 0(s0)
    CHECK(a0, 123)
    li a1, 77
    amoswap.d a1, a1, (s0)
    CHECK(a1, 123)
    ld a0, 0(s0)
    CHECK(a0, 77)
    li a1, -1
    amoswap.w a1, a1, (s0)
    CHECK(a1, 77)
    ld a0, 0(s0)
    CHECK(a0, 0xffffffff)

    // ---- misaligned LR / AMO (no Zam): a trap, memory unchanged, rd not
    // written. The spec allows the misaligned cause or the access-fault
    // cause (4/5 for LR, 6/7 for AMOs); mtval, when written, holds the
    // address. QEMU 7.2 reports AMOs with the load-misaligned cause (4), so
    // for AMOs 4..7 are accepted to keep this fixture valid on QEMU.
    CATCH_MTRAPS
    li a2, 0x0102030405060708
    sd a2, 0(s0)
    sd a2, 8(s0)
    addi s2, s0, 2
    MTRAP_RESET
    li a0, 0x77
1:  amoadd.w a0, a2, (s2)
    CHECK_MEM(isa_mtrap_count, 1)
    CHECK_MEM_LABEL(isa_mtrap_epc, 1b)
    ld a1, isa_mtrap_cause
    in_range a1, CAUSE_MISALIGNED_LOAD, CAUSE_STORE_ACCESS
    CHECK(a1, 1)
    CHECK(a0, 0x77) // rd not written
    addi s2, s0, 4
    MTRAP_RESET
1:  amoswap.d a0, a2, (s2)
    CHECK_MEM(isa_mtrap_count, 1)
    CHECK_MEM_LABEL(isa_mtrap_epc, 1b)
    ld a1, isa_mtrap_cause
    in_range a1, CAUSE_MISALIGNED_LOAD, CAUSE_STORE_ACCESS
    CHECK(a1, 1)
    ld a1, isa_mtrap_tval
    beqz a1, 2f
    CHECK_R(a1, s2)
2:  addi s2, s0, 1
    MTRAP_RESET
1:  lr.w a0, (s2)
    CHECK_MEM(isa_mtrap_count, 1)
    CHECK_MEM_LABEL(isa_mtrap_epc, 1b)
    ld a1, isa_mtrap_cause
    in_range a1, CAUSE_MISALIGNED_LOAD, CAUSE_LOAD_ACCESS
    CHECK(a1, 1)
    CHECK(a0, 0x77)
    ld a0, 0(s0)
    CHECK(a0, 0x0102030405060708)
    ld a0, 8(s0)
    CHECK(a0, 0x0102030405060708)
    UNCATCH_MTRAPS

TEST_END

    .data
    .balign 4096
cell:
    .dword 0, 0
    .balign 4096
far_cell:
    .dword 0xfa4fa4fa4
