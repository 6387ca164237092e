// Shared definitions for the edgevm ISA test programs (tests/guest/isa).
//
// Every program is linked with tests/guest/rt (start.S calls `main`, whose
// return value becomes the exit code through rt_exit) and with common.S /
// common.c from this directory (failure reporting and trap catching).
//
// Conventions for the assembly programs:
//   * t5 and t6 (x30, x31) are scratch for the macros below: do not keep a
//     live value in them across a CHECK or any other macro.
//   * sp must point at valid, writable memory whenever a CHECK can fail (the
//     failure path spills registers to the stack and calls C code), and gp
//     must be left alone (the C code may use gp-relative addressing).
//   * Every CHECK is identified by its source line and its stringified
//     arguments, so a failure prints e.g.
//       FAIL rv64i:120 (a0 == 0xffffffff80000000): got 0x..., expected 0x...
//     and the program carries on with the next check; the exit code is 1 if
//     any check failed (3 for an unexpected trap), and "ok <name>" is printed
//     on success.
#ifndef EDGEVM_ISA_MACROS_H
#define EDGEVM_ISA_MACROS_H

// ---- CSR numbers that binutils 2.40 may not know by name ------------------
#define CSR_MENVCFG 0x30a
#define CSR_STIMECMP 0x14d

// ---- mstatus fields (privileged spec, section 3.1.6) ----------------------
#define MSTATUS_SIE (1 << 1)
#define MSTATUS_MIE (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_SPP (1 << 8)
#define MSTATUS_MPP (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPP_M (3 << 11)
#define MSTATUS_FS (3 << 13)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_SUM (1 << 18)
#define MSTATUS_MXR (1 << 19)
#define MSTATUS_TVM (1 << 20)
#define MSTATUS_TW (1 << 21)
#define MSTATUS_TSR (1 << 22)

// ---- interrupt numbers / mip, mie bits (section 3.1.9) -------------------
#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define MIP_SSIP (1 << IRQ_S_SOFT)
#define MIP_MSIP (1 << IRQ_M_SOFT)
#define MIP_STIP (1 << IRQ_S_TIMER)
#define MIP_MTIP (1 << IRQ_M_TIMER)
// mcause of an interrupt: bit 63 set, spelled out as plain constants for li
#define CAUSE_S_SOFT_INT 0x8000000000000001
#define CAUSE_M_SOFT_INT 0x8000000000000003
#define CAUSE_S_TIMER_INT 0x8000000000000005
#define CAUSE_M_TIMER_INT 0x8000000000000007

// ---- exception codes (section 3.1.15, table "mcause values") --------------
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL_INSN 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_USER_ECALL 8
#define CAUSE_SUPERVISOR_ECALL 9
#define CAUSE_MACHINE_ECALL 11
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT 13
#define CAUSE_STORE_PAGE_FAULT 15

// ---- the virt board's CLINT (ACLINT MSWI + MTIMER layout) ----------------
#define CLINT_MSIP 0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME 0x200bff8

// `t6` holds this magic in an ecall that asks the catching trap handler of
// the more privileged mode to continue after the ecall in *its* mode (see
// TO_M / TO_S below and isa_mtrap / isa_strap in common.S).
#define ISA_ECALL_RAISE 0x15a0ec

#ifdef __ASSEMBLER__

// ---- checks ----------------------------------------------------------------
// The failure path shared by the check macros: a record {line, "what"} in
// .rodata and a call to __isa_fail with got/expected spilled to the stack
// (all registers are preserved; t5/t6 may be clobbered).
.macro isa_fail_call got, exp, line
    .pushsection .rodata.isa_checks, "a"
    .balign 8
.Lisa_rec\@:
    .dword \line
    .dword .Lisa_what\@
.Lisa_what\@:
    .popsection
    addi sp, sp, -32
    sd \got, 0(sp)
    sd \exp, 8(sp)
    sd ra, 16(sp)
    la ra, .Lisa_rec\@
    sd ra, 24(sp)
    jal ra, __isa_fail
    ld ra, 16(sp)
    addi sp, sp, 32
.endm

// Compare registers \got and \exp; on mismatch report "lhs [& mid] == rhs".
// The description strings arrive quoted from the cpp wrappers below. (The
// string is emitted right after the record opened by isa_fail_call.)
.macro isa_check_rr got, exp, line, lhs, rhs, mid
    beq \got, \exp, .Lisa_ok\@
    isa_fail_call \got, \exp, \line
    .pushsection .rodata.isa_checks, "a"
    .ascii "\lhs"
    .ifnb \mid
    .ascii " & "
    .ascii "\mid"
    .endif
    .ascii " == "
    .asciz "\rhs"
    .popsection
.Lisa_ok\@:
.endm

// \got equals \e1 or \e2 (registers); reports "lhs == rhs1 or rhs2".
.macro isa_check_either got, e1, e2, line, lhs, rhs1, rhs2
    beq \got, \e1, .Lisa_ok\@
    beq \got, \e2, .Lisa_ok\@
    isa_fail_call \got, \e1, \line
    .pushsection .rodata.isa_checks, "a"
    .ascii "\lhs"
    .ascii " == "
    .ascii "\rhs1"
    .ascii " or "
    .asciz "\rhs2"
    .popsection
.Lisa_ok\@:
.endm

// reg == 64-bit constant
#define CHECK(reg, val) li t6, val; isa_check_rr reg, t6, __LINE__, #reg, #val
// reg == reg2
#define CHECK_R(reg, reg2) isa_check_rr reg, reg2, __LINE__, #reg, #reg2
// reg == address of a label
#define CHECK_LABEL(reg, label) la t6, label; isa_check_rr reg, t6, __LINE__, #reg, #label
// the doubleword at symbol == constant
#define CHECK_MEM(sym, val) ld t5, sym; li t6, val; isa_check_rr t5, t6, __LINE__, #sym, #val
// the doubleword at symbol == register
#define CHECK_MEM_R(sym, reg) ld t5, sym; isa_check_rr t5, reg, __LINE__, #sym, #reg
// the doubleword at symbol == address of a label
#define CHECK_MEM_LABEL(sym, label) ld t5, sym; la t6, label; isa_check_rr t5, t6, __LINE__, #sym, #label
// a CSR == constant (reads the CSR into t5)
#define CHECK_CSR(csr, val) csrr t5, csr; li t6, val; isa_check_rr t5, t6, __LINE__, #csr, #val
// (reg & mask) == val
#define CHECK_BITS(reg, mask, val) li t6, mask; and t5, reg, t6; li t6, val; isa_check_rr t5, t6, __LINE__, #reg, #val, #mask
// reg == a or reg == b (reg must not be t5/t6)
#define CHECK_EITHER(reg, a, b) li t5, a; li t6, b; isa_check_either reg, t5, t6, __LINE__, #reg, #a, #b
// Record a failure unconditionally (for "must not get here" paths).
#define FAIL_HERE() li t5, 1; li t6, 0; isa_check_rr t5, t6, __LINE__, "this line reached", "never"

// ---- program frame ---------------------------------------------------------
// TEST_BEGIN(name) starts `main` in M-mode: it records the program name,
// installs the "unexpected trap" reporter as mtvec, gives M and S handlers
// their own stacks (mscratch/sscratch) and opens PMP for S/U (see isa_init).
#define TEST_BEGIN(name)                 \
    .text;                               \
    .globl main;                         \
    .balign 4;                           \
main:                                    \
    la a0, .Lisa_name_str;               \
    jal ra, isa_init;                    \
    .pushsection .rodata;                \
.Lisa_name_str: .asciz name;             \
    .popsection

// TEST_END prints "ok <name>" or the failure summary and exits (never returns).
#define TEST_END jal ra, isa_finish

// Catch traps instead of treating them as unexpected: the handlers record
// cause/epc/tval/status and a count, then resume at isa_[ms]trap_resume if
// it is set (one shot), else after the trapping instruction.
#define CATCH_MTRAPS la t5, isa_mtrap; csrw mtvec, t5
#define CATCH_STRAPS la t5, isa_strap; csrw stvec, t5
#define UNCATCH_MTRAPS la t5, __isa_unexpected; csrw mtvec, t5

// Reset the M (or S) trap record before an operation that should (or should
// not) trap, and optionally say where to resume.
#define MTRAP_RESET sd zero, isa_mtrap_count, t5; li t6, -1; sd t6, isa_mtrap_cause, t5; sd zero, isa_mtrap_resume, t5
#define STRAP_RESET sd zero, isa_strap_count, t5; li t6, -1; sd t6, isa_strap_cause, t5; sd zero, isa_strap_resume, t5
#define MTRAP_RESUME_AT(label) la t6, label; sd t6, isa_mtrap_resume, t5
#define STRAP_RESUME_AT(label) la t6, label; sd t6, isa_strap_resume, t5
// ...and continue there in the handler's own mode (M, resp. S) rather than
// in the trapping mode: bit 0 of the resume address asks for that.
#define MTRAP_RETURN_AT(label) la t6, label + 1; sd t6, isa_mtrap_resume, t5
#define STRAP_RETURN_AT(label) la t6, label + 1; sd t6, isa_strap_resume, t5

// After an operation: exactly one trap with this cause, at this pc.
#define CHECK_MTRAP(cause, epc_label) \
    CHECK_MEM(isa_mtrap_count, 1); CHECK_MEM(isa_mtrap_cause, cause); CHECK_MEM_LABEL(isa_mtrap_epc, epc_label)
#define CHECK_STRAP(cause, epc_label) \
    CHECK_MEM(isa_strap_count, 1); CHECK_MEM(isa_strap_cause, cause); CHECK_MEM_LABEL(isa_strap_epc, epc_label)
#define CHECK_NO_MTRAP CHECK_MEM(isa_mtrap_count, 0)
#define CHECK_NO_STRAP CHECK_MEM(isa_strap_count, 0)

// ---- privilege changes -------------------------------------------------------
// M -> S or U: continue at the next instruction in the lower mode via mret
// (section 3.3.2). Clobbers t5, t6 and mstatus.MPP/MPIE.
.macro isa_mret_to mpp
    li t5, MSTATUS_MPP
    csrc mstatus, t5
    li t5, \mpp
    csrs mstatus, t5
    la t5, .Lisa_in_mode\@
    csrw mepc, t5
    mret
.Lisa_in_mode\@:
.endm
#define M_TO_S isa_mret_to MSTATUS_MPP_S
#define M_TO_U isa_mret_to 0
// S -> U via sret (SPP = U).
.macro isa_sret_to_u
    li t5, MSTATUS_SPP
    csrc sstatus, t5
    la t5, .Lisa_in_u\@
    csrw sepc, t5
    sret
.Lisa_in_u\@:
.endm
#define S_TO_U isa_sret_to_u
// Back up: an ecall carrying the magic in t6, handled by isa_mtrap (TO_M) or
// isa_strap (TO_S, when U ecalls are delegated), continues after the ecall.
#define TO_M li t6, ISA_ECALL_RAISE; ecall
#define TO_S li t6, ISA_ECALL_RAISE; ecall

#else  // C

#include <stdint.h>
#include "rt.h"

void isa_check_c(int line, const char *what, uint64_t got, uint64_t expected);
#define CHECK_EQ(what, got, exp) isa_check_c(__LINE__, (what), (uint64_t)(got), (uint64_t)(exp))
void isa_init(const char *name);
__attribute__((noreturn)) void isa_finish(void);
extern uint64_t isa_failures;

extern volatile uint64_t isa_mtrap_count, isa_mtrap_cause, isa_mtrap_epc, isa_mtrap_tval,
    isa_mtrap_status, isa_mtrap_resume;
void isa_mtrap(void);

#endif
#endif
