// Interrupts (privileged spec, sections 3.1.9 "mip and mie", 3.1.6.1 global
// enables, 3.1.7 mtvec, 3.2.1 "Machine Timer Registers", 3.3.3 WFI, 4.1.3
// sip/sie; the ACLINT MSWI/MTIMER layout of the virt board; the Sstc
// extension):
//  * machine timer: MTIP follows mtime >= mtimecmp; nothing is taken until
//    both mie.MTIE and mstatus.MIE are set, then the trap comes before the
//    next instruction (mcause = interrupt | 7, mepc = that instruction);
//  * WFI wakes up on a pending enabled interrupt even with MIE = 0;
//  * machine software interrupt through msip; MSI has priority over MTI;
//  * M-level interrupts are always enabled while running in U (or S);
//  * vectored mtvec: interrupts go to BASE + 4 * cause, exceptions to BASE;
//  * supervisor software interrupt delegated through mideleg, taken in S
//    only once sstatus.SIE is set;
//  * Sstc: with menvcfg.STCE set, stimecmp (CSR 0x14d) drives sip.STIP and a
//    delegated supervisor timer interrupt is taken in S; with STCE clear,
//    S-mode access to stimecmp is illegal.
// Waits are bounded loops, so a missing interrupt fails instead of hanging.
#include "macros.h"

#define MENVCFG_STCE_HI 0x8000 // bit 63, set with li + slli 48

// Spin until the doubleword at `sym` is nonzero, at most ~`n` iterations.
.macro wait_nonzero sym, n
    li t4, \n
.Lwait\@:
    ld t3, \sym
    bnez t3, .Lwait_done\@
    addi t4, t4, -1
    bnez t4, .Lwait\@
.Lwait_done\@:
.endm

// mtimecmp := mtime + ticks
.macro timer_in ticks
    li t3, CLINT_MTIME
    ld t3, 0(t3)
    addi t3, t3, \ticks
    li t4, CLINT_MTIMECMP
    sd t3, 0(t4)
.endm

.macro timer_off
    li t3, CLINT_MTIMECMP
    li t4, -1
    sd t4, 0(t3)
.endm

TEST_BEGIN("interrupts")
    CATCH_MTRAPS
    CATCH_STRAPS
    csrw mie, zero
    csrw mideleg, zero
    timer_off

    // ---- machine timer -------------------------------------------------------------
    MTRAP_RESET
    li a0, MIP_MTIP
    csrr a1, mip
    CHECK_BITS(a1, MIP_MTIP, 0) // mtimecmp = max: not pending
    timer_in 50
    // wait for MTIP with everything disabled: pending, not taken
    li t0, 10000000
1:  csrr a1, mip
    and a1, a1, a0
    bnez a1, 2f
    addi t0, t0, -1
    bnez t0, 1b
2:  CHECK(a1, MIP_MTIP)
    csrs mie, a0 // enabled in mie but MIE = 0: still not taken
    nop
    CHECK_NO_MTRAP
    li a1, MSTATUS_MIE
    csrs mstatus, a1
.Lmti_epc: // taken here, before this instruction executes
    nop
    CHECK_MTRAP(CAUSE_M_TIMER_INT, .Lmti_epc)
    ld a1, isa_mtrap_status // MPIE = 1 (MIE was 1), MIE = 0 in the handler, MPP = M
    CHECK_BITS(a1, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPP_M | MSTATUS_MPIE)
    csrr a1, mip
    CHECK_BITS(a1, MIP_MTIP, 0) // the handler moved mtimecmp away
    li a1, MSTATUS_MIE
    csrc mstatus, a1

    // ---- WFI wakes on a pending interrupt even with MIE = 0 -----------------------
    MTRAP_RESET
    timer_in 30
    li t0, 10000000
1:  wfi // may also return early: loop until MTIP
    csrr a1, mip
    and a1, a1, a0
    bnez a1, 2f
    addi t0, t0, -1
    bnez t0, 1b
2:  CHECK(a1, MIP_MTIP)
    CHECK_NO_MTRAP
    timer_off
    csrw mie, zero

    // ---- machine software interrupt -----------------------------------------------
    MTRAP_RESET
    li s0, CLINT_MSIP
    li a1, 1
    sw a1, 0(s0)
    csrr a1, mip
    CHECK_BITS(a1, MIP_MSIP, MIP_MSIP)
    li a1, MIP_MSIP
    csrs mie, a1
    li a1, MSTATUS_MIE
    csrs mstatus, a1
.Lmsi_epc:
    nop
    CHECK_MTRAP(CAUSE_M_SOFT_INT, .Lmsi_epc)
    lw a1, 0(s0)
    CHECK(a1, 0) // the handler cleared msip
    csrr a1, mip
    CHECK_BITS(a1, MIP_MSIP, 0)
    li a1, MSTATUS_MIE
    csrc mstatus, a1

    // ---- priority: MSI before MTI (section 3.1.9) ---------------------------------
    // Both pending when MIE goes up: the first trap is MSI; its handler clears
    // msip, and MTI follows. The record keeps the last one.
    MTRAP_RESET
    li a1, MIP_MSIP | MIP_MTIP
    csrs mie, a1
    li a1, 1
    sw a1, 0(s0)
    li t3, CLINT_MTIMECMP
    sd zero, 0(t3) // due now
    li t0, 10000000 // let MTIP settle
1:  csrr a1, mip
    and a1, a1, a0
    bnez a1, 2f
    addi t0, t0, -1
    bnez t0, 1b
2:  li a1, MSTATUS_MIE
    csrs mstatus, a1
    nop
    li a1, MSTATUS_MIE
    csrc mstatus, a1
    CHECK_MEM(isa_mtrap_count, 2)
    CHECK_MEM(isa_mtrap_cause, CAUSE_M_TIMER_INT)
    csrw mie, zero

    // ---- M interrupts are enabled in U whatever mstatus.MIE says --------------------
    MTRAP_RESET
    li a1, MIP_MTIP
    csrs mie, a1
    timer_in 50
    M_TO_U
    wait_nonzero isa_mtrap_count, 10000000
    TO_M
    CHECK_MEM(isa_mtrap_count, 1)
    CHECK_MEM(isa_mtrap_cause, CAUSE_M_TIMER_INT)
    ld a1, isa_mtrap_status
    CHECK_BITS(a1, MSTATUS_MPP, 0) // taken from U
    csrw mie, zero

    // ---- vectored mtvec ------------------------------------------------------------
    la a1, vector_table
    ori a1, a1, 1
    csrw mtvec, a1
    csrr a2, mtvec
    CHECK_R(a2, a1)
    sd zero, vector_hits, t0
    // an exception goes to BASE (the shared handler)
    MTRAP_RESET
1:  ecall
    CHECK_MTRAP(CAUSE_MACHINE_ECALL, 1b)
    CHECK_MEM(vector_hits, 0)
    // the timer goes to BASE + 4 * 7
    MTRAP_RESET
    li a1, MIP_MTIP
    csrs mie, a1
    timer_in 20
    li a1, MSTATUS_MIE
    csrs mstatus, a1
    wait_nonzero isa_mtrap_count, 10000000
    li a1, MSTATUS_MIE
    csrc mstatus, a1
    CHECK_MEM(isa_mtrap_cause, CAUSE_M_TIMER_INT)
    CHECK_MEM(vector_hits, 1 << 7)
    csrw mie, zero
    CATCH_MTRAPS

    // ---- supervisor software interrupt, delegated -------------------------------------
    li a1, MIP_SSIP
    csrw mideleg, a1
    csrs mie, a1
    MTRAP_RESET
    STRAP_RESET
    csrs mip, a1 // M raises SSIP; delegated, so M itself never takes it
    nop
    CHECK_NO_MTRAP
    M_TO_S // sstatus.SIE = 0: not taken in S yet
    nop
    CHECK_NO_STRAP
    li a1, MSTATUS_SIE
    csrs sstatus, a1
.Lssi_epc:
    nop
    CHECK_STRAP(CAUSE_S_SOFT_INT, .Lssi_epc)
    CHECK_NO_MTRAP
    li a1, MSTATUS_SIE
    csrc sstatus, a1
    csrr a1, sip
    CHECK_BITS(a1, MIP_SSIP, 0) // the S handler cleared it
    TO_M
    csrw mie, zero
    csrw mideleg, zero

    // ---- Sstc ------------------------------------------------------------------------
    // With menvcfg.STCE = 0, stimecmp is illegal in S.
    csrw CSR_MENVCFG, zero
    li a1, 0x2 // mcounteren.TM: S may read time
    csrw mcounteren, a1
    M_TO_S
    MTRAP_RESET
1:  csrr a1, CSR_STIMECMP
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    TO_M
    li a1, MENVCFG_STCE_HI
    slli a1, a1, 48
    csrs CSR_MENVCFG, a1
    csrr a2, CSR_MENVCFG
    and a2, a2, a1
    CHECK_R(a2, a1) // STCE sticks (Sstc is implemented)
    li a1, MIP_STIP
    csrw mideleg, a1
    csrs mie, a1
    MTRAP_RESET
    STRAP_RESET
    M_TO_S
    li a1, -1
    csrw CSR_STIMECMP, a1
    csrr a2, CSR_STIMECMP
    CHECK_R(a2, a1)
    csrr a1, sip
    CHECK_BITS(a1, MIP_STIP, 0)
    // due in 40 ticks: STIP rises with sstatus.SIE = 0, nothing taken
    rdtime a1
    addi a1, a1, 40
    csrw CSR_STIMECMP, a1
    li t0, 10000000
    li a2, MIP_STIP
1:  csrr a1, sip
    and a1, a1, a2
    bnez a1, 2f
    addi t0, t0, -1
    bnez t0, 1b
2:  CHECK(a1, MIP_STIP)
    CHECK_NO_STRAP
    li a1, MSTATUS_SIE
    csrs sstatus, a1
.Lsti_epc:
    nop
    CHECK_STRAP(CAUSE_S_TIMER_INT, .Lsti_epc)
    CHECK_NO_MTRAP
    csrr a1, sip
    CHECK_BITS(a1, MIP_STIP, 0) // the handler set stimecmp = max
    // and once more, arriving while S is running with SIE = 1
    STRAP_RESET
    rdtime a1
    addi a1, a1, 30
    csrw CSR_STIMECMP, a1
    wait_nonzero isa_strap_count, 10000000
    CHECK_MEM(isa_strap_count, 1)
    CHECK_MEM(isa_strap_cause, CAUSE_S_TIMER_INT)
    li a1, MSTATUS_SIE
    csrc sstatus, a1
    TO_M
    csrw mie, zero
    csrw mideleg, zero
    csrw CSR_MENVCFG, zero
    csrw mcounteren, zero

    UNCATCH_MTRAPS
TEST_END

// Vectored mtvec table (section 3.1.7): entry i at BASE + 4 * i. Entry 0
// takes all exceptions; the interrupt entries note which one was used in
// vector_hits (bit i) and continue in the shared handler.
    .option push
    .option norvc
    .balign 256
vector_table:
    j isa_mtrap // 0: exceptions
    j vec_bad // 1
    j vec_bad // 2
    j vec_msi // 3
    j vec_bad // 4
    j vec_bad // 5
    j vec_bad // 6
    j vec_mti // 7
    j vec_bad // 8
    j vec_bad // 9
    j vec_bad // 10
    j vec_bad // 11
vec_msi:
    csrrw sp, mscratch, sp
    addi sp, sp, -16
    sd t0, 0(sp)
    sd t1, 8(sp)
    li t0, 1 << 3
    j vec_common
vec_mti:
    csrrw sp, mscratch, sp
    addi sp, sp, -16
    sd t0, 0(sp)
    sd t1, 8(sp)
    li t0, 1 << 7
vec_common:
    ld t1, vector_hits
    or t1, t1, t0
    sd t1, vector_hits, t0
    ld t0, 0(sp)
    ld t1, 8(sp)
    addi sp, sp, 16
    csrrw sp, mscratch, sp
    j isa_mtrap
vec_bad:
    j __isa_unexpected
    .option pop

    .data
    .balign 8
vector_hits: .dword 0
