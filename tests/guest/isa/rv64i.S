// RV64I base integer instruction set (unprivileged spec, chapters 2 and 5
// "RV64I Base Integer Instruction Set"): every instruction class, the
// 32-bit "W" forms and their sign extension, shift amounts 0/31/32/63 and
// the masking of register shift amounts, immediates at their extremes,
// load sign/zero extension, store widths, branches signed vs unsigned,
// jal/jalr link values and jalr's cleared bit 0, writes to x0, and
// fence.i making freshly stored code visible (Zifencei).
#include "macros.h"

TEST_BEGIN("rv64i")

    // ---- LUI / AUIPC (section 2.4): the 32-bit result is sign-extended on RV64
    lui a0, 0x80000
    CHECK(a0, 0xffffffff80000000)
    lui a0, 0x7ffff
    CHECK(a0, 0x7ffff000)
    lui a0, 0xfffff
    CHECK(a0, 0xfffffffffffff000)
1:  auipc a0, 0
    CHECK_LABEL(a0, 1b)
1:  auipc a0, 1
    la a1, 1b
    sub a0, a0, a1
    CHECK(a0, 0x1000)
1:  auipc a0, 0xfffff // -4096
    la a1, 1b
    sub a0, a1, a0
    CHECK(a0, 0x1000)

    // ---- integer register-immediate (section 2.4): 12-bit sign-extended immediates
    li a1, 0x7fffffffffffffff
    addi a0, a1, 1 // wraps, no overflow trap
    CHECK(a0, 0x8000000000000000)
    li a1, 0
    addi a0, a1, -2048
    CHECK(a0, -2048)
    addi a0, a1, 2047
    CHECK(a0, 2047)
    li a1, -1
    slti a0, a1, 0
    CHECK(a0, 1)
    slti a0, a1, -1
    CHECK(a0, 0)
    slti a0, a1, -2048
    CHECK(a0, 0)
    // SLTIU compares unsigned against the sign-extended immediate, so
    // sltiu rd, rs, -1 is 1 unless rs is all ones; sltiu rd, rs, 1 is seqz.
    li a1, 0x7fffffffffffffff
    sltiu a0, a1, -1
    CHECK(a0, 1)
    li a1, -1
    sltiu a0, a1, -1
    CHECK(a0, 0)
    li a1, 0
    sltiu a0, a1, 1
    CHECK(a0, 1)
    li a1, 5
    sltiu a0, a1, 1
    CHECK(a0, 0)
    li a1, 0x00ff00ff00ff00ff
    xori a0, a1, -1 // not
    CHECK(a0, 0xff00ff00ff00ff00)
    xori a0, a1, 0x0f0
    CHECK(a0, 0x00ff00ff00ff000f)
    ori a0, a1, -2048 // 0xfffffffffffff800
    CHECK(a0, 0xfffffffffffff8ff)
    andi a0, a1, -16
    CHECK(a0, 0x00ff00ff00ff00f0)
    andi a0, a1, 0x7ff
    CHECK(a0, 0xff)

    // ---- shifts by immediate: RV64 shamt is 6 bits (section 5.2)
    li a1, 0x8000000000000001
    slli a0, a1, 0
    CHECK(a0, 0x8000000000000001)
    slli a0, a1, 31
    CHECK(a0, 0x0000000080000000)
    slli a0, a1, 32
    CHECK(a0, 0x0000000100000000)
    slli a0, a1, 63
    CHECK(a0, 0x8000000000000000)
    srli a0, a1, 0
    CHECK(a0, 0x8000000000000001)
    srli a0, a1, 31
    CHECK(a0, 0x0000000100000000)
    srli a0, a1, 63
    CHECK(a0, 1)
    srai a0, a1, 0
    CHECK(a0, 0x8000000000000001)
    srai a0, a1, 31
    CHECK(a0, 0xffffffff00000000)
    srai a0, a1, 63
    CHECK(a0, -1)
    li a1, 0x4000000000000000
    srai a0, a1, 62
    CHECK(a0, 1)

    // ---- integer register-register (section 2.4)
    li a1, 0x7fffffffffffffff
    li a2, 1
    add a0, a1, a2
    CHECK(a0, 0x8000000000000000)
    sub a0, a2, a1
    CHECK(a0, 0x8000000000000002)
    li a1, 0
    sub a0, a1, a2
    CHECK(a0, -1)
    li a1, -1
    li a2, 1
    slt a0, a1, a2
    CHECK(a0, 1)
    sltu a0, a1, a2
    CHECK(a0, 0)
    slt a0, a2, a1
    CHECK(a0, 0)
    sltu a0, a2, a1
    CHECK(a0, 1)
    slt a0, a1, a1
    CHECK(a0, 0)
    li a1, 0x8000000000000000
    li a2, 0x7fffffffffffffff
    slt a0, a1, a2
    CHECK(a0, 1)
    sltu a0, zero, a1 // snez
    CHECK(a0, 1)
    li a1, 0xff00ff00ff00ff00
    li a2, 0x0ff00ff00ff00ff0
    xor a0, a1, a2
    CHECK(a0, 0xf0f0f0f0f0f0f0f0)
    or a0, a1, a2
    CHECK(a0, 0xfff0fff0fff0fff0)
    and a0, a1, a2
    CHECK(a0, 0x0f000f000f000f00)
    // register shift amounts use rs2[5:0] only
    li a1, 0x8000000000000001
    li a2, 64 + 3
    sll a0, a1, a2
    CHECK(a0, 8)
    srl a0, a1, a2
    CHECK(a0, 0x1000000000000000)
    sra a0, a1, a2
    CHECK(a0, 0xf000000000000000)
    li a2, -1 // shift by 63
    sll a0, a1, a2
    CHECK(a0, 0x8000000000000000)
    srl a0, a1, a2
    CHECK(a0, 1)
    sra a0, a1, a2
    CHECK(a0, -1)
    li a2, 0xffffffffffffffc0 // low six bits zero: shift by 0
    sll a0, a1, a2
    CHECK(a0, 0x8000000000000001)
    sra a0, a1, a2
    CHECK(a0, 0x8000000000000001)
    li a2, 31
    sll a0, a1, a2
    CHECK(a0, 0x80000000)
    srl a0, a1, a2
    CHECK(a0, 0x100000000)
    sra a0, a1, a2
    CHECK(a0, 0xffffffff00000000)

    // ---- W forms (section 5.2/5.3): operate on the low 32 bits, ignore the
    // upper bits of the operands, sign-extend the 32-bit result.
    li a1, 0x123456787fffffff
    addiw a0, a1, 1
    CHECK(a0, 0xffffffff80000000)
    addiw a0, a1, 0 // sext.w
    CHECK(a0, 0x7fffffff)
    li a1, 0x00000000fffff800
    addiw a0, a1, 2047
    CHECK(a0, -1)
    li a1, 0xaaaaaaaa00000000
    addiw a0, a1, -2048
    CHECK(a0, -2048)
    li a1, 0xffffffff00000001
    slliw a0, a1, 0
    CHECK(a0, 1)
    slliw a0, a1, 31
    CHECK(a0, 0xffffffff80000000)
    li a1, 0x0000000180000000
    srliw a0, a1, 0 // srliw by 0 still sign-extends bit 31
    CHECK(a0, 0xffffffff80000000)
    srliw a0, a1, 31
    CHECK(a0, 1)
    srliw a0, a1, 1
    CHECK(a0, 0x40000000)
    sraiw a0, a1, 0
    CHECK(a0, 0xffffffff80000000)
    sraiw a0, a1, 31
    CHECK(a0, -1)
    sraiw a0, a1, 4
    CHECK(a0, 0xfffffffff8000000)
    li a1, 0x7fffffff
    li a2, 0x1
    addw a0, a1, a2
    CHECK(a0, 0xffffffff80000000)
    li a1, 0xdeadbeef00000000
    li a2, 0x1234567800000001
    subw a0, a1, a2
    CHECK(a0, -1)
    li a1, 0x0000000080000000
    li a2, 1
    subw a0, a1, a2
    CHECK(a0, 0x7fffffff)
    // sllw/srlw/sraw use rs2[4:0] only
    li a1, 0xffffffff80000001
    li a2, 32 + 1
    sllw a0, a1, a2
    CHECK(a0, 2)
    srlw a0, a1, a2
    CHECK(a0, 0x40000000)
    sraw a0, a1, a2
    CHECK(a0, 0xffffffffc0000000)
    li a2, 31
    sllw a0, a1, a2
    CHECK(a0, 0xffffffff80000000)
    srlw a0, a1, a2
    CHECK(a0, 1)
    sraw a0, a1, a2
    CHECK(a0, -1)
    li a2, 0
    srlw a0, a1, a2
    CHECK(a0, 0xffffffff80000001)
    li a1, 0x0000000100000000 // low word zero, upper bits ignored
    sraw a0, a1, a2
    CHECK(a0, 0)

    // ---- loads: sign vs zero extension (section 2.6)
    la s0, data
    lb a0, 0(s0)
    CHECK(a0, 0xffffffffffffff81)
    lbu a0, 0(s0)
    CHECK(a0, 0x81)
    lb a0, 1(s0)
    CHECK(a0, 0x72)
    lh a0, 2(s0)
    CHECK(a0, 0xffffffffffff8364)
    lhu a0, 2(s0)
    CHECK(a0, 0x8364)
    lw a0, 4(s0)
    CHECK(a0, 0xffffffff85a6b7c8)
    lwu a0, 4(s0)
    CHECK(a0, 0x85a6b7c8)
    lw a0, 0(s0)
    CHECK(a0, 0xffffffff83647281)
    ld a0, 0(s0)
    CHECK(a0, 0x85a6b7c883647281)
    ld a0, 8(s0)
    CHECK(a0, 0x0123456789abcdef)
    // negative offsets
    addi s1, s0, 16
    ld a0, -8(s1)
    CHECK(a0, 0x0123456789abcdef)
    lbu a0, -1(s1)
    CHECK(a0, 0x01)
    lhu a0, -16(s1)
    CHECK(a0, 0x7281)

    // ---- stores write exactly their width (section 2.6)
    la s0, scratch
    li a1, -1
    sd a1, 0(s0)
    sd a1, 8(s0)
    li a1, 0x1122334455667788
    sb a1, 1(s0)
    ld a0, 0(s0)
    CHECK(a0, 0xffffffffffff88ff)
    sh a1, 2(s0)
    ld a0, 0(s0)
    CHECK(a0, 0xffffffff778888ff)
    sw a1, 4(s0)
    ld a0, 0(s0)
    CHECK(a0, 0x55667788778888ff)
    sd a1, 8(s0)
    ld a0, 8(s0)
    CHECK(a0, 0x1122334455667788)
    sw zero, 12(s0)
    ld a0, 8(s0)
    CHECK(a0, 0x0000000055667788)

    // ---- conditional branches (section 2.5): taken and not taken, signed
    // vs unsigned. s1 counts the taken branches that went the right way.
    li a1, -1
    li a2, 1
    li s1, 0
    beq a1, a1, 1f
    FAIL_HERE()
1:  beq a1, a2, 2f
    addi s1, s1, 1
2:  bne a1, a2, 1f
    FAIL_HERE()
1:  bne a1, a1, 2f
    addi s1, s1, 1
2:  blt a1, a2, 1f // -1 < 1 signed
    FAIL_HERE()
1:  blt a2, a1, 2f
    addi s1, s1, 1
2:  bltu a2, a1, 1f // 1 < 0xfff...f unsigned
    FAIL_HERE()
1:  bltu a1, a2, 2f
    addi s1, s1, 1
2:  bge a2, a1, 1f
    FAIL_HERE()
1:  bge a1, a1, 1f // equal: taken
    FAIL_HERE()
1:  bge a1, a2, 2f
    addi s1, s1, 1
2:  bgeu a1, a2, 1f
    FAIL_HERE()
1:  bgeu a2, a2, 1f
    FAIL_HERE()
1:  bgeu a2, a1, 2f
    addi s1, s1, 1
2:  CHECK(s1, 6)
    // backward branch: a small counted loop
    li a0, 0
    li a1, 10
3:  addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, 3b
    CHECK(a0, 30)

    // ---- JAL / JALR (section 2.5): link = pc + 4; jalr target = (rs1 + imm) & ~1
    .option push
    .option norvc // keep the link arithmetic independent of compression
1:  jal ra, 2f
3:  FAIL_HERE()
    j 4f
2:  CHECK_LABEL(ra, 3b)
4:  la a1, 5f
1:  jalr ra, 0(a1)
6:  FAIL_HERE()
5:  CHECK_LABEL(ra, 6b)
    // odd target: bit 0 is cleared, no misaligned-fetch exception
    la a1, 5f
    addi a1, a1, 1
    jalr ra, 0(a1)
    FAIL_HERE()
5:  // immediate offset, including a negative one
    la a1, 5f + 8
    jalr ra, -8(a1)
    FAIL_HERE()
5:  // rd == rs1: the target uses the old value of rs1
    la a1, 5f
6:  jalr a1, 0(a1)
7:  FAIL_HERE()
5:  CHECK_LABEL(a1, 7b)
    // jal x0 (j) does not write x0; jalr x0 (jr)
    j 5f
    FAIL_HERE()
5:  CHECK(zero, 0)
    .option pop

    // ---- x0 is hard-wired to zero (section 2.1)
    addi x0, x0, 5
    CHECK(x0, 0)
    lui x0, 0x12345
    CHECK(x0, 0)
    li a1, -1
    add x0, a1, a1
    CHECK(x0, 0)
    la s0, data
    ld x0, 0(s0) // the load is performed, its result discarded
    CHECK(x0, 0)
    mv a0, x0
    CHECK(a0, 0)
    auipc x0, 1
    CHECK(x0, 0)
    la a1, 5f
    jalr x0, 0(a1)
    FAIL_HERE()
5:  CHECK(x0, 0)

    // ---- FENCE / FENCE.I (section 2.7, chapter "Zifencei"): after storing a
    // new instruction and executing fence.i, the new instruction is fetched.
    fence
    fence rw, rw
    fence.tso
    .option push
    .option norvc
    jal ra, patch_slot // execute the slot once so it is decoded/cached
    CHECK(a0, 1)
    la a1, patch_slot
    li a2, 0x02a00513 // addi a0, x0, 42
    sw a2, 0(a1)
    fence.i
    jal ra, patch_slot
    CHECK(a0, 42)
    li a2, 0x00700513 // addi a0, x0, 7
    sw a2, 0(a1)
    fence.i
    jal ra, patch_slot
    CHECK(a0, 7)
    .option pop

    // ---- NOP / HINTs execute without effect (section 2.9)
    nop
    addi x0, x1, 0
    slli x0, x0, 5
    CHECK(x0, 0)

TEST_END

    .option push
    .option norvc
    .balign 4
patch_slot:
    addi a0, x0, 1
    ret
    .option pop

    .data
    .balign 16
data:
    .byte 0x81, 0x72, 0x64, 0x83, 0xc8, 0xb7, 0xa6, 0x85
    .dword 0x0123456789abcdef
scratch:
    .dword 0, 0
