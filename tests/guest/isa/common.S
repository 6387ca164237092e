// Shared machinery for the ISA test programs: program setup, the failure
// path of the CHECK macros, and trap handlers that record what happened.
// See macros.h for the conventions.
#include "macros.h"

    .text

// isa_init(a0 = program name), called from TEST_BEGIN in M-mode.
    .globl isa_init
    .balign 4
isa_init:
    sd a0, isa_name, t0
    // Handlers run on their own stacks so that a trap never depends on the
    // interrupted code's sp (mscratch/sscratch conventions, section 3.1.16).
    la t0, isa_mstack_top
    csrw mscratch, t0
    la t0, isa_sstack_top
    csrw sscratch, t0
    // S/U accesses need a PMP entry when any PMP entry is implemented
    // (section 3.7.1: with no matching entry, S/U accesses fail). One NAPOT
    // entry covering the whole address space, RWX. PMP registers may be
    // absent (read-only zero, or trapping on a minimal core), so a trap here
    // just skips the rest.
    la t0, 1f
    csrw mtvec, t0
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f // A=NAPOT, X, W, R
    csrw pmpcfg0, t0
    .balign 4
1:  la t0, __isa_unexpected
    csrw mtvec, t0
    ret

// TEST_END: print the verdict and exit with 0 (all checks passed) or 1.
    .globl isa_finish
    .balign 4
isa_finish:
    la sp, isa_mstack_top // whatever the test did to sp, C needs a stack
    call isa_finish_c
1:  j 1b

// Failure path of isa_check_rr. On entry the caller's frame holds
// 0: got, 8: expected, 16: caller's ra, 24: &record {line, what}.
// Preserves every register except ra (restored by the caller).
    .globl __isa_fail
    .balign 4
__isa_fail:
    addi sp, sp, -256
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    // isa_report is integer-only C, so F registers and fcsr survive as well.
    ld a0, 256+24(sp)
    ld a1, 256+0(sp)
    ld a2, 256+8(sp)
    call isa_report
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    ld x5, 40(sp)
    ld x6, 48(sp)
    ld x7, 56(sp)
    ld x8, 64(sp)
    ld x9, 72(sp)
    ld x10, 80(sp)
    ld x11, 88(sp)
    ld x12, 96(sp)
    ld x13, 104(sp)
    ld x14, 112(sp)
    ld x15, 120(sp)
    ld x16, 128(sp)
    ld x17, 136(sp)
    ld x18, 144(sp)
    ld x19, 152(sp)
    ld x20, 160(sp)
    ld x21, 168(sp)
    ld x22, 176(sp)
    ld x23, 184(sp)
    ld x24, 192(sp)
    ld x25, 200(sp)
    ld x26, 208(sp)
    ld x27, 216(sp)
    ld x28, 224(sp)
    ld x29, 232(sp)
    ld x30, 240(sp)
    ld x31, 248(sp)
    addi sp, sp, 256
    ret

// Default mtvec: a trap nobody asked for ends the program with code 3 after
// printing mcause/mepc/mtval.
    .globl __isa_unexpected
    .balign 4
__isa_unexpected:
    csrrw sp, mscratch, sp
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    call isa_unexpected_trap
1:  j 1b

// Instruction length at the address in t0 (2 or 4), into t1. Only used when
// the trapping pc is readable with the current translation (identity-mapped
// or bare); tests set a resume address otherwise.
.macro insn_len_t1
    lhu t1, 0(t0)
    andi t1, t1, 3
    addi t1, t1, -3
    // t1 == 0 for a 32-bit instruction (low bits 11), nonzero otherwise
    seqz t1, t1
    slli t1, t1, 1
    addi t1, t1, 2
.endm

// Catching M-mode handler (CATCH_MTRAPS). Records the trap in
// isa_mtrap_{count,cause,epc,tval,status} and then:
//  * interrupts: silence the source (mtimecmp/stimecmp := max, msip := 0,
//    mip.SSIP := 0) and return to mepc, which is the interrupted instruction
//    (section 3.1.14);
//  * an ecall with t6 == ISA_ECALL_RAISE (TO_M): not recorded; continue after
//    the ecall in M-mode (MPP := M);
//  * otherwise resume at isa_mtrap_resume if nonzero (consumed; with bit 0
//    set: in M-mode, see MTRAP_RETURN_AT), else after the trapping
//    instruction (ecall: always 4 bytes, without reading memory).
    .globl isa_mtrap
    .balign 4
isa_mtrap:
    csrrw sp, mscratch, sp
    addi sp, sp, -32
    sd t0, 0(sp)
    sd t1, 8(sp)
    sd t2, 16(sp)
    csrr t0, mcause
    bltz t0, .Lm_interrupt
    // Magic ecall (causes 8, 9, 11 are ecalls from U, S, M)?
    addi t1, t0, -CAUSE_USER_ECALL
    li t2, 3
    bgeu t1, t2, .Lm_record
    li t2, ISA_ECALL_RAISE
    bne t6, t2, .Lm_record
    li t1, MSTATUS_MPP
    csrs mstatus, t1
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    j .Lm_out
.Lm_record:
    ld t1, isa_mtrap_count
    addi t1, t1, 1
    sd t1, isa_mtrap_count, t2
    sd t0, isa_mtrap_cause, t2
    csrr t1, mepc
    sd t1, isa_mtrap_epc, t2
    csrr t1, mtval
    sd t1, isa_mtrap_tval, t2
    csrr t1, mstatus
    sd t1, isa_mtrap_status, t2
    ld t1, isa_mtrap_resume
    beqz t1, 1f
    sd zero, isa_mtrap_resume, t2
    andi t2, t1, 1 // MTRAP_RETURN_AT: continue in M
    beqz t2, 3f
    xor t1, t1, t2
    li t2, MSTATUS_MPP
    csrs mstatus, t2
3:  csrw mepc, t1
    j .Lm_out
1:  csrr t1, mepc
    addi t0, t0, -CAUSE_USER_ECALL
    li t2, 3
    bgeu t0, t2, 2f
    addi t1, t1, 4
    csrw mepc, t1
    j .Lm_out
2:  mv t0, t1
    insn_len_t1
    add t0, t0, t1
    csrw mepc, t0
    j .Lm_out
.Lm_interrupt:
    ld t1, isa_mtrap_count
    addi t1, t1, 1
    sd t1, isa_mtrap_count, t2
    sd t0, isa_mtrap_cause, t2
    csrr t1, mepc
    sd t1, isa_mtrap_epc, t2
    csrr t1, mtval
    sd t1, isa_mtrap_tval, t2
    csrr t1, mstatus
    sd t1, isa_mtrap_status, t2
    slli t0, t0, 1 // drop the interrupt bit
    srli t0, t0, 1
    li t1, IRQ_M_TIMER
    bne t0, t1, 1f
    li t1, CLINT_MTIMECMP
    li t2, -1
    sd t2, 0(t1)
    j .Lm_out
1:  li t1, IRQ_M_SOFT
    bne t0, t1, 1f
    li t1, CLINT_MSIP
    sw zero, 0(t1)
    j .Lm_out
1:  li t1, IRQ_S_TIMER
    bne t0, t1, 1f
    // Only reachable with Sstc (STIP is then driven by stimecmp) or when M
    // set mip.STIP itself; clear both ways.
    li t2, -1
    csrw CSR_STIMECMP, t2
    li t1, MIP_STIP
    csrc mip, t1
    j .Lm_out
1:  li t1, IRQ_S_SOFT
    bne t0, t1, .Lm_out
    li t1, MIP_SSIP
    csrc mip, t1
.Lm_out:
    ld t0, 0(sp)
    ld t1, 8(sp)
    ld t2, 16(sp)
    addi sp, sp, 32
    csrrw sp, mscratch, sp
    mret

// The same for S-mode (CATCH_STRAPS), with isa_strap_* and sret; the magic
// ecall (TO_S, from U with medeleg bit 8) continues after the ecall in S.
// Timer interrupts here come from Sstc (stimecmp := max); a software
// interrupt is cleared in sip.
    .globl isa_strap
    .balign 4
isa_strap:
    csrrw sp, sscratch, sp
    addi sp, sp, -32
    sd t0, 0(sp)
    sd t1, 8(sp)
    sd t2, 16(sp)
    csrr t0, scause
    bltz t0, .Ls_interrupt
    addi t1, t0, -CAUSE_USER_ECALL
    li t2, 3
    bgeu t1, t2, .Ls_record
    li t2, ISA_ECALL_RAISE
    bne t6, t2, .Ls_record
    li t1, MSTATUS_SPP
    csrs sstatus, t1
    csrr t0, sepc
    addi t0, t0, 4
    csrw sepc, t0
    j .Ls_out
.Ls_record:
    ld t1, isa_strap_count
    addi t1, t1, 1
    sd t1, isa_strap_count, t2
    sd t0, isa_strap_cause, t2
    csrr t1, sepc
    sd t1, isa_strap_epc, t2
    csrr t1, stval
    sd t1, isa_strap_tval, t2
    csrr t1, sstatus
    sd t1, isa_strap_status, t2
    ld t1, isa_strap_resume
    beqz t1, 1f
    sd zero, isa_strap_resume, t2
    andi t2, t1, 1 // STRAP_RETURN_AT: continue in S
    beqz t2, 3f
    xor t1, t1, t2
    li t2, MSTATUS_SPP
    csrs sstatus, t2
3:  csrw sepc, t1
    j .Ls_out
1:  csrr t1, sepc
    addi t0, t0, -CAUSE_USER_ECALL
    li t2, 3
    bgeu t0, t2, 2f
    addi t1, t1, 4
    csrw sepc, t1
    j .Ls_out
2:  mv t0, t1
    insn_len_t1
    add t0, t0, t1
    csrw sepc, t0
    j .Ls_out
.Ls_interrupt:
    ld t1, isa_strap_count
    addi t1, t1, 1
    sd t1, isa_strap_count, t2
    sd t0, isa_strap_cause, t2
    csrr t1, sepc
    sd t1, isa_strap_epc, t2
    csrr t1, stval
    sd t1, isa_strap_tval, t2
    csrr t1, sstatus
    sd t1, isa_strap_status, t2
    slli t0, t0, 1
    srli t0, t0, 1
    li t1, IRQ_S_TIMER
    bne t0, t1, 1f
    li t2, -1
    csrw CSR_STIMECMP, t2
    j .Ls_out
1:  li t1, IRQ_S_SOFT
    bne t0, t1, .Ls_out
    li t1, MIP_SSIP
    csrc sip, t1
.Ls_out:
    ld t0, 0(sp)
    ld t1, 8(sp)
    ld t2, 16(sp)
    addi sp, sp, 32
    csrrw sp, sscratch, sp
    sret

    .data
    .balign 8
    .globl isa_mtrap_count, isa_mtrap_cause, isa_mtrap_epc, isa_mtrap_tval
    .globl isa_mtrap_status, isa_mtrap_resume
isa_mtrap_count: .dword 0
isa_mtrap_cause: .dword -1
isa_mtrap_epc: .dword 0
isa_mtrap_tval: .dword 0
isa_mtrap_status: .dword 0
isa_mtrap_resume: .dword 0
    .globl isa_strap_count, isa_strap_cause, isa_strap_epc, isa_strap_tval
    .globl isa_strap_status, isa_strap_resume
isa_strap_count: .dword 0
isa_strap_cause: .dword -1
isa_strap_epc: .dword 0
isa_strap_tval: .dword 0
isa_strap_status: .dword 0
isa_strap_resume: .dword 0

    .bss
    .balign 16
    .space 4096
    .globl isa_mstack_top
isa_mstack_top:
    .space 4096
    .globl isa_sstack_top
isa_sstack_top:
