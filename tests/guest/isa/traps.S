// Synchronous traps and delegation (privileged spec, sections 3.1.6.1
// "Privilege and Global Interrupt-Enable Stack", 3.1.8 medeleg, 3.1.15
// mcause, 3.1.16 mtval, 3.3 "Machine-Mode Privileged Instructions", 4.1
// "Supervisor CSRs"):
//  * ecall from U, S and M (causes 8, 9, 11; epc = the ecall; tval = 0);
//  * illegal instruction with mtval = the instruction bits: a reserved RV64
//    encoding, mret/sret from too low a mode, sret under mstatus.TSR,
//    sfence.vma and satp under mstatus.TVM;
//  * ebreak (cause 3, tval 0 or the pc);
//  * instruction fetch alignment: with C only bit 0 of a jalr target is
//    dropped; if misa.C can be cleared, a 2-byte-aligned target then raises
//    instruction-address-misaligned on the jump (tval = target);
//  * access faults for loads, stores and fetches outside any device;
//  * the trap-entry stack: MPP/MPIE/MIE on entry, mret restoring MIE and
//    setting MPP to U; SPP/SPIE/SIE likewise for sret;
//  * medeleg: U-mode ecall/illegal/ebreak delegated to S (scause, sepc,
//    stval, SPP), S-mode ecall not delegated, traps in M never delegated.
#include "macros.h"

#define RESERVED_SLLIW 0x0200101b // slliw x0, x0, 32: shamt[5] set is reserved

TEST_BEGIN("traps")
    CATCH_MTRAPS
    CATCH_STRAPS

    // ---- ecall from M, with the interrupt-enable stack --------------------------
    li a0, MSTATUS_MIE // no interrupt is enabled in mie, so this is safe
    csrs mstatus, a0
    MTRAP_RESET
1:  ecall
    CHECK_MTRAP(CAUSE_MACHINE_ECALL, 1b)
    CHECK_MEM(isa_mtrap_tval, 0)
    ld a0, isa_mtrap_status // mstatus as seen by the handler
    CHECK_BITS(a0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPP_M | MSTATUS_MPIE)
    csrr a0, mstatus // after mret: MIE = MPIE, MPIE = 1, MPP = U
    CHECK_BITS(a0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPIE | MSTATUS_MIE)
    li a0, MSTATUS_MIE
    csrc mstatus, a0

    // ---- ecall from S and from U --------------------------------------------------
    M_TO_S
    MTRAP_RESET
1:  ecall
    CHECK_MTRAP(CAUSE_SUPERVISOR_ECALL, 1b)
    CHECK_MEM(isa_mtrap_tval, 0)
    ld a0, isa_mtrap_status
    CHECK_BITS(a0, MSTATUS_MPP, MSTATUS_MPP_S)
    TO_M
    M_TO_U
    MTRAP_RESET
1:  ecall
    CHECK_MTRAP(CAUSE_USER_ECALL, 1b)
    ld a0, isa_mtrap_status
    CHECK_BITS(a0, MSTATUS_MPP, 0)
    TO_M

    // ---- illegal instructions ----------------------------------------------------
    MTRAP_RESET
1:  .word RESERVED_SLLIW
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    CHECK_MEM(isa_mtrap_tval, RESERVED_SLLIW)
    // xRET from a less privileged mode
    M_TO_S
    MTRAP_RESET
1:  mret
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    CHECK_MEM(isa_mtrap_tval, 0x30200073)
    TO_M
    M_TO_U
    MTRAP_RESET
1:  sret
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    CHECK_MEM(isa_mtrap_tval, 0x10200073)
    MTRAP_RESET
1:  mret
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    TO_M
    // mstatus.TSR: sret in S traps; mstatus.TVM: satp and sfence.vma in S trap
    li a0, MSTATUS_TSR | MSTATUS_TVM
    csrs mstatus, a0
    M_TO_S
    MTRAP_RESET
1:  sret
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    MTRAP_RESET
1:  sfence.vma
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    CHECK_MEM(isa_mtrap_tval, 0x12000073)
    MTRAP_RESET
1:  csrr a0, satp
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    TO_M
    li a0, MSTATUS_TSR | MSTATUS_TVM
    csrc mstatus, a0
    M_TO_S
    MTRAP_RESET
    sfence.vma
    csrr a0, satp
    CHECK_NO_MTRAP
    TO_M

    // ---- ebreak -----------------------------------------------------------------
    MTRAP_RESET
1:  ebreak
    CHECK_MTRAP(CAUSE_BREAKPOINT, 1b)
    ld a0, isa_mtrap_tval // 0 or the pc (section 3.1.16)
    beqz a0, 2f
    CHECK_LABEL(a0, 1b)
2:

    // ---- fetch alignment ----------------------------------------------------------
    // With C, IALIGN = 16: jalr clears bit 0 and 2-byte-aligned targets are fine.
    .option push
    .option norvc
    .balign 4
    MTRAP_RESET
    la t0, 1f
    addi t0, t0, 3 // target = 1f + 2 after bit 0 is cleared
    jalr ra, 0(t0)
    .balign 4
1:  .half 0x0001 // c.nop, skipped: we land on the next halfword
    .half 0x0001
    CHECK_NO_MTRAP
    CHECK_LABEL(ra, 1b)
    .option pop
    // If misa.C is writable, clearing it makes IALIGN = 32; then a jump to a
    // 2-byte-aligned target raises instruction-address-misaligned, reported
    // on the jump itself with mtval = the target (section 3.1.16). misa is
    // WARL and may be read-only (QEMU's is), in which case this is skipped.
    // While C is off nothing compressed may run, not even the shared handler
    // or the CHECK failure path, so this part records into s-registers
    // through a handler assembled without C and checks after C is back.
    .option push
    .option norvc
    .balign 4
    la t0, norvc_mtrap
    csrw mtvec, t0
    li s1, 1 << 2
    csrc misa, s1
    csrr s2, misa
    and s2, s2, s1 // s2 != 0: C could not be cleared
    bnez s2, .Lc_restored
    MTRAP_RESET
    la t0, .Ljalr_target
    addi t0, t0, 2
    MTRAP_RESUME_AT(.Lafter_jalr)
.Ljalr_mis:
    jalr ra, 0(t0)
    .balign 4
.Ljalr_target:
    nop
    nop
.Lafter_jalr:
    ld s3, isa_mtrap_cause
    ld s4, isa_mtrap_epc
    ld s5, isa_mtrap_tval
    MTRAP_RESUME_AT(.Lafter_branch)
    bne zero, zero, .Lbranch_target + 2 // untaken: no trap
.Lbranch_mis:
    beq zero, zero, .Lbranch_target + 2
.Lbranch_target:
    nop
    nop
.Lafter_branch:
    ld s6, isa_mtrap_cause
    ld s7, isa_mtrap_epc
    ld s8, isa_mtrap_count
    csrs misa, s1 // C back on
.Lc_restored:
    la t0, isa_mtrap
    csrw mtvec, t0
    .option pop
    bnez s2, 1f
    csrr a1, misa
    CHECK_BITS(a1, 1 << 2, 1 << 2) // C could be re-enabled
    CHECK(s3, CAUSE_MISALIGNED_FETCH)
    CHECK_LABEL(s4, .Ljalr_mis)
    la a1, .Ljalr_target + 2
    CHECK_R(s5, a1)
    CHECK(s6, CAUSE_MISALIGNED_FETCH)
    CHECK_LABEL(s7, .Lbranch_mis)
    CHECK(s8, 2) // one for the jalr, one for the taken branch
1:

    // ---- access faults: nothing lives at this physical address -------------------
#define NOWHERE 0xff0000000000
    li s0, NOWHERE
    MTRAP_RESET
1:  ld a0, 0(s0)
    CHECK_MTRAP(CAUSE_LOAD_ACCESS, 1b)
    CHECK_MEM_R(isa_mtrap_tval, s0)
    MTRAP_RESET
1:  sw a0, 8(s0)
    CHECK_MTRAP(CAUSE_STORE_ACCESS, 1b)
    addi a1, s0, 8
    CHECK_MEM_R(isa_mtrap_tval, a1)
    MTRAP_RESET
    la t0, 2f
    sd t0, isa_mtrap_resume, t1
    jalr ra, 0(s0)
2:  CHECK_MEM(isa_mtrap_count, 1)
    CHECK_MEM(isa_mtrap_cause, CAUSE_FETCH_ACCESS)
    CHECK_MEM_R(isa_mtrap_epc, s0) // the fault is at the target
    CHECK_MEM_R(isa_mtrap_tval, s0)

    // (Privileged spec 1.12 also has mret/sret clear MPRV when leaving M;
    // QEMU 7.2 does not, so that rule is left to the official rv64mi tests.)

    // ---- delegation to S ------------------------------------------------------------
    li a0, (1 << CAUSE_USER_ECALL) | (1 << CAUSE_ILLEGAL_INSN) | (1 << CAUSE_BREAKPOINT)
    csrw medeleg, a0
    csrr a1, medeleg
    CHECK_R(a1, a0)
    M_TO_S
    // SIE = 1 in U after the sret below (sret sets SIE from SPIE); sie is
    // zero, so no interrupt can actually be taken
    li a0, MSTATUS_SPIE
    csrs sstatus, a0
    S_TO_U
    MTRAP_RESET
    STRAP_RESET
1:  ecall
    CHECK_STRAP(CAUSE_USER_ECALL, 1b)
    CHECK_NO_MTRAP
    CHECK_MEM(isa_strap_tval, 0)
    // trap entry into S: SPP = U, SPIE = old SIE, SIE = 0
    ld a0, isa_strap_status
    CHECK_BITS(a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE)
    STRAP_RESET
1:  .word RESERVED_SLLIW
    CHECK_STRAP(CAUSE_ILLEGAL_INSN, 1b)
    CHECK_MEM(isa_strap_tval, RESERVED_SLLIW)
    CHECK_NO_MTRAP
    STRAP_RESET
1:  ebreak
    CHECK_STRAP(CAUSE_BREAKPOINT, 1b)
    CHECK_NO_MTRAP
    TO_S // the magic ecall, delegated: the S handler continues in S
    // its sret restored SIE from SPIE, set SPIE and left SPP = U
    csrr a0, sstatus
    CHECK_BITS(a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SIE | MSTATUS_SPIE)
    li a0, MSTATUS_SIE
    csrc sstatus, a0
    // a delegated exception raised in S is taken in S (SPP = S)
    STRAP_RESET
1:  .word RESERVED_SLLIW
    CHECK_STRAP(CAUSE_ILLEGAL_INSN, 1b)
    ld a0, isa_strap_status
    CHECK_BITS(a0, MSTATUS_SPP, MSTATUS_SPP)
    CHECK_NO_MTRAP
    // ecall from S is not delegated (medeleg bit 9 clear): M takes it
    MTRAP_RESET
    STRAP_RESET
1:  ecall
    CHECK_MTRAP(CAUSE_SUPERVISOR_ECALL, 1b)
    CHECK_NO_STRAP
    TO_M
    // traps taken in M are never delegated, whatever medeleg says
    MTRAP_RESET
    STRAP_RESET
1:  .word RESERVED_SLLIW
    CHECK_MTRAP(CAUSE_ILLEGAL_INSN, 1b)
    CHECK_NO_STRAP
    csrw medeleg, zero

    UNCATCH_MTRAPS
TEST_END

// A minimal M-mode handler with no compressed instructions, for the part
// that runs with misa.C cleared: record, resume at isa_mtrap_resume.
// Clobbers t3 and t4 (unused by that code).
    .option push
    .option norvc
    .balign 4
norvc_mtrap:
    ld t3, isa_mtrap_count
    addi t3, t3, 1
    sd t3, isa_mtrap_count, t4
    csrr t3, mcause
    sd t3, isa_mtrap_cause, t4
    csrr t3, mepc
    sd t3, isa_mtrap_epc, t4
    csrr t3, mtval
    sd t3, isa_mtrap_tval, t4
    ld t3, isa_mtrap_resume
    csrw mepc, t3
    mret
    .option pop
