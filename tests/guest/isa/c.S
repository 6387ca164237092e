// "C" extension (unprivileged spec, chapter "C Extension for Compressed
// Instructions"), RV64 forms: every compressed instruction written with its
// explicit c.* mnemonic (so the assembler cannot silently pick a 32-bit
// encoding), with immediates at their extremes, sign extension of c.li /
// c.lui / c.addiw / c.lw, the RV64 6-bit shift amounts, link = pc + 2 for
// c.jalr, the stack-pointer-relative loads/stores and their scaled offsets,
// c.ebreak, HINT encodings executing as no-ops, reserved encodings raising
// illegal instruction, and 32-bit instructions at 2-byte-aligned addresses,
// including one that straddles a 4 KiB boundary.
#include "macros.h"

    .option rvc

TEST_BEGIN("c")
    mv s11, sp // s11: the real stack, restored at the end
    la sp, cstack // sp-relative forms work on this scratch frame (see .bss)
    la s0, cdata

    // ---- Quadrant 0 ---------------------------------------------------------
    c.addi4spn a0, sp, 4 // smallest nonzero, scaled by 4
    sub a0, a0, sp
    CHECK(a0, 4)
    c.addi4spn a1, sp, 1020 // largest
    sub a1, a1, sp
    CHECK(a1, 1020)
    c.lw a0, 0(s0) // sign-extends
    CHECK(a0, 0xffffffff80000001)
    c.lw a1, 124(s0) // largest offset, scaled by 4
    CHECK(a1, 0x7eadbeef)
    c.ld a2, 8(s0)
    CHECK(a2, 0x0123456789abcdef)
    c.ld a3, 248(s0) // largest offset, scaled by 8
    CHECK(a3, 0xfedcba9876543210)
    li a4, 0x1122334455667788
    c.sd a4, 16(s0)
    ld a5, 16(s0)
    CHECK(a5, 0x1122334455667788)
    c.sw a4, 24(s0) // one word
    ld a5, 24(s0)
    CHECK(a5, 0x5555555555667788)
    c.fld fa0, 8(s0)
    c.fsd fa0, 32(s0)
    ld a5, 32(s0)
    CHECK(a5, 0x0123456789abcdef)
    c.fld fs1, 248(s0)
    fmv.x.d a5, fs1
    CHECK(a5, 0xfedcba9876543210)

    // ---- Quadrant 1 ---------------------------------------------------------
    c.nop
    li a0, 10
    c.addi a0, -32 // smallest immediate
    CHECK(a0, -22)
    c.addi a0, 31
    CHECK(a0, 9)
    li a0, 0x7fffffff
    c.addiw a0, 1 // 32-bit add, sign-extended
    CHECK(a0, 0xffffffff80000000)
    li a0, 0x12345678ffffffff
    c.addiw a0, 0 // sext.w
    CHECK(a0, -1)
    c.li a1, -32
    CHECK(a1, -32)
    c.li a1, 31
    CHECK(a1, 31)
    c.li a1, 0
    CHECK(a1, 0)
    mv s10, sp
    c.addi16sp sp, -512 // smallest, scaled by 16
    sub a0, s10, sp
    CHECK(a0, 512)
    c.addi16sp sp, 496 // largest
    sub a0, sp, s10
    CHECK(a0, -16)
    c.addi16sp sp, 16
    CHECK_R(sp, s10)
    c.lui a2, 1
    CHECK(a2, 0x1000)
    c.lui a2, 31 // largest positive
    CHECK(a2, 0x1f000)
    c.lui a2, 0xfffe0 // nzimm[17] set: sign-extended from bit 17
    CHECK(a2, 0xfffffffffffe0000)
    c.lui a2, 0xfffff
    CHECK(a2, 0xfffffffffffff000)
    li a3, 0x8000000000000001
    c.srli a3, 1
    CHECK(a3, 0x4000000000000000)
    li a3, 0x8000000000000001
    c.srli a3, 63 // shamt[5] in bit 12
    CHECK(a3, 1)
    li a3, 0x8000000000000001
    c.srli a3, 32
    CHECK(a3, 0x80000000)
    li a3, 0x8000000000000001
    c.srai a3, 63
    CHECK(a3, -1)
    li a3, 0x8000000000000001
    c.srai a3, 32
    CHECK(a3, 0xffffffff80000000)
    li a3, 0x00ff00ff00ff00ff
    c.andi a3, -32 // sign-extended 6-bit immediate
    CHECK(a3, 0x00ff00ff00ff00e0)
    li a3, 0x00ff00ff00ff00ff
    c.andi a3, 31
    CHECK(a3, 0x1f)
    li a4, 5
    li a5, 7
    c.sub a4, a5
    CHECK(a4, -2)
    li a4, 0xff00
    li a5, 0x0ff0
    c.xor a4, a5
    CHECK(a4, 0xf0f0)
    li a4, 0xff00
    c.or a4, a5
    CHECK(a4, 0xfff0)
    li a4, 0xff00
    c.and a4, a5
    CHECK(a4, 0x0f00)
    li a4, 0x0000000080000000
    li a5, 1
    c.subw a4, a5 // 0x7fffffff
    CHECK(a4, 0x7fffffff)
    c.addw a4, a5 // 0x80000000 sign-extended
    CHECK(a4, 0xffffffff80000000)
    li a4, 0x1234567800000000
    li a5, 0x00000000ffffffff
    c.subw a4, a5 // upper bits ignored: 0 - (-1) = 1
    CHECK(a4, 1)
    // c.j, c.beqz, c.bnez: taken and not taken, forward and backward
    li s1, 0
    c.j 1f
    FAIL_HERE()
1:  li a0, 0
    c.beqz a0, 1f
    FAIL_HERE()
1:  c.bnez a0, 2f
    addi s1, s1, 1
2:  li a0, -1
    c.bnez a0, 1f
    FAIL_HERE()
1:  c.beqz a0, 2f
    addi s1, s1, 1
2:  CHECK(s1, 2)
    li a0, 3
    li a1, 0
3:  addi a1, a1, 5
    c.addi a0, -1
    c.bnez a0, 3b // backward
    CHECK(a1, 15)
    c.j 5f
4:  li a1, 99 // reached by the backward c.j below
    c.j 6f
5:  c.j 4b
6:  CHECK(a1, 99)

    // ---- Quadrant 2 ---------------------------------------------------------
    li a0, 0x8000000000000001
    c.slli a0, 63
    CHECK(a0, 0x8000000000000000)
    li a0, 0x00000000ffffffff
    c.slli a0, 32
    CHECK(a0, 0xffffffff00000000)
    li a0, 3
    c.slli a0, 1
    CHECK(a0, 6)
    // sp-relative: store, then load back, at the smallest and largest offsets
    li a0, 0x0123456789abcdef
    c.sdsp a0, 0(sp)
    li a1, 0x1111222233334444
    c.sdsp a1, 504(sp) // largest, scaled by 8
    li a2, 0x00000000fedcba98
    c.swsp a2, 252(sp) // largest, scaled by 4
    c.ldsp a3, 0(sp)
    CHECK(a3, 0x0123456789abcdef)
    c.ldsp a3, 504(sp)
    CHECK(a3, 0x1111222233334444)
    c.lwsp a4, 252(sp) // sign-extends
    CHECK(a4, 0xfffffffffedcba98)
    c.lwsp a4, 4(sp)
    CHECK(a4, 0x01234567)
    c.fldsp ft3, 504(sp)
    c.fsdsp ft3, 8(sp)
    c.ldsp a5, 8(sp)
    CHECK(a5, 0x1111222233334444)
    c.fldsp ft4, 0(sp)
    fmv.x.d a5, ft4
    CHECK(a5, 0x0123456789abcdef)
    // c.mv / c.add
    li a1, 0x5a5a5a5a5a5a5a5a
    c.mv a0, a1
    CHECK(a0, 0x5a5a5a5a5a5a5a5a)
    li a0, 0x7fffffffffffffff
    li a1, 2
    c.add a0, a1
    CHECK(a0, 0x8000000000000001)
    c.mv t3, a1 // full register range in CR format
    CHECK(t3, 2)
    // c.jr / c.jalr: c.jalr links pc + 2
    la t0, 1f
    c.jr t0
    FAIL_HERE()
1:  la t0, 2f
3:  c.jalr t0
4:  FAIL_HERE()
    j 5f
2:  CHECK_LABEL(ra, 4b)
    la t0, 3b
    sub t0, ra, t0
    CHECK(t0, 2)
5:

    // ---- c.ebreak (cause 3, mepc at the 2-byte instruction) ------------------
    CATCH_MTRAPS
    MTRAP_RESET
1:  c.ebreak
    CHECK_MTRAP(CAUSE_BREAKPOINT, 1b)
    // mtval is either 0 or the pc (privileged spec, section 3.1.16)
    ld a0, isa_mtrap_tval
    beqz a0, 2f
    CHECK_LABEL(a0, 1b)
2:

    // ---- HINTs execute as no-ops (C spec, section "HINT Instructions") --------
    MTRAP_RESET
    li a0, 0x77
    .half 0x4015 // c.li x0, 5
    .half 0x0001 | (1 << 2) // c.nop with a nonzero immediate (c.addi x0, 1)
    .half 0x0501 // c.addi a0, 0 (rd != 0, imm 0)
    .half 0x802a // c.mv x0, a0
    .half 0x902a // c.add x0, a0
    .half 0x0006 // c.slli x0, 1
    CHECK_NO_MTRAP
    CHECK(a0, 0x77)

    // ---- reserved encodings: illegal instruction, mtval = the 16 bits ----------
#define RESERVED16(bits)                     \
    MTRAP_RESET;                             \
77: .half bits;                              \
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 77b);     \
    CHECK_MEM(isa_mtrap_tval, bits)
    RESERVED16(0x0000) // all zeros: defined to be illegal
    RESERVED16(0x0004) // c.addi4spn with nzuimm = 0
    RESERVED16(0x6081) // c.lui x1, 0 (nzimm = 0)
    RESERVED16(0x6101) // c.addi16sp with nzimm = 0
    RESERVED16(0x2001) // c.addiw x0 (rd = 0 reserved)
    RESERVED16(0x8002) // c.jr x0
    RESERVED16(0x4002) // c.lwsp x0
    RESERVED16(0x6002) // c.ldsp x0
    RESERVED16(0x9c41) // quadrant 1, funct6 100111, funct2 10: reserved on RV64
    RESERVED16(0x9c61) // ... funct2 11: reserved
    UNCATCH_MTRAPS

    // ---- 32-bit instructions at 2-byte-aligned pcs -----------------------------
    .balign 4
    c.li a0, 0 // the next instruction is only 2-byte aligned
    .option push
    .option norvc
    addi a0, a0, 1 // pc = 2 mod 4
    addi a0, a0, 1
    .option pop
    CHECK(a0, 2)
    // across a 4 KiB boundary: the instruction starts 2 bytes before it
    la t0, straddle
    slli t1, t0, 52
    srli t1, t1, 52
    CHECK(t1, 0xffe)
    li a0, 40
    jalr ra, 0(t0)
    CHECK(a0, 42)

    mv sp, s11
TEST_END

    .section .text.straddle, "ax"
    .balign 4096
    .space 4094 - 2, 0 // never executed
    .option push
    .option rvc
    c.nop
straddle:
    .option norvc
    addi a0, a0, 2 // bytes 0xffe..0x1001 of the page pair
    .option rvc
    c.jr ra
    .option pop

    .data
    .balign 8
cdata:
    .word 0x80000001, 0 // 0
    .dword 0x0123456789abcdef // 8
    .dword 0 // 16
    .dword 0x5555555555555555 // 24
    .dword 0 // 32
    .space 124 - 40
    .word 0x7eadbeef // 124
    .space 248 - 128
    .dword 0xfedcba9876543210 // 248

    .bss
    .balign 16
    .space 3072 // room for the CHECK failure path below the scratch frame
cstack:
    .space 1024
