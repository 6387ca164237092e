// Misaligned loads and stores (unprivileged spec, section 2.6 "Load and
// Store Instructions": misaligned accesses may be handled in hardware or by
// an invisible trap handler; edgevm handles them in hardware, like QEMU).
// No trap handler is installed here: any trap ends the program as a failure.
// Every width (h, w, d, flw/fld, c.lw/c.ld and the stores) at odd offsets,
// sign and zero extension, and the same accesses straddling a 4 KiB page
// boundary. (Crossing into a page that faults is in vm.h.)
#include "macros.h"

// A 16-byte window, 8-aligned, holding the bytes
//   80 91 a2 b3 c4 d5 e6 f7 08 19 2a 3b 4c 5d 6e 7f
#define WIN_LO 0xf7e6d5c4b3a29180
#define WIN_HI 0x7f6e5d4c3b2a1908

// (re)fill the window at \base (8-aligned) with aligned stores
.macro fill base
    li t0, WIN_LO
    sd t0, 0(\base)
    li t0, WIN_HI
    sd t0, 8(\base)
.endm

// All checks on one window; \base is s0 or s1. With the window at the end
// of a page, every access that touches offsets 7 and 8 crosses the page.
.macro window_checks base
    fill \base
    lh a0, 1(\base)
    CHECK(a0, 0xffffffffffffa291)
    lhu a0, 1(\base)
    CHECK(a0, 0xa291)
    lh a0, 3(\base)
    CHECK(a0, 0xffffffffffffc4b3)
    lh a0, 7(\base)
    CHECK(a0, 0x08f7)
    lhu a0, 5(\base)
    CHECK(a0, 0xe6d5)
    lw a0, 1(\base)
    CHECK(a0, 0xffffffffc4b3a291)
    lwu a0, 1(\base)
    CHECK(a0, 0xc4b3a291)
    lw a0, 2(\base)
    CHECK(a0, 0xffffffffd5c4b3a2)
    lw a0, 3(\base)
    CHECK(a0, 0xffffffffe6d5c4b3)
    lwu a0, 3(\base)
    CHECK(a0, 0xe6d5c4b3)
    lw a0, 5(\base)
    CHECK(a0, 0x08f7e6d5)
    lw a0, 6(\base)
    CHECK(a0, 0x1908f7e6)
    lw a0, 7(\base)
    CHECK(a0, 0x2a1908f7)
    ld a0, 1(\base)
    CHECK(a0, 0x08f7e6d5c4b3a291)
    ld a0, 2(\base)
    CHECK(a0, 0x1908f7e6d5c4b3a2)
    ld a0, 3(\base)
    CHECK(a0, 0x2a1908f7e6d5c4b3)
    ld a0, 4(\base)
    CHECK(a0, 0x3b2a1908f7e6d5c4)
    ld a0, 5(\base)
    CHECK(a0, 0x4c3b2a1908f7e6d5)
    ld a0, 6(\base)
    CHECK(a0, 0x5d4c3b2a1908f7e6)
    ld a0, 7(\base)
    CHECK(a0, 0x6e5d4c3b2a1908f7)
    // compressed loads with a misaligned base (offsets must stay scaled)
    addi a1, \base, 1
    c.ld a0, 0(a1)
    CHECK(a0, 0x08f7e6d5c4b3a291)
    addi a1, \base, 3
    c.lw a0, 4(a1) // offset 7
    CHECK(a0, 0x2a1908f7)
    // FP loads: flw NaN-boxes, fld is raw
    flw fa0, 1(\base)
    fmv.x.d a0, fa0
    CHECK(a0, 0xffffffffc4b3a291)
    fld fa1, 5(\base)
    fmv.x.d a0, fa1
    CHECK(a0, 0x4c3b2a1908f7e6d5)
    // compressed FP loads with a misaligned base (regression: the slow path
    // once treated c.fld as a 32-bit load)
    addi a1, \base, 1
    c.fld fa1, 0(a1)
    fmv.x.d a0, fa1
    CHECK(a0, 0x08f7e6d5c4b3a291)

    // stores: each one checked through aligned loads of both halves
    li a2, 0x0102030405060708
    sd a2, 3(\base)
    ld a0, 0(\base)
    CHECK(a0, 0x0405060708a29180)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d4c3b010203)
    fill \base
    sd a2, 5(\base)
    ld a0, 0(\base)
    CHECK(a0, 0x060708c4b3a29180)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d0102030405)
    fill \base
    li a2, 0x11223344
    sw a2, 5(\base)
    ld a0, 0(\base)
    CHECK(a0, 0x223344c4b3a29180)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d4c3b2a1911)
    fill \base
    sw a2, 6(\base)
    ld a0, 0(\base)
    CHECK(a0, 0x3344d5c4b3a29180)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d4c3b2a1122)
    fill \base
    li a2, 0xbeef
    sh a2, 7(\base)
    ld a0, 0(\base)
    CHECK(a0, 0xefe6d5c4b3a29180)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d4c3b2a19be)
    fill \base
    sh a2, 9(\base)
    ld a0, 0(\base)
    CHECK(a0, 0xf7e6d5c4b3a29180)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d4c3bbeef08)
    // compressed and FP stores
    fill \base
    li a2, 0x0102030405060708
    addi a1, \base, 5
    c.sd a2, 0(a1)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d0102030405)
    fill \base
    li a2, 0x11223344
    addi a1, \base, 2
    c.sw a2, 4(a1) // offset 6
    ld a0, 0(\base)
    CHECK(a0, 0x3344d5c4b3a29180)
    fill \base
    li a2, 0x0102030405060708
    fmv.d.x fa2, a2
    fsd fa2, 3(\base)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d4c3b010203)
    fill \base
    addi a1, \base, 3
    c.fsd fa2, 0(a1)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d4c3b010203)
    fill \base
    li a2, 0x11223344
    fmv.w.x fa3, a2
    fsw fa3, 6(\base)
    ld a0, 8(\base)
    CHECK(a0, 0x7f6e5d4c3b2a1122)
.endm

TEST_BEGIN("misaligned")
    la s0, window // inside a page
    window_checks s0
    la s1, page_end // the last 8 bytes of one page and the first 8 of the next
    addi s1, s1, -8
    window_checks s1
TEST_END

    .data
    .balign 16
window: .space 16

    .bss
    .balign 4096
    .space 4096
page_end:
    .space 4096
