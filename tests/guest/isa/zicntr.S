// "Zicntr" (unprivileged spec, chapter "Counters"): cycle, time and instret
// advance; instret counts retired instructions exactly (a straight-line
// sequence mixing 16- and 32-bit instructions, and a counted loop); rdtime
// agrees with the CLINT's memory-mapped mtime; mcycle/minstret are writable
// in M-mode; and the privileged gating by mcounteren/scounteren (privileged
// spec 3.1.11 and 4.1.4): a clear bit makes the counter illegal to read in
// the modes below.
//
// On QEMU this program needs `-icount shift=0`: without it QEMU derives
// instret from the host's tick counter (see the conformance test harness).
#include "macros.h"

TEST_BEGIN("zicntr")

    // ---- instret: exact counts ------------------------------------------------
    // Reading instret yields the count of instructions retired before the
    // reading instruction, so two reads around N instructions differ by N + 1.
    .option push
    .option norvc
    rdinstret a0
    addi a2, a2, 1
    addi a2, a2, 1
    addi a2, a2, 1
    addi a2, a2, 1
    addi a2, a2, 1
    addi a2, a2, 1
    addi a2, a2, 1
    addi a2, a2, 1
    addi a2, a2, 1
    addi a2, a2, 1
    rdinstret a1
    .option pop
    sub a1, a1, a0
    CHECK(a1, 11)
    // compressed instructions count as one each
    .option push
    .option rvc
    rdinstret a0
    c.addi a2, 1
    c.nop
    c.mv a3, a2
    add a4, a3, a2 // (may be compressed too: still one instruction)
    c.li a5, 3
    rdinstret a1
    .option pop
    sub a1, a1, a0
    CHECK(a1, 6)
    // a counted loop: 1 (li) + 100 * 2 (addi, bnez) + 1
    .option push
    .option norvc
    rdinstret a0
    li t0, 100
1:  addi t0, t0, -1
    bnez t0, 1b
    rdinstret a1
    .option pop
    sub a1, a1, a0
    CHECK(a1, 202)
    // taken and untaken branches, jal and jalr each retire once
    .option push
    .option norvc
    rdinstret a0
    beq zero, zero, 1f // taken
1:  bne zero, zero, 1f // not taken
1:  jal t0, 1f
1:  la t1, 1f // auipc + addi
    jalr t0, 0(t1)
1:  rdinstret a1
    .option pop
    sub a1, a1, a0
    CHECK(a1, 7)

    // ---- cycle, time and instret advance --------------------------------------
    rdcycle s0
    rdtime s1
    rdinstret s2
    // spin until time moves (bounded: a stuck clock is a failure, not a hang)
    li t0, 20000000
1:  rdtime a0
    bne a0, s1, 2f
    addi t0, t0, -1
    bnez t0, 1b
2:  sltu a1, s1, a0
    CHECK(a1, 1) // time increased
    rdcycle a0
    sltu a1, s0, a0
    CHECK(a1, 1) // cycle increased
    rdinstret a0
    sltu a1, s2, a0
    CHECK(a1, 1) // instret increased

    // ---- rdtime is the CLINT's mtime --------------------------------------------
    li t0, CLINT_MTIME
    ld s0, 0(t0)
    rdtime s1
    ld s2, 0(t0)
    sltu a0, s1, s0 // rdtime < earlier mtime?
    CHECK(a0, 0)
    sltu a0, s2, s1 // later mtime < rdtime?
    CHECK(a0, 0)

    // ---- mcycle / minstret are writable in M-mode (section 3.1.11) ------------
    // The value written is what later reads count up from. (The spec wants
    // the next read of minstret to return exactly the value written; QEMU 7.2
    // also counts the writing instruction, so allow a few.)
    li a1, 0x100000000000
    csrw minstret, a1
    csrr a0, minstret
    sub a0, a0, a1
    sltiu a0, a0, 4
    CHECK(a0, 1)
    csrw mcycle, a1
    csrr a0, mcycle
    sub a0, a0, a1
    li t0, 1000
    sltu a0, a0, t0
    CHECK(a0, 1)
    // the unprivileged aliases show the same counter
    csrr a0, minstret
    rdinstret a2
    sub a2, a2, a0
    CHECK(a2, 1)

    // ---- mcounteren / scounteren gating ------------------------------------
    CATCH_MTRAPS
    csrw mcounteren, zero
    csrw scounteren, zero
    // M-mode reads are never gated
    MTRAP_RESET
    rdcycle a0
    rdtime a0
    rdinstret a0
    CHECK_NO_MTRAP
    // S-mode: gated by mcounteren
    M_TO_S
    MTRAP_RESET
1:  rdcycle a0
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    MTRAP_RESET
1:  rdtime a0
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    MTRAP_RESET
1:  rdinstret a0
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    TO_M
    li a0, 0x5 // CY and IR only
    csrw mcounteren, a0
    M_TO_S
    MTRAP_RESET
    rdcycle a0
    rdinstret a0
    CHECK_NO_MTRAP
1:  rdtime a0
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    TO_M
    // U-mode: needs the bit in both mcounteren and scounteren
    li a0, 0x7
    csrw mcounteren, a0
    li a0, 0x2 // TM only
    csrw scounteren, a0
    M_TO_U
    MTRAP_RESET
    rdtime a0
    CHECK_NO_MTRAP
1:  rdcycle a0
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    MTRAP_RESET
1:  rdinstret a0
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    TO_M
    csrw mcounteren, zero
    li a0, 0x7
    csrw scounteren, a0
    M_TO_U
    MTRAP_RESET
1:  rdtime a0 // scounteren alone is not enough
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    TO_M
    li a0, 0x7
    csrw mcounteren, a0
    M_TO_U
    MTRAP_RESET
    rdcycle a0
    rdtime a0
    rdinstret a0
    CHECK_NO_MTRAP
    TO_M
    UNCATCH_MTRAPS
TEST_END
